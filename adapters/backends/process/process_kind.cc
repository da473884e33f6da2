// The registry row of backend "process": no settings; sessions are child processes.
#include "adapters/backends/backend_registry.h"
#include "adapters/backends/process/process_backend.h"

namespace ringfence::backends {
namespace {

Result<std::unique_ptr<BackendSetup>> Parse(const YamlDoc& doc, const YAML::Node& section,
                                            const YAML::Node&) {
  if (auto st = CheckSection(doc, section, {}, "process"); !st) return st.error();
  return std::unique_ptr<BackendSetup>(new DirectoryImageSetup(
      [](const BackendContext& c) {
        return std::make_unique<ProcessBackend>(
            ProcessBackendOptions{c.state_dir + "/sessions/process", c.workload_binary});
      },
      RecordedLayout{"process", "sessions/process/sessions", ""}));
}

}  // namespace

BackendKind ProcessBackendKind() {
  return {"process", "local child processes (the bundled workload)", Parse};
}

}  // namespace ringfence::backends

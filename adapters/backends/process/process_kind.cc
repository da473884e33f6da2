// The registry row of backend "process": no settings; sessions are child processes.
#include "adapters/backends/backend_registry.h"
#include "adapters/backends/process/process_backend.h"

namespace ringfence::backends {
namespace {

class ProcessSetup : public BackendSetup {
 public:
  Result<std::unique_ptr<SessionBackend>> Make(const BackendContext& c) const override {
    return std::unique_ptr<SessionBackend>(new ProcessBackend({c.state_dir + "/sessions/process", c.workload_binary}));
  }
  Result<ImageRef> Image(const BackendContext& c, const std::string& written) const override {
    return ImageDirectory(c, written);
  }
};

Result<std::unique_ptr<BackendSetup>> Parse(const YamlDoc& doc, const YAML::Node& section, const YAML::Node&) {
  if (auto st = CheckSection(doc, section, {}, "process"); !st) return st.error();
  return std::unique_ptr<BackendSetup>(new ProcessSetup());
}

}  // namespace

BackendKind ProcessBackendKind() { return {"process", "local child processes (the bundled workload)", Parse}; }

}  // namespace ringfence::backends

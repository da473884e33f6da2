// The registry row of backend "firecracker": `firecracker: {binary, vcpus, mem_mib, tap_prefix}`.
#include "adapters/backends/backend_registry.h"
#include "adapters/backends/firecracker/firecracker_backend.h"

namespace ringfence::backends {
namespace {

std::unique_ptr<BackendSetup> Setup(FirecrackerOptions o) {
  return std::unique_ptr<BackendSetup>(new DirectoryImageSetup(
      [o](const BackendContext& c) {
        FirecrackerOptions run = o;
        run.state_dir = c.state_dir + "/sessions/firecracker";
        return std::make_unique<FirecrackerBackend>(run);
      },
      RecordedLayout{"firecracker", "sessions/firecracker/vms", ""}));
}

Result<std::unique_ptr<BackendSetup>> Parse(const YamlDoc& doc, const YAML::Node& section,
                                            const YAML::Node&) {
  if (auto st = CheckSection(doc, section, {"binary", "vcpus", "mem_mib", "tap_prefix"}, "firecracker");
      !st) {
    return st.error();
  }
  FirecrackerOptions o;
  if (!section) return Setup(o);
  for (auto [key, into] :
       {std::pair<const char*, std::string*>{"binary", &o.binary}, {"tap_prefix", &o.tap_prefix}}) {
    if (!section[key]) continue;
    auto v = doc.String(section[key], key);
    if (!v) return v.error();
    *into = *v;
  }
  for (auto [key, into, hi] :
       {std::tuple<const char*, int*, int>{"vcpus", &o.vcpus, 32}, {"mem_mib", &o.mem_mib, 65536}}) {
    if (!section[key]) continue;
    auto v = doc.Integer(section[key], std::string("firecracker ") + key);
    if (!v) return v.error();
    if (*v < 1 || *v > hi)
      return doc.ErrorAt(section[key],
                         std::string("firecracker ") + key + " must be 1.." + std::to_string(hi));
    *into = static_cast<int>(*v);
  }
  return Setup(o);
}

}  // namespace

BackendKind FirecrackerBackendKind() {
  return {"firecracker", "Firecracker micro VMs over their REST API (needs KVM)", Parse};
}

}  // namespace ringfence::backends

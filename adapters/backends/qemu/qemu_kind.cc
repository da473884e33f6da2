// The registry row of backend "qemu": `qemu: {kernel, initrd, mem_mib, launch: template | boot}`.
#include "adapters/backends/backend_registry.h"
#include "adapters/backends/qemu/qemu_backend.h"

namespace ringfence::backends {
namespace {

std::unique_ptr<BackendSetup> Setup(QemuOptions o) {
  return std::unique_ptr<BackendSetup>(new DirectoryImageSetup(
      [o](const BackendContext& c) {
        QemuOptions run = o;
        run.state_dir = c.state_dir + "/sessions/qemu";
        return std::make_unique<QemuBackend>(run);
      },
      RecordedLayout{"qemu", "sessions/qemu/vms", "sessions/qemu/templates"}));
}

Result<std::unique_ptr<BackendSetup>> Parse(const YamlDoc& doc, const YAML::Node& section,
                                            const YAML::Node& backend) {
  if (auto st = CheckSection(doc, section, {"kernel", "initrd", "mem_mib", "launch"}, "qemu"); !st)
    return st.error();
  if (!section || !section["kernel"] || !section["initrd"]) {
    return doc.ErrorAt(backend,
                       "backend qemu needs qemu: {kernel: vmlinux, initrd: initrd.cpio.gz} (ringfence image "
                       "build examples/guest)");
  }
  QemuOptions o;
  auto kernel = doc.String(section["kernel"], "kernel");
  if (!kernel) return kernel.error();
  auto initrd = doc.String(section["initrd"], "initrd");
  if (!initrd) return initrd.error();
  o.kernel = *kernel;
  o.initrd = *initrd;
  if (section["mem_mib"]) {
    auto mem = doc.Integer(section["mem_mib"], "qemu mem_mib");
    if (!mem) return mem.error();
    if (*mem < 64 || *mem > 65536) return doc.ErrorAt(section["mem_mib"], "qemu mem_mib must be 64..65536");
    o.mem_mib = static_cast<int>(*mem);
  }
  if (section["launch"]) {
    auto launch = doc.String(section["launch"], "launch");
    if (!launch) return launch.error();
    if (*launch != "template" && *launch != "boot") {
      return doc.ErrorAt(section["launch"],
                         "qemu launch must be template (restore the image's snapshot) or boot (cold)");
    }
    o.launch_from_template = *launch == "template";
  }
  return Setup(o);
}

}  // namespace

BackendKind QemuBackendKind() { return {"qemu", "micro VMs under QEMU (-M microvm) over QMP", Parse}; }

}  // namespace ringfence::backends

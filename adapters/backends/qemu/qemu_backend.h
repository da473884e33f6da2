// SessionBackend "qemu": each session is a real micro VM (qemu-system-x86_64 -M microvm), driven
// over QMP: launch (boot the guest kernel and initramfs from `ringfence image build`), pause (stop),
// resume (cont), snapshot (stop, migrate to a zstd-compressed file, cont), restore (a new QEMU with
// -incoming from the file, then cont: the session's state carries on), terminate (quit). The
// guest runs the bundled workload with the image's entrypoint arguments (passed on the kernel
// command line); its port 8080 is forwarded to a loopback port, where health and /metrics are read.
// Without KVM the guest runs under TCG; tsc_early_khz (measured on the host) keeps the boot from
// hanging on TSC calibration.
//
// Warm starts: the first launch of an image boots cold and is then snapshotted as the image's
// template (state_dir/templates/, keyed by the image digest and the guest build); later launches
// restore the template instead of booting. Park snapshots an idle session to state_dir/parked/
// and ends its QEMU; Unpark restores it with its state. Every restore reseeds the guest workload's
// random draw (POST /reseed), so copies of one snapshot do not err in lockstep.
#pragma once

#include <map>
#include <string>

#include "adapters/backends/image_loader.h"
#include "adapters/backends/session_registry.h"
#include "adapters/common/child_process.h"
#include "engine/ports/session_backend.h"

namespace ringfence::backends {

struct QemuOptions {
  std::string qemu = "qemu-system-x86_64";
  std::string state_dir;
  std::string kernel;  // vmlinux
  std::string initrd;  // initrd.cpio.gz with the workload
  int mem_mib = 256;
  long tsc_khz = 0;  // 0: measured on the host
  int boot_timeout_ms = 30000;
  int stop_grace_ms = 1000;
  bool launch_from_template = true;  // false: every launch boots cold
};

class QemuBackend : public SessionBackend {
 public:
  explicit QemuBackend(QemuOptions options);
  Capabilities capabilities() const override { return {true, true, false}; }
  Result<SessionInfo> Launch(const std::string& session_id, const ImageRef& image) override;
  Result<std::vector<SessionInfo>> List() override;
  Status Pause(const std::string& session_id) override;
  Status Resume(const std::string& session_id) override;
  Status Snapshot(const std::string& session_id, const std::string& path) override;
  Result<SessionInfo> Restore(const std::string& session_id, const std::string& path) override;
  Status Park(const std::string& session_id) override;
  Result<SessionInfo> Unpark(const std::string& session_id) override;
  Status Terminate(const std::string& session_id) override;
  Result<bool> Healthy(const std::string& session_id) override;
  Result<Measurement> Measure(const std::string& session_id) override;
  Status SetWeight(const ImageRef&, const ImageRef&, double) override { return Status::Ok(); }

 private:
  struct Vm {
    SessionInfo info;
    ProcessHandle proc;  // pid -1 while parked
    int port = 0;
    std::string qmp, append;
    std::string parked;  // the snapshot of a parked session; empty while it runs
  };
  Result<Vm> Start(const std::string& id, const std::string& version, const std::string& append,
                   const std::string& incoming);
  // Starts `id` from the snapshot at `path` (version and guest arguments as recorded with it).
  Result<SessionInfo> StartFrom(const std::string& id, const std::string& version, const std::string& append,
                                const std::string& path);
  Status WaitHealthy(const Vm& vm);
  std::string GuestExecutableDigest() const;
  Status Reseed(const Vm& vm);
  std::string TemplatePath(const ImageRef& image) const;
  // Ends the VM's QEMU (quit, then its process group).
  void EndQemu(const Vm& vm);
  Result<bool> Answers(const Vm& vm, int timeout_ms);
  Status Save(const Vm& vm);
  Result<Vm*> Live(const std::string& id);  // a session that is not parked
  Status RunState(const std::string& id, const char* qmp_command, SessionState after);  // stop | cont

  QemuOptions options_;
  // The guest_root of the image built with the initrd, read once ("": the guests are unmeasured).
  std::string guest_root_;
  SessionRegistry registry_;
  std::map<std::string, Vm> vms_;
};

// The host's TSC frequency in kHz (rdtsc against the steady clock over 50 ms).
long MeasureTscKhz();

}  // namespace ringfence::backends

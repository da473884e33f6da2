// SessionBackend "firecracker": each session is a Firecracker micro VM, configured and driven
// through Firecracker's REST API on its unix socket (libcurl): machine config, boot source, root
// drive, network interface, InstanceStart; PATCH /vm to pause and resume; snapshot create (Full,
// state + memory files) and load (a fresh process, memory from a file, resumed). An image is a
// directory with manifest.yaml, `vmlinux`, and optionally `initrd.cpio.gz` and `rootfs.ext4`.
//
// Firecracker needs /dev/kvm; on a KVM host, create one tap device per session named
// <tap_prefix><n> (ip tuntap add ... mode tap) before launching. The registry of running VMs lives
// in the state directory, so a resumed orchestrator terminates what a killed one started.
#pragma once

#include <map>
#include <string>

#include "adapters/backends/image_loader.h"
#include "adapters/backends/session_registry.h"
#include "adapters/common/child_process.h"
#include "engine/ports/session_backend.h"

namespace ringfence::backends {

struct FirecrackerOptions {
  std::string binary = "firecracker";
  std::string state_dir;
  int vcpus = 1;
  int mem_mib = 128;
  std::string boot_args = "console=ttyS0 reboot=k panic=1 pci=off";
  std::string tap_prefix = "rf-tap";
  int api_timeout_ms = 2000;
  int start_timeout_ms = 5000;
  int stop_grace_ms = 1000;
  std::vector<std::string> env;  // "NAME=value" for the firecracker process, beyond the allow-list
};

class FirecrackerBackend : public SessionBackend {
 public:
  explicit FirecrackerBackend(FirecrackerOptions options);
  Capabilities capabilities() const override { return {true, true, false}; }
  Result<SessionInfo> Launch(const std::string& session_id, const ImageRef& image) override;
  Result<std::vector<SessionInfo>> List() override;
  Status Pause(const std::string& session_id) override;
  Status Resume(const std::string& session_id) override;
  Status Snapshot(const std::string& session_id, const std::string& path) override;
  Result<SessionInfo> Restore(const std::string& session_id, const std::string& path) override;
  Status Terminate(const std::string& session_id) override;
  Result<bool> Healthy(const std::string& session_id) override;
  Status SetWeight(const ImageRef&, const ImageRef&, double) override { return Status::Ok(); }

 private:
  struct Vm {
    SessionInfo info;
    ProcessHandle proc;
    std::string socket;
  };
  // One API call; a non-2xx answer is kIo with Firecracker's fault_message.
  Result<std::string> Api(const Vm& vm, const std::string& method, const std::string& path,
                          const std::string& body);
  Result<Vm> StartProcess(const std::string& session_id, const std::string& version);
  Status Save(const Vm& vm);
  Status SetVmState(const std::string& id, const char* vm_state, SessionState after);  // PATCH /vm

  FirecrackerOptions options_;
  SessionRegistry registry_;
  std::map<std::string, Vm> vms_;
  int next_tap_ = 0;
};

}  // namespace ringfence::backends

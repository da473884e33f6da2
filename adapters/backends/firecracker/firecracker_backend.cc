#include "adapters/backends/firecracker/firecracker_backend.h"

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "adapters/common/child_process.h"
#include "adapters/common/files.h"
#include "adapters/common/http_client.h"
#include "adapters/common/poll.h"
#include "adapters/common/system_clock.h"

namespace ringfence::backends {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string Mac(int n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "06:00:ac:10:%02x:%02x", (n >> 8) & 0xff, n & 0xff);
  return buf;
}

}  // namespace

FirecrackerBackend::FirecrackerBackend(FirecrackerOptions options)
    : options_(std::move(options)), registry_(options_.state_dir + "/vms") {
  for (const json& j : registry_.Records()) {
    Vm vm;
    vm.info.id = j.value("id", "");
    vm.info.version = j.value("version", "");
    vm.info.endpoint = "firecracker:" + j.value("socket", "");
    vm.info.state = SessionState::kRunning;
    vm.socket = j.value("socket", "");
    if (vm.info.id.empty()) continue;
    if (auto proc = registry_.RecordedProcess(vm.info.id, j)) {
      vm.proc = *proc;
      vms_[vm.info.id] = vm;
    } else {
      registry_.Remove(vm.info.id);  // gone, or never ours
    }
  }
}

Status FirecrackerBackend::Save(const Vm& vm) {
  return registry_.Save(vm.info.id, {{"id", vm.info.id},
                                     {"version", vm.info.version},
                                     {"process", vm.proc.ToJson()},
                                     {"socket", vm.socket}});
}

Result<std::string> FirecrackerBackend::Api(const Vm& vm, const std::string& method, const std::string& path,
                                            const std::string& body) {
  HttpRequest r;
  r.method = method;
  r.url = "http://localhost" + path;
  r.unix_socket = vm.socket;
  r.body = body;
  r.headers = {"Accept: application/json"};
  if (!body.empty()) r.headers.push_back("Content-Type: application/json");
  r.timeout_ms = options_.api_timeout_ms;
  auto res = HttpExchange(r);
  if (!res)
    return Error::Io("firecracker " + vm.info.id + " " + method + " " + path + ": " + res.error().message);
  if (res->status < 200 || res->status >= 300) {
    json fault = json::parse(res->body, nullptr, false);
    std::string msg = fault.is_object() && fault.contains("fault_message")
                          ? fault["fault_message"].get<std::string>()
                          : res->body;
    return Error::Io("firecracker " + vm.info.id + " " + method + " " + path + " answered HTTP " +
                     std::to_string(res->status) + ": " + msg);
  }
  return res->body;
}

Result<FirecrackerBackend::Vm> FirecrackerBackend::StartProcess(const std::string& id,
                                                                const std::string& version) {
  Vm vm;
  vm.info.id = id;
  vm.info.version = version;
  vm.socket = registry_.PathOf(id, ".sock");
  std::error_code ec;
  fs::remove(vm.socket, ec);
  vm.info.endpoint = "firecracker:" + vm.socket;
  vm.info.started_unix_ms = UnixNowMs();
  vm.info.state = SessionState::kStarting;
  if (auto st = Save(vm); !st) return st.error();  // recorded before it starts: a kill from here on is found
  auto proc = Spawn({{options_.binary, "--api-sock", vm.socket, "--id", id},
                     SessionEnvironment(options_.env),
                     registry_.PathOf(id, ".log"),
                     registry_.PidFile(id),
                     registry_.Marker(id)});
  if (!proc) {
    registry_.Remove(id);
    return proc.error();
  }
  vm.proc = *proc;
  vms_[id] = vm;
  if (auto st = Save(vm); !st) return st.error();
  auto started = PollFor(options_.start_timeout_ms, 5, [&]() -> std::optional<Result<Vm>> {
    if (ProcessEnded(vm.proc)) {
      (void)Terminate(id);
      return Error::Io("firecracker for " + id +
                       " exited while starting (log: " + registry_.PathOf(id, ".log") + ")");
    }
    if (fs::exists(vm.socket) && Api(vm, "GET", "/", "")) return vm;
    return std::nullopt;
  });
  if (started) return *started;
  (void)Terminate(id);
  return Error::Io("firecracker for " + id + " did not open its API socket within " +
                   std::to_string(options_.start_timeout_ms) + " ms");
}

Result<SessionInfo> FirecrackerBackend::Launch(const std::string& id, const ImageRef& image) {
  if (auto it = vms_.find(id); it != vms_.end() && !ProcessEnded(it->second.proc)) return it->second.info;
  auto current = LoadImage(image.location);
  if (!current) return current.error();
  if (!image.digest.empty() && current->digest != image.digest) {
    return Error::Io("image " + image.location + " changed since it was planned; refusing to boot it");
  }
  std::string kernel = image.location + "/vmlinux";
  if (!fs::exists(kernel)) return Error::InvalidInput(image.location + " has no vmlinux to boot");
  auto started = StartProcess(id, image.version);
  if (!started) return started.error();
  Vm vm = *started;
  int tap = next_tap_++;
  json boot = {{"kernel_image_path", kernel}, {"boot_args", options_.boot_args}};
  if (fs::exists(image.location + "/initrd.cpio.gz"))
    boot["initrd_path"] = image.location + "/initrd.cpio.gz";
  std::vector<std::tuple<std::string, std::string, json>> calls = {
      {"PUT", "/machine-config", {{"vcpu_count", options_.vcpus}, {"mem_size_mib", options_.mem_mib}}},
      {"PUT", "/boot-source", boot}};
  if (fs::exists(image.location + "/rootfs.ext4")) {
    calls.emplace_back("PUT", "/drives/rootfs",
                       json{{"drive_id", "rootfs"},
                            {"path_on_host", image.location + "/rootfs.ext4"},
                            {"is_root_device", true},
                            {"is_read_only", false}});
  }
  calls.emplace_back("PUT", "/network-interfaces/eth0",
                     json{{"iface_id", "eth0"},
                          {"host_dev_name", options_.tap_prefix + std::to_string(tap)},
                          {"guest_mac", Mac(tap)}});
  calls.emplace_back("PUT", "/actions", json{{"action_type", "InstanceStart"}});
  for (const auto& [method, path, body] : calls) {
    if (auto r = Api(vm, method, path, body.dump()); !r) {
      (void)Terminate(id);
      return r.error();
    }
  }
  vms_[id].info.state = SessionState::kRunning;
  return vms_[id].info;
}

Result<std::vector<SessionInfo>> FirecrackerBackend::List() {
  std::vector<SessionInfo> out;
  for (auto& [id, vm] : vms_) {
    if (ProcessEnded(vm.proc)) vm.info.state = SessionState::kFailed;
    out.push_back(vm.info);
  }
  return out;
}

Status FirecrackerBackend::Pause(const std::string& id) {
  return SetVmState(id, "Paused", SessionState::kPaused);
}

Status FirecrackerBackend::Resume(const std::string& id) {
  return SetVmState(id, "Resumed", SessionState::kRunning);
}

Status FirecrackerBackend::SetVmState(const std::string& id, const char* vm_state, SessionState after) {
  auto it = vms_.find(id);
  if (it == vms_.end()) return Error::NotFound("no session " + id);
  if (auto r = Api(it->second, "PATCH", "/vm", json{{"state", vm_state}}.dump()); !r) return r.error();
  it->second.info.state = after;
  return Status::Ok();
}

Status FirecrackerBackend::Snapshot(const std::string& id, const std::string& path) {
  auto it = vms_.find(id);
  if (it == vms_.end()) return Error::NotFound("no session " + id);
  bool was_running = it->second.info.state == SessionState::kRunning;
  if (was_running) {
    if (auto st = Pause(id); !st) return st;  // Firecracker snapshots paused VMs only
  }
  json body = {{"snapshot_type", "Full"}, {"snapshot_path", path}, {"mem_file_path", path + ".mem"}};
  auto created = Api(it->second, "PUT", "/snapshot/create", body.dump());
  Status resumed = was_running ? Resume(id) : Status::Ok();  // runs on whether or not the snapshot worked
  if (!created) return created.error();
  if (!resumed) return resumed;
  // Firecracker's snapshot holds the machine, not what it runs: the version travels beside it.
  return WriteSnapshotSidecar(path, {{"version", it->second.info.version}});
}

Result<SessionInfo> FirecrackerBackend::Restore(const std::string& id, const std::string& path) {
  if (!fs::exists(path) || !fs::exists(path + ".mem"))
    return Error::NotFound("no snapshot at " + path + " (and .mem)");
  auto sidecar = ReadSnapshotSidecar(path);
  if (!sidecar) return sidecar.error();
  auto started = StartProcess(id, sidecar->value("version", ""));
  if (!started) return started.error();
  json body = {{"snapshot_path", path},
               {"mem_backend", {{"backend_type", "File"}, {"backend_path", path + ".mem"}}},
               {"resume_vm", true}};
  if (auto r = Api(*started, "PUT", "/snapshot/load", body.dump()); !r) {
    (void)Terminate(id);
    return r.error();
  }
  vms_[id].info.state = SessionState::kRunning;
  return vms_[id].info;
}

Status FirecrackerBackend::Terminate(const std::string& id) {
  auto it = vms_.find(id);
  if (it == vms_.end()) return Status::Ok();
  EndProcessGroup(it->second.proc, options_.stop_grace_ms);
  std::error_code ec;
  fs::remove(it->second.socket, ec);
  registry_.Remove(id);
  vms_.erase(it);
  return Status::Ok();
}

Result<bool> FirecrackerBackend::Healthy(const std::string& id) {
  auto it = vms_.find(id);
  if (it == vms_.end()) return Error::NotFound("no session " + id);
  if (ProcessEnded(it->second.proc)) return false;
  auto r = Api(it->second, "GET", "/", "");
  if (!r) return false;
  json info = json::parse(*r, nullptr, false);
  return info.is_object() && info.value("state", "") == "Running";
}

}  // namespace ringfence::backends

#include "adapters/backends/qemu/qemu_backend.h"

#include "adapters/common/content_digest.h"

#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <x86intrin.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "adapters/backends/qemu/qmp.h"
#include "adapters/common/child_process.h"
#include "adapters/common/files.h"
#include "adapters/common/poll.h"
#include "adapters/common/sha256.h"
#include "adapters/common/system_clock.h"
#include "engine/rollout/image_manifest.h"

namespace ringfence::backends {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// A loopback port free a moment ago (QEMU's hostfwd cannot report the one it picked).
int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

bool ShellSafe(const std::string& s) { return s.find('\'') == std::string::npos; }

// The guest measures the root file system its initrd unpacked; `ringfence image build` wrote
// that digest into the manifest beside the initrd. Empty (the sessions unmeasured) without one,
// or when the manifest is a symlink.
std::string GuestRootOf(const std::string& initrd) {
  std::string path = (fs::path(initrd).parent_path() / kImageManifestName).string();
  auto text = ReadFileNoFollow(path);  // a manifest that is a link is not the image's
  if (!text) return "";
  auto manifest = ParseImageManifest(*text, path);
  return manifest ? manifest->guest_root : "";
}

}  // namespace

long MeasureTscKhz() {
  auto t0 = std::chrono::steady_clock::now();
  unsigned long long c0 = __rdtsc();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  unsigned long long c1 = __rdtsc();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return static_cast<long>(static_cast<double>(c1 - c0) / secs / 1000.0);
}

QemuBackend::QemuBackend(QemuOptions options)
    : options_(std::move(options)), registry_(options_.state_dir + "/vms") {
  if (options_.tsc_khz <= 0) options_.tsc_khz = MeasureTscKhz();
  guest_root_ = GuestRootOf(options_.initrd);
  for (const json& j : registry_.Records()) {
    Vm vm;
    vm.info = ReadSessionFields(j);
    vm.port = j.value("port", 0);
    vm.qmp = j.value("qmp", "");
    vm.append = j.value("append", "");
    vm.parked = j.value("parked", "");
    vm.info.endpoint = vm.parked.empty() ? "http://127.0.0.1:" + std::to_string(vm.port) : "";
    vm.info.state = vm.parked.empty() ? SessionState::kRunning : SessionState::kParked;
    if (vm.info.id.empty()) continue;
    if (auto proc = registry_.RecordedProcess(vm.info.id, j)) vm.proc = *proc;
    if (vm.proc.pid > 0 || !vm.parked.empty())
      vms_[vm.info.id] = vm;
    else
      registry_.Remove(vm.info.id);  // its QEMU is gone (or never was ours)
  }
}

Status QemuBackend::Save(const Vm& vm) {
  json record = SessionFields(vm.info);
  record.update({{"process", vm.proc.ToJson()},
                 {"port", vm.port},
                 {"qmp", vm.qmp},
                 {"append", vm.append},
                 {"parked", vm.parked}});
  return registry_.Save(vm.info.id, record);
}

std::string QemuBackend::GuestExecutableDigest() const {
  // The guest runs the workload the initrd was built with; an image built by `ringfence image
  // build` keeps the same bytes at bin/ringfence-workload beside its initrd.
  return DigestFileMemoized((fs::path(options_.initrd).parent_path() / "bin/ringfence-workload").string());
}

Result<QemuBackend::Vm*> QemuBackend::Live(const std::string& id) {
  auto it = vms_.find(id);
  if (it == vms_.end()) return Error::NotFound("no session " + id);
  if (!it->second.parked.empty())
    return Error::InvalidInput("session " + id + " is parked (unpark it first)");
  return &it->second;
}

Result<bool> QemuBackend::Answers(const Vm& vm, int timeout_ms) {
  httplib::Client c("127.0.0.1", vm.port);
  c.set_connection_timeout(std::chrono::milliseconds(timeout_ms));
  c.set_read_timeout(std::chrono::milliseconds(timeout_ms));
  auto res = c.Get("/healthz");
  return res && res->status == 200;
}

Status QemuBackend::WaitHealthy(const Vm& vm) {
  auto booted = PollFor(options_.boot_timeout_ms, 50, [&]() -> std::optional<Status> {
    if (ProcessEnded(vm.proc)) {
      return Error::Io("micro VM " + vm.info.id +
                       " exited while booting (log: " + registry_.PathOf(vm.info.id, ".log") + ")");
    }
    if (auto ok = Answers(vm, 500); ok && *ok) return Status::Ok();
    return std::nullopt;
  });
  if (booted) return *booted;
  return Error::Io("micro VM " + vm.info.id + " did not answer /healthz within " +
                   std::to_string(options_.boot_timeout_ms) + " ms");
}

Result<QemuBackend::Vm> QemuBackend::Start(const std::string& id, const std::string& version,
                                           const std::string& append, const std::string& incoming) {
  Vm vm;
  vm.info.id = id;
  vm.info.version = version;
  vm.port = FreePort();
  vm.qmp = registry_.PathOf(id, ".qmp");
  vm.append = append;
  vm.info.endpoint = "http://127.0.0.1:" + std::to_string(vm.port);
  vm.info.started_unix_ms = UnixNowMs();
  std::error_code ec;
  fs::remove(vm.qmp, ec);
  std::vector<std::string> argv = {
      options_.qemu,
      "-M",
      "microvm",
      "-accel",
      "tcg",
      "-smp",
      "1",
      "-m",
      std::to_string(options_.mem_mib),
      "-nographic",
      "-no-reboot",
      "-kernel",
      options_.kernel,
      "-initrd",
      options_.initrd,
      "-append",
      "console=ttyS0 quiet panic=-1 tsc_early_khz=" + std::to_string(options_.tsc_khz) + " " + append,
      "-netdev",
      "user,id=n0,hostfwd=tcp:127.0.0.1:" + std::to_string(vm.port) + "-:8080",
      "-device",
      "virtio-net-device,netdev=n0",
      "-qmp",
      "unix:" + vm.qmp + ",server=on,wait=off"};
  if (!incoming.empty()) {
    argv.push_back("-incoming");
    argv.push_back(incoming);
  }
  vms_[id] = vm;
  if (auto st = Save(vm); !st)
    return st.error();  // recorded before QEMU starts: a kill from here on is found
  auto proc = Spawn({argv, SessionEnvironment({}), registry_.PathOf(id, ".log"), registry_.PidFile(id),
                     registry_.Marker(id)});
  if (!proc) {
    vms_.erase(id);
    registry_.Remove(id);
    return proc.error();
  }
  vm.proc = *proc;
  vms_[id] = vm;
  if (auto st = Save(vm); !st) return st.error();
  return vm;
}

Result<SessionInfo> QemuBackend::Launch(const std::string& id, const ImageRef& image) {
  if (auto it = vms_.find(id);
      it != vms_.end() && (!it->second.parked.empty() || !ProcessEnded(it->second.proc))) {
    return it->second.info;  // idempotent: launched (or parked) already
  }
  auto current = LoadImage(image.location);
  if (!current) return current.error();
  if (!image.digest.empty() && current->digest != image.digest) {
    return Error::Io("image " + image.location + " changed since it was planned; refusing to boot it");
  }
  std::string manifest_path = image.location + "/" + kImageManifestName;
  auto text = ReadWholeFile(manifest_path);
  if (!text) return text.error();
  auto manifest = ParseImageManifest(*text, manifest_path);
  if (!manifest) return manifest.error();
  if (manifest->entrypoint.front() != "@workload") {
    return Error::InvalidInput(
        manifest_path +
        ": the qemu guest runs the bundled workload: the entrypoint must start with @workload");
  }
  std::string args;
  for (size_t i = 1; i < manifest->entrypoint.size(); ++i) {
    const std::string& a = manifest->entrypoint[i];
    if (a.find_first_of(", \t\n") != std::string::npos) {
      return Error::InvalidInput(manifest_path + ": guest arguments cannot hold spaces or commas ('" + a +
                                 "')");
    }
    args += (args.empty() ? "" : ",") + a;
  }
  std::string append = "rf.args=" + args;
  std::string warm = options_.launch_from_template ? TemplatePath(*current) : "";
  auto record_origin = [&](const char* origin) -> Result<SessionInfo> {
    Vm& vm = vms_[id];
    vm.info.image_digest = current->digest;
    vm.info.executable_digest = GuestExecutableDigest();
    vm.info.content_digest = guest_root_;
    vm.info.origin = origin;
    if (auto st = Save(vm); !st) return st.error();
    return vm.info;
  };
  if (!warm.empty() && fs::exists(warm + ".json")) {
    auto restored = StartFrom(id, image.version, append, warm);
    if (restored) return record_origin("template");
    std::error_code ec;  // a damaged template: drop it and boot cold (a new one is taken below)
    fs::remove(warm + ".json", ec);
    fs::remove(warm, ec);
  }
  auto vm = Start(id, image.version, append, "");
  if (!vm) return vm.error();
  if (auto st = WaitHealthy(*vm); !st) {
    (void)Terminate(id);
    return st.error();
  }
  vms_[id].info.state = SessionState::kRunning;
  if (auto st = record_origin("boot"); !st) return st.error();
  if (!warm.empty()) {
    // The freshly booted guest, before any client request, becomes the image's template. Written
    // aside and renamed, so a template is whole or absent; a failure only costs the next launch a
    // cold boot.
    std::error_code ec;
    fs::create_directories(fs::path(warm).parent_path(), ec);
    std::string part = warm + ".part";
    if (Snapshot(id, part)) {
      fs::rename(part, warm, ec);
      if (!ec) fs::rename(part + ".json", warm + ".json", ec);
    }
  }
  return vms_[id].info;
}

std::string QemuBackend::TemplatePath(const ImageRef& image) const {
  // The guest build and machine size are part of the key: a rebuilt initrd must not restore an
  // old guest.
  std::string key = image.digest + "\n" + options_.qemu + "\n" + std::to_string(options_.mem_mib);
  for (const auto& file : {options_.kernel, options_.initrd}) {
    std::error_code ec;
    auto size = fs::file_size(file, ec);
    auto mtime = fs::last_write_time(file, ec).time_since_epoch().count();
    key += "\n" + fs::absolute(file, ec).string() + " " + std::to_string(size) + " " + std::to_string(mtime);
  }
  return options_.state_dir + "/templates/" + Sha256Hex(key).substr(0, 24) + ".zst";
}

Result<std::vector<SessionInfo>> QemuBackend::List() {
  std::vector<SessionInfo> out;
  for (auto& [id, vm] : vms_) {
    if (vm.parked.empty() && ProcessEnded(vm.proc)) vm.info.state = SessionState::kFailed;
    out.push_back(vm.info);
  }
  return out;
}

Status QemuBackend::Pause(const std::string& id) { return RunState(id, "stop", SessionState::kPaused); }

Status QemuBackend::Resume(const std::string& id) { return RunState(id, "cont", SessionState::kRunning); }

Status QemuBackend::RunState(const std::string& id, const char* command, SessionState after) {
  auto vm = Live(id);
  if (!vm) return vm.error();
  auto qmp = QmpClient::Connect((*vm)->qmp, 2000);
  if (!qmp) return qmp.error();
  if (auto r = qmp->Execute(command); !r) return r.error();
  (*vm)->info.state = after;
  if (after == SessionState::kRunning) (*vm)->info.last_resume_unix_ms = UnixNowMs();
  return Save(**vm);
}

Status QemuBackend::Snapshot(const std::string& id, const std::string& path) {
  auto live = Live(id);
  if (!live) return live.error();
  Vm& vm = **live;
  if (!ShellSafe(path)) return Error::InvalidInput("snapshot path cannot hold a quote: " + path);
  auto qmp = QmpClient::Connect(vm.qmp, 2000);
  if (!qmp) return qmp.error();
  if (auto r = qmp->Execute("stop"); !r) return r.error();
  auto migrate = [&]() -> Status {
    if (auto r = qmp->Execute("migrate", {{"uri", "exec:zstd -1 -q > '" + path + "'"}}); !r) return r.error();
    std::string status;
    auto ended = PollFor(60'000, 20, [&]() -> std::optional<Status> {
      auto q = qmp->Execute("query-migrate");
      if (!q) return q.error();
      status = q->value("status", "");
      if (status == "completed" || status == "failed" || status == "cancelled") return Status::Ok();
      return std::nullopt;
    });
    if (ended && !*ended) return *ended;
    if (status != "completed")
      return Error::Io("snapshot of " + id + " ended " + (status.empty() ? "without a status" : status));
    return WriteSnapshotSidecar(path, {{"version", vm.info.version},
                                       {"append", vm.append},
                                       {"image_digest", vm.info.image_digest},
                                       {"executable_digest", vm.info.executable_digest},
                                       {"content_digest", vm.info.content_digest}});
  };
  Status taken = migrate();
  if (auto r = qmp->Execute("cont"); !r && taken) return r.error();  // the session runs on either way
  vm.info.state = SessionState::kRunning;
  return taken;
}

Result<SessionInfo> QemuBackend::Restore(const std::string& id, const std::string& path) {
  auto sidecar = ReadSnapshotSidecar(path);
  if (!sidecar) return sidecar.error();
  auto restored = StartFrom(id, sidecar->value("version", ""), sidecar->value("append", ""), path);
  if (!restored) return restored;
  Vm& vm = vms_[id];
  vm.info.image_digest = sidecar->value("image_digest", "");
  vm.info.executable_digest = sidecar->value("executable_digest", "");
  vm.info.content_digest = sidecar->value("content_digest", "");
  vm.info.origin = "snapshot";
  if (auto st = Save(vm); !st) return st.error();
  return vm.info;
}

Result<SessionInfo> QemuBackend::StartFrom(const std::string& id, const std::string& version,
                                           const std::string& append, const std::string& path) {
  if (!ShellSafe(path)) return Error::InvalidInput("snapshot path cannot hold a quote: " + path);
  // QEMU waits forever on an incoming stream that ends before it starts (zstd refusing a file that
  // is not its format); a cut-short stream makes it exit, which the wait below sees.
  char magic[4] = {};
  std::ifstream(path, std::ios::binary).read(magic, sizeof magic);
  if (std::memcmp(magic, "\x28\xb5\x2f\xfd", 4) != 0) return Error::Io(path + " is not a zstd snapshot");
  auto vm = Start(id, version, append, "exec:zstd -dc '" + path + "'");
  if (!vm) return vm.error();
  auto qmp = QmpClient::Connect(vm->qmp, 5000);
  if (!qmp) {
    (void)Terminate(id);
    return qmp.error();
  }
  auto incoming_done = PollFor(options_.boot_timeout_ms, 20, [&]() -> std::optional<Status> {
    auto st = qmp->Execute("query-status");
    if (!st) return st.error();
    if (st->value("status", "") != "inmigrate") return Status::Ok();
    return std::nullopt;
  });
  if (incoming_done && !*incoming_done) {
    (void)Terminate(id);
    return incoming_done->error();
  }
  if (auto r = qmp->Execute("cont"); !r) {
    (void)Terminate(id);
    return r.error();
  }
  if (auto st = WaitHealthy(*vm); !st) {
    (void)Terminate(id);
    return st.error();
  }
  if (auto st = Reseed(*vm); !st) {
    (void)Terminate(id);
    return st.error();
  }
  vms_[id].info.state = SessionState::kRunning;
  vms_[id].info.last_resume_unix_ms = UnixNowMs();
  return vms_[id].info;
}

Status QemuBackend::Reseed(const Vm& vm) {
  httplib::Client c("127.0.0.1", vm.port);
  c.set_connection_timeout(std::chrono::seconds(2));
  c.set_read_timeout(std::chrono::seconds(2));
  std::random_device entropy;
  uint64_t seed = (static_cast<uint64_t>(entropy()) << 32) ^ entropy();
  auto res = c.Post("/reseed", std::to_string(seed), "text/plain");
  if (!res || res->status != 200) {
    return Error::Io("restored session " + vm.info.id + " did not take a new random seed (POST /reseed: " +
                     (res ? "HTTP " + std::to_string(res->status) : httplib::to_string(res.error())) + ")");
  }
  return Status::Ok();
}

Status QemuBackend::Park(const std::string& id) {
  auto it = vms_.find(id);
  if (it == vms_.end()) return Error::NotFound("no session " + id);
  if (!it->second.parked.empty()) return Status::Ok();
  std::error_code ec;
  fs::create_directories(options_.state_dir + "/parked", ec);
  std::string path = options_.state_dir + "/parked/" + id + ".zst";
  if (auto st = Snapshot(id, path); !st) return st;
  Vm& vm = it->second;
  vm.parked = path;  // recorded before the VM ends: a crash in between leaves a parked session
  if (auto st = Save(vm); !st) return st;
  EndQemu(vm);
  vm.proc = ProcessHandle{};
  vm.info.state = SessionState::kParked;
  vm.info.endpoint.clear();
  return Save(vm);
}

Result<SessionInfo> QemuBackend::Unpark(const std::string& id) {
  auto it = vms_.find(id);
  if (it == vms_.end()) return Error::NotFound("no session " + id);
  if (it->second.parked.empty()) return it->second.info;
  Vm parked = it->second;
  if (parked.proc.pid > 0) EndQemu(parked);  // parked by a run killed before it ended the VM
  auto restored = StartFrom(id, parked.info.version, parked.append, parked.parked);
  if (!restored) {
    vms_[id] = parked;  // still parked: the snapshot is kept for another try
    (void)Save(parked);
    return restored.error();
  }
  Vm& vm = vms_[id];
  vm.info.started_unix_ms = parked.info.started_unix_ms;
  vm.info.image_digest = parked.info.image_digest;
  vm.info.executable_digest = parked.info.executable_digest;
  vm.info.content_digest = parked.info.content_digest;
  vm.info.origin = parked.info.origin;
  if (auto st = Save(vm); !st) return st.error();
  std::error_code ec;
  fs::remove(parked.parked, ec);
  fs::remove(parked.parked + ".json", ec);
  return vm.info;
}

void QemuBackend::EndQemu(const Vm& vm) {
  if (vm.proc.pid <= 0) return;
  if (!ProcessEnded(vm.proc)) {
    if (auto qmp = QmpClient::Connect(vm.qmp, 300)) (void)qmp->Execute("quit", nullptr, 500);
  }
  EndProcessGroup(vm.proc, options_.stop_grace_ms);
  std::error_code ec;
  fs::remove(vm.qmp, ec);
}

Status QemuBackend::Terminate(const std::string& id) {
  auto it = vms_.find(id);
  if (it == vms_.end()) return Status::Ok();
  EndQemu(it->second);
  std::error_code ec;
  if (!it->second.parked.empty()) {
    fs::remove(it->second.parked, ec);
    fs::remove(it->second.parked + ".json", ec);
  }
  registry_.Remove(id);
  vms_.erase(it);
  return Status::Ok();
}

Result<Measurement> QemuBackend::Measure(const std::string& id) {
  auto vm = Live(id);
  if (!vm) return vm.error();
  if (ProcessEnded((*vm)->proc)) return Error::Io("micro VM " + id + " is not running");
  // A guest's first measurement hashes its whole root file system, slowly under emulation.
  return FetchMeasurement((*vm)->info.endpoint, options_.boot_timeout_ms);
}

Result<bool> QemuBackend::Healthy(const std::string& id) {
  auto it = vms_.find(id);
  if (it == vms_.end()) return Error::NotFound("no session " + id);
  if (!it->second.parked.empty() || ProcessEnded(it->second.proc)) return false;
  return Answers(it->second, 1000);
}

}  // namespace ringfence::backends

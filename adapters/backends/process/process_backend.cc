#include "adapters/backends/process/process_backend.h"

#include "adapters/common/child_process.h"
#include "adapters/common/content_digest.h"
#include "adapters/common/files.h"
#include "adapters/common/poll.h"
#include "adapters/common/system_clock.h"

#include <fcntl.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

namespace ringfence::backends {
namespace fs = std::filesystem;
namespace {

bool ValidId(const std::string& id) {
  if (id.empty() || id.size() > 100) return false;
  for (char c : id) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
  }
  return id[0] != '.';
}

}  // namespace

ProcessBackend::ProcessBackend(ProcessBackendOptions options)
    : options_(std::move(options)), registry_(options_.state_dir + "/sessions") {
  std::error_code ec;
  fs::create_directories(options_.state_dir + "/logs", ec);
  for (const auto& j : registry_.Records()) {
    Record r;
    r.info = ReadSessionFields(j);
    if (r.info.state != SessionState::kPaused) r.info.state = SessionState::kRunning;
    if (!ValidId(r.info.id)) continue;
    auto proc = registry_.RecordedProcess(r.info.id, j);
    if (!proc) {  // never started, gone, or not ours: nothing to signal
      Forget(r.info.id);
      continue;
    }
    r.proc = *proc;
    if (r.info.endpoint.empty()) {
      r.info.state = SessionState::kStarting;  // its launcher was killed before the session was ready
      (void)TakeReadyPort(r);
    }
    sessions_[r.info.id] = r;
  }
}

Status ProcessBackend::Save(const Record& r) {
  nlohmann::json record = SessionFields(r.info);
  record["process"] = r.proc.ToJson();
  return registry_.Save(r.info.id, record);
}

void ProcessBackend::Forget(const std::string& id) {
  registry_.Remove(id);
  std::error_code ec;
  fs::remove(registry_.PathOf(id, ".port"), ec);
  sessions_.erase(id);
}

bool ProcessBackend::TakeReadyPort(Record& r) {
  std::ifstream in(registry_.PathOf(r.info.id, ".port"));
  int port = 0;
  if (!(in >> port) || port <= 0) return false;
  r.info.endpoint = "http://127.0.0.1:" + std::to_string(port);
  r.info.state = SessionState::kRunning;
  return true;
}

bool ProcessBackend::Alive(Record& r) {
  if (r.proc.pid <= 0 || r.info.state == SessionState::kStopped || r.info.state == SessionState::kFailed)
    return false;
  if (ProcessEnded(r.proc)) {
    r.info.state = SessionState::kFailed;  // exited on its own
    return false;
  }
  return true;
}

Result<SessionInfo> ProcessBackend::Launch(const std::string& session_id, const ImageRef& image) {
  if (!ValidId(session_id)) return Error::InvalidInput("bad session id '" + session_id + "'");
  if (auto it = sessions_.find(session_id); it != sessions_.end() && Alive(it->second)) {
    return it->second.info;  // idempotent: already running
  }
  // The image must be the one the rollout was planned with: its digest is checked at every launch.
  auto current = LoadImage(image.location);
  if (!current) return current.error();
  if (!image.digest.empty() && current->digest != image.digest) {
    return Error::Io("image " + image.location + " changed since it was planned (digest " + current->digest +
                     ", expected " + image.digest + "); refusing to launch it");
  }
  auto text = ReadWholeFile(image.location + "/" + kImageManifestName);
  if (!text) return text.error();
  auto manifest = ParseImageManifest(*text, image.location + "/" + kImageManifestName);
  if (!manifest) return manifest.error();
  std::vector<std::string> argv = manifest->entrypoint;
  if (argv[0] == "@workload")
    argv[0] = options_.workload_binary;
  else if (argv[0][0] != '/')
    argv[0] = image.location + "/" + argv[0];

  std::string executable = DigestFileMemoized(argv[0]);  // the bytes about to run
  if (executable.empty()) return Error::Io("cannot read " + argv[0] + " to launch session " + session_id);

  std::string ready = registry_.PathOf(session_id, ".port");
  std::string pid_file = registry_.PidFile(session_id);
  std::error_code ec;
  fs::remove(ready, ec);
  fs::remove(pid_file, ec);
  std::string log = options_.state_dir + "/logs/" + session_id + ".log";

  // Recorded before the process exists: a launcher killed from here on leaves a record that a
  // new instance completes from the pid file (or drops, if the process never started).
  Record r;
  r.info.id = session_id;
  r.info.version = image.version;
  r.info.started_unix_ms = UnixNowMs();
  r.info.state = SessionState::kStarting;
  r.info.image_digest = current->digest;
  r.info.executable_digest = executable;
  r.info.content_digest = current->digest;  // the session measures the image directory it runs from
  r.info.origin = "boot";
  r.proc.marker = registry_.Marker(session_id);
  sessions_[session_id] = r;
  if (auto st = Save(r); !st) return st.error();
  std::vector<std::string> env = manifest->env;
  env.push_back("RINGFENCE_READY_FILE=" + ready);
  env.push_back("RINGFENCE_SESSION_ID=" + session_id);
  env.push_back("RINGFENCE_IMAGE_ROOT=" + current->location);  // what the session measures (/measurement)
  auto spawned = Spawn({argv, SessionEnvironment(env), log, pid_file, r.proc.marker});
  if (!spawned) {
    Forget(session_id);
    return spawned.error();
  }
  r.proc = *spawned;
  sessions_[session_id] = r;
  if (auto st = Save(r); !st) return st.error();
  auto started = PollFor(options_.start_timeout_ms, 5, [&]() -> std::optional<Result<SessionInfo>> {
    if (Record& rec = sessions_[session_id]; TakeReadyPort(rec)) {
      if (auto st = Save(rec); !st) return st.error();
      return rec.info;
    }
    if (!Alive(sessions_[session_id])) {
      Forget(session_id);
      return Error::Io("session " + session_id + " exited while starting (log: " + log + ")");
    }
    return std::nullopt;
  });
  if (started) return *started;
  (void)Terminate(session_id);
  return Error::Io("session " + session_id + " did not report its port within " +
                   std::to_string(options_.start_timeout_ms) + " ms (log: " + log + ")");
}

Result<std::vector<SessionInfo>> ProcessBackend::List() {
  std::vector<SessionInfo> out;
  for (auto& [id, r] : sessions_) {
    if (r.info.state == SessionState::kStarting && Alive(r) && TakeReadyPort(r)) (void)Save(r);
    Alive(r);
    out.push_back(r.info);
  }
  return out;
}

Status ProcessBackend::Pause(const std::string& id) {
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return Error::NotFound("no session " + id);
  if (!Alive(it->second)) return Error::Io("session " + id + " is not running");
  if (auto st = StopProcessGroup(it->second.proc, true, 2000); !st)
    return Error::Io("session " + id + ": " + st.error().message);
  it->second.info.state = SessionState::kPaused;
  return Save(it->second);
}

Status ProcessBackend::Resume(const std::string& id) {
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return Error::NotFound("no session " + id);
  if (!Alive(it->second)) return Error::Io("session " + id + " is not running");
  if (auto st = StopProcessGroup(it->second.proc, false, 2000); !st) {
    return Error::Io("session " + id + ": " + st.error().message);
  }
  it->second.info.state = SessionState::kRunning;
  it->second.info.last_resume_unix_ms = UnixNowMs();
  return Save(it->second);
}

Status ProcessBackend::Snapshot(const std::string& id, const std::string&) {
  return Error::InvalidInput("the process backend cannot snapshot session " + id + " (use qemu)");
}

Result<SessionInfo> ProcessBackend::Restore(const std::string& id, const std::string&) {
  return Error::InvalidInput("the process backend cannot restore session " + id + " (use qemu)");
}

Status ProcessBackend::Terminate(const std::string& id) {
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return Status::Ok();  // idempotent
  EndProcessGroup(it->second.proc, options_.stop_grace_ms);
  Forget(id);
  return Status::Ok();
}

Result<bool> ProcessBackend::Healthy(const std::string& id) {
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return Error::NotFound("no session " + id);
  if (!Alive(it->second) || it->second.info.endpoint.empty()) return false;
  httplib::Client client(it->second.info.endpoint);
  auto timeout = std::chrono::milliseconds(options_.health_timeout_ms);
  client.set_connection_timeout(timeout);
  client.set_read_timeout(timeout);
  auto res = client.Get("/healthz");
  return res && res->status == 200;
}

Result<Measurement> ProcessBackend::Measure(const std::string& id) {
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return Error::NotFound("no session " + id);
  if (!Alive(it->second) || it->second.info.state != SessionState::kRunning)
    return Error::Io("session " + id + " is not running");
  return FetchMeasurement(it->second.info.endpoint, options_.health_timeout_ms);
}

int ProcessBackend::Pid(const std::string& id) const {
  auto it = sessions_.find(id);
  return it == sessions_.end() ? -1 : it->second.proc.pid;
}

}  // namespace ringfence::backends

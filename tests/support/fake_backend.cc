#include "tests/support/fake_backend.h"

#include <algorithm>

namespace ringfence::testing {

Result<SessionInfo> FakeBackend::Launch(const std::string& id, const ImageRef& image) {
  if (auto it = sessions_.find(id); it != sessions_.end()) return it->second;
  calls_.push_back("launch " + id);
  if (failing_.count(image.version)) return Error::Io("session " + id + " did not start (injected)");
  SessionInfo s{id,
                image.version,
                SessionState::kRunning,
                "http://127.0.0.1:" + std::to_string(next_port_++),
                clock_ ? clock_->NowUnixMs() : 0,
                0,
                image.digest,
                "",
                "boot",
                0,
                image.digest};
  sessions_[id] = s;
  return s;
}

Result<std::vector<SessionInfo>> FakeBackend::List() {
  std::vector<SessionInfo> out;
  for (const auto& [id, s] : sessions_) out.push_back(s);
  return out;
}

Status FakeBackend::Pause(const std::string& id) {
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return Error::NotFound("no session " + id);
  it->second.state = SessionState::kPaused;
  return Status::Ok();
}

Status FakeBackend::Resume(const std::string& id) {
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return Error::NotFound("no session " + id);
  it->second.state = SessionState::kRunning;
  return Status::Ok();
}

Status FakeBackend::Snapshot(const std::string& id, const std::string& path) {
  if (!snapshots_) return Error::InvalidInput("no snapshots");
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return Error::NotFound("no session " + id);
  snapshots_by_path_[path] = it->second.version;
  return Status::Ok();
}

Result<SessionInfo> FakeBackend::Restore(const std::string& id, const std::string& path) {
  auto it = snapshots_by_path_.find(path);
  if (it == snapshots_by_path_.end()) return Error::NotFound("no snapshot at " + path);
  calls_.push_back("restore " + id);
  SessionInfo s{id,
                it->second,
                SessionState::kRunning,
                "http://127.0.0.1:" + std::to_string(next_port_++),
                0,
                0,
                "",
                "",
                "",
                0,
                ""};
  sessions_[id] = s;
  return s;
}

Status FakeBackend::Park(const std::string& id) {
  if (!snapshots_) return Error::InvalidInput("no snapshots");
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return Error::NotFound("no session " + id);
  calls_.push_back("park " + id);
  if (fail_parks_) return Error::Io("park of " + id + " failed (injected)");
  it->second.state = SessionState::kParked;
  it->second.endpoint.clear();
  return Status::Ok();
}

Result<SessionInfo> FakeBackend::Unpark(const std::string& id) {
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return Error::NotFound("no session " + id);
  if (it->second.state != SessionState::kParked) return it->second;
  calls_.push_back("unpark " + id);
  if (fail_unparks_) return Error::Io("unpark of " + id + " failed (injected)");
  it->second.state = SessionState::kRunning;
  it->second.endpoint = "http://127.0.0.1:" + std::to_string(next_port_++);
  return it->second;
}

Status FakeBackend::Terminate(const std::string& id) {
  if (sessions_.erase(id)) calls_.push_back("terminate " + id);
  return Status::Ok();
}

Result<bool> FakeBackend::Healthy(const std::string& id) {
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return Error::NotFound("no session " + id);
  return it->second.state == SessionState::kRunning;
}

int FakeBackend::Count(const std::string& verb) const {
  return static_cast<int>(std::count_if(calls_.begin(), calls_.end(),
                                        [&](const std::string& c) { return c.rfind(verb + " ", 0) == 0; }));
}

}  // namespace ringfence::testing

#include "adapters/backends/session_registry.h"

#include <httplib.h>

#include <filesystem>

#include "adapters/common/files.h"

namespace ringfence::backends {
namespace fs = std::filesystem;
using nlohmann::json;

SessionRegistry::SessionRegistry(std::string dir) : dir_(std::move(dir)) {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::replace, ec);
}

namespace {

std::string MarkerOf(const std::string& dir, const std::string& id) {
  std::error_code ec;
  return "RINGFENCE_SESSION=" + fs::absolute(dir, ec).lexically_normal().string() + "/" + id;
}

// The process a record of registry `dir` names, proven to be the one it started for `id`.
std::optional<ProcessHandle> VerifiedProcess(const std::string& dir, const std::string& id,
                                             const json& record) {
  ProcessHandle h = ProcessHandle::FromJson(record.value("process", json::object()));
  h.marker = MarkerOf(dir, id);  // the registry's own marker, whatever the record says
  if (h.pid <= 1) {
    h.pid = ReadPidFile(dir + "/" + id + ".pid");
    h.start_ticks = 0;
  }
  if (h.pid <= 1 || !Adopt(h)) return std::nullopt;
  return h;
}

}  // namespace

std::string SessionRegistry::Marker(const std::string& id) const { return MarkerOf(dir_, id); }

std::vector<json> SessionRegistry::Records() const {
  std::vector<json> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir_, ec)) {
    if (e.path().extension() != ".json" || e.is_symlink(ec)) continue;  // never read through a planted link
    auto text = ReadFileNoFollow(e.path().string());
    if (!text) continue;
    json j = json::parse(*text, nullptr, false);
    if (j.is_object()) out.push_back(std::move(j));
  }
  return out;
}

Status SessionRegistry::Save(const std::string& id, const json& record) const {
  return WriteAtomically(PathOf(id, ".json"), record.dump() + "\n");
}

void SessionRegistry::Remove(const std::string& id) const {
  std::error_code ec;
  fs::remove(PathOf(id, ".json"), ec);
  fs::remove(PidFile(id), ec);
}

std::optional<ProcessHandle> SessionRegistry::RecordedProcess(const std::string& id,
                                                              const json& record) const {
  return VerifiedProcess(dir_, id, record);
}

namespace {

SessionState ParseSessionState(const std::string& s) {
  for (SessionState st : {SessionState::kStarting, SessionState::kRunning, SessionState::kPaused,
                          SessionState::kParked, SessionState::kDraining, SessionState::kStopped}) {
    if (s == ToString(st)) return st;
  }
  return SessionState::kFailed;
}

std::string StringField(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}
int64_t IntField(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}
bool BoolField(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_boolean() && it->get<bool>();
}

}  // namespace

json SessionFields(const SessionInfo& info) {
  return {{"id", info.id},
          {"version", info.version},
          {"state", ToString(info.state)},
          {"endpoint", info.endpoint},
          {"started_unix_ms", info.started_unix_ms},
          {"last_resume_unix_ms", info.last_resume_unix_ms},
          {"image_digest", info.image_digest},
          {"executable_digest", info.executable_digest},
          {"content_digest", info.content_digest},
          {"origin", info.origin}};
}

SessionInfo ReadSessionFields(const json& record) {
  SessionInfo info;
  info.id = StringField(record, "id");
  info.version = StringField(record, "version");
  info.endpoint = StringField(record, "endpoint");
  info.started_unix_ms = IntField(record, "started_unix_ms");
  if (info.started_unix_ms == 0) info.started_unix_ms = IntField(record, "started");  // earlier releases
  info.last_resume_unix_ms = IntField(record, "last_resume_unix_ms");
  info.image_digest = StringField(record, "image_digest");
  info.executable_digest = StringField(record, "executable_digest");
  info.content_digest = StringField(record, "content_digest");
  info.origin = StringField(record, "origin");
  std::string state = StringField(record, "state");
  if (!state.empty())
    info.state = ParseSessionState(state);
  else if (BoolField(record, "parked") || !StringField(record, "parked").empty())
    info.state = SessionState::kParked;
  else
    info.state = BoolField(record, "paused") ? SessionState::kPaused : SessionState::kRunning;
  return info;
}

std::vector<SessionInfo> ReadRecordedSessions(const std::string& dir) {
  std::vector<SessionInfo> out;
  std::error_code ec;
  if (!fs::is_directory(fs::symlink_status(dir, ec))) return out;  // no sessions yet; nothing is created
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().extension() != ".json" || e.is_symlink(ec)) continue;
    auto text = ReadFileNoFollow(e.path().string());
    if (!text) continue;
    json j = json::parse(*text, nullptr, false);
    if (!j.is_object()) continue;
    SessionInfo info = ReadSessionFields(j);
    if (info.id.empty() || e.path().stem().string() != info.id) continue;  // a record names its own file
    if (info.state != SessionState::kParked && info.state != SessionState::kStopped &&
        !VerifiedProcess(dir, info.id, j)) {
      info.state = SessionState::kStopped;  // gone, or not ours
    }
    out.push_back(std::move(info));
  }
  return out;
}

Result<Measurement> FetchMeasurement(const std::string& endpoint, int timeout_ms) {
  if (endpoint.rfind("http://", 0) != 0) return Error::InvalidInput("no endpoint to measure at");
  httplib::Client client(endpoint);
  auto timeout = std::chrono::milliseconds(timeout_ms);
  client.set_connection_timeout(timeout);
  client.set_read_timeout(timeout);
  auto res = client.Get("/measurement");
  if (!res) return Error::Io(endpoint + "/measurement did not answer");
  if (res->status != 200) return Error::Io(endpoint + "/measurement answered " + std::to_string(res->status));
  auto m = ParseMeasurement(res->body);
  if (!m) return Error::Io(endpoint + "/measurement: " + m.error().message);
  return m;
}

Result<Measurement> ParseMeasurement(std::string_view body) {
  if (body.size() > 64 * 1024) return Error::Io("reply too large");
  json j = json::parse(body, nullptr, false);
  if (!j.is_object()) return Error::Io("not a JSON object");
  Measurement m{StringField(j, "executable"), StringField(j, "image"), StringField(j, "image_error"),
                StringField(j, "measured_at")};
  if (m.executable.empty()) return Error::Io("names no executable digest");
  return m;
}

Status WriteSnapshotSidecar(const std::string& snapshot, const json& sidecar) {
  return WriteAtomically(snapshot + ".json", sidecar.dump() + "\n");
}

Result<json> ReadSnapshotSidecar(const std::string& snapshot) {
  auto text = ReadWholeFile(snapshot + ".json");
  if (!text) return Error::NotFound("no snapshot at " + snapshot + " (its .json is missing)");
  json sidecar = json::parse(*text, nullptr, false);
  if (!sidecar.is_object() || !sidecar.contains("version")) return Error::Io(snapshot + ".json is damaged");
  return sidecar;
}

}  // namespace ringfence::backends

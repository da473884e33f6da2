#include "adapters/backends/session_registry.h"

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

std::string SessionRegistry::Marker(const std::string& id) const {
  std::error_code ec;
  return "RINGFENCE_SESSION=" + fs::absolute(dir_, ec).lexically_normal().string() + "/" + id;
}

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
  ProcessHandle h = ProcessHandle::FromJson(record.value("process", json::object()));
  h.marker = Marker(id);  // the registry's own marker, whatever the record says
  if (h.pid <= 1) {
    h.pid = ReadPidFile(PidFile(id));
    h.start_ticks = 0;
  }
  if (h.pid <= 1 || !Adopt(h)) return std::nullopt;
  return h;
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

// What a session backend keeps on disk about its sessions: one JSON record per session,
// `<dir>/<id>.json`, replaced atomically, so that a new backend instance (a resumed orchestrator)
// finds the sessions a killed one started or parked. The record's fields are the backend's own;
// the session's other files (logs, sockets, ready files) live beside it (PathOf).
//
// Snapshots carry a sidecar `<snapshot>.json` with what the machine image alone does not say (the
// version, the guest's arguments), written once the snapshot is whole.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/core/result.h"

namespace ringfence::backends {

class SessionRegistry {
 public:
  explicit SessionRegistry(std::string dir);  // creates `dir`
  std::string PathOf(const std::string& id, const std::string& suffix) const { return dir_ + "/" + id + suffix; }
  // Every record that reads as a JSON object; unreadable or damaged files are skipped.
  std::vector<nlohmann::json> Records() const;
  Status Save(const std::string& id, const nlohmann::json& record) const;
  void Remove(const std::string& id) const;

 private:
  std::string dir_;
};

Status WriteSnapshotSidecar(const std::string& snapshot, const nlohmann::json& sidecar);
// kNotFound when the snapshot has no sidecar (not a snapshot, or one cut short), kIo when damaged.
Result<nlohmann::json> ReadSnapshotSidecar(const std::string& snapshot);

}  // namespace ringfence::backends

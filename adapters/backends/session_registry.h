// What a session backend keeps on disk about its sessions: one JSON record per session,
// `<dir>/<id>.json`, replaced atomically, so that a new backend instance (a resumed orchestrator)
// finds the sessions a killed one started or parked. The record's fields are the backend's own;
// the session's other files (logs, sockets, ready files) live beside it (PathOf).
//
// Snapshots carry a sidecar `<snapshot>.json` with what the machine image alone does not say (the
// version, the guest's arguments), written once the snapshot is whole.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/common/child_process.h"
#include "engine/core/result.h"
#include "engine/ports/session_backend.h"

namespace ringfence::backends {

class SessionRegistry {
 public:
  explicit SessionRegistry(std::string dir);  // creates `dir` (0700)
  std::string PathOf(const std::string& id, const std::string& suffix) const {
    return dir_ + "/" + id + suffix;
  }
  // The environment entry that marks session `id`'s process as this registry's (see
  // ProcessHandle::marker): unique to the state directory and the session.
  std::string Marker(const std::string& id) const;
  // Every record that reads as a JSON object; unreadable or damaged files are skipped.
  std::vector<nlohmann::json> Records() const;
  Status Save(const std::string& id, const nlohmann::json& record) const;
  // The process a record names (its "process" field), proven to be the one this registry
  // started for `id`; for a record written before its process started, the pid the process wrote
  // to `<id>.pid` itself. nullopt when there is none, it is gone, or it is someone else's.
  std::optional<ProcessHandle> RecordedProcess(const std::string& id, const nlohmann::json& record) const;
  // SpawnOptions::pid_file and ::marker for session `id`.
  std::string PidFile(const std::string& id) const { return PathOf(id, ".pid"); }
  void Remove(const std::string& id) const;

 private:
  std::string dir_;
};

// The fields every backend's record carries for the fleet inventory (SessionInfo's id, version,
// state, endpoint, times, image and executable digests, origin), merged into the backend's own.
nlohmann::json SessionFields(const SessionInfo& info);
// Reads them back; records of earlier releases (no such fields) read as far as they go.
SessionInfo ReadSessionFields(const nlohmann::json& record);

// A backend's sessions as its registry records them, read without changing anything (no record
// is completed or dropped, no process signalled): a parked session as parked; a session whose
// recorded process is gone or is not the one this registry started as stopped. For `fleet`.
std::vector<SessionInfo> ReadRecordedSessions(const std::string& dir);

// What a running session measures of itself (GET <endpoint>/measurement), within `timeout_ms`.
Result<Measurement> FetchMeasurement(const std::string& endpoint, int timeout_ms);
// A /measurement reply (a session's, so hostile): kIo when it is not the workload's JSON.
Result<Measurement> ParseMeasurement(std::string_view body);

Status WriteSnapshotSidecar(const std::string& snapshot, const nlohmann::json& sidecar);
// kNotFound when the snapshot has no sidecar (not a snapshot, or one cut short), kIo when damaged.
Result<nlohmann::json> ReadSnapshotSidecar(const std::string& snapshot);

}  // namespace ringfence::backends

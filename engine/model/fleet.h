// The fleet as the backends hold it, across rollouts and services: every session in any state with
// what it was launched from and what it says it runs, and the snapshots and templates kept on disk.
// Read by `ringfence fleet` and `ringfence image revoke`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/ports/session_backend.h"

namespace ringfence {

struct FleetSession {
  std::string backend;
  SessionInfo session;
  std::optional<Measurement> measurement;  // asked of a running session; absent when it could not be
  std::string measurement_error;           // why there is none
  std::string rollout_id;                  // the rollout that launched it ("" when no journal names it)
  std::string service;
  std::string client;
};

// A machine state kept on a backend's disk: a parked session's snapshot or an image's template.
struct StoredSnapshot {
  std::string backend;
  std::string kind;  // "template" or "parked"
  std::string path;
  std::string version;
  std::string image_digest;  // "" for snapshots written before images' digests were recorded
};

// What one backend holds, read without changing it.
struct BackendInventory {
  std::vector<FleetSession> sessions;
  std::vector<StoredSnapshot> snapshots;
};

struct FleetInventory {
  std::vector<FleetSession> sessions;
  std::vector<StoredSnapshot> snapshots;
  std::vector<std::string> warnings;  // backends that could not be read, and why
};

}  // namespace ringfence

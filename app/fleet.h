// Use cases of `ringfence fleet` and `ringfence image revoke`: the fleet read from the state
// directory (every rollout's journal, every backend's recorded sessions and templates, each
// running session's own measurement) without a rollout running, and the revoke path that ends
// every session, template and rollout of an image. Nothing here names an adapter.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/core/result.h"
#include "engine/fleet/drift.h"
#include "engine/fleet/revocation.h"
#include "engine/model/fleet.h"
#include "engine/ports/audit_log.h"
#include "engine/ports/backend_catalog.h"
#include "engine/ports/clock.h"
#include "engine/ports/state_store.h"
#include "engine/rollout/journal.h"

namespace ringfence::app {

struct FleetWorld {
  StateStore& store;
  const BackendCatalog& backends;
  Clock& clock;
  std::string state_dir;
  std::string workload_binary;
};

struct FleetRollout {
  RolloutSetup setup;
  RolloutState state = RolloutState::kStarted;  // its last record's
  int64_t max_session_age_ms = 0;  // its plan's and admitting image policy's, the shorter (0: none)
};

// The backend a rollout's plan uses, as the inventory was read from it.
struct FleetBackend {
  std::shared_ptr<const BackendSetup> setup;
  BackendContext context;
};

struct FleetView {
  FleetInventory inventory;  // sessions attributed to their rollout and service
  std::map<std::string, ServiceImages> current;
  std::map<std::string, Revocation> revocations;
  std::map<std::string, FleetRollout> rollouts;
  std::map<std::string, FleetBackend> backends;  // by backend name
};

// The fleet journal's revocations; kIo when a record of it does not decode.
Result<std::map<std::string, Revocation>> LoadRevocations(StateStore& store);

// Reads every rollout's journal and the inventory of every backend a rollout used (each once).
// A journal or plan that does not read is an error (kIo), never a smaller fleet; a backend whose
// inventory cannot be read is a warning in inventory.warnings.
// Without `measure`, no session is asked what it runs.
Result<FleetView> ReadFleet(FleetWorld& world, bool measure = true);

// The drift policy for `view`: `policy` with each rollout's own maximum session age.
DriftPolicy PolicyOf(const FleetView& view, DriftPolicy policy);

struct RevocationReport {
  std::string digest;
  bool newly_revoked = false;                 // false: it was journaled before (a re-run)
  std::vector<std::string> rollouts_aborted;  // abort journaled by this run
  std::vector<std::string> rollouts_driven;   // unattended ones this process rolled back
  int64_t sessions_ended = 0;
  int64_t snapshots_deleted = 0;
  std::vector<std::string> failures;  // what could not be ended; the revocation stays pending
  int64_t elapsed_ms = 0;
  bool completed = false;
};

// Revokes `digest`: journals (and audits) the revocation first, then aborts every unfinished
// rollout of the image (rolled back by its driver, or by `drive_unattended` when none is alive),
// ends every session on it in any state, deletes its templates and parked snapshots, reads the
// fleet again to verify, and journals the completion. Idempotent: a re-run after a kill finishes
// a pending revocation. kInvalidInput for a malformed digest or an empty reason or name.
Result<RevocationReport> RevokeImage(
    FleetWorld& world, AuditLog& audit, const std::string& digest, const std::string& reason,
    const std::string& by, const std::function<bool(const std::string& holder)>& holder_alive,
    const std::function<Status(const std::string& rollout_id)>& drive_unattended);

}  // namespace ringfence::app

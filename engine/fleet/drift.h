// Drift: sessions and stored snapshots of the fleet that are not what the journal says the
// service runs. A session drifts when it runs a version other than its service's current one, an
// image that is revoked, when it is older than the policy's maximum age (warm or parked), when no
// rollout of the journal launched it, or when what it measures of itself differs from what its
// backend launched (or it cannot say, while running); a stored snapshot or template drifts when
// its image is revoked or is no longer current for any service.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/fleet/revocation.h"
#include "engine/model/fleet.h"
#include "engine/rollout/journal.h"

namespace ringfence {

// What a service runs now, from its latest rollout: the candidate once promoted, the baseline
// after a rollback, refusal or escalation, both while a rollout is under way.
struct ServiceImages {
  std::string service;
  std::string rollout_id;  // the latest rollout
  std::vector<ImageRef> current;
  bool rolling = false;
};
// REQUIRES: journals most recent first, each one rollout's decoded records from its start.
std::map<std::string, ServiceImages> CurrentImages(const std::vector<std::vector<TypedRecord>>& journals);

// Attributes each session to the rollout whose id prefixes its own ("<rollout>.<client>.<n>",
// the longest match) and to that rollout's service.
void AttributeSessions(FleetInventory& fleet, const std::map<std::string, std::string>& service_of_rollout);

struct DriftPolicy {
  int64_t max_session_age_ms = 0;  // 0: no limit
  int64_t max_drifted = 0;         // drifted sessions and snapshots tolerated before the report fails
  // The limit each rollout applies to its own sessions (plan and image policy); a session is
  // held to the shorter of it and max_session_age_ms.
  std::map<std::string, int64_t> max_session_age_by_rollout;
};

enum class DriftReason {
  kOtherVersion,        // not the version its service runs now
  kRevoked,             // its image is revoked
  kTooOld,              // older than max_session_age
  kMeasurementDiffers,  // what it runs is not what was launched
  kUnmeasured,          // running, but could not say what it runs
  kNoRollout,           // no rollout of the journal launched it
  kStaleSnapshot,       // a template or parked snapshot of an image no service runs now
};
const char* ToString(DriftReason r);  // stable names, used in JSON and metrics labels

struct DriftFinding {
  DriftReason reason;
  std::string detail;
};
struct DriftedItem {
  bool snapshot = false;
  size_t index = 0;  // into FleetInventory::sessions or ::snapshots
  std::vector<DriftFinding> findings;
};
struct DriftReport {
  std::vector<DriftedItem> drifted;
  std::map<DriftReason, int64_t> by_reason;      // items with each reason
  std::vector<std::string> pending_revocations;  // journaled, not yet completed
  int64_t sessions_checked = 0, snapshots_checked = 0;
  bool exceeds_policy = false;  // more drifted items than max_drifted, or a pending revocation
};

// Sessions that are stopped (a record left behind) are not checked.
DriftReport AssessDrift(const FleetInventory& fleet, const std::map<std::string, ServiceImages>& current,
                        const std::map<std::string, Revocation>& revocations, const DriftPolicy& policy,
                        int64_t now_unix_ms);

}  // namespace ringfence

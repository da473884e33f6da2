// What the fleet's own guards would have seen of a scenario's drift (a fleet already diverged
// before the change): the engine's drift report (engine/fleet/drift.h) run by a scheduled job over
// the fleet as it stood, and the session-age policy of the replay's plan recycling the drifted
// sessions onto the current image. Times are worst cases, from the moment the fleet diverged: a
// job every `check_every` alerts at the latest one period later; a session is recycled at the
// latest when it reaches the maximum age.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "simulations/sim/scenario.h"

namespace ringfence::sim {

struct DriftOutcome {
  int64_t hosts = 0, drifted = 0;
  bool inventoried = true;
  // The drift job.
  int64_t check_every_ms = 0;
  bool seen = false;                     // the report exceeded its threshold
  int64_t seen_after_ms = -1;            // at the latest
  std::map<std::string, int64_t> found;  // drifted sessions by reason (drift.h's names)
  std::string example;                   // one finding, for people
  // The session-age policy.
  int64_t max_session_age_ms = 0;  // the plan's (0: none)
  int64_t recycled_after_ms = -1;  // the drifted sessions recycled onto the current image by then
  int64_t harm_after_ms = 0;
  bool SeenBeforeHarm() const { return seen && seen_after_ms < harm_after_ms; }
  bool RecycledBeforeHarm() const { return recycled_after_ms >= 0 && recycled_after_ms < harm_after_ms; }
  bool Caught() const { return SeenBeforeHarm() || RecycledBeforeHarm(); }
};

// REQUIRES: drift.present.
DriftOutcome CheckDrift(const std::string& service, const FleetDrift& drift, int64_t max_session_age_ms);

}  // namespace ringfence::sim

// The orchestrator's own metrics, computed from the journals (the durable record every process
// shares), so any process can expose them and they survive restarts: rollouts by state,
// judgements by decision, rollbacks, escalations, promotions, how long the canary took to reach a
// decision, and the sessions of rollouts under way by cohort and version.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "engine/rollout/journal.h"

namespace ringfence {

struct RolloutMetrics {
  std::map<std::pair<std::string, std::string>, int64_t> rollouts;    // (service, latest state) -> count
  std::map<std::pair<std::string, std::string>, int64_t> judgements;  // (service, decision) -> count
  std::map<std::string, int64_t> rollbacks, escalations, promotions;  // service -> count
  // Seconds from the canary's first step to its decision (rollback or promotion), per rollout.
  std::vector<std::pair<std::string, double>> decision_seconds;  // (service, seconds)
  // Rollouts not finished: sessions at their last judgement.
  std::map<std::tuple<std::string, std::string, std::string>, int64_t>
      sessions;  // (service, cohort, version)
};

// REQUIRES: each journal is one rollout's decoded records, in order, beginning with its start.
RolloutMetrics ComputeRolloutMetrics(const std::vector<std::vector<TypedRecord>>& journals);

}  // namespace ringfence

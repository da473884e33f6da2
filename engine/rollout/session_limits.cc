#include "engine/rollout/session_limits.h"

#include <algorithm>

namespace ringfence {

SessionLimits SessionLimitsOf(const RolloutPlan& plan, const std::optional<AdmissionDecision>& admission) {
  SessionLimits limits;
  limits.warm_ms = plan.warm_window_ms;
  limits.drain_idle_ms = std::min<int64_t>(plan.interval_ms, 1000);
  limits.park_ms = plan.park_after_ms;
  limits.max_age_ms = plan.max_session_age_ms;
  if (admission && admission->max_session_age_ms > 0) {
    limits.max_age_ms = limits.max_age_ms > 0 ? std::min(limits.max_age_ms, admission->max_session_age_ms)
                                              : admission->max_session_age_ms;
  }
  return limits;
}

}  // namespace ringfence

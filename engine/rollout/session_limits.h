// When a router's idle sessions end, park, or are recycled, and where those limits come from: the
// plan's sessions block and the image policy recorded in the rollout's admission.
#pragma once

#include <cstdint>
#include <optional>

#include "engine/model/admission.h"
#include "engine/rollout/plan.h"

namespace ringfence {

// Durations in ms; 0 means never (warm_ms is always set).
struct SessionLimits {
  int64_t warm_ms = 300'000;      // idle this long: terminated
  int64_t drain_idle_ms = 1'000;  // a draining session idle this long (and between requests): terminated
  int64_t park_ms = 0;            // idle this long: parked (the backend must snapshot)
  int64_t max_age_ms = 0;         // older than this (from launch, warm or parked): recycled
};

// The plan's warm window, park time and max_age; drains are judged once per interval (at most a
// second); the maximum age is the shorter of the plan's and the admitting image policy's.
SessionLimits SessionLimitsOf(const RolloutPlan& plan, const std::optional<AdmissionDecision>& admission);

}  // namespace ringfence

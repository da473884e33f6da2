// Port: observations of a metric per cohort over a time window, from the sessions' own /metrics
// or from a Prometheus server's HTTP API (query_range). Implementations: adapters/metrics/.
#pragma once

#include <cstdint>
#include <string>

#include "engine/core/result.h"
#include "engine/model/metric.h"

namespace ringfence {

class MetricSource {
 public:
  virtual ~MetricSource() = default;
  // Samples of `metric` for the baseline and canary cohorts in the window. An unreachable source is
  // kIo (the judge then sees no data, never a pass).
  virtual Result<MetricSamples> Samples(const MetricQuery& metric, const MetricWindow& window) = 0;
  // Event counts with exposure in the window, for count and sequential judges.
  virtual Result<MetricCounts> Counts(const MetricQuery& metric, const MetricWindow& window) = 0;
};

}  // namespace ringfence

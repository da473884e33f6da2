// Cumulative counters per session, read over a window and split into the baseline and canary
// cohorts: the one implementation behind the sessions' own /metrics (adapters/metrics) and the
// simulated fleet (simulations/sim), so that replay judges exactly what production judges.
//
// A window's figures are differences of cumulative counters; a session that has ended still counts
// with what it last reported, and one whose last report is before the window is left out.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "engine/core/result.h"
#include "engine/model/metric.h"

namespace ringfence {

struct SessionCounters {
  double requests = 0, errors = 0, latency_sum = 0, latency_count = 0;
};

// One session's counters over time (reports in time order).
class CounterHistory {
 public:
  // Records the counters at `unix_ms`; a report at the time of the last one replaces it.
  void Record(int64_t unix_ms, const SessionCounters& counters);
  // The counters as last reported at or before `unix_ms` (zero before the first report).
  SessionCounters At(int64_t unix_ms) const;
  bool empty() const { return points_.empty(); }
  int64_t last_at() const { return points_.empty() ? 0 : points_.back().first; }

 private:
  std::vector<std::pair<int64_t, SessionCounters>> points_;
};

struct CohortMember {
  const CounterHistory* history;
  bool canary;
};

// Errors (events) and requests (exposure) per cohort in the window; kIo naming the cohort when
// no session of it reported (no data, never a pass). `cohorts` names them in the message.
Result<MetricCounts> ErrorCounts(const std::vector<CohortMember>& members, const MetricWindow& window,
                                 const Cohorts& cohorts);
// Each session's mean request duration in the window, per cohort (sessions without requests left out).
MetricSamples LatencySamples(const std::vector<CohortMember>& members, const MetricWindow& window);

}  // namespace ringfence

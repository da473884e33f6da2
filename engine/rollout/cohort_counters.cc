#include "engine/rollout/cohort_counters.h"

#include <algorithm>
#include <cmath>

namespace ringfence {

void CounterHistory::Record(int64_t unix_ms, const SessionCounters& counters) {
  if (!points_.empty() && points_.back().first == unix_ms) {
    points_.back().second = counters;
  } else {
    points_.emplace_back(unix_ms, counters);
  }
}

SessionCounters CounterHistory::At(int64_t unix_ms) const {
  auto it =
      std::upper_bound(points_.begin(), points_.end(), unix_ms,
                       [](int64_t t, const std::pair<int64_t, SessionCounters>& p) { return t < p.first; });
  return it == points_.begin() ? SessionCounters{} : std::prev(it)->second;
}

namespace {

bool InWindow(const CounterHistory& h, const MetricWindow& w) {
  return !h.empty() && h.last_at() >= w.from_unix_ms;
}

}  // namespace

Result<MetricCounts> ErrorCounts(const std::vector<CohortMember>& members, const MetricWindow& window,
                                 const Cohorts& cohorts) {
  MetricCounts c;
  bool have_canary = false, have_baseline = false;
  for (const auto& m : members) {
    if (!InWindow(*m.history, window)) continue;  // ended before the window
    SessionCounters to = m.history->At(window.to_unix_ms), from = m.history->At(window.from_unix_ms);
    (m.canary ? have_canary : have_baseline) = true;
    (m.canary ? c.canary_events : c.baseline_events) += std::lround(to.errors - from.errors);
    (m.canary ? c.canary_exposure : c.baseline_exposure) += to.requests - from.requests;
  }
  if (!have_canary)
    return Error::Io("no session of the canary cohort (" + cohorts.canary_version + ") reported");
  if (!have_baseline)
    return Error::Io("no session of the baseline cohort (" + cohorts.baseline_version + ") reported");
  return c;
}

MetricSamples LatencySamples(const std::vector<CohortMember>& members, const MetricWindow& window) {
  MetricSamples out;
  for (const auto& m : members) {
    if (!InWindow(*m.history, window)) continue;
    SessionCounters to = m.history->At(window.to_unix_ms), from = m.history->At(window.from_unix_ms);
    double n = to.latency_count - from.latency_count;
    if (n <= 0) continue;
    (m.canary ? out.canary : out.baseline).push_back((to.latency_sum - from.latency_sum) / n);
  }
  return out;
}

}  // namespace ringfence

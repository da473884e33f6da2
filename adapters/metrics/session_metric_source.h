// MetricSource that scrapes each session's own /metrics (Prometheus text) and splits the numbers
// into the baseline and canary cohorts by session version.
//
// Metrics it knows:
//   "errors"  counts: events = responses with a 5xx code, exposure = all responses
//             (workload_requests_total{code=...})
//   "latency" samples: each session's mean request duration in seconds over the window
//             (workload_request_duration_seconds_sum / _count)
// Every scrape is kept per session (engine/rollout/cohort_counters.h: the same arithmetic as the
// simulator's). A session that cannot be scraped is left out and reported in last_errors(); when a
// cohort has no session at all the result is kIo, which the judge sees as no data, never a pass.
//
// Thread-compatible: the orchestrator's thread calls it.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/ports/clock.h"
#include "engine/ports/metric_source.h"
#include "engine/ports/session_backend.h"
#include "engine/rollout/cohort_counters.h"

namespace ringfence::metrics {

class SessionMetricSource : public MetricSource {
 public:
  SessionMetricSource(SessionBackend& backend, Clock& clock, Cohorts cohorts, int timeout_ms = 1000)
      : backend_(backend), clock_(clock), cohorts_(std::move(cohorts)), timeout_ms_(timeout_ms) {}
  Result<MetricSamples> Samples(const MetricQuery& metric, const MetricWindow& window) override;
  Result<MetricCounts> Counts(const MetricQuery& metric, const MetricWindow& window) override;
  const std::vector<std::string>& last_errors() const { return errors_; }

 private:
  struct History {
    bool canary = false;
    CounterHistory scrapes;
  };
  Status ScrapeAll();  // sets scraped_at_
  std::vector<CohortMember> Members() const;
  // The window as the scrape just taken sees it: a window ending "now" includes that scrape.
  MetricWindow Effective(const MetricWindow& w) const;

  SessionBackend& backend_;
  Clock& clock_;
  Cohorts cohorts_;
  int timeout_ms_;
  std::map<std::string, History> sessions_;
  std::vector<std::string> errors_;
  int64_t scraped_at_ = 0;
};

}  // namespace ringfence::metrics

// MetricSource that scrapes each session's own /metrics (Prometheus text) and splits the numbers
// into the baseline and canary cohorts by session version.
//
// Metrics it knows:
//   "errors"  counts: events = responses with a 5xx code, exposure = all responses
//             (workload_requests_total{code=...}); cumulative since each session started
//   "latency" samples: each session's mean request duration in seconds
//             (workload_request_duration_seconds_sum / _count)
// A session that cannot be scraped is left out and reported in `last_errors()`; when a cohort has
// no reachable session the result is kIo, which the judge sees as no data, never as a pass.
#pragma once

#include <string>
#include <vector>

#include "engine/ports/metric_source.h"
#include "engine/ports/session_backend.h"

namespace ringfence::metrics {

class SessionMetricSource : public MetricSource {
 public:
  SessionMetricSource(SessionBackend& backend, std::string canary_version, int timeout_ms = 1000)
      : backend_(backend), canary_version_(std::move(canary_version)), timeout_ms_(timeout_ms) {}
  Result<MetricSamples> Samples(const std::string& metric, const MetricWindow& window) override;
  Result<MetricCounts> Counts(const std::string& metric, const MetricWindow& window) override;
  const std::vector<std::string>& last_errors() const { return errors_; }

 private:
  struct Scrape {
    bool canary;
    double requests, errors, latency_sum, latency_count;
  };
  Result<std::vector<Scrape>> ScrapeAll();

  SessionBackend& backend_;
  std::string canary_version_;
  int timeout_ms_;
  std::vector<std::string> errors_;
};

}  // namespace ringfence::metrics

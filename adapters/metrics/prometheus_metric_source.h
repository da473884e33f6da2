// MetricSource on a Prometheus server's HTTP API. A metric's PromQL names its cohort with
// "$version" (replaced by the baseline's or the candidate's version) and may use "$window" (the
// window's length, e.g. "30s"):
//   samples: query_range over the window at `step_ms`; every point of every series is a sample;
//   counts:  instant queries at the window's end: `query` gives the events, `exposure` the total.
// A server that is down, slow or answers an error is kIo naming the query (the judge sees no data).
#pragma once

#include <string>

#include "engine/ports/metric_source.h"

namespace ringfence::metrics {

class PrometheusMetricSource : public MetricSource {
 public:
  // allow_private_network: Prometheus may be on loopback or a private network (http_client.h).
  PrometheusMetricSource(std::string base_url, Cohorts cohorts, int64_t step_ms, long timeout_ms = 3000,
                         bool allow_private_network = false)
      : base_url_(std::move(base_url)),
        cohorts_(std::move(cohorts)),
        step_ms_(step_ms),
        timeout_ms_(timeout_ms),
        allow_private_(allow_private_network) {}
  Result<MetricSamples> Samples(const MetricQuery& metric, const MetricWindow& window) override;
  Result<MetricCounts> Counts(const MetricQuery& metric, const MetricWindow& window) override;

 private:
  Result<std::vector<double>> Range(const std::string& promql, const MetricWindow& window);
  Result<double> InstantSum(const std::string& promql, int64_t at_unix_ms);

  std::string base_url_;
  Cohorts cohorts_;
  int64_t step_ms_;
  long timeout_ms_;
  bool allow_private_;
};

// Replaces $version and $window in a PromQL template.
std::string ExpandPromQL(std::string promql, const std::string& version, const MetricWindow& window);

}  // namespace ringfence::metrics

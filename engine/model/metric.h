// Observations of a metric, for a judge: what a MetricSource returns and the orchestrator judges.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ringfence {

enum class MetricSourceKind { kSessions, kPrometheus };

// What to observe: a metric by name, and for Prometheus its queries.
struct MetricQuery {
  std::string name;
  MetricSourceKind source = MetricSourceKind::kSessions;
  std::string query;     // PromQL, for prometheus: samples, or the events of a count judge
  std::string exposure;  // PromQL: the exposure of a count judge (e.g. all requests)
};

// Cohorts are told apart by version: the baseline's and the candidate's.
struct Cohorts {
  std::string baseline_version;
  std::string canary_version;
};

struct MetricWindow {
  int64_t from_unix_ms = 0;
  int64_t to_unix_ms = 0;
};

// Samples per cohort (e.g. per-session mean latencies).
struct MetricSamples {
  std::vector<double> baseline;
  std::vector<double> canary;
};

// Event counts with their exposure (requests, session-seconds), for sparse errors.
struct MetricCounts {
  long baseline_events = 0, canary_events = 0;
  double baseline_exposure = 0, canary_exposure = 0;
};

}  // namespace ringfence

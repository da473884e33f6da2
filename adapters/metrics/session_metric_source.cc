#include "adapters/metrics/session_metric_source.h"

#include <httplib.h>

#include <algorithm>

#include "engine/rollout/prometheus_text.h"

namespace ringfence::metrics {

Status SessionMetricSource::ScrapeAll() {
  errors_.clear();
  auto sessions = backend_.List();
  if (!sessions) return sessions.error();
  int64_t now = clock_.NowUnixMs();
  scraped_at_ = now;
  for (const auto& s : *sessions) {
    bool canary = s.version == cohorts_.canary_version;
    if (!canary && s.version != cohorts_.baseline_version) continue;
    if (s.state != SessionState::kRunning || s.endpoint.empty()) continue;
    httplib::Client client(s.endpoint);
    client.set_connection_timeout(std::chrono::milliseconds(timeout_ms_));
    client.set_read_timeout(std::chrono::milliseconds(timeout_ms_));
    auto res = client.Get("/metrics");
    if (!res || res->status != 200) {
      errors_.push_back(s.id + ": /metrics unreachable");
      continue;
    }
    auto samples = ParsePrometheusText(res->body, s.id + "/metrics");
    if (!samples) {
      errors_.push_back(samples.error().message);
      continue;
    }
    SessionCounters c;
    c.requests = SumSamples(*samples, "workload_requests_total");
    c.errors = c.requests - SumSamples(*samples, "workload_requests_total", {{"code", "200"}});
    c.latency_sum = SumSamples(*samples, "workload_request_duration_seconds_sum");
    c.latency_count = SumSamples(*samples, "workload_request_duration_seconds_count");
    History& h = sessions_[s.id];
    h.canary = canary;
    h.scrapes.Record(now, c);
  }
  return Status::Ok();
}

MetricWindow SessionMetricSource::Effective(const MetricWindow& w) const {
  return {w.from_unix_ms, std::max(w.to_unix_ms, scraped_at_)};
}

std::vector<CohortMember> SessionMetricSource::Members() const {
  std::vector<CohortMember> out;
  out.reserve(sessions_.size());
  for (const auto& [id, h] : sessions_) out.push_back({&h.scrapes, h.canary});
  return out;
}

Result<MetricCounts> SessionMetricSource::Counts(const MetricQuery& metric, const MetricWindow& requested) {
  if (metric.name != "errors")
    return Error::InvalidInput("the sessions source has no counts named '" + metric.name + "'");
  if (auto st = ScrapeAll(); !st) return st.error();
  return ErrorCounts(Members(), Effective(requested), cohorts_);
}

Result<MetricSamples> SessionMetricSource::Samples(const MetricQuery& metric, const MetricWindow& requested) {
  if (metric.name != "latency")
    return Error::InvalidInput("the sessions source has no samples named '" + metric.name + "'");
  if (auto st = ScrapeAll(); !st) return st.error();
  return LatencySamples(Members(), Effective(requested));
}

}  // namespace ringfence::metrics

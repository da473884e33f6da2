#include "adapters/metrics/session_metric_source.h"

#include <httplib.h>

#include <algorithm>

#include "engine/rollout/prometheus_text.h"

namespace ringfence::metrics {

SessionMetricSource::Counters SessionMetricSource::History::At(int64_t unix_ms) const {
  Counters c;
  for (const auto& [at, counters] : scrapes) {
    if (at > unix_ms) break;
    c = counters;
  }
  return c;
}

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
    Counters c;
    c.requests = SumSamples(*samples, "workload_requests_total");
    c.errors = c.requests - SumSamples(*samples, "workload_requests_total", {{"code", "200"}});
    c.latency_sum = SumSamples(*samples, "workload_request_duration_seconds_sum");
    c.latency_count = SumSamples(*samples, "workload_request_duration_seconds_count");
    History& h = sessions_[s.id];
    h.canary = canary;
    h.scrapes.emplace_back(now, c);
  }
  return Status::Ok();
}

MetricWindow SessionMetricSource::Effective(const MetricWindow& w) const {
  return {w.from_unix_ms, std::max(w.to_unix_ms, scraped_at_)};
}

Result<MetricCounts> SessionMetricSource::Counts(const MetricQuery& metric, const MetricWindow& requested) {
  if (metric.name != "errors") return Error::InvalidInput("the sessions source has no counts named '" + metric.name + "'");
  if (auto st = ScrapeAll(); !st) return st.error();
  const MetricWindow window = Effective(requested);
  MetricCounts c;
  bool have_canary = false, have_baseline = false;
  for (const auto& [id, h] : sessions_) {
    if (h.scrapes.empty() || h.scrapes.back().first < window.from_unix_ms) continue;  // ended before the window
    Counters to = h.At(window.to_unix_ms), from = h.At(window.from_unix_ms);
    (h.canary ? have_canary : have_baseline) = true;
    (h.canary ? c.canary_events : c.baseline_events) += static_cast<long>(to.errors - from.errors);
    (h.canary ? c.canary_exposure : c.baseline_exposure) += to.requests - from.requests;
  }
  if (!have_canary) return Error::Io("no session of the canary cohort (" + cohorts_.canary_version + ") reported");
  if (!have_baseline) return Error::Io("no session of the baseline cohort (" + cohorts_.baseline_version + ") reported");
  return c;
}

Result<MetricSamples> SessionMetricSource::Samples(const MetricQuery& metric, const MetricWindow& requested) {
  if (metric.name != "latency") return Error::InvalidInput("the sessions source has no samples named '" + metric.name + "'");
  if (auto st = ScrapeAll(); !st) return st.error();
  const MetricWindow window = Effective(requested);
  MetricSamples m;
  for (const auto& [id, h] : sessions_) {
    if (h.scrapes.empty() || h.scrapes.back().first < window.from_unix_ms) continue;
    Counters to = h.At(window.to_unix_ms), from = h.At(window.from_unix_ms);
    double n = to.latency_count - from.latency_count;
    if (n <= 0) continue;
    (h.canary ? m.canary : m.baseline).push_back((to.latency_sum - from.latency_sum) / n);
  }
  return m;
}

}  // namespace ringfence::metrics

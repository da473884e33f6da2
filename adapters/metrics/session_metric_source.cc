#include "adapters/metrics/session_metric_source.h"

#include <httplib.h>

#include "engine/rollout/prometheus_text.h"

namespace ringfence::metrics {

Result<std::vector<SessionMetricSource::Scrape>> SessionMetricSource::ScrapeAll() {
  errors_.clear();
  auto sessions = backend_.List();
  if (!sessions) return sessions.error();
  std::vector<Scrape> out;
  for (const auto& s : *sessions) {
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
    double requests = SumSamples(*samples, "workload_requests_total");
    double ok = SumSamples(*samples, "workload_requests_total", {{"code", "200"}});
    out.push_back({s.version == canary_version_, requests, requests - ok,
                   SumSamples(*samples, "workload_request_duration_seconds_sum"),
                   SumSamples(*samples, "workload_request_duration_seconds_count")});
  }
  return out;
}

Result<MetricCounts> SessionMetricSource::Counts(const std::string& metric, const MetricWindow&) {
  if (metric != "errors") return Error::InvalidInput("the sessions source has no counts named '" + metric + "'");
  auto scrapes = ScrapeAll();
  if (!scrapes) return scrapes.error();
  MetricCounts c;
  bool have_canary = false, have_baseline = false;
  for (const auto& s : *scrapes) {
    (s.canary ? have_canary : have_baseline) = true;
    (s.canary ? c.canary_events : c.baseline_events) += static_cast<long>(s.errors);
    (s.canary ? c.canary_exposure : c.baseline_exposure) += s.requests;
  }
  if (!have_canary || !have_baseline) return Error::Io("no reachable session in a cohort");
  return c;
}

Result<MetricSamples> SessionMetricSource::Samples(const std::string& metric, const MetricWindow&) {
  if (metric != "latency") return Error::InvalidInput("the sessions source has no samples named '" + metric + "'");
  auto scrapes = ScrapeAll();
  if (!scrapes) return scrapes.error();
  MetricSamples m;
  for (const auto& s : *scrapes) {
    if (s.latency_count <= 0) continue;
    (s.canary ? m.canary : m.baseline).push_back(s.latency_sum / s.latency_count);
  }
  return m;
}

}  // namespace ringfence::metrics

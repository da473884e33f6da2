#include "adapters/metrics/prometheus_metric_source.h"

#include <cmath>
#include <cstdio>

#include "adapters/common/http_client.h"
#include "engine/rollout/prometheus_api.h"

namespace ringfence::metrics {
namespace {

void ReplaceAll(std::string& s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
}

std::string Seconds(int64_t unix_ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(unix_ms) / 1000.0);
  return buf;
}

}  // namespace

std::string ExpandPromQL(std::string promql, const std::string& version, const MetricWindow& window) {
  int64_t secs = std::max<int64_t>(1, (window.to_unix_ms - window.from_unix_ms + 999) / 1000);
  ReplaceAll(promql, "$version", version);
  ReplaceAll(promql, "$window", std::to_string(secs) + "s");
  return promql;
}

Result<std::vector<double>> PrometheusMetricSource::Range(const std::string& promql,
                                                          const MetricWindow& window) {
  HttpRequest r;
  char step[32];
  std::snprintf(step, sizeof step, "%.3f", std::max<int64_t>(step_ms_, 1) / 1000.0);
  r.url = base_url_ + "/api/v1/query_range?query=" + UrlEncode(promql) +
          "&start=" + Seconds(window.from_unix_ms) + "&end=" + Seconds(window.to_unix_ms) + "&step=" + step;
  r.timeout_ms = timeout_ms_;
  r.allow_private_network = allow_private_;
  auto res = HttpExchange(r);
  if (!res) return res.error();
  auto series = ParsePrometheusApiReply(res->body, "prometheus query_range '" + promql + "'");
  if (!series) return Error::Io(series.error().message + " (HTTP " + std::to_string(res->status) + ")");
  std::vector<double> out;
  for (const auto& s : *series) {
    for (const auto& [t, v] : s.points) out.push_back(v);
  }
  return out;
}

Result<double> PrometheusMetricSource::InstantSum(const std::string& promql, int64_t at_unix_ms) {
  HttpRequest r;
  r.url = base_url_ + "/api/v1/query?query=" + UrlEncode(promql) + "&time=" + Seconds(at_unix_ms);
  r.timeout_ms = timeout_ms_;
  r.allow_private_network = allow_private_;
  auto res = HttpExchange(r);
  if (!res) return res.error();
  auto series = ParsePrometheusApiReply(res->body, "prometheus query '" + promql + "'");
  if (!series) return Error::Io(series.error().message + " (HTTP " + std::to_string(res->status) + ")");
  if (series->empty()) return Error::Io("prometheus query '" + promql + "' returned no series");
  double sum = 0;
  for (const auto& s : *series) {
    for (const auto& [t, v] : s.points) sum += v;
  }
  return sum;
}

Result<MetricSamples> PrometheusMetricSource::Samples(const MetricQuery& m, const MetricWindow& w) {
  auto base = Range(ExpandPromQL(m.query, cohorts_.baseline_version, w), w);
  if (!base) return base.error();
  auto canary = Range(ExpandPromQL(m.query, cohorts_.canary_version, w), w);
  if (!canary) return canary.error();
  return MetricSamples{std::move(*base), std::move(*canary)};
}

Result<MetricCounts> PrometheusMetricSource::Counts(const MetricQuery& m, const MetricWindow& w) {
  if (m.exposure.empty()) return Error::InvalidInput("metric " + m.name + " has no exposure query");
  MetricCounts c;
  for (bool canary : {false, true}) {
    const std::string& version = canary ? cohorts_.canary_version : cohorts_.baseline_version;
    auto events = InstantSum(ExpandPromQL(m.query, version, w), w.to_unix_ms);
    if (!events) return events.error();
    auto exposure = InstantSum(ExpandPromQL(m.exposure, version, w), w.to_unix_ms);
    if (!exposure) return exposure.error();
    (canary ? c.canary_events : c.baseline_events) = std::lround(*events);
    (canary ? c.canary_exposure : c.baseline_exposure) = *exposure;
  }
  return c;
}

}  // namespace ringfence::metrics

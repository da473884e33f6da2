#include "adapters/metrics/rollout_metrics_exposition.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

namespace ringfence::metrics {

std::string RolloutMetricsText(const RolloutMetrics& m) {
  using namespace prometheus;
  Registry registry;
  auto& rollouts = BuildGauge()
                       .Name("ringfence_rollouts")
                       .Help("Rollouts in the state directory, by service and latest state")
                       .Register(registry);
  for (const auto& [key, n] : m.rollouts)
    rollouts.Add({{"service", key.first}, {"state", key.second}}).Set(static_cast<double>(n));
  auto& judgements = BuildCounter()
                         .Name("ringfence_rollout_judgements_total")
                         .Help("Canary judgements, by service and decision (pass, fail, unclear)")
                         .Register(registry);
  for (const auto& [key, n] : m.judgements)
    judgements.Add({{"service", key.first}, {"decision", key.second}}).Increment(static_cast<double>(n));
  auto counter = [&](const char* name, const char* help, const std::map<std::string, int64_t>& by_service) {
    auto& family = BuildCounter().Name(name).Help(help).Register(registry);
    for (const auto& [service, n] : by_service)
      family.Add({{"service", service}}).Increment(static_cast<double>(n));
  };
  counter("ringfence_rollout_rollbacks_total", "Rollbacks decided (by a judge or a human)", m.rollbacks);
  counter("ringfence_rollout_escalations_total", "Rollbacks that could not be verified: a human must look",
          m.escalations);
  counter("ringfence_rollout_promotions_total", "Candidates promoted", m.promotions);
  auto& latency = BuildHistogram()
                      .Name("ringfence_rollout_decision_seconds")
                      .Help("From the canary's first step to its rollback or promotion")
                      .Register(registry);
  const Histogram::BucketBoundaries buckets = {1, 5, 15, 30, 60, 300, 900, 1800, 3600, 7200, 21600};
  std::map<std::string, Histogram*> by_service;
  for (const auto& [service, seconds] : m.decision_seconds) {
    auto it = by_service.find(service);
    if (it == by_service.end())
      it = by_service.emplace(service, &latency.Add({{"service", service}}, buckets)).first;
    it->second->Observe(seconds);
  }
  auto& sessions = BuildGauge()
                       .Name("ringfence_rollout_sessions")
                       .Help("Sessions of rollouts under way at their last judgement, by cohort and version")
                       .Register(registry);
  for (const auto& [key, n] : m.sessions) {
    const auto& [service, cohort, version] = key;
    sessions.Add({{"service", service}, {"cohort", cohort}, {"version", version}})
        .Set(static_cast<double>(n));
  }
  return TextSerializer().Serialize(registry.Collect());
}

}  // namespace ringfence::metrics

#include "engine/rollout/rollout_metrics.h"

#include <variant>

namespace ringfence {

RolloutMetrics ComputeRolloutMetrics(const std::vector<std::vector<TypedRecord>>& journals) {
  RolloutMetrics m;
  for (const auto& journal : journals) {
    if (journal.empty()) continue;
    auto setup = SetupOf(journal);
    if (!setup) continue;
    std::string service = ServiceOf(*setup);
    RolloutState last = journal.back().state();
    ++m.rollouts[{service, ToString(last)}];
    int64_t canary_began = -1;  // when the canary's first step began; -1 before it
    const JudgedEvent* last_judged = nullptr;
    for (const auto& r : journal) {
      if (std::holds_alternative<StepEvent>(r.event) && canary_began < 0) canary_began = r.at_unix_ms;
      if (const auto* j = std::get_if<JudgedEvent>(&r.event)) {
        ++m.judgements[{service, ToString(j->decision)}];
        last_judged = j;
      }
      bool decided =
          std::holds_alternative<RollbackEvent>(r.event) || std::holds_alternative<PromotedEvent>(r.event);
      if (std::holds_alternative<RollbackEvent>(r.event)) ++m.rollbacks[service];
      if (std::holds_alternative<PromotedEvent>(r.event)) ++m.promotions[service];
      if (std::holds_alternative<EscalatedEvent>(r.event)) ++m.escalations[service];
      if (decided && canary_began >= 0) {
        m.decision_seconds.emplace_back(service, static_cast<double>(r.at_unix_ms - canary_began) / 1000.0);
        canary_began = -1;  // one decision per canary
      }
    }
    if (!IsTerminal(last) && last_judged) {
      m.sessions[{service, "canary", setup->candidate.version}] += last_judged->canary_sessions;
      m.sessions[{service, "baseline", setup->baseline.version}] += last_judged->baseline_sessions;
    }
  }
  return m;
}

}  // namespace ringfence

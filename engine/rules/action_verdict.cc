#include "engine/rules/action_verdict.h"

namespace ringfence {

Verdict JudgeActions(const RuleSet& rules, const Environments& environments, std::vector<Action> actions,
                     const ActionRequester& requester, std::chrono::system_clock::time_point now,
                     bool none_is_allowed, ChangeFacts& facts) {
  ClassifyActions(environments, actions);
  MarkFrozen(environments,
             std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count(), actions);
  facts.actions = std::move(actions);
  facts.author_kind = requester.actor;
  facts.agents = requester.agents;
  facts.author_evidence = requester.evidence;
  facts.now = now;
  if (!requester.task_environments.empty() || !requester.task_targets.empty()) {
    facts.intent.declared = true;
    facts.intent.source = "the declared task";
    facts.intent.environments = requester.task_environments;
    facts.intent.targets = requester.task_targets;
  }
  Verdict verdict = Evaluate(rules, {}, facts, Approvals{requester.approved_by});
  if (facts.actions.empty() && !none_is_allowed) {
    verdict.decision = Decision::kIndeterminate;
    verdict.indeterminate.push_back("there is no command to judge");
  }
  return verdict;
}

}  // namespace ringfence

// The guard's judgement of actions, shared by `ringfence guard` and the replay of operator
// incidents: the actions are placed in the environments (tiers, fleets, protection, freezes) and
// judged by the rules with the same evaluator as the gate.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "engine/guard/action.h"
#include "engine/guard/environments.h"
#include "engine/rules/evaluator.h"

namespace ringfence {

// Who asks for the actions, and who approved them.
struct ActionRequester {
  AuthorKind actor = AuthorKind::kAi;
  std::vector<std::string> agents;
  std::string evidence;  // how the actor is known, for the verdict's explanation
  std::vector<std::string> approved_by;
  // The declared task: name patterns of the environments and targets it means to act on (none
  // declared: no task, and `outside_intent` holds for nothing).
  std::vector<std::string> task_environments, task_targets;
};

// Fills facts (actions placed and marked, the actor, `now`) and returns the verdict. No action to
// judge is indeterminate unless `none_is_allowed` (a plan that changes nothing).
Verdict JudgeActions(const RuleSet& rules, const Environments& environments, std::vector<Action> actions,
                     const ActionRequester& requester, std::chrono::system_clock::time_point now,
                     bool none_is_allowed, ChangeFacts& facts);

}  // namespace ringfence

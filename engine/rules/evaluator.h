// Evaluates a RuleSet against the facts of a change and decides, explaining every step.
//
// Decision order (the most severe that applies):
//   deny           a deny rule fired and no valid waiver covers it
//   indeterminate  the engine could not decide: unresolved files beyond the allowed share, or a
//                  condition that lacked data. Fail-closed: never an allow.
//   needs_approval a require_approval rule fired and too few of its approvers approved (the
//                  approvers it names, or when it names none, the owners of the changed files and
//                  of their components: never any handle)
//   warn / allow
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/rules/rule.h"
#include "engine/rules/waivers.h"

namespace ringfence {

enum class Decision { kAllow, kWarn, kNeedsApproval, kDeny, kIndeterminate };
const char* ToString(Decision d);
// The decision ToString names ("needs_approval"); nullopt for text that names none.
std::optional<Decision> DecisionNamed(std::string_view text);

struct FiredRule {
  const Rule* rule = nullptr;
  MatchResult match;
  const Waiver* waiver = nullptr;               // the waiver that excuses it, if any
  std::vector<std::string> approved_by;         // require_approval: the approvals that count
  std::vector<std::string> rejected_approvals;  // given, but not by an approver this rule accepts
  bool satisfied = false;                       // require_approval: enough approvals
};

// True when the fired rule stops the change: an unwaived deny, or an unwaived require_approval
// short of approvals. Reports derive their failure levels from it.
inline bool Blocking(const FiredRule& f) {
  if (f.waiver) return false;
  return f.rule->effect == Effect::kDeny || (f.rule->effect == Effect::kRequireApproval && !f.satisfied);
}

struct ExpiredWaiver {
  const Waiver* waiver;
  std::string why;  // "expired on ...", "patch id differs", "a changed file is outside its paths"
};

struct Verdict {
  Decision decision = Decision::kAllow;
  std::vector<FiredRule> fired;
  std::vector<ExpiredWaiver> unused_waivers;  // waivers for fired rules that did not apply
  std::vector<std::string> indeterminate;     // reasons
  RolloutConstraints constraints;             // merged from fired, unwaived rules
  bool must_stage = false;                    // a fired, unwaived rule's effect is stage
  std::string summary;                        // one line for people
};

struct Approvals {
  std::vector<std::string> by;  // handles from --approved-by
};

Verdict Evaluate(const RuleSet& rules, const std::vector<Waiver>& waivers, const ChangeFacts& facts,
                 const Approvals& approvals);

}  // namespace ringfence

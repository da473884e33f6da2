// Renderers of a guard verdict (`ringfence guard`): text for people and JSON with every action
// as the guard read it (docs/guard.md); SARIF and Markdown are the gate's own (verdict_formats).
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "engine/rules/evaluator.h"

namespace ringfence::report {

struct GuardContext {
  const Verdict* verdict;
  const std::vector<Action>* actions;
  std::vector<std::string> rule_sources;
  bool color = false;
};

void WriteGuardText(const GuardContext& c, std::ostream& out);
void WriteGuardJson(const GuardContext& c, std::ostream& out);

// One line for an agent or a prompt: the decision and the rules that made it, with why.
std::string GuardReason(const Verdict& v);

}  // namespace ringfence::report

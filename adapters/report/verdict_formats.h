// Renderers of a gate verdict for people and for CI systems: text, JSON, SARIF 2.1.0, JUnit XML,
// Markdown (a pull-request comment) and GitHub Actions workflow commands.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "engine/rules/evaluator.h"

namespace ringfence::report {

struct VerdictContext {
  const Verdict* verdict;
  const RuleSet* rules;
  const ChangeFacts* facts;
  std::vector<std::string> rule_sources;
  int64_t started_unix_ms = 0;  // when the check began (JUnit timestamp), and how long it took
  int64_t elapsed_ms = 0;
  std::string hostname = "localhost";  // where it ran (JUnit hostname)
  bool color = false;                  // text: colour the decision and rule states (a terminal)
};

void WriteVerdictText(const VerdictContext& c, std::ostream& out);
void WriteVerdictJson(const VerdictContext& c, std::ostream& out);
void WriteVerdictSarif(const VerdictContext& c, std::ostream& out);
void WriteVerdictJunit(const VerdictContext& c, std::ostream& out);
void WriteVerdictMarkdown(const VerdictContext& c, std::ostream& out);
void WriteVerdictGithub(const VerdictContext& c, std::ostream& out);

// "deny", "require_approval (1 of 2 approvals)", "warn (waived by ...)": one fired rule's state.
std::string FiredState(const FiredRule& f);

}  // namespace ringfence::report

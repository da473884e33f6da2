// Wires `ringfence check`: the scope of the change, the rules and waivers as they are at the BASE
// revision (a change cannot weaken what judges it), the facts rules read, and the verdict.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/scope_pipeline.h"
#include "engine/rules/evaluator.h"

namespace ringfence::cli {

struct CheckOptions {
  ScopeOptions scope;
  std::vector<std::string> rules;  // repository paths read at base; absolute paths outside it from disk
  std::string waivers;             // same; default .ringfence/waivers.yaml when present at base
  std::vector<std::string> approved_by;
  std::vector<std::string> labels;
  std::string branch;              // default: the head's branch name, else $GITHUB_HEAD_REF
  std::string intent_file;         // YAML {components: [...], paths: [...]}
  std::string now;                 // "YYYY-MM-DD HH:MM" UTC; default: the clock
};

struct CheckRun {
  ScopeRun scope;
  RuleSet rules;
  std::vector<Waiver> waivers;
  ChangeFacts facts;
  Verdict verdict;
  std::vector<std::string> rule_sources;  // "path@base-commit" or a disk path
};

inline constexpr const char* kDefaultRulesPath = ".ringfence/rules";
inline constexpr const char* kDefaultWaiversPath = ".ringfence/waivers.yaml";

// Errors (exit 4 or 5) for what cannot be read or parsed; a verdict for everything else.
Result<std::unique_ptr<CheckRun>> RunCheck(const CheckOptions& options);

}  // namespace ringfence::cli

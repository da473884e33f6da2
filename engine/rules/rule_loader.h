// Reads rule files (YAML, apiVersion ringfence/v1, kind Rules) into a RuleSet. Every mistake is
// an error at path:line:col: unknown keys, wrong types, duplicate ids, bad globs and regexes.
//
//   apiVersion: ringfence/v1
//   kind: Rules
//   authors: {ai: {trailers, trailer_values, names, branches, labels}, bots: {names}}
//   settings: {max_unresolved_share: 0.0}
//   rules:
//     - id: iam-wildcard
//       description: ...
//       when: {added_lines: {matches: '"Action"\s*:\s*"\*"', files: ["*.json"]}}
//       effect: deny | require_approval | warn | allow
//       message: ...
//       approvers: ["@org/security"]     # require_approval
//       min_approvals: 1
//       rollout: {max_canary_weight: 1, min_bake: 30m, stages: [1, 10, 100], human_promotion: true}
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "engine/core/result.h"
#include "engine/rules/rule.h"

namespace ringfence {

struct SourceFile {
  std::string path;
  std::string text;
};

Result<RuleSet> LoadRules(const std::vector<SourceFile>& files);

// "90s", "30m", "2h", "1d" -> seconds; nullopt when malformed.
std::optional<int> ParseDuration(std::string_view text);

// The rules every gate applies whatever the rule files say (engine/rules/builtin_rules.cc).
void AddBuiltinRules(RuleSet& set);

}  // namespace ringfence

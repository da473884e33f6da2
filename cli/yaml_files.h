// Reading the YAML files a command is pointed at: files, or directories searched recursively.
#pragma once

#include <string>
#include <vector>

#include "engine/core/result.h"
#include "engine/rules/rule_loader.h"
#include "engine/rules/waivers.h"

namespace ringfence::cli {

// The .yaml/.yml files named by `paths`, sorted by path; kInvalidInput for a path that does not exist.
Result<std::vector<SourceFile>> ReadYamlFiles(const std::vector<std::string>& paths);

// A file's kind as its `kind:` line says: "RuleTest", "Waivers", "Scenario", else "Rules".
std::string KindOf(const std::string& text);

// The rules (with the built-in ones) and waivers in `paths`; rule tests and scenarios are skipped.
struct LoadedRules {
  RuleSet rules;
  std::vector<Waiver> waivers;
  std::vector<std::string> files;
};
Result<LoadedRules> LoadRulesAndWaivers(const std::vector<std::string>& paths);

}  // namespace ringfence::cli

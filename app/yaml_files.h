// Reading the YAML files a command is pointed at: files, or directories searched recursively,
// never through a symlink; each file dispatched by the `kind:` its YAML declares.
#pragma once

#include <string>
#include <vector>

#include "engine/core/result.h"
#include "engine/ports/file_reader.h"
#include "engine/rules/rule_loader.h"
#include "engine/rules/waivers.h"

namespace ringfence::app {

// The files named by `paths` (a named file whatever its extension, the .yaml/.yml files below a
// named directory), sorted by path. kInvalidInput for a path that does not exist, a symlink, or
// a directory that holds no YAML file.
Result<std::vector<SourceFile>> ReadYamlFiles(const FileReader& files, const std::vector<std::string>& paths);

// A file's kind as its YAML root declares it: "Rules" (also when it declares none), "Waivers",
// "RuleTest" or "Scenario"; kInvalidInput for any other kind, at its position.
enum class YamlKind { kRules, kWaivers, kRuleTest, kScenario };
Result<YamlKind> KindOfFile(const SourceFile& file);

// Files sorted by kind.
struct FilesByKind {
  std::vector<SourceFile> rules, waivers, rule_tests, scenarios;
};
Result<FilesByKind> SortByKind(const std::vector<SourceFile>& files);

// The rules (with the built-in ones) and waivers in `paths`; rule tests and scenarios are skipped.
// kInvalidInput when the paths hold no rule file: a gate without rules decides nothing.
struct LoadedRules {
  RuleSet rules;
  std::vector<Waiver> waivers;
  std::vector<std::string> files;
};
Result<LoadedRules> LoadRulesAndWaivers(const FileReader& files, const std::vector<std::string>& paths);

}  // namespace ringfence::app

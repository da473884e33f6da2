// The table of condition keys a rule file may use, each with the function that parses it into a
// Matcher. Adding a matcher: write engine/rules/matchers/<name>_matcher.cc with a parse function,
// declare it below, add a row to MatcherKinds() (and to docs/rules.schema.json).
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "engine/core/yaml_doc.h"
#include "engine/rules/rule.h"

namespace ringfence {

using MatcherParser = Result<std::unique_ptr<Matcher>> (*)(const YamlDoc& doc, const YAML::Node& value);

struct MatcherKind {
  const char* key;
  const char* help;
  MatcherParser parse;
};

const std::vector<MatcherKind>& MatcherKinds();

// Parses a condition: a map with exactly one key from MatcherKinds() (all/any/not nest).
Result<std::unique_ptr<Matcher>> ParseCondition(const YamlDoc& doc, const YAML::Node& node);

// Compiles the regexes of added_lines conditions that share a file scope into one RE2::Set each,
// so that an added line is scanned once for all of them. Called once a rule set is loaded.
void IndexContentMatchers(RuleSet& rules);

// One parse function per matcher file.
Result<std::unique_ptr<Matcher>> ParseAll(const YamlDoc&, const YAML::Node&);
Result<std::unique_ptr<Matcher>> ParseAny(const YamlDoc&, const YAML::Node&);
Result<std::unique_ptr<Matcher>> ParseNot(const YamlDoc&, const YAML::Node&);
Result<std::unique_ptr<Matcher>> ParsePaths(const YamlDoc&, const YAML::Node&);
Result<std::unique_ptr<Matcher>> ParseComponents(const YamlDoc&, const YAML::Node&);
Result<std::unique_ptr<Matcher>> ParseAffectedComponents(const YamlDoc&, const YAML::Node&);
Result<std::unique_ptr<Matcher>> ParseStatus(const YamlDoc&, const YAML::Node&);
Result<std::unique_ptr<Matcher>> ParseKinds(const YamlDoc&, const YAML::Node&);
Result<std::unique_ptr<Matcher>> ParseFilesChanged(const YamlDoc&, const YAML::Node&);
Result<std::unique_ptr<Matcher>> ParseLinesAdded(const YamlDoc&, const YAML::Node&);
Result<std::unique_ptr<Matcher>> ParseLinesDeleted(const YamlDoc&, const YAML::Node&);
Result<std::unique_ptr<Matcher>> ParseFileLinesChanged(const YamlDoc&, const YAML::Node&);
Result<std::unique_ptr<Matcher>> ParseBlastRadius(const YamlDoc&, const YAML::Node&);
Result<std::unique_ptr<Matcher>> ParseOwners(const YamlDoc&, const YAML::Node&);
Result<std::unique_ptr<Matcher>> ParseAuthor(const YamlDoc&, const YAML::Node&);
Result<std::unique_ptr<Matcher>> ParseAgent(const YamlDoc&, const YAML::Node&);
Result<std::unique_ptr<Matcher>> ParseBranch(const YamlDoc&, const YAML::Node&);
Result<std::unique_ptr<Matcher>> ParseLabels(const YamlDoc&, const YAML::Node&);
Result<std::unique_ptr<Matcher>> ParseAddedLines(const YamlDoc&, const YAML::Node&);
Result<std::unique_ptr<Matcher>> ParseDependencyBump(const YamlDoc&, const YAML::Node&);
Result<std::unique_ptr<Matcher>> ParseImagePackagesAdded(const YamlDoc&, const YAML::Node&);
Result<std::unique_ptr<Matcher>> ParseImagePackagesChanged(const YamlDoc&, const YAML::Node&);
Result<std::unique_ptr<Matcher>> ParseImageBaseChanged(const YamlDoc&, const YAML::Node&);
Result<std::unique_ptr<Matcher>> ParseImageEgressAdded(const YamlDoc&, const YAML::Node&);
Result<std::unique_ptr<Matcher>> ParseImageCve(const YamlDoc&, const YAML::Node&);
Result<std::unique_ptr<Matcher>> ParseGlobalChannel(const YamlDoc&, const YAML::Node&);
Result<std::unique_ptr<Matcher>> ParseTimeWindow(const YamlDoc&, const YAML::Node&);
Result<std::unique_ptr<Matcher>> ParseOutsideIntent(const YamlDoc&, const YAML::Node&);
Result<std::unique_ptr<Matcher>> ParseIntentDeclared(const YamlDoc&, const YAML::Node&);
Result<std::unique_ptr<Matcher>> ParseGuardFiles(const YamlDoc&, const YAML::Node&);
Result<std::unique_ptr<Matcher>> ParseUninspectable(const YamlDoc&, const YAML::Node&);
Result<std::unique_ptr<Matcher>> ParseSymlink(const YamlDoc&, const YAML::Node&);
Result<std::unique_ptr<Matcher>> ParseAction(const YamlDoc&, const YAML::Node&);

}  // namespace ringfence

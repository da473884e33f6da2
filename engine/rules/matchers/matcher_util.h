// Shared pieces of the matchers: numeric ranges, glob lists, list parsing with positions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/core/glob.h"
#include "engine/core/yaml_doc.h"
#include "engine/rules/rule.h"

namespace ringfence::matchers {

// {gt: 3}, {gte: 1, lte: 10}, {eq: 0}: all given bounds must hold.
struct NumberRange {
  std::optional<double> gt, gte, lt, lte, eq;
  bool Contains(double v) const;
  std::string Describe() const;
  bool Empty() const { return !gt && !gte && !lt && !lte && !eq; }
  // False when no number satisfies every bound (e.g. gt 10 and lt 5).
  bool Satisfiable() const;
};
Result<NumberRange> ParseRange(const YamlDoc& doc, const YAML::Node& node, std::string_view what);

// Globs with gitignore semantics (engine/core/glob.h); errors point at the offending item.
struct Globs {
  // Matching memoises per directory (GlobList), so a rule costs one check per directory plus
  // the file-level patterns, however many files share it. Not thread-safe, like evaluation.
  mutable GlobList list;
  std::vector<std::string> texts;
  bool Matches(std::string_view path) const;
  std::string Describe() const;
  // hits[i] != 0 when the i-th changed file (new path) matches; computed once per facts for all
  // glob lists with the same text.
  const std::vector<char>& Hits(const ChangeFacts& facts) const;
  std::string key;  // Describe(), computed at parse time
};
Result<Globs> ParseGlobs(const YamlDoc& doc, const YAML::Node& node, std::string_view what);

// Name patterns (agents, branches, components, owners, identities), case-insensitive: `*` matches
// any run of characters ('/' included), `?` one character, and everything else itself — so
// "*[bot]" means names ending in "[bot]". A pattern "re:<RE2>" is a regular expression, for
// character classes written on purpose; it must match the whole name.
bool NameMatches(const std::vector<std::string>& patterns, std::string_view name);
// kInvalidInput at the node when a "re:" pattern of `patterns` does not compile.
Status CheckNamePatterns(const YamlDoc& doc, const YAML::Node& node,
                         const std::vector<std::string>& patterns);

std::string Join(const std::vector<std::string>& items);

}  // namespace ringfence::matchers

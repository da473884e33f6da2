// CODEOWNERS with GitHub's semantics: one "pattern owner..." rule per line, gitignore-style
// patterns, the last matching rule wins, a rule with no owners un-owns what it matches.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/core/glob.h"
#include "engine/core/result.h"

namespace ringfence {

struct CodeownersRule {
  int line = 0;
  std::string pattern;
  std::vector<std::string> owners;  // "@user", "@org/team" or an e-mail address
};

class Codeowners {
 public:
  // Parses `text` read from `path` (for error positions). Errors name path:line:col.
  static Result<Codeowners> Parse(std::string_view text, const std::string& path);

  // The rule that decides `file`'s owners, or nullptr when no rule matches.
  const CodeownersRule* RuleFor(std::string_view file);

  const std::string& path() const { return path_; }
  const std::vector<CodeownersRule>& rules() const { return rules_; }

 private:
  std::string path_;
  std::vector<CodeownersRule> rules_;
  GlobList globs_;
};

// Where GitHub looks for the file, in order; the first that exists is used.
inline constexpr const char* kCodeownersLocations[] = {".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"};

}  // namespace ringfence

// Use case: `rules lint`. What `check` would refuse (the same loading: kinds, symlinks, limits),
// rules that can never fire or are shadowed, waivers that expired or name no rule.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "engine/core/result.h"
#include "engine/ports/file_reader.h"
#include "engine/ports/repository.h"

namespace ringfence::app {

// One thing lint found, at the rule or waiver it is about.
struct LintFinding {
  enum class Kind { kNeverFires, kShadowed, kWaiverExpired, kWaiverUnknownRule };
  Kind kind;
  std::string rule;  // the rule's id (the waiver's rule for waiver findings)
  std::string file;
  int line = 0;
  std::string message;  // what is wrong, without the position

  std::string Text() const { return file + ":" + std::to_string(line) + ": " + message; }
};
const char* ToString(LintFinding::Kind kind);  // never_fires, shadowed, waiver_expired, waiver_unknown_rule

struct LintReport {
  std::vector<LintFinding> findings;
  size_t rules = 0, waivers = 0, files = 0;
};

// `repo` (may be null) is the repository the rules are meant for: globs and component names are
// checked against its HEAD. Errors: files that do not load (exit 4).
Result<LintReport> LintRules(const FileReader& files, const std::vector<std::string>& paths, Repository* repo,
                             std::chrono::system_clock::time_point now);

}  // namespace ringfence::app

// Use case: `rules test`. Runs rule fixtures (kind: RuleTest): each case's facts through the rules
// it names, its decision and fired rules against the expected ones.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "engine/core/result.h"
#include "engine/ports/file_reader.h"

namespace ringfence::app {

// A commit message's trailers as git reads them (the git adapter's parser).
using TrailerParser =
    std::function<std::vector<std::pair<std::string, std::string>>(const std::string& message)>;

struct CaseResult {
  std::string where;  // fixture path:line
  std::string name;
  bool passed = false;
  std::string expected_decision, actual_decision;
  bool check_fired = false;
  std::vector<std::string> expected_fired, actual_fired;
  std::vector<std::string> details;  // "rule: evidence" and "cannot decide: ..." lines of a failure
};

struct RuleTestReport {
  std::vector<CaseResult> cases;
  int fixtures = 0;
  int passed() const;
  int failed() const;
};

// kInvalidInput for a fixture, rule or waiver file that does not load, or no fixture at all.
Result<RuleTestReport> RunRuleTests(const FileReader& files, const std::vector<std::string>& paths,
                                    const TrailerParser& trailers);

}  // namespace ringfence::app

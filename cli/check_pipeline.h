// Wiring of `ringfence check`: flags into an app::CheckRequest, the git repository, its caches and
// the local files built and handed to app::RunCheck.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/check.h"
#include "cli/scope_pipeline.h"

namespace ringfence::cli {

struct CheckOptions {
  ScopeOptions scope;
  std::vector<std::string> rules;  // repository paths read at base; absolute paths outside it from disk
  std::string waivers;             // same; default .ringfence/waivers.yaml when present at base
  std::vector<std::string> approved_by;
  std::vector<std::string> labels;
  std::string branch;       // default: the head's branch name, else $GITHUB_HEAD_REF
  std::string intent_file;  // YAML {components: [...], paths: [...]}
  std::string now;          // "YYYY-MM-DD HH:MM" UTC; default: the clock
};

using CheckRun = app::CheckRun;
using app::kDefaultRulesPath;
using app::kDefaultWaiversPath;

Result<std::unique_ptr<CheckRun>> RunCheck(const CheckOptions& options);

}  // namespace ringfence::cli

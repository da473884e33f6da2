// The change a git repository holds, read through libgit2, with pull-request semantics:
// the diff runs from merge-base(base, head) to head, as `git diff -M base...head`.
#pragma once

#include <string>
#include <string_view>

#include "engine/core/result.h"
#include "engine/model/change_set.h"

namespace ringfence::git {

// Reads a unified diff (`git diff` output) as a ChangeSet; `name` is used in errors.
Result<ChangeSet> ParsePatch(std::string_view text, const std::string& name, bool for_gate);

// REQUIRES: base names a commit in the repository; a missing base is kNotFound, never empty.
class GitChangeSource {
 public:
  explicit GitChangeSource(std::string repo_path) : repo_path_(std::move(repo_path)) {}
  Result<ChangeSet> Load(const ChangeRequest& request);

 private:
  std::string repo_path_;
};

}  // namespace ringfence::git

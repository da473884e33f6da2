// ChangeSource over a git repository through libgit2, with pull-request semantics:
// the diff runs from merge-base(base, head) to head, as `git diff -M base...head`.
#pragma once

#include <string>
#include <string_view>

#include "engine/ports/change_source.h"

namespace ringfence::git {

// Reads a unified diff (`git diff` output) as a ChangeSet; `name` is used in errors.
Result<ChangeSet> ParsePatch(std::string_view text, const std::string& name, bool for_gate);

class GitChangeSource : public ChangeSource {
 public:
  explicit GitChangeSource(std::string repo_path) : repo_path_(std::move(repo_path)) {}
  Result<ChangeSet> Load(const ChangeRequest& request) override;

 private:
  std::string repo_path_;
};

}  // namespace ringfence::git

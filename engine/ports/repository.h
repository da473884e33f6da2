// Port: the repository a command reads: the change (a git range, a working tree, a patch file), the
// trees on either side, and the branch. Implementation: adapters/git (one repository handle pool
// per command, shared by every tree it opens).
#pragma once

#include <memory>
#include <string>

#include "engine/core/result.h"
#include "engine/model/change_set.h"
#include "engine/ports/source_tree.h"

namespace ringfence {

class Repository {
 public:
  virtual ~Repository() = default;
  // REQUIRES: base names a commit in the repository; a missing base is kNotFound, never empty.
  virtual Result<ChangeSet> LoadChange(const ChangeRequest& request) = 0;
  // The tree of a revision (a commit, a branch, a tag).
  virtual Result<std::unique_ptr<SourceTree>> TreeAt(const std::string& revision) = 0;
  // The working tree: tracked files as on disk, plus the untracked files `changes` adds.
  virtual Result<std::unique_ptr<SourceTree>> Worktree(const ChangeSet& changes) = 0;
  // The branch the change is on: HEAD's when head is "HEAD" or empty, else head if it names a
  // local branch; "" when neither holds.
  virtual std::string BranchOf(const std::string& head) = 0;
  // The work tree, absolute with a trailing '/'; "" for a bare repository.
  virtual std::string Workdir() const = 0;
};

}  // namespace ringfence

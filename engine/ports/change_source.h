// Port: where a change comes from (a git range, a working tree, a patch file).
#pragma once

#include <string>

#include "engine/core/result.h"
#include "engine/model/change_set.h"

namespace ringfence {

struct ChangeRequest {
  std::string base;        // revision the change is judged against
  std::string head;        // revision of the change; ignored for worktree and patch
  bool worktree = false;   // diff base...working tree (index and unstaged edits, untracked files)
  std::string patch_file;  // diff read from a unified diff instead of the repository
  bool for_gate = false;   // also added-line text, the patch id and the commits (what rules read)
};

class ChangeSource {
 public:
  virtual ~ChangeSource() = default;
  // REQUIRES: base names a commit in the repository; a missing base is kNotFound, never empty.
  virtual Result<ChangeSet> Load(const ChangeRequest& request) = 0;
};

}  // namespace ringfence

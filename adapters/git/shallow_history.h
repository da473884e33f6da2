// History of a shallow clone as git reads it: the commits listed in `<git dir>/shallow` have no
// parents. libgit2 (1.5) walks past them into objects the clone does not have; CI systems check
// out pull requests shallow, so the merge base and the commits of a change are computed here.
#pragma once

#include <string>
#include <vector>

#include "adapters/git/git_handle.h"

namespace ringfence::git {

// The best common ancestor of `a` and `b` (the most recent when there are several), with the
// shallow commits taken as roots. kNotFound, with the fix, when the shallow history holds none.
Result<git_oid> ShallowMergeBase(git_repository* repo, const git_oid& a, const git_oid& b);

// Commits reachable from `head` and not from `base`, newest first, shallow commits as roots.
Result<std::vector<git_oid>> ShallowCommitsBetween(git_repository* repo, const git_oid& base,
                                                   const git_oid& head);

}  // namespace ringfence::git

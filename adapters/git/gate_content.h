// What the gate reads of a changed file: the content as it will deploy, not as git's attributes
// or its binary heuristic present it. A file git calls binary (a NUL byte, an attribute such as
// `-diff` or `binary`), or that is in UTF-16/32, is decoded and diffed again as text; content
// that cannot be decoded is marked uninspectable with the reason; a symlink's target is read.
#pragma once

#include <string>

#include "adapters/git/git_handle.h"
#include "engine/model/change_set.h"

namespace ringfence::git {

// Fills f.added_lines, f.added, f.deleted, f.binary, f.encoding, f.uninspectable and
// f.symlink_target from both sides of `delta`. `workdir` (with a trailing '/') is where the new
// side lives when the diff is against the working tree; "" otherwise. kInvalidInput when a blob
// is missing from the repository (a partial clone), naming the path, the blob and the fix.
Status InspectForGate(git_repository* repo, const git_diff_delta& delta, const std::string& workdir,
                      FileChange& f);

// The error for a blob the object database lacks (a partial clone): kInvalidInput with the fix.
Error MissingBlob(const std::string& path, const std::string& blob);

}  // namespace ringfence::git

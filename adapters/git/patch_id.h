// The identity of a change as `git patch-id --verbatim` computes it from `git diff` output: the
// same diff gives the same id whatever commits carry it, and any byte of the change (whitespace
// included) changes it. Waivers bound to one change use it.
#pragma once

#include <string>
#include <string_view>

#include <git2.h>

namespace ringfence::git {

// The id of a unified diff's text, as `git patch-id --verbatim` prints it; "" for no patch.
std::string VerbatimPatchIdOfText(std::string_view diff_text);

// The id of `diff` (printed as a patch first); "" when it cannot be printed or is empty.
std::string VerbatimPatchId(git_diff* diff);

}  // namespace ringfence::git

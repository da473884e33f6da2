// Commit message trailers exactly as git reads them (libgit2's port of git's trailer parser):
// the last paragraph's "Key: value" lines, whitespace before the separator allowed, CR line ends
// taken as line ends. Keys are returned as written; callers compare them case-insensitively.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace ringfence::git {

std::vector<std::pair<std::string, std::string>> MessageTrailers(const std::string& message);

}  // namespace ringfence::git

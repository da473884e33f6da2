// Path globs with gitignore semantics, as CODEOWNERS and components.yaml use them:
//   - `*` and `?` never cross '/'; `**` spans directories when it stands alone between slashes;
//   - a pattern with a '/' at its start or middle is anchored at the repository root,
//     otherwise it matches a name at any depth;
//   - a trailing '/' matches directories only; a pattern matching a directory matches all below it.
// Matching is linear in practice: the star loops abort early as git's wildmatch does.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/core/result.h"

namespace ringfence {

// Raw wildcard match of `text` against `pattern` (no anchoring rules). '/' is never matched by
// `*`, `?` or a bracket class; `**/` matches zero or more directories.
bool WildMatch(std::string_view pattern, std::string_view text);

class PathGlob {
 public:
  // Parses a gitignore-style pattern; kInvalidInput for an empty pattern, a negation (`!`,
  // which CODEOWNERS does not support) or an unterminated bracket class.
  static Result<PathGlob> Parse(std::string_view pattern);

  // True if the file `path` or one of its parent directories matches.
  bool Matches(std::string_view path) const;
  // True if the directory `dir` (no trailing '/') itself matches.
  bool MatchesDirectory(std::string_view dir) const;
  // True if the file `path` itself matches (ignoring its parent directories).
  bool MatchesFile(std::string_view path) const;
  // The same, with the last component of `path` already split off.
  bool MatchesFile(std::string_view path, std::string_view base) const;

  const std::string& text() const { return text_; }

 private:
  // How a pattern without '/' (which gitignore applies to the last path component) is matched:
  // most real globs are a literal name or "*" + a literal suffix, and need no wildcard engine.
  enum class BaseShape { kNone, kLiteral, kStarSuffix, kWild };
  bool MatchOne(std::string_view s) const;
  bool MatchBase(std::string_view name) const;
  std::string text_;                         // as written
  std::string anchored_;                     // normalised: anchored at root, "**/" prepended when unanchored
  std::string prefix_;                       // literal prefix of anchored_, for quick rejection
  BaseShape base_shape_ = BaseShape::kNone;  // kNone: anchored, use anchored_
  std::string base_;  // the unanchored pattern, or its literal part for kLiteral/kStarSuffix
  bool dir_only_ = false;
};

// An ordered list of globs; answers which ones match a path. Caches per-directory results,
// so matching many paths of a tree costs one pass per directory plus the file-level checks.
// Not thread-safe.
class GlobList {
 public:
  void Add(PathGlob glob) {
    globs_.push_back(std::move(glob));
    dir_cache_.clear();
    last_matches_ = nullptr;
  }
  size_t size() const { return globs_.size(); }
  const PathGlob& at(size_t i) const { return globs_[i]; }

  // Indexes of every glob that matches `path`, ascending.
  std::vector<int> MatchAll(std::string_view path);
  // Index of the last glob that matches `path`, or -1 (CODEOWNERS: the last match wins).
  int LastMatch(std::string_view path);

 private:
  const std::vector<int>& DirectoryMatches(std::string_view dir);
  const std::vector<int>& DirectoryMatchesUncached(std::string_view dir);
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  std::vector<PathGlob> globs_;
  // Heterogeneous lookup: finding a directory allocates nothing.
  std::unordered_map<std::string, std::vector<int>, Hash, std::equal_to<>> dir_cache_;
  // The last directory asked about: a diff lists files sorted, so neighbours share it.
  std::string last_dir_;
  const std::vector<int>* last_matches_ = nullptr;
};

}  // namespace ringfence

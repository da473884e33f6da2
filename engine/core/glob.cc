#include "engine/core/glob.h"

#include <algorithm>
#include <cctype>

namespace ringfence {
namespace {

enum MatchResult { kMatch, kNoMatch, kAbortAll, kAbortToStarStar };

// Matches a bracket class starting after '['. Sets `end` past the closing ']'.
// Returns false in `ok` if the class is unterminated.
bool MatchClass(std::string_view p, size_t& i, unsigned char c, bool& ok) {
  ok = true;
  bool negate = false;
  if (i < p.size() && (p[i] == '!' || p[i] == '^')) {
    negate = true;
    ++i;
  }
  bool matched = false;
  bool first = true;
  while (i < p.size() && (first || p[i] != ']')) {
    first = false;
    if (p[i] == '[' && i + 1 < p.size() && p[i + 1] == ':') {
      size_t close = p.find(":]", i + 2);
      if (close == std::string_view::npos) {
        ok = false;
        return false;
      }
      std::string_view name = p.substr(i + 2, close - i - 2);
      int ch = c;
      if ((name == "alpha" && std::isalpha(ch)) || (name == "digit" && std::isdigit(ch)) ||
          (name == "alnum" && std::isalnum(ch)) || (name == "upper" && std::isupper(ch)) ||
          (name == "lower" && std::islower(ch)) || (name == "space" && std::isspace(ch)) ||
          (name == "xdigit" && std::isxdigit(ch)) || (name == "punct" && std::ispunct(ch))) {
        matched = true;
      }
      i = close + 2;
      continue;
    }
    unsigned char lo = static_cast<unsigned char>(p[i]);
    if (lo == '\\' && i + 1 < p.size()) lo = static_cast<unsigned char>(p[++i]);
    unsigned char hi = lo;
    if (i + 2 < p.size() && p[i + 1] == '-' && p[i + 2] != ']') {
      hi = static_cast<unsigned char>(p[i + 2]);
      if (hi == '\\' && i + 3 < p.size()) hi = static_cast<unsigned char>(p[++i + 2]);
      i += 2;
    }
    if (c >= lo && c <= hi) matched = true;
    ++i;
  }
  if (i >= p.size()) {
    ok = false;
    return false;
  }
  ++i;  // past ']'
  return matched != negate;
}

MatchResult Wild(std::string_view p, size_t pi, std::string_view t, size_t ti) {
  while (pi < p.size()) {
    char pc = p[pi];
    if (pc == '*') {
      size_t q = pi;
      while (q < p.size() && p[q] == '*') ++q;
      bool doubled = q - pi >= 2;
      bool starts_segment = pi == 0 || p[pi - 1] == '/';
      bool ends_segment = q == p.size() || p[q] == '/';
      if (doubled && starts_segment && ends_segment) {
        if (q == p.size()) return kMatch;  // trailing "**": anything below
        // "**/": zero or more whole directories.
        size_t rest = q + 1;
        for (size_t s = ti; s <= t.size(); ++s) {
          if (s != ti && t[s - 1] != '/') continue;
          MatchResult r = Wild(p, rest, t, s);
          if (r == kMatch || r == kAbortAll) return r;
        }
        return kAbortAll;
      }
      // Single star (or a "**" inside a segment, which git treats as a single star).
      if (q == p.size()) {
        return t.find('/', ti) == std::string_view::npos ? kMatch : kAbortToStarStar;
      }
      for (size_t s = ti;; ++s) {
        MatchResult r = Wild(p, q, t, s);
        if (r != kNoMatch) return r;
        if (s >= t.size()) return kAbortAll;
        if (t[s] == '/') return kAbortToStarStar;
      }
    }
    if (ti >= t.size()) return kAbortAll;
    unsigned char tc = static_cast<unsigned char>(t[ti]);
    if (pc == '?') {
      if (tc == '/') return kNoMatch;
      ++pi;
      ++ti;
      continue;
    }
    if (pc == '[') {
      if (tc == '/') return kNoMatch;
      size_t i = pi + 1;
      bool ok = true;
      bool m = MatchClass(p, i, tc, ok);
      if (!ok) return kAbortAll;
      if (!m) return kNoMatch;
      pi = i;
      ++ti;
      continue;
    }
    if (pc == '\\' && pi + 1 < p.size()) pc = p[++pi];
    if (static_cast<unsigned char>(pc) != tc) return kNoMatch;
    ++pi;
    ++ti;
  }
  return ti == t.size() ? kMatch : kNoMatch;
}

bool HasUnterminatedClass(std::string_view p) {
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '\\') {
      ++i;
      continue;
    }
    if (p[i] != '[') continue;
    size_t j = i + 1;
    if (j < p.size() && (p[j] == '!' || p[j] == '^')) ++j;
    if (j < p.size() && p[j] == ']') ++j;
    while (j < p.size() && p[j] != ']') {
      if (p[j] == '[' && j + 1 < p.size() && p[j + 1] == ':') {
        size_t close = p.find(":]", j + 2);
        if (close == std::string_view::npos) return true;
        j = close + 2;
        continue;
      }
      ++j;
    }
    if (j >= p.size()) return true;
    i = j;
  }
  return false;
}

}  // namespace

bool WildMatch(std::string_view pattern, std::string_view text) {
  return Wild(pattern, 0, text, 0) == kMatch;
}

Result<PathGlob> PathGlob::Parse(std::string_view pattern) {
  PathGlob g;
  g.text_ = std::string(pattern);
  std::string p(pattern);
  // Trailing unescaped spaces are not part of the pattern.
  while (!p.empty() && p.back() == ' ' && !(p.size() >= 2 && p[p.size() - 2] == '\\')) p.pop_back();
  if (p.empty()) return Error::InvalidInput("empty path pattern");
  if (p[0] == '!') return Error::InvalidInput("negated pattern '" + g.text_ + "' is not supported");
  if (HasUnterminatedClass(p)) {
    return Error::InvalidInput("unterminated '[' in pattern '" + g.text_ + "'");
  }
  if (p.back() == '/') {
    g.dir_only_ = true;
    while (!p.empty() && p.back() == '/') p.pop_back();
    if (p.empty()) {  // "/" alone: the whole repository
      g.anchored_ = "**";
      g.dir_only_ = false;
      return g;
    }
  }
  bool anchored = p.find('/') != std::string::npos;
  if (p[0] == '/') p.erase(0, 1);
  g.anchored_ = anchored ? p : "**/" + p;
  if (!anchored) {
    // "**/P" matches a path exactly when P matches its last component.
    size_t special = p.find_first_of("*?[\\");
    if (special == std::string::npos) {
      g.base_shape_ = BaseShape::kLiteral;
      g.base_ = p;
    } else if (special == 0 && p[0] == '*' && p.size() > 1 &&
               p.find_first_of("*?[\\", 1) == std::string::npos) {
      g.base_shape_ = BaseShape::kStarSuffix;
      g.base_ = p.substr(1);
    } else {
      g.base_shape_ = BaseShape::kWild;
      g.base_ = p;
    }
  }
  size_t lit = g.anchored_.find_first_of("*?[\\");
  g.prefix_ = g.anchored_.substr(0, lit == std::string::npos ? g.anchored_.size() : lit);
  return g;
}

bool PathGlob::MatchBase(std::string_view name) const {
  switch (base_shape_) {
    case BaseShape::kLiteral:
      return name == base_;
    case BaseShape::kStarSuffix:
      return name.size() >= base_.size() &&
             name.compare(name.size() - base_.size(), base_.size(), base_) == 0;
    case BaseShape::kWild:
      return WildMatch(base_, name);
    case BaseShape::kNone:
      break;
  }
  return false;
}

bool PathGlob::MatchOne(std::string_view s) const {
  if (base_shape_ != BaseShape::kNone) {
    size_t slash = s.rfind('/');
    return MatchBase(slash == std::string_view::npos ? s : s.substr(slash + 1));
  }
  if (s.size() < prefix_.size() || s.compare(0, prefix_.size(), prefix_) != 0) return false;
  return WildMatch(anchored_, s);
}

bool PathGlob::MatchesDirectory(std::string_view dir) const { return MatchOne(dir); }

bool PathGlob::MatchesFile(std::string_view path) const { return !dir_only_ && MatchOne(path); }

bool PathGlob::MatchesFile(std::string_view path, std::string_view base) const {
  if (dir_only_) return false;
  return base_shape_ != BaseShape::kNone ? MatchBase(base) : MatchOne(path);
}

bool PathGlob::Matches(std::string_view path) const {
  if (MatchesFile(path)) return true;
  for (size_t i = path.find('/'); i != std::string_view::npos; i = path.find('/', i + 1)) {
    if (MatchOne(path.substr(0, i))) return true;
  }
  return false;
}

const std::vector<int>& GlobList::DirectoryMatches(std::string_view dir) {
  if (last_matches_ && dir == last_dir_) return *last_matches_;
  const std::vector<int>& found = DirectoryMatchesUncached(dir);
  last_dir_.assign(dir);
  last_matches_ = &found;  // unordered_map never moves its elements
  return found;
}

const std::vector<int>& GlobList::DirectoryMatchesUncached(std::string_view dir) {
  auto it = dir_cache_.find(dir);
  if (it != dir_cache_.end()) return it->second;
  std::vector<int> result;
  if (!dir.empty()) {
    size_t slash = dir.rfind('/');
    std::string_view parent = slash == std::string_view::npos ? "" : dir.substr(0, slash);
    result = DirectoryMatchesUncached(parent);
    for (size_t i = 0; i < globs_.size(); ++i) {
      if (globs_[i].MatchesDirectory(dir)) result.push_back(static_cast<int>(i));
    }
    std::sort(result.begin(), result.end());
    result.erase(std::unique(result.begin(), result.end()), result.end());
  }
  return dir_cache_.emplace(std::string(dir), std::move(result)).first->second;
}

std::vector<int> GlobList::MatchAll(std::string_view path) {
  size_t slash = path.rfind('/');
  std::vector<int> result = DirectoryMatches(slash == std::string_view::npos ? "" : path.substr(0, slash));
  for (size_t i = 0; i < globs_.size(); ++i) {
    if (globs_[i].MatchesFile(path)) result.push_back(static_cast<int>(i));
  }
  std::sort(result.begin(), result.end());
  result.erase(std::unique(result.begin(), result.end()), result.end());
  return result;
}

int GlobList::LastMatch(std::string_view path) {
  size_t slash = path.rfind('/');
  const auto& dirs = DirectoryMatches(slash == std::string_view::npos ? "" : path.substr(0, slash));
  int best = dirs.empty() ? -1 : dirs.back();
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  for (int i = static_cast<int>(globs_.size()) - 1; i > best; --i) {
    if (globs_[i].MatchesFile(path, base)) return i;
  }
  return best;
}

}  // namespace ringfence

#include "engine/rules/matchers/matcher_util.h"

#include <re2/re2.h>

#include <cmath>
#include <memory>
#include <mutex>
#include <sstream>
#include <unordered_map>

namespace ringfence::matchers {

bool NumberRange::Contains(double v) const {
  if (gt && !(v > *gt)) return false;
  if (gte && !(v >= *gte)) return false;
  if (lt && !(v < *lt)) return false;
  if (lte && !(v <= *lte)) return false;
  if (eq && v != *eq) return false;
  return true;
}

bool NumberRange::Satisfiable() const {
  double lo = -1e300, hi = 1e300;
  bool lo_open = false, hi_open = false;
  if (gt) lo = *gt, lo_open = true;
  if (gte && *gte > lo) lo = *gte, lo_open = false;
  if (lt) hi = *lt, hi_open = true;
  if (lte && *lte < hi) hi = *lte, hi_open = false;
  if (eq) return Contains(*eq);
  if (lo > hi) return false;
  if (lo == hi) return !lo_open && !hi_open;
  return true;
}

std::string NumberRange::Describe() const {
  std::ostringstream s;
  auto put = [&](const char* k, const std::optional<double>& v) {
    if (v) s << (s.tellp() > 0 ? " " : "") << k << " " << *v;
  };
  put("gt", gt);
  put("gte", gte);
  put("lt", lt);
  put("lte", lte);
  put("eq", eq);
  return s.str();
}

Result<NumberRange> ParseRange(const YamlDoc& doc, const YAML::Node& node, std::string_view what) {
  if (auto st = doc.CheckKeys(node, {"gt", "gte", "lt", "lte", "eq"},
                              std::string(what) + " (a range like {gt: 10})");
      !st) {
    return st.error();
  }
  NumberRange r;
  for (const auto& kv : node) {
    const std::string& k = kv.first.Scalar();
    if (!kv.second.IsScalar())
      return doc.ErrorAt(kv.second, std::string(what) + "." + k + " must be a number");
    double v = 0;
    try {
      size_t used = 0;
      v = std::stod(kv.second.Scalar(), &used);
      if (used != kv.second.Scalar().size() || !std::isfinite(v)) throw std::invalid_argument("x");
    } catch (const std::exception&) {
      return doc.ErrorAt(kv.second,
                         std::string(what) + "." + k + " must be a number, not '" + kv.second.Scalar() + "'");
    }
    (k == "gt" ? r.gt : k == "gte" ? r.gte : k == "lt" ? r.lt : k == "lte" ? r.lte : r.eq) = v;
  }
  if (r.Empty()) return doc.ErrorAt(node, std::string(what) + " needs at least one of gt, gte, lt, lte, eq");
  return r;
}

bool Globs::Matches(std::string_view path) const { return list.LastMatch(path) >= 0; }

std::string Globs::Describe() const { return "[" + Join(texts) + "]"; }

const std::vector<char>& Globs::Hits(const ChangeFacts& facts) const {
  const auto& files = facts.scope.changes.files;
  auto [it, fresh] = facts.glob_hits_cache.try_emplace(key);
  if (fresh || it->second.size() != files.size()) {
    it->second.assign(files.size(), 0);
    for (size_t i = 0; i < files.size(); ++i) it->second[i] = Matches(files[i].path) ? 1 : 0;
  }
  return it->second;
}

Result<Globs> ParseGlobs(const YamlDoc& doc, const YAML::Node& node, std::string_view what) {
  auto list = doc.StringList(node, what);
  if (!list) return list.error();
  if (list->empty()) return doc.ErrorAt(node, std::string(what) + " must not be empty");
  Globs out;
  for (size_t i = 0; i < list->size(); ++i) {
    auto g = PathGlob::Parse((*list)[i]);
    if (!g) return doc.ErrorAt(node.IsSequence() ? node[i] : node, g.error().message);
    out.list.Add(std::move(*g));
    out.texts.push_back((*list)[i]);
  }
  out.key = out.Describe();
  return out;
}

namespace {

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// `*` and `?` wildcards, case-insensitive, iterative (linear backtracking on the last star).
bool WildcardMatch(std::string_view pat, std::string_view text) {
  size_t p = 0, t = 0, star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pat.size() && (pat[p] == '?' || Lower(pat[p]) == Lower(text[t]))) {
      ++p;
      ++t;
    } else if (p < pat.size() && pat[p] == '*') {
      star = p++;
      resume = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pat.size() && pat[p] == '*') ++p;
  return p == pat.size();
}

// Compiled "re:" patterns, shared by every thread (replays evaluate on several).
const RE2* Regex(const std::string& pattern) {
  static std::mutex mu;
  static std::unordered_map<std::string, std::unique_ptr<RE2>> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto& slot = cache[pattern];
  if (!slot) {
    RE2::Options opts;
    opts.set_case_sensitive(false);
    opts.set_log_errors(false);
    slot = std::make_unique<RE2>(pattern, opts);
  }
  return slot->ok() ? slot.get() : nullptr;
}

}  // namespace

bool NameMatches(const std::vector<std::string>& patterns, std::string_view name) {
  for (const auto& p : patterns) {
    if (p.rfind("re:", 0) == 0) {
      const RE2* re = Regex(p.substr(3));
      if (re && RE2::FullMatch(re2::StringPiece(name.data(), name.size()), *re)) return true;
    } else if (WildcardMatch(p, name)) {
      return true;
    }
  }
  return false;
}

Status CheckNamePatterns(const YamlDoc& doc, const YAML::Node& node,
                         const std::vector<std::string>& patterns) {
  for (size_t i = 0; i < patterns.size(); ++i) {
    if (patterns[i].rfind("re:", 0) != 0) continue;
    RE2::Options opts;
    opts.set_log_errors(false);
    RE2 re(patterns[i].substr(3), opts);
    if (!re.ok()) {
      return doc.ErrorAt(node.IsSequence() && i < node.size() ? node[i] : node,
                         "bad regular expression in '" + patterns[i] + "': " + re.error());
    }
  }
  return Status::Ok();
}

std::string Join(const std::vector<std::string>& items) {
  std::string s;
  for (const auto& i : items) s += (s.empty() ? "" : ", ") + i;
  return s;
}

}  // namespace ringfence::matchers

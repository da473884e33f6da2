#include "engine/rules/matchers/matcher_util.h"

#include <cmath>
#include <sstream>

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
  if (auto st = doc.CheckKeys(node, {"gt", "gte", "lt", "lte", "eq"}, std::string(what) + " (a range like {gt: 10})");
      !st) {
    return st.error();
  }
  NumberRange r;
  for (const auto& kv : node) {
    const std::string& k = kv.first.Scalar();
    if (!kv.second.IsScalar()) return doc.ErrorAt(kv.second, std::string(what) + "." + k + " must be a number");
    double v = 0;
    try {
      size_t used = 0;
      v = std::stod(kv.second.Scalar(), &used);
      if (used != kv.second.Scalar().size() || !std::isfinite(v)) throw std::invalid_argument("x");
    } catch (const std::exception&) {
      return doc.ErrorAt(kv.second, std::string(what) + "." + k + " must be a number, not '" + kv.second.Scalar() + "'");
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

bool NameMatches(const std::vector<std::string>& patterns, std::string_view name) {
  for (const auto& p : patterns) {
    // Names may contain '/', which WildMatch's `*` does not cross; match per segment-free form.
    std::string pat = p, text(name);
    for (char& c : pat) if (c == '/') c = '\x01';
    for (char& c : text) if (c == '/') c = '\x01';
    std::string lower_pat, lower_text;
    for (char c : pat) lower_pat += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (char c : text) lower_text += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (WildMatch(lower_pat, lower_text)) return true;
  }
  return false;
}

std::string Join(const std::vector<std::string>& items) {
  std::string s;
  for (const auto& i : items) s += (s.empty() ? "" : ", ") + i;
  return s;
}

}  // namespace ringfence::matchers

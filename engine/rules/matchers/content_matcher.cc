// added_lines: an added line matches a regular expression. RE2 runs in time linear in the input,
// so no rule file can make the gate hang; its memory is bounded too.
#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <map>

#include "engine/rules/matcher_registry.h"
#include "engine/rules/matchers/matcher_util.h"

namespace ringfence {
namespace {

constexpr int64_t kMaxRegexMemory = 8 << 20;
constexpr size_t kMaxEvidence = 20;  // per rule: enough to act on, bounded for huge diffs

// The regexes of every added_lines condition with the same file scope and case rule, compiled
// into one RE2::Set: each added line is scanned once for all of them.
class ContentSet {
 public:
  ContentSet(const std::optional<matchers::Globs>* files, const RE2::Options& opts)
      : files_(files), set_(opts, RE2::UNANCHORED) {}
  int Add(const std::string& pattern) { return set_.Add(pattern, nullptr); }
  bool Compile() { return set_.Compile(); }

  // Per pattern: the (file, line) index pairs of added lines it matches; computed once per facts.
  const std::vector<std::pair<uint32_t, uint32_t>>& Hits(const ChangeFacts& facts, int pattern,
                                                         size_t count) const {
    auto [it, fresh] = facts.content_cache.try_emplace(this);
    if (fresh) {
      it->second.resize(count);
      const std::vector<char>* in_scope = *files_ ? &(*files_)->Hits(facts) : nullptr;
      const auto& all = facts.scope.changes.files;
      std::vector<int> ids;
      for (size_t i = 0; i < all.size(); ++i) {
        if ((in_scope && !(*in_scope)[i]) || all[i].binary) continue;
        for (size_t l = 0; l < all[i].added_lines.size(); ++l) {
          ids.clear();
          if (!set_.Match(all[i].added_lines[l].text, &ids)) continue;
          for (int id : ids) it->second[static_cast<size_t>(id)].emplace_back(i, l);
        }
      }
    }
    return it->second[static_cast<size_t>(pattern)];
  }

 private:
  const std::optional<matchers::Globs>* files_;  // owned by the first member matcher
  RE2::Set set_;
};

class AddedLinesMatcher : public Matcher {
 public:
  AddedLinesMatcher(std::unique_ptr<RE2> re, std::optional<matchers::Globs> files)
      : re_(std::move(re)), files_(std::move(files)) {}

  std::string GroupKey() const {
    return (re_->options().case_sensitive() ? "cs " : "ci ") +
           (files_ ? files_->Describe() : std::string("*"));
  }
  const std::optional<matchers::Globs>* files() const { return &files_; }
  const RE2& re() const { return *re_; }
  void JoinSet(std::shared_ptr<const ContentSet> set, int index, size_t size) {
    set_ = std::move(set);
    set_index_ = index;
    set_size_ = size;
  }

  MatchResult Evaluate(const ChangeFacts& facts) const override {
    if (set_) return FromSet(facts);
    MatchResult r;
    const std::vector<char>* hits = files_ ? &files_->Hits(facts) : nullptr;
    const auto& all = facts.scope.changes.files;
    for (size_t i = 0; i < all.size(); ++i) {
      const FileChange& f = all[i];
      if (hits && !(*hits)[i]) continue;
      if (f.binary) continue;
      for (const auto& line : f.added_lines) {
        if (!RE2::PartialMatch(line.text, *re_)) continue;
        r.matched = true;
        if (r.evidence.size() < kMaxEvidence) {
          std::string text = line.text.size() > 200 ? line.text.substr(0, 200) + "..." : line.text;
          r.evidence.push_back({f.path, line.line, "added line matches /" + re_->pattern() + "/: " + text});
        }
      }
    }
    return r;
  }
  std::string Describe() const override {
    return "added_lines /" + re_->pattern() + "/" + (files_ ? " in " + files_->Describe() : "");
  }

 private:
  MatchResult FromSet(const ChangeFacts& facts) const {
    MatchResult r;
    const auto& all = facts.scope.changes.files;
    for (const auto& [file, line] : set_->Hits(facts, set_index_, set_size_)) {
      r.matched = true;
      if (r.evidence.size() >= kMaxEvidence) break;
      const auto& added = all[file].added_lines[line];
      std::string text = added.text.size() > 200 ? added.text.substr(0, 200) + "..." : added.text;
      r.evidence.push_back(
          {all[file].path, added.line, "added line matches /" + re_->pattern() + "/: " + text});
    }
    return r;
  }

  std::unique_ptr<RE2> re_;
  std::optional<matchers::Globs> files_;
  std::shared_ptr<const ContentSet> set_;
  int set_index_ = 0;
  size_t set_size_ = 0;
};

}  // namespace

void IndexContentMatchers(RuleSet& rules) {
  std::map<std::string, std::vector<AddedLinesMatcher*>> groups;
  for (auto& rule : rules.rules) {
    rule.when->ForEach([&](Matcher& m) {
      if (auto* a = dynamic_cast<AddedLinesMatcher*>(&m)) groups[a->GroupKey()].push_back(a);
    });
  }
  for (auto& [key, members] : groups) {
    if (members.size() < 2) continue;
    RE2::Options opts = members.front()->re().options();
    auto set = std::make_shared<ContentSet>(members.front()->files(), opts);
    std::vector<int> ids;
    for (auto* m : members) ids.push_back(set->Add(m->re().pattern()));
    if (std::find(ids.begin(), ids.end(), -1) != ids.end() || !set->Compile())
      continue;  // each keeps its own
    for (size_t i = 0; i < members.size(); ++i) members[i]->JoinSet(set, ids[i], members.size());
  }
}

Result<std::unique_ptr<Matcher>> ParseAddedLines(const YamlDoc& doc, const YAML::Node& v) {
  if (auto st = doc.CheckKeys(v, {"matches", "files", "ignore_case"}, "added_lines"); !st) return st.error();
  if (!v["matches"]) return doc.ErrorAt(v, "added_lines needs `matches: <regular expression>`");
  auto pattern = doc.String(v["matches"], "matches");
  if (!pattern) return pattern.error();
  RE2::Options opts;
  opts.set_log_errors(false);
  opts.set_max_mem(kMaxRegexMemory);
  if (v["ignore_case"]) {
    auto ic = doc.Bool(v["ignore_case"], "ignore_case");
    if (!ic) return ic.error();
    opts.set_case_sensitive(!*ic);
  }
  auto re = std::make_unique<RE2>(*pattern, opts);
  if (!re->ok()) return doc.ErrorAt(v["matches"], "bad regular expression: " + re->error());
  std::optional<matchers::Globs> files;
  if (v["files"]) {
    auto g = matchers::ParseGlobs(doc, v["files"], "files");
    if (!g) return g.error();
    files = std::move(*g);
  }
  return std::unique_ptr<Matcher>(new AddedLinesMatcher(std::move(re), std::move(files)));
}

}  // namespace ringfence

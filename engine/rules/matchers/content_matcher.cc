// added_lines: an added line matches a regular expression. RE2 runs in time linear in the input,
// so no rule file can make the gate hang; its memory is bounded too.
#include <re2/re2.h>

#include "engine/rules/matcher_registry.h"
#include "engine/rules/matchers/matcher_util.h"

namespace ringfence {
namespace {

constexpr int64_t kMaxRegexMemory = 8 << 20;
constexpr size_t kMaxEvidence = 20;  // per rule: enough to act on, bounded for huge diffs

class AddedLinesMatcher : public Matcher {
 public:
  AddedLinesMatcher(std::unique_ptr<RE2> re, std::optional<matchers::Globs> files)
      : re_(std::move(re)), files_(std::move(files)) {}
  MatchResult Evaluate(const ChangeFacts& facts) const override {
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
  std::unique_ptr<RE2> re_;
  std::optional<matchers::Globs> files_;
};

}  // namespace

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

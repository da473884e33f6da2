// all / any / not: conditions that compose conditions.
#include "engine/rules/matcher_registry.h"

namespace ringfence {
namespace {

class ListMatcher : public Matcher {
 public:
  ListMatcher(bool all, std::vector<std::unique_ptr<Matcher>> items) : all_(all), items_(std::move(items)) {}
  MatchResult Evaluate(const ChangeFacts& facts) const override {
    MatchResult out;
    out.matched = all_;
    for (const auto& m : items_) {
      MatchResult r = m->Evaluate(facts);
      if (r.indeterminate && !out.indeterminate) out.indeterminate = r.indeterminate;
      if (r.matched) {
        out.evidence.insert(out.evidence.end(), r.evidence.begin(), r.evidence.end());
        if (!all_) out.matched = true;
      } else if (all_) {
        out.matched = false;
        out.evidence.clear();
        return out;  // short-circuit: later conditions cannot change the outcome
      }
    }
    if (!out.matched) out.evidence.clear();
    return out;
  }
  void ForEach(const std::function<void(Matcher&)>& fn) override {
    fn(*this);
    for (auto& m : items_) m->ForEach(fn);
  }
  std::optional<std::string> Impossible(const LintContext& ctx) const override {
    std::optional<std::string> last;
    for (const auto& m : items_) {
      auto why = m->Impossible(ctx);
      if (why && all_) return why;             // one impossible part sinks an `all`
      if (!why && !all_) return std::nullopt;  // one possible part saves an `any`
      last = why;
    }
    return all_ ? std::nullopt : last;
  }
  std::string Describe() const override {
    std::string s = all_ ? "all(" : "any(";
    for (size_t i = 0; i < items_.size(); ++i) s += (i ? "; " : "") + items_[i]->Describe();
    return s + ")";
  }

 private:
  bool all_;
  std::vector<std::unique_ptr<Matcher>> items_;
};

class NotMatcher : public Matcher {
 public:
  explicit NotMatcher(std::unique_ptr<Matcher> inner) : inner_(std::move(inner)) {}
  MatchResult Evaluate(const ChangeFacts& facts) const override {
    MatchResult r = inner_->Evaluate(facts);
    MatchResult out;
    out.matched = !r.matched;
    out.indeterminate = r.indeterminate;
    if (out.matched) out.evidence.push_back({"", 0, "not: " + inner_->Describe()});
    return out;
  }
  std::string Describe() const override { return "not(" + inner_->Describe() + ")"; }
  void ForEach(const std::function<void(Matcher&)>& fn) override {
    fn(*this);
    inner_->ForEach(fn);
  }

 private:
  std::unique_ptr<Matcher> inner_;
};

Result<std::unique_ptr<Matcher>> ParseList(const YamlDoc& doc, const YAML::Node& value, bool all) {
  if (!value.IsSequence() || value.size() == 0) {
    return doc.ErrorAt(value, std::string(all ? "all" : "any") + " takes a non-empty list of conditions");
  }
  std::vector<std::unique_ptr<Matcher>> items;
  for (const auto& item : value) {
    auto m = ParseCondition(doc, item);
    if (!m) return m.error();
    items.push_back(std::move(*m));
  }
  return std::unique_ptr<Matcher>(new ListMatcher(all, std::move(items)));
}

}  // namespace

Result<std::unique_ptr<Matcher>> ParseAll(const YamlDoc& doc, const YAML::Node& v) {
  return ParseList(doc, v, true);
}
Result<std::unique_ptr<Matcher>> ParseAny(const YamlDoc& doc, const YAML::Node& v) {
  return ParseList(doc, v, false);
}

Result<std::unique_ptr<Matcher>> ParseNot(const YamlDoc& doc, const YAML::Node& v) {
  auto inner = ParseCondition(doc, v);
  if (!inner) return inner.error();
  return std::unique_ptr<Matcher>(new NotMatcher(std::move(*inner)));
}

}  // namespace ringfence

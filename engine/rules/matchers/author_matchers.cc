// Conditions on who made the change: author kind, AI agent, branch, labels.
#include "engine/rules/matcher_registry.h"
#include "engine/rules/matchers/matcher_util.h"

namespace ringfence {
namespace {

class AuthorMatcher : public Matcher {
 public:
  explicit AuthorMatcher(std::vector<std::string> kinds) : kinds_(std::move(kinds)) {}
  MatchResult Evaluate(const ChangeFacts& facts) const override {
    MatchResult r;
    for (const auto& k : kinds_) {
      if (k == ToString(facts.author_kind)) {
        r.matched = true;
        r.evidence.push_back({"", 0,
                              std::string(ToString(facts.author_kind)) + " author" +
                                  (facts.author_evidence.empty() ? "" : ": " + facts.author_evidence)});
      }
    }
    return r;
  }
  std::string Describe() const override { return "author [" + matchers::Join(kinds_) + "]"; }

 private:
  std::vector<std::string> kinds_;
};

class AgentMatcher : public Matcher {
 public:
  explicit AgentMatcher(std::vector<std::string> p) : patterns_(std::move(p)) {}
  MatchResult Evaluate(const ChangeFacts& facts) const override {
    MatchResult r;
    for (const auto& a : facts.agents) {
      if (matchers::NameMatches(patterns_, a)) {
        r.matched = true;
        r.evidence.push_back({"", 0, "agent " + a});
      }
    }
    return r;
  }
  std::string Describe() const override { return "agent [" + matchers::Join(patterns_) + "]"; }

 private:
  std::vector<std::string> patterns_;
};

class BranchMatcher : public Matcher {
 public:
  explicit BranchMatcher(std::vector<std::string> p) : patterns_(std::move(p)) {}
  MatchResult Evaluate(const ChangeFacts& facts) const override {
    MatchResult r;
    if (facts.branch.empty()) {
      r.indeterminate = "the branch is unknown (give --branch)";
      return r;
    }
    r.matched = matchers::NameMatches(patterns_, facts.branch);
    if (r.matched) r.evidence.push_back({"", 0, "branch " + facts.branch});
    return r;
  }
  std::string Describe() const override { return "branch [" + matchers::Join(patterns_) + "]"; }

 private:
  std::vector<std::string> patterns_;
};

class LabelsMatcher : public Matcher {
 public:
  explicit LabelsMatcher(std::vector<std::string> l) : labels_(std::move(l)) {}
  MatchResult Evaluate(const ChangeFacts& facts) const override {
    MatchResult r;
    for (const auto& have : facts.labels) {
      for (const auto& want : labels_) {
        if (have == want) {
          r.matched = true;
          r.evidence.push_back({"", 0, "label " + have});
        }
      }
    }
    return r;
  }
  std::string Describe() const override { return "labels [" + matchers::Join(labels_) + "]"; }

 private:
  std::vector<std::string> labels_;
};

}  // namespace

Result<std::unique_ptr<Matcher>> ParseAuthor(const YamlDoc& doc, const YAML::Node& v) {
  auto list = doc.StringList(v, "author");
  if (!list) return list.error();
  for (size_t i = 0; i < list->size(); ++i) {
    const auto& k = (*list)[i];
    if (k != "ai" && k != "bot" && k != "human") {
      return doc.ErrorAt(v.IsSequence() ? v[i] : v, "author must be ai, bot or human, not '" + k + "'");
    }
  }
  return std::unique_ptr<Matcher>(new AuthorMatcher(std::move(*list)));
}

Result<std::unique_ptr<Matcher>> ParseAgent(const YamlDoc& doc, const YAML::Node& v) {
  auto list = doc.StringList(v, "agent");
  if (!list) return list.error();
  if (auto st = matchers::CheckNamePatterns(doc, v, *list); !st) return st.error();
  return std::unique_ptr<Matcher>(new AgentMatcher(std::move(*list)));
}

Result<std::unique_ptr<Matcher>> ParseBranch(const YamlDoc& doc, const YAML::Node& v) {
  auto list = doc.StringList(v, "branch");
  if (!list) return list.error();
  if (auto st = matchers::CheckNamePatterns(doc, v, *list); !st) return st.error();
  return std::unique_ptr<Matcher>(new BranchMatcher(std::move(*list)));
}

Result<std::unique_ptr<Matcher>> ParseLabels(const YamlDoc& doc, const YAML::Node& v) {
  auto list = doc.StringList(v, "labels");
  if (!list) return list.error();
  return std::unique_ptr<Matcher>(new LabelsMatcher(std::move(*list)));
}

}  // namespace ringfence

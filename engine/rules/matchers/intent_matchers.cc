// Declared intent vs the actual diff, and changes to the files that guard changes.
#include "engine/rules/file_kinds.h"
#include "engine/rules/matcher_registry.h"
#include "engine/rules/matchers/matcher_util.h"

namespace ringfence {
namespace {

class OutsideIntentMatcher : public Matcher {
 public:
  explicit OutsideIntentMatcher(bool want) : want_(want) {}
  MatchResult Evaluate(const ChangeFacts& facts) const override {
    MatchResult r;
    if (!facts.intent.declared) {
      r.matched = false;  // nothing declared: see intent_declared
      return r;
    }
    std::vector<PathGlob> globs;
    for (const auto& p : facts.intent.paths) {
      if (auto g = PathGlob::Parse(p)) globs.push_back(std::move(*g));
    }
    // A file is inside the intent when a declared glob matches it or it belongs to a declared component.
    for (const auto& f : facts.scope.changes.files) {
      bool inside = false;
      for (const auto& g : globs) inside = inside || g.Matches(f.path);
      for (const auto& a : facts.scope.affected) {
        if (inside) break;
        if (a.kind != NodeKind::kComponent || a.distance != 1 || !a.via || a.via->from != f.path) continue;
        for (const auto& c : facts.intent.components) inside = inside || a.node == "component:" + c;
      }
      if (!inside)
        r.evidence.push_back({f.path, 0, "outside the declared intent (" + facts.intent.source + ")"});
    }
    // An action is inside when its environment and every target are among those declared (a
    // local path target may also match a declared path glob). Where the guard cannot tell (an
    // unknown environment, an opaque action's targets), it is neither.
    std::string unknown;
    for (const Action& a : facts.actions) {
      const Intent& in = facts.intent;
      Tristate inside = Tristate::kTrue;
      std::string where;
      if (!in.environments.empty()) {
        if (a.environment.empty()) {
          inside = Tristate::kUnknown;
          where = "its environment is unknown";
        } else if (!matchers::NameMatches(in.environments, a.environment)) {
          inside = Tristate::kFalse;
          where = "environment " + a.environment;
        }
      }
      if (inside != Tristate::kFalse && (!in.targets.empty() || !globs.empty())) {
        if (a.opaque) {
          inside = Tristate::kUnknown;
          where = "the guard cannot read its targets";
        }
        for (const auto& t : a.targets) {
          if (a.opaque) break;
          bool ok = matchers::NameMatches(in.targets, t);
          std::string path = t.size() > 1 && t[0] == '/' ? t.substr(1) : t;
          for (const auto& g : globs) ok = ok || g.Matches(path);
          if (!ok) {
            inside = Tristate::kFalse;
            where = "target " + t;
            break;
          }
        }
      }
      if (inside == Tristate::kFalse)
        r.evidence.push_back(
            {a.source, a.line,
             a.tool + " " + a.verb + ": " + where + " is outside the declared task (" + in.source + ")"});
      else if (inside == Tristate::kUnknown && unknown.empty())
        unknown =
            a.tool + " " + a.verb + ": whether it is inside the declared task is unknown (" + where + ")";
    }
    r.matched = !r.evidence.empty() == want_;
    if (r.evidence.empty() && !unknown.empty()) {
      r.matched = false;
      r.indeterminate = unknown;
    }
    if (!r.matched || !want_) r.evidence.clear();
    return r;
  }
  std::string Describe() const override {
    return std::string("outside_intent ") + (want_ ? "true" : "false");
  }

 private:
  bool want_;
};

class IntentDeclaredMatcher : public Matcher {
 public:
  explicit IntentDeclaredMatcher(bool want) : want_(want) {}
  MatchResult Evaluate(const ChangeFacts& facts) const override {
    MatchResult r;
    r.matched = facts.intent.declared == want_;
    if (r.matched)
      r.evidence.push_back(
          {"", 0,
           facts.intent.declared ? "intent declared in " + facts.intent.source : "no intent declared"});
    return r;
  }
  std::string Describe() const override {
    return std::string("intent_declared ") + (want_ ? "true" : "false");
  }

 private:
  bool want_;
};

class GuardFilesMatcher : public Matcher {
 public:
  MatchResult Evaluate(const ChangeFacts& facts) const override {
    MatchResult r;
    for (const auto& f : facts.scope.changes.files) {
      std::string why;
      for (const auto& g : facts.guard_paths) {
        if (f.path == g || f.old_path == g || (f.path.rfind(g + "/", 0) == 0))
          why = "changes the rules that judge it";
      }
      for (const std::string* p : {&f.path, &f.old_path}) {
        std::string_view name = *p;
        std::string_view base =
            name.substr(name.rfind('/') == std::string_view::npos ? 0 : name.rfind('/') + 1);
        if (name == "CODEOWNERS" || name == ".github/CODEOWNERS" || name == "docs/CODEOWNERS")
          why = "changes CODEOWNERS";
        if (base == ".gitattributes") why = "changes git attributes (how git presents content)";
        if (name.rfind(".ringfence/", 0) == 0) why = "changes ringfence configuration (rules, components)";
      }
      if (FileKindsOf(facts, static_cast<size_t>(&f - facts.scope.changes.files.data())) & KindBit("ci")) {
        why = "changes CI configuration";
      }
      if (!why.empty()) r.evidence.push_back({f.path, 0, why});
    }
    r.matched = !r.evidence.empty();
    return r;
  }
  std::string Describe() const override { return "guard_files true"; }
};

}  // namespace

Result<std::unique_ptr<Matcher>> ParseOutsideIntent(const YamlDoc& doc, const YAML::Node& v) {
  auto b = doc.Bool(v, "outside_intent");
  if (!b) return b.error();
  return std::unique_ptr<Matcher>(new OutsideIntentMatcher(*b));
}

Result<std::unique_ptr<Matcher>> ParseIntentDeclared(const YamlDoc& doc, const YAML::Node& v) {
  auto b = doc.Bool(v, "intent_declared");
  if (!b) return b.error();
  return std::unique_ptr<Matcher>(new IntentDeclaredMatcher(*b));
}

Result<std::unique_ptr<Matcher>> ParseGuardFiles(const YamlDoc& doc, const YAML::Node& v) {
  auto b = doc.Bool(v, "guard_files");
  if (!b) return b.error();
  if (!*b) return doc.ErrorAt(v, "guard_files only takes true (use `not:` for the opposite)");
  return std::unique_ptr<Matcher>(new GuardFilesMatcher());
}

}  // namespace ringfence

// dependency_bump: a manifest changes a dependency's version (engine/rules/dependency_bumps.h).
#include "engine/rules/matcher_registry.h"
#include "engine/rules/matchers/matcher_util.h"

namespace ringfence {
namespace {

class DependencyMatcher : public Matcher {
 public:
  std::vector<std::string> levels, ecosystems, packages;
  MatchResult Evaluate(const ChangeFacts& facts) const override {
    MatchResult r;
    for (const auto& b : facts.bumps) {
      if (!levels.empty() && !matchers::NameMatches(levels, ToString(b.level))) continue;
      if (!ecosystems.empty() && !matchers::NameMatches(ecosystems, b.ecosystem)) continue;
      if (!packages.empty() && !matchers::NameMatches(packages, b.package)) continue;
      r.matched = true;
      r.evidence.push_back({b.manifest, b.line,
                            std::string(ToString(b.level)) + " " + b.ecosystem + " " + b.package + " " +
                                (b.from.empty() ? "-" : b.from) + " -> " + (b.to.empty() ? "-" : b.to)});
    }
    return r;
  }
  std::string Describe() const override {
    return "dependency_bump(level [" + matchers::Join(levels) + "] ecosystems [" +
           matchers::Join(ecosystems) + "] packages [" + matchers::Join(packages) + "])";
  }
};

}  // namespace

Result<std::unique_ptr<Matcher>> ParseDependencyBump(const YamlDoc& doc, const YAML::Node& v) {
  auto m = std::make_unique<DependencyMatcher>();
  if (v.IsScalar()) {  // `dependency_bump: major`
    m->levels = {v.Scalar()};
  } else {
    if (auto st = doc.CheckKeys(v, {"level", "ecosystems", "packages"}, "dependency_bump"); !st)
      return st.error();
    for (const auto& kv : v) {
      auto list = doc.StringList(kv.second, kv.first.Scalar());
      if (!list) return list.error();
      const std::string& k = kv.first.Scalar();
      (k == "level" ? m->levels : k == "ecosystems" ? m->ecosystems : m->packages) = *list;
    }
  }
  for (const auto& l : m->levels) {
    if (l != "major" && l != "minor" && l != "patch" && l != "added" && l != "removed" && l != "other" &&
        l != "*") {
      return doc.ErrorAt(
          v, "dependency_bump level must be major, minor, patch, added, removed or other, not '" + l + "'");
    }
  }
  for (const auto& e : m->ecosystems) {
    if (e != "npm" && e != "go" && e != "cargo" && e != "pypi") {
      return doc.ErrorAt(v, "unknown ecosystem '" + e + "' (npm, go, cargo, pypi)");
    }
  }
  return std::unique_ptr<Matcher>(std::move(m));
}

}  // namespace ringfence

// Conditions on what a changed file's content is: uninspectable (no text rules can read), and
// symlinks with where they point.
#include "engine/rules/matcher_registry.h"
#include "engine/rules/matchers/matcher_util.h"
#include "engine/scope/symlink_target.h"

namespace ringfence {
namespace {

using matchers::NumberRange;

class UninspectableMatcher : public Matcher {
 public:
  MatchResult Evaluate(const ChangeFacts& facts) const override {
    MatchResult r;
    for (const auto& f : facts.scope.changes.files) {
      if (f.uninspectable.empty()) continue;
      r.matched = true;
      r.evidence.push_back({f.path, 0, "content rules cannot read it: " + f.uninspectable});
    }
    return r;
  }
  std::string Describe() const override { return "uninspectable true"; }
};

// symlink: {outside_repo: true, target_tier: {lte: 0}, targets: [globs]}: a changed symlink for
// which every given condition holds.
class SymlinkMatcher : public Matcher {
 public:
  std::optional<bool> outside_repo;
  std::optional<NumberRange> target_tier;
  std::optional<matchers::Globs> targets;

  MatchResult Evaluate(const ChangeFacts& facts) const override {
    MatchResult r;
    for (const auto& f : facts.scope.changes.files) {
      if (!f.IsSymlink()) continue;
      auto resolved = ResolveSymlinkTarget(f.path, f.symlink_target);
      std::string why = "symlink to " + f.symlink_target;
      if (outside_repo) {
        if (resolved.has_value() == *outside_repo) continue;
        why += resolved ? " (inside the repository)" : " (outside the repository)";
      }
      if (targets) {
        if (!resolved || !(targets->Matches(*resolved) || targets->Matches(*resolved + "/"))) continue;
        why += ", a path in " + targets->Describe();
      }
      if (target_tier) {
        int best = -1;
        std::string name;
        auto it = facts.symlink_target_components.find(f.path);
        if (resolved && it != facts.symlink_target_components.end()) {
          for (const auto& c : it->second) {
            if (c.tier >= 0 && (best < 0 || c.tier < best)) best = c.tier, name = c.name;
          }
        }
        if (best < 0 || !target_tier->Contains(best)) continue;
        why += ", into tier-" + std::to_string(best) + " component " + name;
      }
      r.matched = true;
      r.evidence.push_back({f.path, 0, why});
    }
    return r;
  }
  std::string Describe() const override {
    std::string s = "symlink";
    if (outside_repo) s += std::string(" outside_repo ") + (*outside_repo ? "true" : "false");
    if (target_tier) s += " target_tier " + target_tier->Describe();
    if (targets) s += " targets " + targets->Describe();
    return s;
  }
};

}  // namespace

Result<std::unique_ptr<Matcher>> ParseUninspectable(const YamlDoc& doc, const YAML::Node& v) {
  auto b = doc.Bool(v, "uninspectable");
  if (!b) return b.error();
  if (!*b) return doc.ErrorAt(v, "uninspectable only takes true (use `not:` for the opposite)");
  return std::unique_ptr<Matcher>(new UninspectableMatcher());
}

Result<std::unique_ptr<Matcher>> ParseSymlink(const YamlDoc& doc, const YAML::Node& v) {
  auto m = std::make_unique<SymlinkMatcher>();
  if (v.IsScalar()) {
    auto b = doc.Bool(v, "symlink");
    if (!b) return b.error();
    if (!*b) return doc.ErrorAt(v, "symlink takes true or {outside_repo, target_tier, targets}");
    return std::unique_ptr<Matcher>(std::move(m));
  }
  if (auto st = doc.CheckKeys(v, {"outside_repo", "target_tier", "targets"}, "symlink"); !st)
    return st.error();
  if (auto st = doc.Optional(v, "outside_repo", m->outside_repo); !st) return st.error();
  if (v["target_tier"]) {
    auto r = matchers::ParseRange(doc, v["target_tier"], "target_tier");
    if (!r) return r.error();
    m->target_tier = *r;
  }
  if (v["targets"]) {
    auto g = matchers::ParseGlobs(doc, v["targets"], "targets");
    if (!g) return g.error();
    m->targets = std::move(*g);
  }
  return std::unique_ptr<Matcher>(std::move(m));
}

}  // namespace ringfence

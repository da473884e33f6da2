// Conditions on what the change reaches: components, the blast radius, global channels, owners.
#include <algorithm>

#include "engine/rules/matcher_registry.h"
#include "engine/rules/matchers/matcher_util.h"

namespace ringfence {
namespace {

using matchers::NumberRange;

class ComponentsMatcher : public Matcher {
 public:
  ComponentsMatcher(std::vector<std::string> names, bool direct)
      : names_(std::move(names)), direct_(direct) {}
  MatchResult Evaluate(const ChangeFacts& facts) const override {
    MatchResult r;
    for (const auto& c : facts.scope.components) {
      if (direct_ && !c.changed_directly) continue;
      if (!matchers::NameMatches(names_, c.name)) continue;
      r.matched = true;
      r.evidence.push_back(
          {"", 0,
           "component " + c.name +
               (direct_ ? " changed" : " affected at distance " + std::to_string(c.distance))});
    }
    return r;
  }
  std::string Describe() const override {
    return std::string(direct_ ? "components [" : "affected_components [") + matchers::Join(names_) + "]";
  }
  std::optional<std::string> Impossible(const LintContext& ctx) const override {
    if (ctx.components.empty()) return std::nullopt;
    for (const auto& c : ctx.components) {
      if (matchers::NameMatches(names_, c)) return std::nullopt;
    }
    return "no component of the repository is named " + matchers::Join(names_);
  }

 private:
  std::vector<std::string> names_;
  bool direct_;
};

class GlobalChannelMatcher : public Matcher {
 public:
  explicit GlobalChannelMatcher(bool want) : want_(want) {}
  MatchResult Evaluate(const ChangeFacts& facts) const override {
    MatchResult r;
    for (const auto& c : facts.scope.components) {
      if (c.global_channel && c.changed_directly)
        r.evidence.push_back({"", 0, "global channel " + c.name + " changed"});
    }
    r.matched = !r.evidence.empty() == want_;
    if (!r.matched) r.evidence.clear();
    return r;
  }
  std::string Describe() const override {
    return std::string("global_channel ") + (want_ ? "true" : "false");
  }

 private:
  bool want_;
};

// ", via <step>; <step>..." from the changed file to `node`, following each affected node's edge.
std::string Chain(const ScopeReport& s, const std::string& node) {
  std::vector<std::string> steps;
  std::string at = node;
  for (int guard = 0; guard < 16; ++guard) {
    auto it = std::find_if(s.affected.begin(), s.affected.end(),
                           [&](const AffectedNode& a) { return a.node == at; });
    if (it == s.affected.end() || !it->via) break;
    steps.push_back(it->via->text);
    at = it->via->from;
  }
  std::string out;
  for (auto st = steps.rbegin(); st != steps.rend(); ++st) out += (out.empty() ? ", via " : "; ") + *st;
  return out;
}

class BlastRadiusMatcher : public Matcher {
 public:
  std::optional<NumberRange> components, files, tier, distance;
  MatchResult Evaluate(const ChangeFacts& facts) const override {
    const ScopeReport& s = facts.scope;
    size_t nfiles = 0;
    int max_distance = 0;
    for (const auto& a : s.affected) {
      if (a.kind == NodeKind::kFile && a.distance > 0) ++nfiles;
      if (a.kind == NodeKind::kFile || a.kind == NodeKind::kComponent)
        max_distance = std::max(max_distance, a.distance);
    }
    int best_tier = -1;
    std::string best_name;
    for (const auto& c : s.components) {
      if (c.tier >= 0 && (best_tier < 0 || c.tier < best_tier)) {
        best_tier = c.tier;
        best_name = c.name;
      }
    }
    MatchResult r;
    r.matched = true;
    auto check = [&](const std::optional<NumberRange>& range, double v, const std::string& what) {
      if (!range) return;
      if (range->Contains(v)) {
        r.evidence.push_back({"", 0, what});
      } else {
        r.matched = false;
      }
    };
    check(components, static_cast<double>(s.components.size()),
          std::to_string(s.components.size()) + " components in the blast radius");
    check(files, static_cast<double>(nfiles), std::to_string(nfiles) + " other files in the blast radius");
    if (tier) {
      if (best_tier < 0)
        r.matched = false;  // no component with a tier reached
      else
        check(tier, best_tier,
              "tier " + std::to_string(best_tier) + " component " + best_name + " reached" +
                  Chain(s, "component:" + best_name));
    }
    check(distance, max_distance, "impact travels " + std::to_string(max_distance) + " edges");
    if (!r.matched) r.evidence.clear();
    return r;
  }
  std::optional<std::string> Impossible(const LintContext&) const override {
    for (const auto* r : {&components, &files, &tier, &distance}) {
      if (*r && !(*r)->Satisfiable()) return "blast_radius range " + (*r)->Describe() + " is empty";
    }
    return std::nullopt;
  }
  std::string Describe() const override {
    std::string d = "blast_radius(";
    if (components) d += "components " + components->Describe() + ";";
    if (files) d += "files " + files->Describe() + ";";
    if (tier) d += "tier " + tier->Describe() + ";";
    if (distance) d += "distance " + distance->Describe() + ";";
    return d + ")";
  }
};

class OwnersMatcher : public Matcher {
 public:
  explicit OwnersMatcher(std::vector<std::string> owners) : owners_(std::move(owners)) {}
  MatchResult Evaluate(const ChangeFacts& facts) const override {
    MatchResult r;
    for (const auto& o : facts.scope.owners) {
      if (matchers::NameMatches(owners_, o.owner)) {
        r.matched = true;
        r.evidence.push_back({"", 0, "owner " + o.owner + " (via " + o.because + ")"});
      }
    }
    return r;
  }
  std::string Describe() const override { return "owners [" + matchers::Join(owners_) + "]"; }

 private:
  std::vector<std::string> owners_;
};

Result<std::vector<std::string>> Names(const YamlDoc& doc, const YAML::Node& v, const char* what) {
  auto list = doc.StringList(v, what);
  if (!list) return list.error();
  if (list->empty()) return doc.ErrorAt(v, std::string(what) + " must not be empty");
  return list;
}

}  // namespace

Result<std::unique_ptr<Matcher>> ParseComponents(const YamlDoc& doc, const YAML::Node& v) {
  auto names = Names(doc, v, "components");
  if (!names) return names.error();
  return std::unique_ptr<Matcher>(new ComponentsMatcher(std::move(*names), true));
}

Result<std::unique_ptr<Matcher>> ParseAffectedComponents(const YamlDoc& doc, const YAML::Node& v) {
  auto names = Names(doc, v, "affected_components");
  if (!names) return names.error();
  return std::unique_ptr<Matcher>(new ComponentsMatcher(std::move(*names), false));
}

Result<std::unique_ptr<Matcher>> ParseGlobalChannel(const YamlDoc& doc, const YAML::Node& v) {
  auto b = doc.Bool(v, "global_channel");
  if (!b) return b.error();
  return std::unique_ptr<Matcher>(new GlobalChannelMatcher(*b));
}

Result<std::unique_ptr<Matcher>> ParseBlastRadius(const YamlDoc& doc, const YAML::Node& v) {
  if (auto st = doc.CheckKeys(v, {"components", "files", "tier", "distance"}, "blast_radius"); !st)
    return st.error();
  if (v.size() == 0) return doc.ErrorAt(v, "blast_radius needs components, files, tier or distance");
  auto m = std::make_unique<BlastRadiusMatcher>();
  for (const auto& kv : v) {
    const std::string& k = kv.first.Scalar();
    auto range = matchers::ParseRange(doc, kv.second, "blast_radius." + k);
    if (!range) return range.error();
    (k == "components" ? m->components
     : k == "files"    ? m->files
     : k == "tier"     ? m->tier
                       : m->distance) = *range;
  }
  return std::unique_ptr<Matcher>(std::move(m));
}

Result<std::unique_ptr<Matcher>> ParseOwners(const YamlDoc& doc, const YAML::Node& v) {
  auto names = Names(doc, v, "owners");
  if (!names) return names.error();
  return std::unique_ptr<Matcher>(new OwnersMatcher(std::move(*names)));
}

}  // namespace ringfence

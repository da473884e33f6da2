// The `action:` condition: an action the guard judges (engine/guard) with every facet given.
// Facets an action cannot answer are unknown: its environment when no environment claims its
// place, and what an opaque action does (its verb, targets, reach); a condition that only
// unknown facets keep from deciding is indeterminate, never false.
#include <set>

#include "engine/core/tristate.h"
#include "engine/rules/matcher_registry.h"
#include "engine/rules/matchers/matcher_util.h"

namespace ringfence {
namespace {

struct ActionCondition {
  std::vector<std::string> kinds, tools, verbs, environments, targets;
  std::vector<Invariant> breaches;
  bool any_breach = false;
  matchers::NumberRange tier, count, fleet_fraction, plan_age_minutes;
  std::optional<bool> removes, unbounded, privileged, remote, pattern, opaque, frozen, reversible;
};

std::string DescribeAction(const Action& a) {
  std::string s = a.tool + " " + a.verb;
  for (size_t i = 0; i < a.targets.size() && i < 3; ++i) s += " " + a.targets[i];
  if (a.targets.size() > 3) s += " (+" + std::to_string(a.targets.size() - 3) + " more)";
  s += a.environment.empty() ? " (environment unknown"
                             : " (" + a.environment + ", tier " + std::to_string(a.tier);
  if (a.place.kind != PlaceKind::kLocal) s += std::string(", ") + ToString(a.place.kind) + " " + a.place.name;
  s += ")";
  if (a.removes) s += ", removes";
  if (a.unbounded) s += ", unbounded";
  if (a.privileged) s += ", privileged";
  if (a.fleet_fraction)
    s += ", " + std::to_string(static_cast<int>(*a.fleet_fraction * 100 + 0.5)) + "% of a fleet";
  if (a.frozen == Tristate::kTrue) s += ", during the freeze " + a.freeze;
  if (a.removes && a.reversible == Tristate::kTrue) s += ", reversible: " + a.reversible_why;
  for (const auto& b : a.breaches) s += std::string("; breaks ") + ToString(b.invariant) + ": " + b.detail;
  if (a.opaque) s += "; opaque: " + *a.opaque;
  return s;
}

class ActionMatcher : public Matcher {
 public:
  ActionMatcher(ActionCondition c, std::string text) : c_(std::move(c)), text_(std::move(text)) {}

  MatchResult Evaluate(const ChangeFacts& facts) const override {
    MatchResult r;
    std::string unknown;
    for (const Action& a : facts.actions) {
      std::string why;
      Tristate t = Holds(a, why);
      if (t == Tristate::kTrue) {
        r.matched = true;
        r.evidence.push_back({a.source, a.line, DescribeAction(a)});
      } else if (t == Tristate::kUnknown && unknown.empty()) {
        unknown = a.tool + (a.targets.empty() ? std::string() : " " + a.targets[0]) + ": " + why;
      }
    }
    if (!r.matched && !unknown.empty()) r.indeterminate = unknown;
    return r;
  }

  std::string Describe() const override { return "action " + text_; }

 private:
  Tristate Holds(const Action& a, std::string& why) const {
    Tristate all = Tristate::kTrue;
    auto fact = [&](bool given, Tristate t, const char* unknown_why) {
      if (!given) return;
      if (t == Tristate::kUnknown && why.empty()) why = unknown_why;
      all = And(all, t);
    };
    auto known = [](bool b) { return b ? Tristate::kTrue : Tristate::kFalse; };
    const bool opaque = a.opaque.has_value();
    std::string opaque_text = "the guard cannot read what it does (" + a.opaque.value_or("") + ")";
    const char* opaque_why = opaque_text.c_str();
    auto argv_fact = [&](bool b) { return opaque ? Tristate::kUnknown : known(b); };
    auto bool_fact = [&](const std::optional<bool>& want, bool have) { return known(have == *want); };

    fact(!c_.kinds.empty(), known(matchers::NameMatches(c_.kinds, ToString(a.kind))), "");
    fact(!c_.tools.empty(),
         opaque && a.tool == "sh" ? Tristate::kUnknown : known(matchers::NameMatches(c_.tools, a.tool)),
         "which tool it runs is unknown (the shell line cannot be read)");
    fact(c_.opaque.has_value(), c_.opaque ? bool_fact(c_.opaque, opaque) : Tristate::kTrue, "");
    fact(c_.privileged.has_value(), c_.privileged ? bool_fact(c_.privileged, a.privileged) : Tristate::kTrue,
         "");
    fact(c_.remote.has_value(),
         c_.remote ? bool_fact(c_.remote, a.place.kind == PlaceKind::kHost) : Tristate::kTrue, "");
    const char* env_why =
        "its environment is unknown: no environment of the environments file claims where it runs";
    fact(!c_.environments.empty(),
         a.environment.empty() ? Tristate::kUnknown
                               : known(matchers::NameMatches(c_.environments, a.environment)),
         env_why);
    fact(!c_.tier.Empty(), a.tier < 0 ? Tristate::kUnknown : known(c_.tier.Contains(a.tier)), env_why);
    fact(!c_.verbs.empty(), argv_fact(matchers::NameMatches(c_.verbs, a.verb)), opaque_why);
    if (!c_.targets.empty()) {
      bool any = false;
      for (const auto& t : a.targets) any = any || matchers::NameMatches(c_.targets, t);
      fact(true, argv_fact(any), opaque_why);
    }
    fact(!c_.count.Empty(), argv_fact(c_.count.Contains(static_cast<double>(a.targets.size()))), opaque_why);
    fact(c_.removes.has_value(),
         c_.removes ? (opaque ? Tristate::kUnknown : bool_fact(c_.removes, a.removes)) : Tristate::kTrue,
         opaque_why);
    fact(
        c_.unbounded.has_value(),
        c_.unbounded ? (opaque ? Tristate::kUnknown : bool_fact(c_.unbounded, a.unbounded)) : Tristate::kTrue,
        opaque_why);
    fact(c_.pattern.has_value(),
         c_.pattern ? (opaque ? Tristate::kUnknown : bool_fact(c_.pattern, a.pattern)) : Tristate::kTrue,
         opaque_why);
    fact(c_.frozen.has_value(),
         c_.frozen ? (a.frozen == Tristate::kUnknown ? Tristate::kUnknown
                                                     : bool_fact(c_.frozen, a.frozen == Tristate::kTrue))
                   : Tristate::kTrue,
         "whether a freeze holds there is unknown: the freeze names environments and no environment claims "
         "where it runs");
    fact(c_.reversible.has_value(),
         c_.reversible ? (a.reversible == Tristate::kUnknown
                              ? Tristate::kUnknown
                              : bool_fact(c_.reversible, a.reversible == Tristate::kTrue))
                       : Tristate::kTrue,
         opaque_why);
    if (c_.any_breach || !c_.breaches.empty()) {
      bool any = false;
      for (const auto& b : a.breaches) {
        any = any || c_.any_breach ||
              std::find(c_.breaches.begin(), c_.breaches.end(), b.invariant) != c_.breaches.end();
      }
      fact(true, any ? Tristate::kTrue : argv_fact(false), opaque_why);
    }
    if (!c_.plan_age_minutes.Empty()) {
      fact(true,
           a.kind != ActionKind::kTerraform ? Tristate::kFalse
           : a.plan_age_ms ? known(c_.plan_age_minutes.Contains(double(*a.plan_age_ms) / 60000.0))
                           : Tristate::kUnknown,
           "the plan's age is unknown: it carries no timestamp (Terraform 1.5 and later write one)");
    }
    if (!c_.fleet_fraction.Empty()) {
      fact(true, argv_fact(c_.fleet_fraction.Contains(a.fleet_fraction.value_or(0.0))), opaque_why);
    }
    return all;
  }

  ActionCondition c_;
  std::string text_;
};

}  // namespace

Result<std::unique_ptr<Matcher>> ParseAction(const YamlDoc& doc, const YAML::Node& v) {
  if (auto s = doc.RequireMap(v, "action"); !s.ok()) return s.error();
  if (auto s = doc.CheckKeys(v,
                             {"kinds", "tools", "verbs", "environments", "tier", "targets", "count",
                              "removes", "unbounded", "privileged", "remote", "pattern", "opaque", "frozen",
                              "breaches", "fleet_fraction", "plan_age_minutes", "reversible"},
                             "an action condition");
      !s.ok())
    return s.error();
  if (v.size() == 0)
    return doc.ErrorAt(v, "an action condition names at least one facet (e.g. `verbs: [delete]`)");
  ActionCondition c;
  std::string text;
  for (auto [key, into] : {std::pair{"kinds", &c.kinds},
                           {"tools", &c.tools},
                           {"verbs", &c.verbs},
                           {"environments", &c.environments},
                           {"targets", &c.targets}}) {
    if (auto s = doc.Optional(v, key, *into); !s.ok()) return s.error();
    if (!v[key]) continue;
    if (into->empty()) return doc.ErrorAt(v[key], std::string(key) + " needs at least one pattern");
    if (auto s = matchers::CheckNamePatterns(doc, v[key], *into); !s.ok()) return s.error();
    text += std::string(text.empty() ? "" : " ") + key + " [" + matchers::Join(*into) + "]";
  }
  static const std::set<std::string> kKinds = {"command", "terraform", "sql", "kubernetes"};
  for (size_t i = 0; i < c.kinds.size(); ++i) {
    if (!kKinds.count(c.kinds[i]))
      return doc.ErrorAt(v["kinds"].IsSequence() ? v["kinds"][i] : v["kinds"],
                         "unknown action kind '" + c.kinds[i] + "' (command, terraform, sql, kubernetes)");
  }
  for (auto [key, into] : {std::pair{"tier", &c.tier},
                           {"count", &c.count},
                           {"fleet_fraction", &c.fleet_fraction},
                           {"plan_age_minutes", &c.plan_age_minutes}}) {
    if (!v[key]) continue;
    auto range = matchers::ParseRange(doc, v[key], key);
    if (!range) return range.error();
    *into = *range;
    text += std::string(text.empty() ? "" : " ") + key + " " + into->Describe();
  }
  for (auto [key, into] : {std::pair{"removes", &c.removes},
                           {"unbounded", &c.unbounded},
                           {"privileged", &c.privileged},
                           {"remote", &c.remote},
                           {"pattern", &c.pattern},
                           {"opaque", &c.opaque},
                           {"frozen", &c.frozen},
                           {"reversible", &c.reversible}}) {
    if (auto s = doc.Optional(v, key, *into); !s.ok()) return s.error();
    if (*into) text += std::string(text.empty() ? "" : " ") + key + (**into ? " true" : " false");
  }
  if (v["breaches"]) {
    std::vector<std::string> names;
    if (auto s = doc.Optional(v, "breaches", names); !s.ok()) return s.error();
    if (names.empty()) return doc.ErrorAt(v["breaches"], "breaches needs `any` or invariant names");
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == "any") {
        c.any_breach = true;
        continue;
      }
      auto inv = ParseInvariant(names[i]);
      if (!inv)
        return doc.ErrorAt(v["breaches"].IsSequence() ? v["breaches"][i] : v["breaches"],
                           "unknown invariant '" + names[i] +
                               "' (any, dns_record_set_emptied, below_capacity_floor, protected_removed)");
      c.breaches.push_back(*inv);
    }
    text += std::string(text.empty() ? "" : " ") + "breaches [" + matchers::Join(names) + "]";
  }
  return std::unique_ptr<Matcher>(new ActionMatcher(std::move(c), "{" + text + "}"));
}

}  // namespace ringfence

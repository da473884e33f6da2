#include "adapters/report/guard_formats.h"

#include <nlohmann/json.hpp>

#include "adapters/report/verdict_formats.h"
#include "engine/core/ansi_style.h"

namespace ringfence::report {
namespace {

using nlohmann::json;

json ActionJson(const Action& a) {
  json breaches = json::array();
  for (const auto& b : a.breaches)
    breaches.push_back({{"invariant", ToString(b.invariant)}, {"detail", b.detail}});
  json j = {
      {"kind", ToString(a.kind)},
      {"tool", a.tool},
      {"verb", a.verb},
      {"targets", a.targets},
      {"place", {{"kind", ToString(a.place.kind)}, {"name", a.place.name}}},
      {"environment", a.environment.empty() ? json() : json(a.environment)},
      {"tier", a.tier < 0 ? json() : json(a.tier)},
      {"removes", a.removes},
      {"unbounded", a.unbounded},
      {"privileged", a.privileged},
      {"pattern", a.pattern},
      {"opaque", a.opaque ? json(*a.opaque) : json()},
      {"breaches", breaches},
      {"fleet_fraction", a.fleet_fraction ? json(*a.fleet_fraction) : json()},
      {"plan_age_ms", a.plan_age_ms ? json(*a.plan_age_ms) : json()},
      // true, false, or null when the guard cannot read what the action does
      {"reversible", a.reversible == Tristate::kUnknown ? json() : json(a.reversible == Tristate::kTrue)},
      // true, false, or null when whether a freeze holds there is unknown
      {"frozen", a.frozen == Tristate::kUnknown ? json() : json(a.frozen == Tristate::kTrue)},
      {"text", a.text}};
  if (a.frozen != Tristate::kFalse) j["freeze"] = a.freeze;
  if (!a.source.empty()) {
    j["source"] = a.source;
    j["line"] = a.line;
  }
  return j;
}

std::string Summary(const Action& a) {
  std::string s = a.tool + " " + a.verb;
  for (size_t i = 0; i < a.targets.size() && i < 4; ++i) s += " " + a.targets[i];
  if (a.targets.size() > 4) s += " (+" + std::to_string(a.targets.size() - 4) + ")";
  s += " [" + (a.environment.empty() ? std::string("environment unknown") : a.environment);
  if (a.place.kind != PlaceKind::kLocal) s += std::string(", ") + ToString(a.place.kind) + " " + a.place.name;
  s += "]";
  if (a.opaque) s += " opaque: " + *a.opaque;
  return s;
}

}  // namespace

std::string GuardReason(const Verdict& v) {
  std::string s = std::string("ringfence guard: ") + ToString(v.decision);
  if (v.must_stage)
    s += " only in waves: stage it with `ringfence guard run` (" + v.constraints.Describe() + ")";
  for (const auto& f : v.fired) {
    if (!Blocking(f) && f.rule->effect != Effect::kWarn && f.rule->effect != Effect::kStage) continue;
    s += "; " + f.rule->id + ": " + (f.rule->message.empty() ? f.rule->description : f.rule->message);
    if (!f.match.evidence.empty()) s += " (" + f.match.evidence.front().text + ")";
  }
  for (size_t i = 0; i < v.indeterminate.size() && i < 3; ++i) s += "; " + v.indeterminate[i];
  return s;
}

void WriteGuardText(const GuardContext& c, std::ostream& out) {
  const Verdict& v = *c.verdict;
  Tone tone = v.decision == Decision::kAllow || v.decision == Decision::kWarn ? Tone::kGood
              : v.decision == Decision::kDeny                                 ? Tone::kBad
                                                                              : Tone::kWarn;
  out << "ringfence guard: " << Paint(ToString(v.decision), tone, c.color) << "\n";
  if (v.must_stage)
    out << "staged only: run it in waves with `ringfence guard run` (" << v.constraints.Describe() << ")\n";
  out << "actions (" << c.actions->size() << "):\n";
  for (const auto& a : *c.actions) out << "  " << Summary(a) << "\n";
  for (const auto& f : v.fired) {
    out << "rule " << f.rule->id << ": " << FiredState(f) << " - "
        << (f.rule->message.empty() ? f.rule->description : f.rule->message) << "\n";
    for (const auto& e : f.match.evidence)
      out << "    " << (e.file.empty() ? "" : e.file + (e.line ? ":" + std::to_string(e.line) : "") + ": ")
          << e.text << "\n";
  }
  for (const auto& why : v.indeterminate) out << "indeterminate: " << why << "\n";
}

void WriteGuardJson(const GuardContext& c, std::ostream& out) {
  const Verdict& v = *c.verdict;
  json actions = json::array(), fired = json::array();
  for (const auto& a : *c.actions) actions.push_back(ActionJson(a));
  for (const auto& f : v.fired) {
    json ev = json::array();
    for (const auto& e : f.match.evidence)
      ev.push_back({{"file", e.file}, {"line", e.line}, {"text", e.text}});
    fired.push_back({{"rule", f.rule->id},
                     {"effect", ToString(f.rule->effect)},
                     {"state", FiredState(f)},
                     {"blocking", Blocking(f)},
                     {"message", f.rule->message.empty() ? f.rule->description : f.rule->message},
                     {"declared_in", f.rule->file + (f.rule->line ? ":" + std::to_string(f.rule->line) : "")},
                     {"evidence", ev}});
  }
  json j = {{"decision", ToString(v.decision)},
            {"must_stage", v.must_stage},
            {"actions", actions},
            {"fired", fired},
            {"indeterminate", v.indeterminate},
            {"rule_sources", c.rule_sources}};
  out << j.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
}

}  // namespace ringfence::report

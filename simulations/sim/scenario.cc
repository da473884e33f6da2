#include "simulations/sim/scenario.h"

#include <tuple>

#include "engine/core/civil_time.h"
#include "engine/core/duration.h"
#include "engine/core/yaml_doc.h"
#include "engine/rules/rule_fixture.h"

namespace ringfence::sim {
namespace {

// Reads the behaviour keys present in `n` over `b`.
Status ParseBehaviour(const YamlDoc& doc, const YAML::Node& n, Behaviour& b) {
  if (auto st = doc.OptionalNumber(n, "error_rate", b.error_rate, 0, 1); !st) return st.error();
  if (auto st = doc.OptionalNumber(n, "latency_ms", b.latency_ms, 0.01, 600000); !st) return st.error();
  if (auto st = doc.OptionalNumber(n, "latency_sigma", b.latency_sigma, 0, 3); !st) return st.error();
  if (auto st = doc.OptionalDurationMs(n, "crash_after", b.crash_after_ms); !st) return st.error();
  if (n["crash_after"] && b.crash_after_ms <= 0)
    return doc.ErrorAt(n["crash_after"],
                       "crash_after must be above 0 (leave it out when sessions do not crash)");
  return Status::Ok();
}

Status ParseDrift(const YamlDoc& doc, const YAML::Node& d, FleetDrift& drift) {
  if (auto st = doc.CheckKeys(d,
                              {"hosts", "drifted", "kind", "version", "harm_after", "session_age",
                               "inventoried", "check_every", "max_drifted"},
                              "drift");
      !st) {
    return st;
  }
  drift.present = true;
  for (auto [key, into, lo] : {std::tuple<const char*, int64_t*, long long>{"hosts", &drift.hosts, 1},
                               {"drifted", &drift.drifted, 1},
                               {"max_drifted", &drift.max_drifted, 0}}) {
    if (!d[key]) continue;
    auto n = doc.Integer(d[key], key);
    if (!n) return n.error();
    if (*n < lo || *n > 1'000'000)
      return doc.ErrorAt(d[key], std::string(key) + " must be " + std::to_string(lo) + "..1000000");
    *into = *n;
  }
  if (drift.drifted > drift.hosts) return doc.ErrorAt(d["drifted"], "drifted must not exceed hosts");
  std::string kind = "other_version";
  if (auto st = doc.Optional(d, "kind", kind); !st) return st;
  if (kind != "other_version" && kind != "measurement_differs")
    return doc.ErrorAt(d["kind"], "kind must be other_version or measurement_differs");
  drift.mutated = kind == "measurement_differs";
  if (auto st = doc.Optional(d, "version", drift.version); !st) return st;
  if (!drift.mutated && drift.version.empty())
    return doc.ErrorAt(d, "an other_version drift names the version the drifted sessions run (version: ...)");
  if (drift.mutated && !drift.version.empty())
    return doc.ErrorAt(d["version"], "a measurement_differs drift runs the fleet's own version: no version");
  if (!d["harm_after"]) return doc.ErrorAt(d, "a drift says when it does harm (harm_after: ...)");
  for (auto [key, into] : {std::pair<const char*, int64_t*>{"harm_after", &drift.harm_after_ms},
                           {"session_age", &drift.session_age_ms},
                           {"check_every", &drift.check_every_ms}}) {
    if (auto st = doc.OptionalDurationMs(d, key, *into); !st) return st;
    if (d[key] && *into < 0) return doc.ErrorAt(d[key], std::string(key) + " must not be negative");
  }
  if (drift.check_every_ms <= 0) return doc.ErrorAt(d["check_every"], "check_every must be above 0");
  if (auto st = doc.Optional(d, "inventoried", drift.inventoried); !st) return st;
  return Status::Ok();
}

Status ParseAction(const YamlDoc& doc, const YAML::Node& n, ScenarioAction& a) {
  if (auto st =
          doc.CheckKeys(n,
                        {"command", "argv", "cwd", "kube_context", "cloud_profile", "database_host", "actor",
                         "agents", "approved_by", "environments", "first_wave_shows_harm", "intent"},
                        "action");
      !st) {
    return st;
  }
  a.present = true;
  if (auto st = doc.Optional(n, "command", a.command); !st) return st;
  if (auto st = doc.Optional(n, "argv", a.argv); !st) return st;
  if (a.command.empty() == a.argv.empty())
    return doc.ErrorAt(n, "an action is a command line (command: ...) or one program's argv (argv: [...])");
  for (auto [key, into] : {std::pair<const char*, std::string*>{"cwd", &a.defaults.cwd},
                           {"kube_context", &a.defaults.kube_context},
                           {"cloud_profile", &a.defaults.cloud_profile},
                           {"database_host", &a.defaults.database_host}}) {
    if (auto st = doc.Optional(n, key, *into); !st) return st;
  }
  std::string actor = "human";
  if (auto st = doc.Optional(n, "actor", actor); !st) return st;
  auto kind = AuthorKindNamed(actor);
  if (!kind) return doc.ErrorAt(n["actor"], "actor must be human, ai or bot");
  a.actor = *kind;
  if (auto st = doc.Optional(n, "agents", a.agents); !st) return st;
  if (auto st = doc.Optional(n, "approved_by", a.approved_by); !st) return st;
  if (auto st = doc.Optional(n, "first_wave_shows_harm", a.first_wave_shows_harm); !st) return st;
  if (const YAML::Node t = n["intent"]) {
    if (auto st = doc.CheckKeys(t, {"environments", "targets"}, "intent"); !st) return st;
    if (auto st = doc.Optional(t, "environments", a.task_environments); !st) return st;
    if (auto st = doc.Optional(t, "targets", a.task_targets); !st) return st;
    if (a.task_environments.empty() && a.task_targets.empty())
      return doc.ErrorAt(t, "an intent names environments or targets");
  }
  if (const YAML::Node e = n["environments"]) {
    auto envs = ParseEnvironmentsIn(doc, e, doc.path() + "#action.environments");
    if (!envs) return envs.error();
    a.environments = std::move(*envs);
  }
  return Status::Ok();
}

Result<Scenario> Parse(std::string_view text, const std::string& path) {
  auto doc = YamlDoc::Parse(text, path);
  if (!doc) return doc.error();
  const YAML::Node& root = doc->root();
  if (auto st = doc->CheckKeys(
          root,
          {"apiVersion", "kind", "id", "type", "title", "facts", "now", "change", "action", "canary", "fleet",
           "baseline", "candidate", "fault", "drift", "approval", "reality"},
          "a scenario");
      !st) {
    return st.error();
  }
  if (auto st = doc->CheckHeader("Scenario"); !st) return st.error();
  Scenario s;
  s.path = path;
  s.line = 1;
  for (auto [key, into] : {std::pair<const char*, std::string*>{"id", &s.id},
                           {"type", &s.type},
                           {"title", &s.title},
                           {"facts", &s.facts_ref}}) {
    if (!root[key]) {
      if (std::string(key) == "facts") continue;
      return doc->ErrorAt(root, std::string("a scenario needs `") + key + "`");
    }
    auto v = doc->String(root[key], key);
    if (!v) return v.error();
    *into = *v;
  }
  if (s.type != "incident" && s.type != "healthy")
    return doc->ErrorAt(root["type"], "type must be incident or healthy");
  s.facts.now = std::chrono::system_clock::time_point(std::chrono::hours(24 * 20000));
  if (root["now"]) {
    auto at = ParseDayTime(root["now"].IsScalar() ? root["now"].Scalar() : "");
    if (!at) return doc->ErrorAt(root["now"], "now must be YYYY-MM-DD[ HH:MM] (UTC)");
    s.facts.now = std::chrono::system_clock::time_point(*at);
  }
  s.facts.scope.changes.base_rev = "scenario";
  s.facts.scope.changes.head_rev = s.id;
  if (!root["change"] && !root["action"])
    return doc->ErrorAt(
        root, "a scenario needs `change:` (the facts the gate judges) or `action:` (what the guard judges)");
  if (root["change"]) {
    s.has_change = true;
    if (auto st = ParseChangeFacts(*doc, root["change"], s.facts, s.approved_by); !st) return st.error();
  }
  if (const YAML::Node a = root["action"]) {
    if (auto st = ParseAction(*doc, a, s.action); !st) return st.error();
  }
  if (const YAML::Node c = root["canary"]) {
    if (auto st = doc->CheckKeys(c, {"applies", "why"}, "canary"); !st) return st.error();
    if (auto st = doc->Optional(c, "applies", s.canary_applies); !st) return st.error();
    if (auto st = doc->Optional(c, "why", s.canary_why); !st) return st.error();
    if (!s.canary_applies && s.canary_why.empty())
      return doc->ErrorAt(c, "say why the canary does not apply (why: ...)");
  }
  if (const YAML::Node f = root["fleet"]) {
    if (auto st = doc->CheckKeys(f,
                                 {"duration", "arrivals_per_minute", "session_minutes", "requests_per_minute",
                                  "returning", "daily_cycle"},
                                 "fleet");
        !st) {
      return st.error();
    }
    if (f["duration"]) {
      auto d = doc->DurationMs(f["duration"], "duration");
      if (!d) return d.error();
      if (*d < 60'000 || *d > 30LL * 86'400'000)
        return doc->ErrorAt(f["duration"], "duration must be 1m..30d");
      s.fleet.duration_ms = *d;
    }
    for (auto [key, into, lo, hi] : {std::tuple<const char*, double*, double, double>{
                                         "arrivals_per_minute", &s.fleet.arrivals_per_minute, 0.01, 100000},
                                     {"session_minutes", &s.fleet.session_minutes, 0.01, 10000},
                                     {"requests_per_minute", &s.fleet.requests_per_minute, 0.01, 100000},
                                     {"returning", &s.fleet.returning, 0, 1}}) {
      if (!f[key]) continue;
      auto v = doc->Number(f[key], key, lo, hi);
      if (!v) return v.error();
      *into = *v;
    }
    if (const YAML::Node d = f["daily_cycle"]) {
      if (auto st = doc->CheckKeys(d, {"amplitude", "peak"}, "daily_cycle"); !st) return st.error();
      if (auto st = doc->OptionalNumber(d, "amplitude", s.fleet.daily_amplitude, 0, 0.95); !st)
        return st.error();
      if (d["peak"]) {
        auto at = ParseClock(d["peak"].IsScalar() ? d["peak"].Scalar() : "");
        if (!at) return doc->ErrorAt(d["peak"], "peak must be HH:MM (UTC)");
        s.fleet.peak_minute = static_cast<int>(at->count());
      }
    }
  }
  for (auto [key, into] :
       {std::pair<const char*, Behaviour*>{"baseline", &s.baseline}, {"candidate", &s.candidate}}) {
    if (std::string(key) == "candidate") s.candidate = s.baseline;  // unless it says otherwise
    const YAML::Node b = root[key];
    if (!b) continue;
    if (auto st = doc->CheckKeys(b, {"error_rate", "latency_ms", "latency_sigma", "crash_after"}, key); !st)
      return st.error();
    if (auto st = ParseBehaviour(*doc, b, *into); !st) return st.error();
  }
  if (const YAML::Node f = root["fault"]) {
    if (auto st = doc->CheckKeys(
            f, {"error_rate", "latency_ms", "latency_sigma", "crash_after", "onset", "cohort"}, "fault");
        !st) {
      return st.error();
    }
    s.fault.present = true;
    s.fault.behaviour = s.candidate;
    if (auto st = ParseBehaviour(*doc, f, s.fault.behaviour); !st) return st.error();
    if (auto st = doc->OptionalNumber(f, "cohort", s.fault.cohort, 0.0001, 1); !st) return st.error();
    if (const YAML::Node o = f["onset"]) {
      if (auto st = doc->CheckKeys(o, {"after", "at_fraction", "oscillate"}, "onset"); !st) return st.error();
      if (auto st = doc->OptionalDurationMs(o, "after", s.fault.onset_after_ms); !st) return st.error();
      if (auto st = doc->OptionalNumber(o, "at_fraction", s.fault.onset_at_fraction, 0.0001, 1); !st)
        return st.error();
      if (o["oscillate"]) {
        auto p = doc->DurationMs(o["oscillate"], "oscillate");
        if (!p) return p.error();
        if (*p < 2000) return doc->ErrorAt(o["oscillate"], "oscillate must be at least 2s");
        s.fault.oscillate_ms = *p;
      }
    }
  } else if (s.type == "incident" && s.canary_applies) {
    return doc->ErrorAt(root, "an incident scenario needs a fault (or canary: {applies: false, why: ...})");
  }
  if (s.fault.present && s.fault.onset_after_ms >= s.fleet.duration_ms)
    return doc->ErrorAt(
        root["fault"]["onset"],
        "the fault's onset comes after the scenario ends (fleet.duration): it would never strike");
  if (s.type == "healthy" && s.fault.present)
    return doc->ErrorAt(root["fault"], "a healthy rollout has no fault");
  if (const YAML::Node d = root["drift"]) {
    if (auto st = ParseDrift(*doc, d, s.drift); !st) return st.error();
  }
  if (const YAML::Node a = root["approval"]) {
    if (auto st = doc->CheckKeys(a, {"given", "why"}, "approval"); !st) return st.error();
    if (!a["given"])
      return doc->ErrorAt(a, "approval says whether it would have been given (given: true|false)");
    if (auto st = doc->Optional(a, "given", s.approval.given); !st) return st.error();
    if (auto st = doc->Optional(a, "why", s.approval.why); !st) return st.error();
    if (s.approval.why.empty())
      return doc->ErrorAt(a, "say why (why: ...): it decides whether a hold is a catch");
  }
  if (const YAML::Node r = root["reality"]) {
    if (auto st = doc->CheckKeys(r, {"detected_after", "mitigated_after", "blast_radius", "note"}, "reality");
        !st) {
      return st.error();
    }
    for (auto [key, into] :
         {std::pair<const char*, std::optional<double>*>{"detected_after", &s.reality.detected_min},
          {"mitigated_after", &s.reality.mitigated_min}}) {
      if (!r[key]) continue;
      auto v = doc->DurationMs(r[key], key);
      if (!v) return v.error();
      *into = static_cast<double>(*v) / 60000.0;
    }
    for (auto [key, into] : {std::pair<const char*, std::string*>{"blast_radius", &s.reality.blast_radius},
                             {"note", &s.reality.note}}) {
      if (!r[key]) continue;
      auto v = doc->String(r[key], key);
      if (!v) return v.error();
      *into = *v;
    }
  }
  return s;
}

}  // namespace

Result<Scenario> ParseScenario(std::string_view text, const std::string& path) {
  return GuardYaml(path, [&] { return Parse(text, path); });
}

}  // namespace ringfence::sim

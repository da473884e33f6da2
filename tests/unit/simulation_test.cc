// The simulator drives the production gate, orchestrator, router and judges: these tests change
// a judge or a plan and watch the replay's outcome change with it.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "app/guard.h"
#include "engine/rollout/orchestrator.h"
#include "engine/rules/rule_loader.h"
#include "simulations/sim/drift_check.h"
#include "simulations/sim/replay.h"
#include "simulations/sim/scenario.h"
#include "simulations/sim/tune.h"

using namespace ringfence;
using namespace ringfence::sim;

namespace {

const char* kCrash = R"(apiVersion: ringfence/v1
kind: Scenario
id: crash-loop
type: incident
title: content that crashes every session loading it
now: "2026-01-10 10:00"
change: {files: [{path: content/feed.dat, components: [content]}], components: [{name: content, tier: 0}]}
fleet: {duration: 90m, arrivals_per_minute: 40}
baseline: {error_rate: 0.002}
fault: {error_rate: 1.0, crash_after: 20s}
)";

// A fault too faint for a 1% canary of 2 minutes on a quiet service: it needs a bigger canary.
const char* kFaint = R"(apiVersion: ringfence/v1
kind: Scenario
id: faint
type: incident
title: a faint fault on a quiet service
now: "2026-01-10 10:00"
change: {files: [{path: svc/a.go, components: [svc]}], components: [{name: svc, tier: 2}]}
fleet: {duration: 60m, arrivals_per_minute: 20, requests_per_minute: 6}
baseline: {error_rate: 0.002}
fault: {error_rate: 0.15}
)";

const char* kQuiet = R"(apiVersion: ringfence/v1
kind: Scenario
id: quiet-healthy
type: healthy
title: the same quiet service, a harmless change
now: "2026-01-10 10:00"
change: {files: [{path: svc/b.go, components: [svc]}], components: [{name: svc, tier: 2}]}
fleet: {duration: 60m, arrivals_per_minute: 20, requests_per_minute: 6}
baseline: {error_rate: 0.002}
)";

const char* kShortPlan = R"(apiVersion: ringfence/v1
kind: RolloutPlan
service: sim
backend: process
baseline: {image: b}
candidate: {image: c}
sessions: {warm_window: 5m}
steps: [{weight: 1, bake: 2m}, {weight: 100, bake: 0s}]
analysis:
  interval: 30s
  on_no_data: pause
  metrics: [{name: errors, judge: {type: sequential, alpha: 0.01, min_events: 5}}]
rollback: {sessions: terminate, verify_for: 1m}
)";

Scenario Parse(const char* text) {
  auto s = ParseScenario(text, "s.yaml");
  INFO((s.ok() ? "" : s.error().message));
  REQUIRE(s.ok());
  return *s;
}

ReplayConfig Config(const char* plan_text) {
  ReplayConfig c;
  auto plan = ParsePlan(plan_text, "plan.yaml");
  REQUIRE(plan.ok());
  c.plan = *plan;
  return c;
}

std::vector<RolloutState> States(const ScenarioResult& r) {
  std::vector<RolloutState> s;
  for (const auto& j : r.journal) s.push_back(j.state());
  return s;
}

}  // namespace

TEST_CASE("simulation: a crash-looping candidate is rolled back by the production state machine") {
  ScenarioResult r = Replay(Parse(kCrash), Config(kDefaultSimPlan));
  CHECK(r.result == RolloutOutcome::kRolledBack);
  CHECK(r.outcome == "rolled back");
  CHECK(r.caught);
  auto states = States(r);
  REQUIRE(states.size() >= 6);
  CHECK(states.front() == RolloutState::kStarted);
  CHECK(std::count(states.begin(), states.end(), RolloutState::kRollback) == 1);
  CHECK(states.back() == RolloutState::kRolledBack);
  CHECK(r.fault_onset_ms >= 0);
  CHECK(r.detect_ms >= 0);
  CHECK(r.detect_ms <= 5 * 60'000);  // at 1% of sessions, within the first step
  CHECK(r.reason.find("errors failed the sequential judge") != std::string::npos);
}

TEST_CASE("simulation: the same seed replays byte for byte, another seed draws another world") {
  Scenario s = Parse(kCrash);
  ReplayConfig c = Config(kDefaultSimPlan);
  ScenarioResult a = Replay(s, c), b = Replay(s, c);
  CHECK(a.requests == b.requests);
  CHECK(a.events == b.events);
  CHECK(a.decided_ms == b.decided_ms);
  REQUIRE(a.journal.size() == b.journal.size());
  for (size_t i = 0; i < a.journal.size(); ++i)
    CHECK(EvidenceJson(a.journal[i].event) == EvidenceJson(b.journal[i].event));
  c.seed = 2;
  ScenarioResult other = Replay(s, c);
  CHECK(other.requests != a.requests);
  CHECK(other.outcome == "rolled back");
}

TEST_CASE("simulation: a judge's threshold changes the replay's outcome") {
  Scenario s = Parse(kCrash);
  // The same plan, but the errors are judged by a count test that wants a million events before
  // it decides: it never fails, the pause at the end of the bake is approved, and the crash loop
  // is promoted.
  std::string lax = kShortPlan;
  std::string judge = "{type: sequential, alpha: 0.01, min_events: 5}";
  lax.replace(lax.find(judge), judge.size(), "{type: count, confidence: 0.99, min_events: 1000000}");
  ScenarioResult strict = Replay(s, Config(kShortPlan)), blind = Replay(s, Config(lax.c_str()));
  CHECK(strict.outcome == "rolled back");
  CHECK(blind.outcome == "promoted");
  CHECK_FALSE(blind.caught);
  CHECK(blind.hurt_clients > strict.hurt_clients);
  CHECK(blind.pauses >= 1);  // no data at the end of the bake: a human was asked
}

TEST_CASE("simulation: a fault that strikes only after promotion is reported as missed") {
  std::string latent = kCrash;
  latent.replace(latent.find("crash_after: 20s}"), 17, "crash_after: 20s, onset: {after: 80m}}");
  ScenarioResult r = Replay(Parse(latent.c_str()), Config(kShortPlan));
  CHECK(r.outcome == "promoted");
  CHECK(r.fault_after_promotion);
  CHECK_FALSE(r.caught);
  CHECK(r.hurt_clients > 0);
}

TEST_CASE("tune: a bigger first step catches the faint fault without a false alarm, Pareto rows marked") {
  std::vector<Scenario> lib = {Parse(kFaint), Parse(kQuiet)};
  auto weight = ParseSweep("weight=1,25");
  REQUIRE(weight.ok());
  auto rows = Tune(lib, Config(kShortPlan), {*weight});
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 3);  // the plan as given, weight=1, weight=25
  CHECK(rows->front().summary.caught == 0);
  CHECK((*rows)[2].summary.caught == 1);
  CHECK((*rows)[2].summary.false_alarms == 0);
  CHECK((*rows)[2].pareto);
  CHECK(BetterThanDefault(*rows) == 2);
  CHECK_FALSE(ParseSweep("weight=1,abc").ok());
  CHECK_FALSE(ParseSweep("colour=red").ok());
  CHECK(ParseSweep("weight=1,100").error().message.find("must stay below the second") != std::string::npos);
}

TEST_CASE("scenario: mistakes are reported at their line and column") {
  auto err = [](std::string text) {
    auto s = ParseScenario(text, "s.yaml");
    REQUIRE_FALSE(s.ok());
    return s.error().message;
  };
  std::string base = kCrash;
  auto with = [&](const std::string& from, const std::string& to) {
    std::string t = base;
    t.replace(t.find(from), from.size(), to);
    return t;
  };
  CHECK(err(with("fleet:", "fleat:")).rfind("s.yaml:8:1: unknown key 'fleat'", 0) == 0);
  // A time no clock here holds (nanoseconds since 1970 in 64 bits) is refused, not overflowed.
  CHECK(err(with("now: \"2026-01-10 10:00\"", "now: \"1013-03-13 06:00\"")).find("now must be") !=
        std::string::npos);
  CHECK(err(with("crash_after: 20s", "crash_after: soon"))
            .rfind("s.yaml:10:39: crash_after must be a duration", 0) == 0);
  CHECK(err(with("type: incident", "type: outage")).find("type must be incident or healthy") !=
        std::string::npos);
  CHECK(err(with("fault: {error_rate: 1.0, crash_after: 20s}\n", "")).find("needs a fault") !=
        std::string::npos);
  CHECK(err(with("error_rate: 1.0", "error_rate: 2")).find("error_rate must be a number in") !=
        std::string::npos);
}

namespace {

// A fleet left on mixed versions before the change: one session of eight on old code.
const char* kDrifted = R"(apiVersion: ringfence/v1
kind: Scenario
id: mixed-fleet
type: incident
title: one server of eight left on old code
now: "2026-01-10 10:00"
change: {files: [{path: svc/a.go, components: [svc]}], components: [{name: svc, tier: 1}]}
canary: {applies: false, why: "the harm comes from the session left behind"}
drift: {hosts: 8, drifted: 1, version: old, harm_after: 90m, check_every: 15m}
)";

std::string WithDrift(const std::string& drift) {
  std::string t = kDrifted;
  size_t at = t.find("drift: {");
  t.replace(at, t.find('\n', at) - at, "drift: {" + drift + "}");
  return t;
}

}  // namespace

TEST_CASE("simulation drift: the engine's drift report sees a mixed fleet, and when it sees it matters") {
  Scenario s = Parse(kDrifted);
  REQUIRE(s.drift.present);
  DriftOutcome d = CheckDrift(s.id, s.drift, 0);
  CHECK(d.seen);
  CHECK(d.found == std::map<std::string, int64_t>{{"other_version", 1}});
  CHECK(d.example.find("runs old") != std::string::npos);
  CHECK(d.seen_after_ms == 15 * 60'000);  // at the latest one period of the job after it diverged
  CHECK(d.SeenBeforeHarm());
  CHECK(d.recycled_after_ms == -1);  // no session-age limit

  // A job that runs less often than the harm takes: seen, but too late.
  d = CheckDrift(
      s.id,
      Parse(WithDrift("hosts: 8, drifted: 1, version: old, harm_after: 90m, check_every: 2h").c_str()).drift,
      0);
  CHECK(d.seen);
  CHECK_FALSE(d.SeenBeforeHarm());
  CHECK_FALSE(d.Caught());
  // Hosts no inventory reads are invisible to it.
  d = CheckDrift(
      s.id,
      Parse(WithDrift("hosts: 8, drifted: 1, version: old, harm_after: 90m, inventoried: false").c_str())
          .drift,
      0);
  CHECK_FALSE(d.seen);
  CHECK(d.found.empty());
  // A threshold above the drift does not report it.
  d = CheckDrift(
      s.id,
      Parse(WithDrift("hosts: 8, drifted: 1, version: old, harm_after: 90m, max_drifted: 1").c_str()).drift,
      0);
  CHECK_FALSE(d.seen);
  CHECK(d.found.at("other_version") == 1);
  // Content changed in place on the fleet's own version: only the measurement tells.
  d = CheckDrift(
      s.id, Parse(WithDrift("hosts: 8, drifted: 2, kind: measurement_differs, harm_after: 3h").c_str()).drift,
      0);
  CHECK(d.seen);
  CHECK(d.found == std::map<std::string, int64_t>{{"measurement_differs", 2}});
  // The session-age policy recycles the drifted sessions onto the current image by the age.
  FleetDrift old =
      Parse(
          WithDrift("hosts: 8, drifted: 1, version: old, harm_after: 2h, session_age: 7h, inventoried: false")
              .c_str())
          .drift;
  d = CheckDrift(s.id, old, 8 * 3'600'000);
  CHECK(d.recycled_after_ms == 3'600'000);
  CHECK(d.RecycledBeforeHarm());
  CHECK(d.Caught());
  CHECK_FALSE(CheckDrift(s.id, old, 10 * 3'600'000).RecycledBeforeHarm());
}

TEST_CASE("simulation drift: a replay scores the drift guards beside the gate and the canary") {
  ReplayConfig c = Config(kShortPlan);
  ScenarioResult seen = Replay(Parse(kDrifted), c);
  REQUIRE(seen.drift);
  CHECK(seen.caught);
  CHECK_FALSE(seen.blocked);
  ScenarioResult late = Replay(
      Parse(WithDrift("hosts: 8, drifted: 1, version: old, harm_after: 90m, check_every: 2h").c_str()), c);
  CHECK_FALSE(late.caught);
  // The plan's sessions.max_age is the replay's session-age policy.
  std::string plan = kShortPlan;
  plan.replace(plan.find("warm_window: 5m}"), 16, "warm_window: 5m, max_age: 1h}");
  ReplayConfig aged = Config(plan.c_str());
  ScenarioResult recycled = Replay(
      Parse(WithDrift("hosts: 8, drifted: 1, version: old, harm_after: 90m, check_every: 2h").c_str()), aged);
  REQUIRE(recycled.drift);
  CHECK(recycled.drift->recycled_after_ms == 3'600'000);
  CHECK(recycled.caught);
  auto summary = Summarize({seen, late, recycled});
  CHECK(summary.caught == 2);
  CHECK(summary.caught_by_drift == 2);
  CHECK(summary.caught_by_gate == 0);
}

TEST_CASE("scenario: a drift block is checked like the rest") {
  auto err = [](const std::string& text) {
    auto s = ParseScenario(text, "s.yaml");
    REQUIRE_FALSE(s.ok());
    return s.error().message;
  };
  CHECK(err(WithDrift("hosts: 2, drifted: 3, version: old, harm_after: 1h"))
            .find("drifted must not exceed hosts") != std::string::npos);
  CHECK(err(WithDrift("hosts: 8, drifted: 1, harm_after: 1h")).find("names the version") !=
        std::string::npos);
  CHECK(err(WithDrift("hosts: 8, drifted: 1, version: old")).find("harm_after") != std::string::npos);
  CHECK(err(WithDrift("drifted: 1, kind: mutated, harm_after: 1h")).rfind("s.yaml:9:", 0) == 0);
  CHECK(err(WithDrift("drifted: 1, kind: measurement_differs, version: x, harm_after: 1h"))
            .find("no version") != std::string::npos);
  CHECK(err(WithDrift("drifted: 1, version: old, harm_after: 1h, check_every: 0s"))
            .find("check_every must be above 0") != std::string::npos);
  CHECK(err(WithDrift("drifted: 1, version: old, harm_after: 1h, hsts: 3")).find("unknown key 'hsts'") !=
        std::string::npos);
  CHECK(err(WithDrift("drifted: 0, version: old, harm_after: 1h")).find("drifted must be 1..") !=
        std::string::npos);
}

namespace {

// An operator's command on a production database host, judged by the shipped guard packs.
const char* kOperatorCommand = R"(apiVersion: ringfence/v1
kind: Scenario
id: wrong-host
type: incident
title: a data directory removed on the primary
now: "2026-01-10 10:00"
action:
  command: "sudo rm -rf /var/lib/postgresql/data"
  actor: human
  environments:
    default: production
    environments:
      production: {tier: 0}
canary: {applies: false, why: "a command on one host"}
)";

std::string WithAction(const std::string& from, const std::string& to) {
  std::string t = kOperatorCommand;
  t.replace(t.find(from), from.size(), to);
  return t;
}

RuleSet ShippedGuardPacks() {
  auto rules = LoadRules(app::ShippedGuardRules());
  REQUIRE(rules.ok());
  return std::move(*rules);
}

}  // namespace

TEST_CASE("simulation guard: an operator's command is judged by the guard's packs as guard check judges it") {
  RuleSet packs = ShippedGuardPacks();
  ReplayConfig c = Config(kShortPlan);
  c.guard_rules = &packs;
  ScenarioResult stopped = Replay(Parse(kOperatorCommand), c);
  CHECK(stopped.action_outcome == ActionOutcome::kStopped);
  CHECK(stopped.action_decision == "deny");
  CHECK(std::find(stopped.action_rules.begin(), stopped.action_rules.end(),
                  "guard.unbounded-removal-critical") != stopped.action_rules.end());
  CHECK(stopped.caught);
  CHECK(stopped.gate_decision.empty());  // no change: the gate has nothing to judge
  CHECK(stopped.action_text == "sudo rm -rf /var/lib/postgresql/data");

  // The same command where the environments file says development: the guard lets it run.
  ScenarioResult missed =
      Replay(Parse(WithAction("production: {tier: 0}", "production: {tier: 5}").c_str()), c);
  CHECK(missed.action_outcome == ActionOutcome::kMissed);
  CHECK(missed.action_rules.empty());
  CHECK_FALSE(missed.caught);

  // Removing one named file in production needs a person: held. A catch only when the scenario
  // says that person would have said no.
  std::string one = WithAction("sudo rm -rf /var/lib/postgresql/data", "rm /var/lib/postgresql/data/pg.conf");
  ScenarioResult unsaid = Replay(Parse(one.c_str()), c);
  CHECK(unsaid.action_outcome == ActionOutcome::kHeld);
  CHECK_FALSE(unsaid.caught);
  ScenarioResult held =
      Replay(Parse((one + "approval: {given: false, why: the on-call would see the primary}\n").c_str()), c);
  CHECK(held.action_outcome == ActionOutcome::kHeld);
  CHECK(held.caught);
  // An approval counts where a rule names who gives it (the shipped packs name nobody: a person
  // at the terminal answers for them): with @dba's approval, this rule's hold is lifted.
  auto own = LoadRules({{"own.yaml", R"(apiVersion: ringfence/v1
kind: Rules
rules:
  - id: own.removal
    description: removals in production need a database owner
    when: {action: {removes: true, tier: {lte: 1}}}
    effect: require_approval
    approvers: ["@dba"]
)"}});
  REQUIRE(own.ok());
  ReplayConfig mine = Config(kShortPlan);
  mine.guard_rules = &*own;
  std::string one_file =
      WithAction("sudo rm -rf /var/lib/postgresql/data", "rm /var/lib/postgresql/data/pg.conf");
  CHECK(Replay(Parse(one_file.c_str()), mine).action_outcome == ActionOutcome::kHeld);
  one_file.replace(one_file.find("actor: human"), 12, "actor: human\n  approved_by: [\"@dba\"]");
  ScenarioResult approved = Replay(Parse(one_file.c_str()), mine);
  CHECK(approved.action_outcome == ActionOutcome::kMissed);
  CHECK_FALSE(approved.caught);

  // A line the guard cannot read fails closed: stopped, never missed.
  ScenarioResult opaque =
      Replay(Parse(WithAction("sudo rm -rf /var/lib/postgresql/data", "$(cat cmd)").c_str()), c);
  CHECK((opaque.action_outcome == ActionOutcome::kStopped || opaque.action_outcome == ActionOutcome::kHeld));

  // Without guard rules the action is not judged, and nothing is claimed.
  ReplayConfig none = Config(kShortPlan);
  ScenarioResult unjudged = Replay(Parse(kOperatorCommand), none);
  CHECK(unjudged.action_outcome == ActionOutcome::kNotJudged);
  CHECK_FALSE(unjudged.caught);

  auto summary = Summarize({stopped, missed, held, unsaid});
  CHECK(summary.caught == 2);
  CHECK(summary.caught_by_guard == 2);
  CHECK(summary.caught_by_gate == 0);
  CHECK(summary.held_unscored == 1);
}

TEST_CASE("simulation guard: an agent's action during a declared freeze is stopped, a person's held") {
  RuleSet packs = ShippedGuardPacks();
  ReplayConfig c = Config(kShortPlan);
  c.guard_rules = &packs;
  std::string frozen =
      WithAction("      production: {tier: 0}\n",
                 "      production: {tier: 0}\n    freezes:\n"
                 "      - {name: f, from: \"2026-01-10T09:00:00Z\", until: \"2026-01-11T00:00:00Z\"}\n");
  frozen.replace(frozen.find("sudo rm -rf /var/lib/postgresql/data"), 36, "systemctl restart postgresql");
  ScenarioResult person = Replay(Parse(frozen.c_str()), c);
  CHECK(person.action_outcome == ActionOutcome::kHeld);
  std::string agent = frozen;
  agent.replace(agent.find("actor: human"), 12, "actor: ai");
  ScenarioResult ai = Replay(Parse(agent.c_str()), c);
  CHECK(ai.action_outcome == ActionOutcome::kStopped);
  CHECK(std::find(ai.action_rules.begin(), ai.action_rules.end(), "guard.freeze-agent") !=
        ai.action_rules.end());
  // An hour after the freeze ends, the person's restart is judged like any other.
  std::string after = frozen;
  after.replace(after.find("now: \"2026-01-10 10:00\""), 23, "now: \"2026-01-11 01:00\"");
  ScenarioResult later = Replay(Parse(after.c_str()), c);
  CHECK(std::find(later.action_rules.begin(), later.action_rules.end(), "guard.freeze-change") ==
        later.action_rules.end());
}

TEST_CASE("scenario: an action block is checked like the rest, its environments at their position") {
  auto err = [](const std::string& text) {
    auto s = ParseScenario(text, "s.yaml");
    REQUIRE_FALSE(s.ok());
    return s.error().message;
  };
  CHECK(err(WithAction("actor: human", "actor: robot"))
            .rfind("s.yaml:9:10: actor must be human, ai or bot", 0) == 0);
  CHECK(err(WithAction("  command: \"sudo rm -rf /var/lib/postgresql/data\"\n", "")).find("a command line") !=
        std::string::npos);
  CHECK(err(WithAction("  actor: human", "  argv: [ls]\n  actor: human")).find("a command line") !=
        std::string::npos);
  CHECK(err(WithAction("production: {tier: 0}", "production: {tire: 0}")).rfind("s.yaml:13:", 0) == 0);
  CHECK(err(WithAction("default: production", "default: staging")).find("'staging' is not one of") !=
        std::string::npos);
  CHECK(err(WithAction("  actor: human", "  actor: human\n  hosts: [x]")).find("unknown key 'hosts'") !=
        std::string::npos);
  // Neither a change nor an action: nothing to judge.
  CHECK(err(WithAction("action:", "actionx:")).find("unknown key") != std::string::npos);
}

TEST_CASE("simulation guard: a staged action spares the targets after a first wave whose check fails") {
  auto own = LoadRules({{"stage.yaml", R"(apiVersion: ringfence/v1
kind: Rules
rules:
  - id: own.stage-restarts
    description: restarting many services at once runs in waves
    when: {action: {verbs: [restart], count: {gt: 3}}}
    effect: stage
    rollout: {max_canary_weight: 25}
)"}});
  REQUIRE(own.ok());
  ReplayConfig c = Config(kShortPlan);
  c.guard_rules = &*own;
  std::string restart =
      WithAction("sudo rm -rf /var/lib/postgresql/data", "systemctl restart a b c d e f g h");
  auto with_check = [&](const char* shows) {
    std::string t = restart;
    if (*shows)
      t.replace(t.find("actor: human"), 12, std::string("actor: human\n  first_wave_shows_harm: ") + shows);
    return Replay(Parse(t.c_str()), c);
  };
  ScenarioResult fails = with_check("true");
  CHECK(fails.action_outcome == ActionOutcome::kStaged);
  CHECK(fails.action_targets == 8);
  CHECK(fails.action_first_wave == 2);  // 25% of 8
  CHECK(fails.action_spared == Approx(0.75));
  CHECK(fails.caught);
  ScenarioResult passes = with_check("false");
  CHECK(passes.action_spared == 0);
  CHECK_FALSE(passes.caught);
  ScenarioResult unsaid = with_check("");
  CHECK(unsaid.action_spared < 0);
  CHECK_FALSE(unsaid.caught);
  auto summary = Summarize({fails, passes, unsaid});
  CHECK(summary.actions_staged == 3);
  CHECK(summary.caught_by_guard == 1);
}

TEST_CASE("scoring: a rollback decided before the fault struck is a false alarm, not a catch") {
  // A candidate whose own errors (not the fault's) are plain to the judge is rolled back long
  // before its latent fault strikes: the rollback has nothing to do with the fault.
  const char* jumpy = kShortPlan;
  std::string latent = kCrash;
  latent.replace(latent.find("crash_after: 20s}"), 17, "crash_after: 20s, onset: {after: 80m}}");
  latent.replace(latent.find("baseline: {error_rate: 0.002}"), 29,
                 "baseline: {error_rate: 0.002}\ncandidate: {error_rate: 0.1}");
  ScenarioResult early = Replay(Parse(latent.c_str()), Config(jumpy));
  REQUIRE(early.Reverted());
  CHECK(early.decided_ms < 80 * 60'000);
  CHECK_FALSE(early.canary_caught);
  CHECK_FALSE(early.caught);
  CHECK(early.false_alarm);
  CHECK(early.detect_ms == -1);
  // A fault that strikes at once: the rollback follows the onset, a catch.
  ScenarioResult prompt = Replay(Parse(kCrash), Config(jumpy));
  REQUIRE(prompt.Reverted());
  CHECK(prompt.caught);
  CHECK_FALSE(prompt.false_alarm);
  auto summary = Summarize({early, prompt});
  CHECK(summary.caught == 1);
  CHECK(summary.caught_by_canary == 1);
  CHECK(summary.false_alarms == 1);
  CHECK(summary.early_rollbacks == 1);
}

TEST_CASE("scoring: a hold counts as a catch only when the scenario says no approval would have come") {
  auto gate = LoadRules({{"g.yaml", R"(apiVersion: ringfence/v1
kind: Rules
rules:
  - id: content-owner
    description: content changes need the content owner
    when: {paths: ["content/**"]}
    effect: require_approval
    approvers: ["@content"]
)"}});
  REQUIRE(gate.ok());
  ReplayConfig c = Config(kShortPlan);
  c.rules = &*gate;
  auto with = [&](const std::string& approval) {
    std::string t = kCrash;
    t += approval;
    return Replay(Parse(t.c_str()), c);
  };
  ScenarioResult unsaid = with("");
  CHECK(unsaid.gate_held);
  CHECK_FALSE(unsaid.gate_stopped);
  CHECK_FALSE(unsaid.blocked);  // held, but nobody says the approval would have been refused
  ScenarioResult refused = with("approval: {given: false, why: the owner would have seen the crash loop}\n");
  CHECK(refused.blocked);
  ScenarioResult granted = with("approval: {given: true, why: routine content push}\n");
  CHECK_FALSE(granted.blocked);
  CHECK(granted.caught == granted.canary_caught);  // what the canary did decides
  auto summary = Summarize({unsaid, refused, granted});
  CHECK(summary.caught_by_gate == 1);
  CHECK(summary.gate_held == 1);
  CHECK(summary.gate_denied == 0);
  CHECK(summary.held_unscored == 2);
  // An approval block says why.
  std::string bad = std::string(kCrash) + "approval: {given: false}\n";
  auto parsed = ParseScenario(bad, "s.yaml");
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.error().message.find("say why") != std::string::npos);
}

TEST_CASE("scoring: sessions hurt counts the errors the fault caused, not the background") {
  // A fault that behaves exactly as the candidate does hurts nobody, however many errors the
  // candidate has of its own.
  std::string noisy = kFaint;
  noisy.replace(noisy.find("baseline: {error_rate: 0.002}"), 29, "baseline: {error_rate: 0.05}");
  std::string noop = noisy;
  noop.replace(noop.find("fault: {error_rate: 0.15}"), 25, "fault: {error_rate: 0.05}");
  std::string lax = kShortPlan;
  std::string judge = "{type: sequential, alpha: 0.01, min_events: 5}";
  lax.replace(lax.find(judge), judge.size(), "{type: count, confidence: 0.99, min_events: 1000000}");
  ScenarioResult none = Replay(Parse(noop.c_str()), Config(lax.c_str()));
  CHECK(none.exposed_clients > 0);
  CHECK(none.hurt_clients == 0);
  ScenarioResult real = Replay(Parse(noisy.c_str()), Config(lax.c_str()));
  CHECK(real.hurt_clients > 0);
  CHECK(real.hurt_clients <= real.exposed_clients);
}

TEST_CASE("scenario: a zero crash_after, an onset after the end and a hexadecimal float are refused") {
  auto err = [](const std::string& text) {
    auto s = ParseScenario(text, "s.yaml");
    REQUIRE_FALSE(s.ok());
    return s.error().message;
  };
  std::string base = kCrash;
  auto with = [&](const std::string& from, const std::string& to) {
    std::string t = base;
    t.replace(t.find(from), from.size(), to);
    return t;
  };
  CHECK(err(with("crash_after: 20s", "crash_after: 0s")).find("crash_after must be above 0") !=
        std::string::npos);
  CHECK(err(with("crash_after: 20s}", "crash_after: 20s, onset: {after: 2h}}")).rfind("s.yaml:10:", 0) == 0);
  CHECK(err(with("crash_after: 20s}", "crash_after: 20s, onset: {after: 2h}}"))
            .find("after the scenario ends") != std::string::npos);
  CHECK(err(with("error_rate: 0.002", "error_rate: 0x1p-9")).find("must be a number") != std::string::npos);
  CHECK(err(with("error_rate: 0.002", "error_rate: 2e-3x")).find("must be a number") != std::string::npos);
  CHECK(ParseScenario(with("error_rate: 0.002", "error_rate: 2e-3"), "s.yaml").ok());
}

#include "simulations/sim/replay.h"

#include <algorithm>
#include <atomic>
#include <nlohmann/json.hpp>
#include <thread>

#include "engine/guard/shell_words.h"
#include "engine/rollout/orchestrator.h"
#include "engine/rules/action_verdict.h"
#include "engine/rules/author.h"
#include "simulations/sim/memory_store.h"

namespace ringfence::sim {

const char* const kDefaultSimPlan = R"(apiVersion: ringfence/v1
kind: RolloutPlan
service: replay
backend: process
baseline: {image: baseline}
candidate: {image: candidate}
sessions: {warm_window: 10m}
steps:
  - {weight: 1, bake: 10m}
  - {weight: 10, bake: 10m}
  - {weight: 50, bake: 10m}
  - {weight: 100, bake: 0s}
analysis:
  interval: 1m
  on_no_data: pause
  on_inconclusive: pause
  metrics:
    - {name: errors, judge: {type: sequential, alpha: 0.01, min_events: 10}}
    - {name: latency, judge: {type: mann_whitney, confidence: 0.99, tolerance: 0.25, direction: increase, min_samples: 20}}
rollback: {sessions: drain, drain_timeout: 5m, verify_for: 2m}
)";

namespace {

uint64_t Mix(uint64_t seed, const std::string& id) {
  uint64_t h = 1469598103934665603ULL;  // FNV-1a: the scenario's own stream of draws
  for (unsigned char c : id) h = (h ^ c) * 1099511628211ULL;
  return seed * 0x9e3779b97f4a7c15ULL ^ h;
}

double Median(std::vector<double> v) {
  if (v.empty()) return -1;
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

// The guard's verdict on the scenario's action, as `ringfence guard check` gives it.
void JudgeAction(const ScenarioAction& action, std::chrono::system_clock::time_point now,
                 const RuleSet& rules, ScenarioResult& r) {
  std::vector<Action> actions = action.command.empty()
                                    ? ActionsOfArgv(action.argv, action.defaults)
                                    : ActionsOfCommandLine(action.command, action.defaults);
  r.action_text = action.command.empty() ? ShellLine(action.argv) : action.command;
  ChangeFacts facts;
  Verdict v = JudgeActions(rules, action.environments, std::move(actions),
                           {action.actor, action.agents, "the scenario's actor", action.approved_by,
                            action.task_environments, action.task_targets},
                           now, false, facts);
  r.action_decision = ToString(v.decision);
  for (const auto& f : v.fired) {
    if (!Blocking(f) && (f.waiver || f.rule->effect != Effect::kStage)) continue;
    r.action_rules.push_back(f.rule->id);
    for (const auto& e : f.match.evidence) r.action_why.push_back(f.rule->id + ": " + e.text);
  }
  for (size_t i = 0; i < v.indeterminate.size() && i < 2; ++i)
    r.action_why.push_back("indeterminate: " + v.indeterminate[i]);
  if (v.indeterminate.size() > 2)
    r.action_why.push_back("indeterminate: " + std::to_string(v.indeterminate.size() - 2) +
                           " more rules as well");
  switch (v.decision) {
    case Decision::kDeny:
    case Decision::kIndeterminate:
      r.action_outcome = ActionOutcome::kStopped;
      break;
    case Decision::kNeedsApproval:
      r.action_outcome = ActionOutcome::kHeld;
      break;
    case Decision::kAllow:
    case Decision::kWarn:
      r.action_outcome = v.must_stage ? ActionOutcome::kStaged : ActionOutcome::kMissed;
      break;
  }
  if (r.action_outcome == ActionOutcome::kStaged) {
    for (const auto& a : facts.actions) r.action_targets += std::max<size_t>(1, a.targets.size());
    r.action_first_wave = v.constraints.MostInFirstWave(r.action_targets);
    if (action.first_wave_shows_harm)
      r.action_spared = *action.first_wave_shows_harm
                            ? double(r.action_targets - r.action_first_wave) / double(r.action_targets)
                            : 0.0;
  }
}

}  // namespace

const char* ToString(ActionOutcome outcome) {
  switch (outcome) {
    case ActionOutcome::kNotJudged:
      return "not judged";
    case ActionOutcome::kStopped:
      return "stopped";
    case ActionOutcome::kHeld:
      return "held";
    case ActionOutcome::kStaged:
      return "staged";
    case ActionOutcome::kMissed:
      return "missed";
  }
  return "?";
}

ScenarioResult Replay(const Scenario& sc, const ReplayConfig& config) {
  ScenarioResult r;
  r.id = sc.id;
  r.type = sc.type;
  r.title = sc.title;
  r.path = sc.path;
  r.reality = sc.reality;
  r.canary_applies = sc.canary_applies;
  r.canary_why = sc.canary_why;
  r.approval_given = sc.approval.given;
  r.approval_why = sc.approval.why;
  RolloutPlan plan = config.plan;
  if (sc.action.present && config.guard_rules) JudgeAction(sc.action, sc.facts.now, *config.guard_rules, r);
  if (config.rules && sc.has_change) {
    ChangeFacts facts = sc.facts;
    ClassifyAuthor(facts, config.rules->authors);
    Verdict v = Evaluate(*config.rules, config.waivers, facts, Approvals{sc.approved_by});
    r.gate_decision = ToString(v.decision);
    for (const auto& f : v.fired) {
      if (Blocking(f)) r.gate_rules.push_back(f.rule->id);
    }
    // Stopped: denied or undecidable (fail closed). Held for an approval the change did not have:
    // a catch only when the scenario says the approval would not have come.
    r.gate_stopped = v.decision == Decision::kDeny || v.decision == Decision::kIndeterminate;
    r.gate_held = v.decision == Decision::kNeedsApproval;
    r.blocked = r.gate_stopped || (r.gate_held && (sc.healthy() || sc.approval.given == false));
    ApplyConstraints(plan, v.constraints);
  }
  if (sc.drift.present) r.drift = CheckDrift(sc.id, sc.drift, plan.max_session_age_ms);
  const bool drift_caught = r.drift && r.drift->Caught();
  if (!sc.canary_applies) {
    r.outcome = "n/a";
    r.caught = !sc.healthy() && (r.blocked || r.StoppedByGuard() || drift_caught);
    return r;
  }

  int64_t rollout_start =
      std::chrono::duration_cast<std::chrono::milliseconds>(sc.facts.now.time_since_epoch()).count();
  int64_t step = std::clamp<int64_t>(plan.interval_ms / 4, 1000, 15'000);
  SimWorld world(sc, Mix(config.seed, sc.id), rollout_start - kReplayWarmupMs, step);
  Router router(world.backend(), world.clock(), "sim");
  RolloutSetup setup{
      sc.id, "replay", "",          ImageRef{kBaselineVersion, "", ""}, ImageRef{kCandidateVersion, "", ""},
      {},    "",       std::nullopt};
  router.SetImages(setup.baseline, setup.candidate);
  (void)router.SetWeight(0);
  world.SetRouter(&router, plan.warm_window_ms);
  world.AdvanceTo(rollout_start);
  world.SetRolloutStart(rollout_start);

  MemoryStateStore store;
  MemoryAuditLog audit;
  auto started =
      StartRollout(store, audit, setup, plan, world.backend().capabilities(), world.now(), "replay");
  if (!started) {
    r.outcome = "error: " + started.error().message;
    return r;
  }
  Orchestrator orchestrator({world.backend(), router, world.metrics(), nullptr, store, audit, world.clock(),
                             nullptr, nullptr, "", nullptr},
                            setup, plan);
  for (int round = 0; round < 100; ++round) {
    auto out = orchestrator.Run();
    if (!out) {
      r.outcome = "error: " + out.error().message;
      break;
    }
    r.result = *out;
    r.outcome = ToString(*out);
    if (*out != RolloutOutcome::kAwaitingHuman) break;
    ++r.pauses;  // a human looks, then lets it continue
    world.AdvanceTo(world.now() + config.human_delay_ms);
    if (!ApproveRollout(store, audit, setup.id, "simulated-human", world.now())) break;
  }
  // Play on to the end of the scenario: a latent fault may strike after promotion.
  world.AdvanceTo(std::max(world.now(), rollout_start + sc.fleet.duration_ms));

  auto journal = DecodeJournal(*store.Journal(setup.id));
  if (!journal) {
    r.result.reset();
    r.outcome = "error: " + journal.error().message;
    return r;
  }
  r.journal = std::move(*journal);
  for (const auto& rec : r.journal) {
    int64_t at = rec.at_unix_ms - rollout_start;
    if (const auto* rollback = std::get_if<RollbackEvent>(&rec.event); rollback && r.decided_ms < 0) {
      r.decided_ms = at;
      r.reason = rollback->reason;
    }
    if (IsTerminal(rec.state())) {
      r.rollout_ms = at;
      if (rec.state() != RolloutState::kPromoted && r.decided_ms >= 0) r.rollback_ms = at - r.decided_ms;
    }
  }
  const WorldStats& st = world.stats();
  r.fault_onset_ms = st.fault_onset_ms;
  if (r.decided_ms >= 0 && r.fault_onset_ms >= 0 && r.decided_ms >= r.fault_onset_ms)
    r.detect_ms = r.decided_ms - r.fault_onset_ms;
  r.fault_after_promotion = r.Promoted() && r.fault_onset_ms >= 0 && r.fault_onset_ms >= r.rollout_ms;
  r.exposed_clients = st.exposed_clients;
  r.hurt_clients = st.hurt_clients;
  r.client_sessions = st.client_sessions;
  r.events = st.events;
  r.requests = st.requests;
  r.timeline = world.timeline();
  // A rollback is a catch only when it was decided once the fault had struck.
  r.canary_caught =
      !sc.healthy() && r.Reverted() && r.fault_onset_ms >= 0 && r.decided_ms >= r.fault_onset_ms;
  r.caught = !sc.healthy() && (r.blocked || r.StoppedByGuard() || r.canary_caught || drift_caught);
  r.false_alarm = r.Reverted() && !r.canary_caught;
  return r;
}

std::vector<ScenarioResult> ReplayAll(const std::vector<Scenario>& scenarios, const ReplayConfig& config,
                                      int threads) {
  std::vector<ScenarioResult> results(scenarios.size());
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  threads = std::min<int>(threads, static_cast<int>(scenarios.size()));
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < scenarios.size(); i = next++) results[i] = Replay(scenarios[i], config);
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  return results;
}

ReplaySummary Summarize(const std::vector<ScenarioResult>& results) {
  ReplaySummary s;
  std::vector<double> detect, hurt, healthy_ms;
  for (const auto& r : results) {
    s.events += r.events;
    if (r.type == "healthy") {
      ++s.healthy;
      s.false_alarms += r.false_alarm;
      s.healthy_blocked += r.blocked || r.HeldByGuard();
      if (r.Promoted()) healthy_ms.push_back(static_cast<double>(r.rollout_ms));
      continue;
    }
    ++s.incidents;
    s.caught += r.caught;
    s.caught_by_gate += r.blocked;
    s.gate_denied += r.gate_stopped;
    s.gate_held += r.blocked && !r.gate_stopped;
    s.held_unscored += (r.gate_held && !r.blocked) ||
                       (r.action_outcome == ActionOutcome::kHeld && r.approval_given != false);
    s.false_alarms += r.false_alarm;
    s.early_rollbacks += r.false_alarm;
    bool by_canary = r.canary_caught;
    bool by_drift = r.drift && r.drift->Caught();
    s.caught_by_canary += by_canary;
    s.caught_by_drift += by_drift;
    s.caught_by_guard += r.StoppedByGuard();
    s.actions_staged += r.action_outcome == ActionOutcome::kStaged;
    s.caught_more_than_once +=
        (int(r.blocked) + int(r.StoppedByGuard()) + int(by_canary) + int(by_drift)) > 1;
    if (by_canary && r.detect_ms >= 0) detect.push_back(static_cast<double>(r.detect_ms));
    if (r.canary_applies) hurt.push_back(static_cast<double>(r.hurt_clients));
  }
  s.median_detect_ms = Median(detect);
  s.median_hurt = std::max(0.0, Median(hurt));
  s.median_healthy_rollout_ms = Median(healthy_ms);
  return s;
}

}  // namespace ringfence::sim

// Replays one scenario through the production gate and rollout state machine: the rules engine
// judges the change's facts; the Orchestrator canaries the candidate onto the simulated fleet with
// the plan (reshaped by the gate's constraints), a simulated human answering pauses after a delay.
// Nothing of the decision logic is re-implemented here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/ports/state_store.h"
#include "engine/rollout/journal.h"
#include "engine/rollout/plan.h"
#include "engine/rules/evaluator.h"
#include "engine/rules/waivers.h"
#include "simulations/sim/drift_check.h"
#include "simulations/sim/scenario.h"
#include "simulations/sim/sim_world.h"

namespace ringfence::sim {

// The baseline fleet runs alone this long before the canary begins (the timelines start there).
inline constexpr int64_t kReplayWarmupMs = 10 * 60'000;

// The plan replays use unless told otherwise: staged canary 1% -> 10% -> 50% -> 100%.
extern const char* const kDefaultSimPlan;

struct ReplayConfig {
  RolloutPlan plan;
  const RuleSet* rules = nullptr;        // null: no gate
  const RuleSet* guard_rules = nullptr;  // null: actions are not judged
  std::vector<Waiver> waivers;
  uint64_t seed = 1;
  int64_t human_delay_ms = 10 * 60'000;  // a paused rollout is approved this long after it paused
};

// What the guard would have done with a scenario's action: stopped it (denied, or undecidable:
// fail closed), held it for an approval it did not have, made it run in waves (caught when the
// first wave's health check sees the harm and more than that wave was to come), or let it run.
enum class ActionOutcome { kNotJudged, kStopped, kHeld, kStaged, kMissed };
const char* ToString(ActionOutcome outcome);

struct ScenarioResult {
  std::string id, type, title, path;
  // The gate.
  std::string gate_decision;            // allow, warn, needs_approval, deny, indeterminate; "" without rules
  std::vector<std::string> gate_rules;  // rules that blocked (deny or approval not given)
  bool gate_stopped = false;            // denied, or indeterminate (fail closed)
  bool gate_held = false;               // held for an approval it lacked
  // Whether that approval (or the guard's) would have been given, as the scenario says.
  std::optional<bool> approval_given;
  std::string approval_why;
  bool blocked = false;  // the gate stopped it, or held it (a healthy change; an incident whose
                         // approval would not have come)
  // The guard, for a scenario's action.
  ActionOutcome action_outcome = ActionOutcome::kNotJudged;
  std::string action_text;                // the command line judged
  std::string action_decision;            // as the guard decides (allow ... indeterminate)
  std::vector<std::string> action_rules;  // rules that stopped, held or staged it
  std::vector<std::string> action_why;    // their evidence and the reasons for indeterminate
  // Staged: the targets, the first wave's share of them, and the share a failed check after it
  // spares (-1 when the scenario cannot say whether the check fails).
  size_t action_targets = 0, action_first_wave = 0;
  double action_spared = -1;
  bool StagedAndStopped() const { return action_outcome == ActionOutcome::kStaged && action_spared > 0; }
  // A catch: stopped, held for an approval that would not have come, or staged with a first wave
  // whose check sees the harm.
  bool StoppedByGuard() const {
    return action_outcome == ActionOutcome::kStopped ||
           (action_outcome == ActionOutcome::kHeld && approval_given == false) || StagedAndStopped();
  }
  // What a healthy action costs: the guard stopped or held it.
  bool HeldByGuard() const {
    return action_outcome == ActionOutcome::kStopped || action_outcome == ActionOutcome::kHeld;
  }
  // The canary.
  bool canary_applies = true;
  std::string canary_why;
  std::optional<RolloutOutcome> result;  // how the rollout ended; none when no canary ran (or an error)
  std::string outcome;                   // for people: ToString(result), "n/a" or "error: ..."
  int64_t fault_onset_ms = -1;           // from the rollout's start
  int64_t decided_ms = -1;               // rollback decision, from the rollout's start
  int64_t detect_ms = -1;                // decision - fault onset
  int64_t rollback_ms = -1;              // decision to verified baseline
  int64_t rollout_ms = -1;               // start to the terminal state
  int pauses = 0;                        // times a simulated human had to approve
  long exposed_clients = 0, hurt_clients = 0, client_sessions = 0;
  long events = 0, requests = 0;
  bool fault_after_promotion = false;  // the fault struck once the candidate was everywhere
  std::string reason;                  // the rollback's reason
  // The fleet's own guards, for a scenario whose fleet had already diverged.
  std::optional<DriftOutcome> drift;
  // Outcome classes.
  bool caught = false;  // incident: blocked at the gate, its action stopped by the guard, rolled back
                        // by the canary after its fault struck, or its drift seen or recycled before harm
  bool canary_caught = false;  // rolled back, decided once the fault had struck
  // Rolled back on noise: a healthy rollout, or an incident before its fault struck (a gate block
  // is counted apart).
  bool false_alarm = false;
  Reality reality;
  std::vector<TimelinePoint> timeline;
  std::vector<TypedRecord> journal;
  bool Reverted() const {
    return result == RolloutOutcome::kRolledBack || result == RolloutOutcome::kEscalated;
  }
  bool Promoted() const { return result == RolloutOutcome::kPromoted; }
};

ScenarioResult Replay(const Scenario& scenario, const ReplayConfig& config);
// Every scenario, on up to `threads` threads (each scenario's world is its own); results in the
// scenarios' order, identical whatever the thread count.
std::vector<ScenarioResult> ReplayAll(const std::vector<Scenario>& scenarios, const ReplayConfig& config,
                                      int threads = 0);

struct ReplaySummary {
  int incidents = 0, caught = 0, caught_by_gate = 0, caught_by_guard = 0, caught_by_canary = 0,
      caught_by_drift = 0;
  int actions_staged = 0;         // incidents whose action the guard would have run in waves (caught or not)
  int caught_more_than_once = 0;  // incidents caught in more than one of those ways
  int gate_denied = 0, gate_held = 0;  // of caught_by_gate: stopped, held with no approval to come
  int held_unscored = 0;  // held at the gate or by the guard, approval unknown or given: not a catch
  int healthy = 0, false_alarms = 0, healthy_blocked = 0;
  int early_rollbacks = 0;  // of false_alarms: incidents rolled back before their fault struck
  double median_detect_ms = -1;
  double median_hurt = 0;  // client sessions hurt per incident where the canary ran
  double median_healthy_rollout_ms = -1;
  long events = 0;
};

ReplaySummary Summarize(const std::vector<ScenarioResult>& results);

}  // namespace ringfence::sim

// A replay scenario (YAML, kind Scenario): a change as the gate sees it, the fleet of sessions it
// would reach, how the candidate behaves (and when its fault strikes), and what really happened.
//
//   apiVersion: ringfence/v1
//   kind: Scenario
//   id: crowdstrike-2024-channel-291
//   type: incident                       # incident | healthy
//   title: "..."
//   facts: public-incidents.yaml#crowdstrike-2024-channel-291   # where the facts come from
//   now: "2024-07-19 04:09"              # when the change is judged (freeze windows)
//   change: {files: [...], components: [...], commits: [...]}   # as in rule tests
//   canary: {applies: false, why: "an operator command, not a version on sessions"}
//   fleet: {duration: 2h, arrivals_per_minute: 60, session_minutes: 5, requests_per_minute: 12,
//           returning: 0.3, daily_cycle: {amplitude: 0.4, peak: "14:00"}}
//   baseline: {error_rate: 0.002, latency_ms: 80, latency_sigma: 0.3}
//   candidate: {error_rate: 0.002, latency_ms: 82}          # its behaviour while no fault is active
//   fault:                                                  # optional: what goes wrong
//     error_rate: 1.0
//     latency_ms: 400
//     crash_after: 30s                  # sessions of the candidate die this long after launch
//     onset: {after: 0s}                # or {after: 14d} (latent), {at_fraction: 0.5}, {oscillate: 5m}
//     cohort: 0.2                       # share of client sessions it hits
//   drift:                                                  # optional: a fleet already diverged
//     hosts: 8                          # sessions serving the service
//     drifted: 1                        # of them, left on another version or changed in place
//     kind: other_version               # other_version | measurement_differs
//     version: "smars-old"              # what the drifted ones run (other_version)
//     harm_after: 90m                   # from when the fleet diverged to when the drift does harm
//     session_age: 0s                   # how old the drifted sessions were when it diverged
//     inventoried: true                 # whether they are sessions of a backend `ringfence fleet` reads
//     check_every: 15m                  # a scheduled `ringfence fleet drift` job (default 1h)
//     max_drifted: 0                    # the job's threshold
//   action:                                                 # optional: an operator's or agent's action
//     command: "sudo rm -rf /var/opt/db/data"   # a command line as a shell runs it (or argv: [...])
//     cwd: /srv, kube_context: prod-eu, cloud_profile: prod, database_host: db1.internal
//     actor: human                      # human | ai | bot (default human)
//     agents: [...], approved_by: [...]
//     first_wave_shows_harm: true       # staged by a rule: the first wave's health check fails
//     intent: {environments: [staging], targets: ["deployment/web*"]}   # the task it declared
//     environments: {default: production, environments: {...}, fleets: {...}, freezes: [...]}
//                                       # as .ringfence/environments.yaml declares them (no header)
//   approval: {given: false, why: "..."}   # held for an approval: would it have been given?
//   reality: {detected_after: 3m, mitigated_after: 27m, blast_radius: "...", note: "..."}
// Errors name path:line:col, like rule files.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.h"
#include "engine/guard/command_action.h"
#include "engine/guard/environments.h"
#include "engine/rules/change_facts.h"

namespace ringfence::sim {

struct Behaviour {
  double error_rate = 0.001;
  double latency_ms = 50;      // median of a request's latency
  double latency_sigma = 0.3;  // of its logarithm
  int64_t crash_after_ms = 0;  // 0: sessions do not crash
};

struct Fault {
  bool present = false;
  Behaviour behaviour;           // replaces the candidate's while active (unset fields: the candidate's)
  int64_t onset_after_ms = 0;    // from the rollout's start
  double onset_at_fraction = 0;  // active once the candidate serves this share of live sessions
  int64_t oscillate_ms = 0;      // active for the first half of each period
  double cohort = 1.0;           // share of client sessions it hits
};

struct Fleet {
  int64_t duration_ms = 2 * 3600 * 1000;
  double arrivals_per_minute = 60;
  double session_minutes = 5;
  double requests_per_minute = 12;  // per client session
  double returning = 0.3;           // share of arrivals that are a recent client coming back
  double daily_amplitude = 0;       // arrivals vary by +-amplitude over the day
  int peak_minute = 14 * 60;        // of the day, UTC
};

// A fleet that diverged before the change: what a drift check and a session-age policy could see.
struct FleetDrift {
  bool present = false;
  int64_t hosts = 8, drifted = 1;
  bool mutated = false;  // kind measurement_differs: same version, content changed in place
  std::string version;   // kind other_version: the version the drifted ones run
  int64_t harm_after_ms = 0;
  int64_t session_age_ms = 0;
  bool inventoried = true;
  int64_t check_every_ms = 3'600'000;
  int64_t max_drifted = 0;
};

// An operator's or agent's action, judged by the guard's rules as `ringfence guard check` would.
struct ScenarioAction {
  bool present = false;
  std::string command;            // a command line as a shell runs it
  std::vector<std::string> argv;  // or one program's argv
  CommandDefaults defaults;
  AuthorKind actor = AuthorKind::kHuman;
  std::vector<std::string> agents, approved_by;
  std::vector<std::string> task_environments, task_targets;  // the declared task (intent:)
  Environments environments;                                 // where its targets land
  // Staged in waves: whether the health check after the first wave sees the harm (the rest then
  // never runs). Unset: nobody can say, and a staged action is not counted caught.
  std::optional<bool> first_wave_shows_harm;
};

// Whether the approval a held change or action waits for would have been given (unset: the
// scenario cannot say, and a hold is not counted as a catch).
struct HeldApproval {
  std::optional<bool> given;
  std::string why;
};

struct Reality {
  std::optional<double> detected_min, mitigated_min;
  std::string blast_radius, note;
};

struct Scenario {
  std::string path;
  int line = 0;
  std::string id, type, title, facts_ref;
  bool has_change = false;  // `change:` given: the gate judges it
  ChangeFacts facts;
  std::vector<std::string> approved_by;
  ScenarioAction action;
  bool canary_applies = true;
  std::string canary_why;
  Fleet fleet;
  Behaviour baseline, candidate;
  Fault fault;
  FleetDrift drift;
  HeldApproval approval;
  Reality reality;
  bool healthy() const { return type == "healthy"; }
};

Result<Scenario> ParseScenario(std::string_view text, const std::string& path);

}  // namespace ringfence::sim

// A rollout plan (YAML, apiVersion ringfence/v1, kind RolloutPlan): what to canary, on which
// backend, in which steps, judged how, and what to do with sessions on rollback. Validated with
// positions like rule files.
//
//   apiVersion: ringfence/v1
//   kind: RolloutPlan
//   service: checkout
//   backend: process                  # a backend of adapters/backends/backend_registry.h
//   baseline: {image: images/v1}      # a directory holding manifest.yaml
//   candidate: {image: images/v2}
//   sessions: {min: 4, warm_window: 5m, park_after: 1m, max_age: 8h}
//                                     # park_after: idle sessions parked (snapshot); max_age: older
//                                     # sessions recycled at their client's next idle point
//   steps: [{weight: 1, bake: 2m}, {weight: 10, bake: 5m}, {weight: 100, bake: 0s}]
//   load: {clients: 4, requests_per_session: 5, think: 20ms, returning: 0.3}   # built-in load
//   prometheus: {url: "http://127.0.0.1:9090", targets_file: targets.json}
//   analysis:
//     interval: 30s
//     on_no_data: pause               # pause | fail
//     on_inconclusive: pause
//     metrics:
//       - {name: errors, source: sessions, judge: {type: sequential, alpha: 0.01}}
//       - {name: latency_ms, source: sessions, judge: {type: mann_whitney, confidence: 0.95,
//          tolerance: 0.1, direction: increase, min_samples: 50}}
//       - {name: p99, source: prometheus, query: 'histogram_quantile(0.99, ...{version="$version"})',
//          judge: {type: threshold, relative: 0.2}}
//       - {name: errors5xx, source: prometheus, judge: {type: count},
//          query: 'sum(increase(requests_total{code="500",version="$version"}[$window]))',
//          exposure: 'sum(increase(requests_total{version="$version"}[$window]))'}
//   rollback: {sessions: drain, drain_timeout: 30s, verify_for: 30s}   # drain | terminate | restore
//   constraints: {max_canary_weight: 5, min_bake: 10m, human_promotion: true}
//   notify: {webhook: "http://127.0.0.1:9000/hook", secret_file: /etc/ringfence/hook.key}
//                                     # or secret_env: NAME; signs each payload (docs/rollout.md)
//   <backend>: {...}                  # the backend's own settings (docs/rollout.md, "Backends")
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/core/result.h"
#include "engine/core/yaml_doc.h"
#include "engine/rollout/judge.h"
#include "engine/rules/rule.h"

namespace ringfence {

struct RolloutStep {
  double weight = 0;         // percent of new sessions routed to the candidate
  int64_t bake_ms = 0;       // how long to judge at this weight before the next step
  bool needs_human = false;  // set by constraints: promotion past this step waits for a human
  int line = 0;
};

enum class OnUnclear { kPause, kFail };

// A metric the plan judges: what to observe (the MetricSource port reads the query) and how.
struct MetricSpec : MetricQuery {
  std::variant<ThresholdJudge, MannWhitneyJudge, CountJudge, SequentialJudge> judge;
  int line = 0;
};

enum class RollbackSessions { kDrain, kTerminate, kRestore };
const char* ToString(RollbackSessions s);

// The built-in load generator (demos, tests, benchmarks): `clients` concurrent clients, each
// opening client sessions of `requests_per_session` requests `think_ms` apart; a share
// `returning` of client sessions come back as an earlier client (and find its warm session).
struct LoadSpec {
  int clients = 0;  // 0: no built-in load
  int requests_per_session = 5;
  int64_t think_ms = 20;
  double returning = 0.3;
};

struct RolloutPlan {
  std::string path;
  std::string service;
  std::string backend;
  std::string baseline_image, candidate_image;  // as written, relative to the plan file
  int min_sessions = 1;
  int64_t warm_window_ms = 300'000;
  int64_t park_after_ms = 0;       // idle sessions are parked after this (0: never); below warm_window
  int64_t max_session_age_ms = 0;  // sessions older than this are recycled (0: never); the image
                                   // policy's max_session_age applies too, the shorter one wins
  std::vector<RolloutStep> steps;
  bool unjudged = false;  // `judgement: none`: no step bakes, and the plan says it promotes unjudged
  LoadSpec load;
  std::string prometheus_url;             // for metrics with source: prometheus
  bool prometheus_allow_private = false;  // prometheus.allow_private_network: loopback/private allowed
  std::string prometheus_targets_file;    // written with the live sessions (file_sd), when set
  int64_t interval_ms = 30'000;
  OnUnclear on_no_data = OnUnclear::kPause;
  OnUnclear on_inconclusive = OnUnclear::kPause;
  std::vector<MetricSpec> metrics;
  RollbackSessions rollback_sessions = RollbackSessions::kDrain;
  int64_t drain_timeout_ms = 30'000;  // drained sessions still busy after this are terminated
  int64_t verify_ms = 30'000;
  RolloutConstraints constraints;
  std::string webhook;
  bool webhook_allow_private = false;  // notify.allow_private_network: loopback/private allowed
  std::string webhook_secret_file;     // notify.secret_file: the HMAC key signing each payload
  std::string webhook_secret_env;      // notify.secret_env: or the environment variable holding it
  // The parsed document, positions included: the backend's section (the top-level key named by
  // `backend:`) is read from it by the backend's own parser (adapters/backends/backend_registry.h),
  // so the engine knows no backend.
  std::shared_ptr<const YamlDoc> doc;
};

// `backend_sections`: the backends the caller knows; a top-level key naming one is that backend's
// section (left for it to validate), `backend:` must name one. Empty: any backend name is taken
// and no section is allowed (the simulator, which has its own fleet).
Result<RolloutPlan> ParsePlan(std::string_view text, const std::string& path,
                              const std::vector<std::string>& backend_sections = {});

// Applies the gate's constraints (merged with the plan's own): each constrained stage becomes a
// step, steps above the maximum canary weight wait for a human, bakes are at least the minimum,
// human promotion marks the last step.
void ApplyConstraints(RolloutPlan& plan, const RolloutConstraints& constraints);

}  // namespace ringfence

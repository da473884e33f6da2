// A rollout plan (YAML, apiVersion ringfence/v1, kind RolloutPlan): what to canary, on which
// backend, in which steps, judged how, and what to do with sessions on rollback. Validated with
// positions like rule files.
//
//   apiVersion: ringfence/v1
//   kind: RolloutPlan
//   service: checkout
//   backend: process                  # process | qemu | firecracker | lambda
//   baseline: {image: images/v1}      # a directory holding manifest.yaml
//   candidate: {image: images/v2}
//   sessions: {min: 4, warm_window: 5m}
//   steps: [{weight: 1, bake: 2m}, {weight: 10, bake: 5m}, {weight: 100, bake: 0s}]
//   analysis:
//     interval: 30s
//     on_no_data: pause               # pause | fail
//     on_inconclusive: pause
//     metrics:
//       - {name: errors, source: sessions, judge: {type: sequential, alpha: 0.01}}
//       - {name: latency_ms, source: sessions, judge: {type: mann_whitney, confidence: 0.95,
//          tolerance: 0.1, direction: increase, min_samples: 50}}
//       - {name: p99, source: prometheus, query: 'histogram_quantile(0.99, ...)',
//          judge: {type: threshold, relative: 0.2}}
//   rollback: {sessions: drain, verify_for: 30s}   # drain | terminate | restore
//   constraints: {max_canary_weight: 5, min_bake: 10m, human_promotion: true}
//   notify: {webhook: "http://127.0.0.1:9000/hook"}
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/core/result.h"
#include "engine/rollout/judge.h"
#include "engine/rules/rule.h"

namespace ringfence {

struct RolloutStep {
  double weight = 0;     // percent of new sessions routed to the candidate
  int bake_seconds = 0;  // how long to judge at this weight before the next step
  bool needs_human = false;  // set by constraints: promotion past this step waits for a human
  int line = 0;
};

enum class MetricSourceKind { kSessions, kPrometheus };
enum class OnUnclear { kPause, kFail };

struct MetricSpec {
  std::string name;
  MetricSourceKind source = MetricSourceKind::kSessions;
  std::string query;  // PromQL, for prometheus
  std::variant<ThresholdJudge, MannWhitneyJudge, CountJudge, SequentialJudge> judge;
  int line = 0;
};

enum class RollbackSessions { kDrain, kTerminate, kRestore };

struct RolloutPlan {
  std::string path;
  std::string service;
  std::string backend;
  std::string baseline_image, candidate_image;  // as written, relative to the plan file
  int min_sessions = 1;
  int warm_window_seconds = 300;
  std::vector<RolloutStep> steps;
  int interval_seconds = 30;
  OnUnclear on_no_data = OnUnclear::kPause;
  OnUnclear on_inconclusive = OnUnclear::kPause;
  std::vector<MetricSpec> metrics;
  RollbackSessions rollback_sessions = RollbackSessions::kDrain;
  int verify_seconds = 30;
  RolloutConstraints constraints;
  std::string webhook;
};

inline constexpr const char* kKnownBackends[] = {"process", "qemu", "firecracker", "lambda"};

Result<RolloutPlan> ParsePlan(std::string_view text, const std::string& path);

// Applies the gate's constraints (merged with the plan's own): each constrained stage becomes a
// step, steps above the maximum canary weight wait for a human, bakes are at least the minimum,
// human promotion marks the last step.
void ApplyConstraints(RolloutPlan& plan, const RolloutConstraints& constraints);

}  // namespace ringfence

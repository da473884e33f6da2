// `ringfence tune`: sweeps plan parameters over a scenario library and reports the trade-off
// between incidents caught, client sessions hurt, rollout duration and false alarms, marking the
// settings no other setting beats on all four (the Pareto front).
//
// Parameters: weight (the first step's weight), bake (every step's bake but the last), interval,
// alpha and min_events (sequential judges), confidence (Mann-Whitney and count judges), tolerance
// (Mann-Whitney judges), errors_judge (sequential | count: the judge of the errors metric).
#pragma once

#include <functional>

#include <string>
#include <utility>
#include <vector>

#include "engine/core/result.h"
#include "simulations/sim/replay.h"

namespace ringfence::sim {

struct SweepParam {
  std::string name;
  std::vector<std::string> values;
};

// "weight=1,5,10" -> {weight, [1, 5, 10]}; kInvalidInput for an unknown name or a bad value.
Result<SweepParam> ParseSweep(const std::string& arg);
Status ApplyParam(RolloutPlan& plan, const std::string& name, const std::string& value);

struct TuneRow {
  std::vector<std::pair<std::string, std::string>> settings;  // empty: the plan as given
  ReplaySummary summary;
  bool pareto = false;
};

// Called after each row: rows done, rows in all, and the row (for progress).
using TuneProgress = std::function<void(size_t done, size_t total, const TuneRow& row)>;

// The plan as given first, then every combination of the sweeps. An invalid combination (a step
// weight that no longer stays below the next) is kInvalidInput naming its settings.
Result<std::vector<TuneRow>> Tune(const std::vector<Scenario>& scenarios, const ReplayConfig& config,
                                  const std::vector<SweepParam>& sweeps,
                                  const TuneProgress& progress = nullptr);

// A row that catches more incidents than the plan as given without more false alarms (the one
// with fewest false alarms, then fewest sessions hurt, then shortest rollouts), or -1.
int BetterThanDefault(const std::vector<TuneRow>& rows);

std::string SettingsText(const TuneRow& row);
void WriteTuneText(const std::vector<TuneRow>& rows, const std::vector<ScenarioResult>& default_results,
                   std::ostream& out);
void WriteTuneCsv(const std::vector<TuneRow>& rows, std::ostream& out);
// Rollout duration (x) against incidents caught and against sessions hurt (y), one point per
// row: Pareto rows filled, rows with false alarms red, the plan as given ringed.
std::string TuneSvg(const std::vector<TuneRow>& rows);

}  // namespace ringfence::sim

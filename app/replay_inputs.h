// Use case input of `ringfence replay` and `ringfence tune`: scenario files, the rules, the plan,
// read through the FileReader port; commits' trailers as git reads them (TrailerParser).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/rules_test.h"
#include "engine/core/result.h"
#include "engine/ports/file_reader.h"
#include "simulations/sim/replay.h"
#include "simulations/sim/scenario.h"

namespace ringfence::app {

struct ReplayInputs {
  std::vector<std::string> paths;        // scenario files or directories
  std::string rules = "rules";           // rule files or directories ("none": no gate; the default
                                         // "rules" is skipped with a note where it does not exist)
  std::vector<std::string> guard_rules;  // rule files or directories the guard judges actions with
                                         // instead of its shipped packs (["none"]: actions not judged)
  std::string plan;                      // a RolloutPlan; empty: the built-in replay plan
  std::string seed = "1";                // decimal, 0 .. 2^64-1
  std::string human_delay = "10m";
};

struct LoadedReplay {
  std::vector<sim::Scenario> scenarios;
  sim::ReplayConfig config;
  std::unique_ptr<RuleSet> rules;        // owned here; config.rules points into it
  std::unique_ptr<RuleSet> guard_rules;  // owned here; config.guard_rules points into it
  std::vector<std::string> notes;        // for people, e.g. that the default rules are not there
};

Result<LoadedReplay> LoadReplay(const ReplayInputs& in, const FileReader& files,
                                const TrailerParser& trailers);

}  // namespace ringfence::app

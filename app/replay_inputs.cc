#include "app/replay_inputs.h"

#include <charconv>
#include <cstdio>
#include <filesystem>

#include "app/guard.h"
#include "app/yaml_files.h"
#include "engine/core/duration.h"

namespace ringfence::app {

Result<LoadedReplay> LoadReplay(const ReplayInputs& in, const FileReader& reader,
                                const TrailerParser& trailers) {
  LoadedReplay out;
  auto files = ReadYamlFiles(reader, in.paths);
  if (!files) return files.error();
  auto sorted = SortByKind(*files);
  if (!sorted) return sorted.error();
  for (const auto& f : sorted->scenarios) {
    auto s = sim::ParseScenario(f.text, f.path);
    if (!s) return s.error();
    for (const auto& other : out.scenarios) {
      if (other.id == s->id)
        return Error::InvalidInput(f.path + ": scenario id '" + s->id + "' is used by " + other.path);
    }
    // Trailers as git reads them, as `check` does for real commits.
    for (auto& commit : s->facts.scope.changes.commits) commit.trailers = trailers(commit.message);
    out.scenarios.push_back(std::move(*s));
  }
  if (out.scenarios.empty())
    return Error::InvalidInput("no scenario files (kind: Scenario) in the paths given");
  std::string plan_text = sim::kDefaultSimPlan, plan_path = "built-in replay plan";
  if (!in.plan.empty()) {
    auto text = reader.Read(in.plan);
    if (!text) return text.error();
    plan_text = *text;
    plan_path = in.plan;
  }
  auto plan = ParsePlan(plan_text, plan_path);
  if (!plan) return plan.error();
  out.config.plan = std::move(*plan);
  auto [end, ec] = std::from_chars(in.seed.data(), in.seed.data() + in.seed.size(), out.config.seed);
  if (ec != std::errc() || end != in.seed.data() + in.seed.size())
    return Error::InvalidInput("--seed " + in.seed +
                               ": must be a whole number from 0 to 18446744073709551615");
  auto delay = ParseDurationMs(in.human_delay);
  if (!delay) return Error::InvalidInput("--human-delay " + in.human_delay + ": must be a duration like 10m");
  out.config.human_delay_ms = *delay;
  std::string rules = in.rules;
  if (rules == "rules" && !reader.IsDirectory(rules) && !reader.List(rules)) {
    out.notes.push_back("no ./rules here: the gate is not replayed (--rules PATH names rule files)");
    rules.clear();
  }
  if (!rules.empty() && rules != "none") {
    auto loaded = LoadRulesAndWaivers(reader, {rules});
    if (!loaded) return loaded.error();
    out.rules = std::make_unique<RuleSet>(std::move(loaded->rules));
    out.config.rules = out.rules.get();
    out.config.waivers = std::move(loaded->waivers);
  }
  if (in.guard_rules != std::vector<std::string>{"none"}) {
    std::vector<SourceFile> sources;
    if (in.guard_rules.empty()) {
      sources = ShippedGuardRules();
    } else {
      auto named = ReadYamlFiles(reader, in.guard_rules);
      if (!named) return named.error();
      auto sorted = SortByKind(*named);
      if (!sorted) return sorted.error();
      sources = std::move(sorted->rules);
      if (sources.empty()) return Error::InvalidInput("--guard-rules: no rule file (kind: Rules) there");
    }
    auto loaded = LoadRules(sources);
    if (!loaded) return loaded.error();
    out.guard_rules = std::make_unique<RuleSet>(std::move(*loaded));
    out.config.guard_rules = out.guard_rules.get();
  }
  return out;
}

}  // namespace ringfence::app

#include "app/guard.h"

#include <iterator>

#include "app/yaml_files.h"
#include "engine/guard/sql_statements.h"
#include "engine/guard/terraform_plan.h"
#include "engine/rules/action_verdict.h"

namespace ringfence::app {
namespace {

Result<std::vector<Action>> ReadActions(const GuardRequest& req, const FileReader& files) {
  switch (req.input) {
    case GuardInput::kArgv:
      return ActionsOfArgv(req.argv, req.defaults);
    case GuardInput::kArgvs: {
      std::vector<Action> all;
      for (const auto& argv : req.argvs) {
        auto actions = ActionsOfArgv(argv, req.defaults);
        all.insert(all.end(), std::make_move_iterator(actions.begin()),
                   std::make_move_iterator(actions.end()));
      }
      return all;
    }
    case GuardInput::kShell:
      return ActionsOfCommandLine(req.shell, req.defaults);
    case GuardInput::kTerraformPlan: {
      auto text = files.Read(req.file);
      if (!text) return text.error();
      TerraformPlanContext context(req.place);
      context.state_path = req.terraform_state;
      context.now_unix_ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(req.now.time_since_epoch()).count();
      if (!req.terraform_state.empty()) {
        auto state = files.Read(req.terraform_state);
        if (!state) return state.error();
        context.state = std::move(*state);
      }
      return ActionsOfTerraformPlan(*text, req.file, context);
    }
    case GuardInput::kKubernetesManifests: {
      auto text = files.Read(req.file);
      if (!text) return text.error();
      return ActionsOfKubernetesManifests(*text, req.file, req.place, req.manifest_verb,
                                          req.manifest_namespace);
    }
    case GuardInput::kSqlFile: {
      auto text = files.Read(req.file);
      if (!text) return text.error();
      return ActionsOfSql(*text, "sql", req.place, req.file);
    }
  }
  return Error::Internal("unknown guard input");
}

}  // namespace

Result<std::unique_ptr<GuardRun>> RunGuard(const GuardRequest& req, const FileReader& files) {
  auto run = std::make_unique<GuardRun>();
  std::vector<SourceFile> sources;
  if (req.shipped_rules) {
    for (const auto& f : ShippedGuardRules()) {
      sources.push_back(f);
      run->rule_sources.push_back(f.path + " (built in)");
    }
  }
  if (!req.rules.empty()) {
    auto named = ReadYamlFiles(files, req.rules);
    if (!named) return named.error();
    auto sorted = SortByKind(*named);
    if (!sorted) return sorted.error();
    for (auto& f : sorted->rules) {
      run->rule_sources.push_back(f.path);
      sources.push_back(std::move(f));
    }
  }
  if (sources.empty()) return Error::InvalidInput("no rule file: a guard without rules decides nothing");
  auto rules = LoadRules(sources);
  if (!rules) return rules.error();
  run->rules = std::move(*rules);

  if (!req.environments.empty()) {
    auto text = files.Read(req.environments);
    if (!text) return text.error();
    auto envs = ParseEnvironments(*text, req.environments);
    if (!envs) return envs.error();
    run->environments = std::move(*envs);
  }
  auto actions = ReadActions(req, files);
  if (!actions) return actions.error();
  run->verdict = JudgeActions(run->rules, run->environments, std::move(*actions),
                              {req.actor, req.agents, "the guard's --actor", req.approved_by,
                               req.task_environments, req.task_targets},
                              req.now, req.input == GuardInput::kTerraformPlan, run->facts);
  return run;
}

}  // namespace ringfence::app

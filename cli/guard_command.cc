// `ringfence guard check|plan|hook`: actions judged before they run. Exit codes as `check`: 0
// allowed, 1 denied, 2 a person must approve, 3 indeterminate, 4 invalid input or configuration.
// `hook` answers an agent's hook protocol on stdout instead (adapters/hooks/agent_hook.h).
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <memory>

#include "adapters/common/kube_config.h"
#include "adapters/common/local_files.h"
#include "adapters/common/system_clock.h"
#include "adapters/hooks/agent_hook.h"
#include "adapters/report/guard_formats.h"
#include "adapters/report/verdict_formats.h"
#include "app/guard.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/output_options.h"

namespace ringfence::cli {
namespace {

struct GuardFlags {
  std::vector<std::string> rules;
  bool no_shipped = false;
  std::string environments;
  std::string actor = "ai";
  std::vector<std::string> agents;
  std::vector<std::string> approved_by;
  std::string kube_context, cloud_profile, database_host;
  std::string format = "text";
};

void AddCommonFlags(CLI::App& sub, GuardFlags& f, bool formats) {
  sub.add_option("--rules", f.rules, "More rule files or directories (the shipped guard packs always apply)");
  sub.add_flag("--no-shipped-rules", f.no_shipped,
               "Judge with the named rule files only, not the shipped packs");
  sub.add_option("--environments", f.environments,
                 "The environments file (kind Environments): where hosts, contexts, profiles and paths land");
  sub.add_option("--actor", f.actor, "Who asks: ai (default), bot or human")
      ->check(CLI::IsMember({"ai", "bot", "human"}))
      ->capture_default_str();
  sub.add_option("--agent", f.agents, "The agent's name (for `agent:` conditions), repeatable");
  sub.add_option("--approved-by", f.approved_by, "An approval (handle), repeatable");
  sub.add_option("--kube-context", f.kube_context,
                 "kubectl's context when a command names none (default: kubeconfig's)");
  sub.add_option("--cloud-profile", f.cloud_profile,
                 "The cloud profile when a command names none (default: $AWS_PROFILE)");
  sub.add_option("--database-host", f.database_host,
                 "The database host when a command names none (default: $PGHOST)");
  if (formats)
    sub.add_option("--format", f.format, "text, json, sarif or markdown")
        ->check(CLI::IsMember({"text", "json", "sarif", "markdown"}))
        ->capture_default_str();
}

app::GuardRequest RequestOf(const GuardFlags& f) {
  app::GuardRequest r;
  r.rules = f.rules;
  r.shipped_rules = !f.no_shipped;
  r.environments = f.environments;
  r.actor = f.actor == "human" ? AuthorKind::kHuman : f.actor == "bot" ? AuthorKind::kBot : AuthorKind::kAi;
  r.agents = f.agents;
  r.approved_by = f.approved_by;
  r.defaults.kube_context = f.kube_context.empty() ? CurrentKubeContext() : f.kube_context;
  const char* profile = std::getenv("AWS_PROFILE");
  r.defaults.cloud_profile = !f.cloud_profile.empty() ? f.cloud_profile
                             : profile && *profile    ? profile
                                                      : "default";
  const char* pghost = std::getenv("PGHOST");
  r.defaults.database_host = !f.database_host.empty() ? f.database_host : pghost ? pghost : "";
  std::error_code ec;
  r.defaults.cwd = std::filesystem::current_path(ec).string();
  r.now = std::chrono::system_clock::now();
  return r;
}

int Print(const GuardFlags& f, const app::GuardRun& run) {
  report::GuardContext g{&run.verdict, &run.facts.actions, run.rule_sources, Output().color_stdout};
  if (f.format == "json") {
    report::WriteGuardJson(g, std::cout);
  } else if (f.format == "sarif" || f.format == "markdown") {
    report::VerdictContext ctx{&run.verdict, &run.rules, &run.facts, run.rule_sources};
    ctx.started_unix_ms = UnixNowMs();
    if (f.format == "sarif")
      report::WriteVerdictSarif(ctx, std::cout);
    else
      report::WriteVerdictMarkdown(ctx, std::cout);
  } else {
    report::WriteGuardText(g, std::cout);
  }
  return ExitCodeFor(run.verdict.decision);
}

int Judge(const GuardFlags& f, const app::GuardRequest& req) {
  LocalFiles files;
  auto run = app::RunGuard(req, files);
  if (!run) {
    std::cerr << "ringfence guard: " << run.error().message << "\n";
    return ExitCodeFor(run.error());
  }
  return Print(f, **run);
}

}  // namespace

Runner SetupGuard(CLI::App& sub) {
  sub.require_subcommand(1);
  auto check_flags = std::make_shared<GuardFlags>();
  auto check_argv = std::make_shared<std::vector<std::string>>();
  auto check_shell = std::make_shared<std::string>();
  auto* check = sub.add_subcommand("check", "Judge a command before it runs: -- ARGV..., or --shell 'LINE'");
  AddCommonFlags(*check, *check_flags, true);
  auto* shell =
      check->add_option("--shell", *check_shell, "A command line as a shell would run it (split, never run)");
  check->add_option("argv", *check_argv, "The command's arguments, after --")->excludes(shell);

  auto plan_flags = std::make_shared<GuardFlags>();
  auto plan_kind = std::make_shared<std::string>();
  auto plan_file = std::make_shared<std::string>();
  auto* plan =
      sub.add_subcommand("plan", "Judge a plan before it applies: terraform (terraform show -json) or sql");
  AddCommonFlags(*plan, *plan_flags, true);
  plan->add_option("kind", *plan_kind, "terraform or sql")
      ->required()
      ->check(CLI::IsMember({"terraform", "sql"}));
  plan->add_option("file", *plan_file, "The plan's JSON, or the SQL file")->required();

  auto hook_flags = std::make_shared<GuardFlags>();
  auto hook_agent = std::make_shared<std::string>();
  auto* hook = sub.add_subcommand("hook",
                                  "Answer a coding agent's hook on stdin: claude-code (PreToolUse) or cursor "
                                  "(beforeShellExecution)");
  AddCommonFlags(*hook, *hook_flags, false);
  hook->add_option("agent", *hook_agent, "claude-code or cursor")
      ->required()
      ->check(CLI::IsMember({"claude-code", "cursor"}));

  return [=]() -> int {
    if (check->parsed()) {
      app::GuardRequest req = RequestOf(*check_flags);
      if (!check_shell->empty() || shell->count() > 0) {
        req.input = app::GuardInput::kShell;
        req.shell = *check_shell;
      } else {
        req.input = app::GuardInput::kArgv;
        req.argv = *check_argv;
      }
      return Judge(*check_flags, req);
    }
    if (plan->parsed()) {
      app::GuardRequest req = RequestOf(*plan_flags);
      req.file = *plan_file;
      if (*plan_kind == "terraform") {
        req.input = app::GuardInput::kTerraformPlan;
        req.place = {PlaceKind::kCloudProfile, req.defaults.cloud_profile};
      } else {
        req.input = app::GuardInput::kSqlFile;
        req.place = {PlaceKind::kDatabaseHost, req.defaults.database_host};
      }
      return Judge(*plan_flags, req);
    }
    // hook: the agent's JSON on stdin, its protocol's answer on stdout.
    auto agent = *hooks::ParseHookAgent(*hook_agent);
    std::string input;
    char buf[65536];
    ssize_t n;
    while ((n = read(STDIN_FILENO, buf, sizeof buf)) > 0 && input.size() <= hooks::kMaxHookInput)
      input.append(buf, static_cast<size_t>(n));
    hooks::HookAnswer answer;
    auto request = hooks::ParseHookInput(agent, input);
    if (!request) {
      answer = hooks::RefuseHook(agent, request.error().message);
    } else if (!request->shell) {
      answer = hooks::PassHook(agent);
    } else {
      app::GuardRequest req = RequestOf(*hook_flags);
      req.input = app::GuardInput::kShell;
      req.shell = request->command;
      if (!request->cwd.empty()) req.defaults.cwd = request->cwd;
      LocalFiles files;
      auto run = app::RunGuard(req, files);
      answer = run ? hooks::AnswerHook(agent, (*run)->verdict.decision, report::GuardReason((*run)->verdict))
                   : hooks::RefuseHook(agent, run.error().message);
    }
    std::cout << answer.out << std::flush;
    std::cerr << answer.err;
    return answer.exit_code;
  };
}

}  // namespace ringfence::cli

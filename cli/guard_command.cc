// `ringfence guard check|plan|exec|run|log|hook`: actions judged before they run. Exit codes as `check`:
// 0 allowed, 1 denied, 2 a person must approve, 3 indeterminate, 4 invalid input or configuration;
// `exec` passes on the exit status of a command it ran.
// `hook` answers an agent's hook protocol on stdout instead (adapters/hooks/agent_hook.h).
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>

#include "adapters/common/foreground_program.h"
#include "adapters/common/kube_config.h"
#include "adapters/common/local_files.h"
#include "adapters/common/system_clock.h"
#include "adapters/common/target_probe.h"
#include "adapters/hooks/agent_hook.h"
#include "adapters/report/guard_formats.h"
#include "adapters/report/verdict_formats.h"
#include "adapters/store/lease_holder.h"
#include "app/guard.h"
#include "app/guard_exec.h"
#include "app/guard_run.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/output_options.h"
#include "cli/rollout_runtime.h"
#include "engine/core/civil_time.h"
#include "engine/core/utf8.h"
#include "engine/guard/exec_record.h"
#include "engine/guard/shell_words.h"

namespace ringfence::cli {
namespace {

struct GuardFlags {
  std::vector<std::string> rules;
  bool no_shipped = false;
  std::string environments;
  std::string actor = "ai";
  std::vector<std::string> agents;
  std::vector<std::string> approved_by;
  std::vector<std::string> task_environments, task_targets;
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
  sub.add_option("--intent-environment", f.task_environments,
                 "The declared task acts in this environment (pattern), repeatable: `outside_intent` "
                 "holds for an action elsewhere");
  sub.add_option("--intent-target", f.task_targets,
                 "The declared task acts on these targets (pattern), repeatable");
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
  r.actor = AuthorKindNamed(f.actor).value_or(AuthorKind::kAi);  // CLI11 has checked it is one of them
  r.agents = f.agents;
  r.approved_by = f.approved_by;
  r.task_environments = f.task_environments;
  r.task_targets = f.task_targets;
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

// check's exit code, and 11 for what may run only in waves.
int GuardExitCode(const Verdict& v) {
  int code = ExitCodeFor(v.decision);
  return code == kExitOk && v.must_stage ? kExitMustStage : code;
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
  return GuardExitCode(run.verdict);
}

int Judge(const GuardFlags& f, const app::GuardRequest& req) {
  LocalFiles files;
  auto run = app::RunGuard(req, files);
  if (!run) return Fail("guard", run.error());
  return Print(f, **run);
}

struct ExecFlags {
  std::string state = DefaultStateDir();
  std::string audit_key;
};

// The command's own exit status when it ran (128 + the signal that ended it, 127 when it could not
// start, as a shell reports them); check's exit codes when it was not allowed to run.
int Exec(const GuardFlags& f, const ExecFlags& e, const std::vector<std::string>& argv) {
  app::GuardRequest req = RequestOf(f);
  req.input = app::GuardInput::kArgv;
  req.argv = argv;
  auto state = OpenStateDirForWriting(e.state, e.audit_key);
  if (!state) return Fail("guard exec", state.error());
  LocalFiles files;
  SystemClock clock;
  ForegroundProgram runner;
  app::GuardExecWorld world{files, *state->store, *state->audit, runner, clock};
  auto out = app::GuardExec(req, world, store::NewLeaseHolder());
  if (!out) return Fail("guard exec", out.error());
  const app::GuardRun& run = *out->run;
  report::GuardContext g{&run.verdict, &run.facts.actions, run.rule_sources, false};
  if (!out->ended) {
    report::WriteGuardText(g, std::cerr);
    std::cerr << "ringfence guard exec: not run (" << ToString(run.verdict.decision)
              << (run.verdict.must_stage ? ", staged only" : "") << "), journaled as " << out->exec_id
              << "\n";
    return GuardExitCode(run.verdict);
  }
  if (run.verdict.decision == Decision::kWarn) report::WriteGuardText(g, std::cerr);
  if (!out->unrecorded_end.empty())
    std::cerr << "ringfence guard exec: the command ran, but how it ended is not journaled: "
              << out->unrecorded_end << "\n";
  const ProgramEnd& end = *out->ended;
  if (!end.started) {
    std::cerr << "ringfence guard exec: " << end.error << "\n";
    return 127;
  }
  return end.signal ? 128 + end.signal : end.exit_code;
}

// `guard run`'s progress, a line per step on stderr.
class RunLines : public app::RunProgress {
 public:
  void Wave(int64_t wave, int64_t waves, size_t targets) override {
    std::cerr << "wave " << wave + 1 << "/" << waves << ": " << targets << " target(s)\n";
  }
  void Ran(const TargetRanEvent& r) override {
    std::cerr << "  " << r.target << ": "
              << (!r.started ? "could not start: " + r.error
                  : r.signal ? "killed by signal " + std::to_string(r.signal)
                             : "exit " + std::to_string(r.exit_code))
              << "\n";
  }
  void Checked(const WaveCheckedEvent& c) override {
    std::cerr << "  checks: " << (c.passed ? "passed" : "FAILED");
    for (const auto& u : c.unhealthy) std::cerr << "\n    unhealthy " << u;
    std::cerr << "\n";
  }
};

// 0 completed, 1 stopped by a failed wave, check's codes (and 11) when refused before anything ran.
int Run(const GuardFlags& f, const ExecFlags& e, const std::string& file, bool abandon) {
  auto state = OpenStateDirForWriting(e.state, e.audit_key);
  if (!state) return Fail("guard run", state.error());
  LocalFiles files;
  SystemClock clock;
  ForegroundProgram runner;
  TargetProbe probe;
  JournalView journal(*state->store);  // test builds kill the process after a given record
  app::GuardRunWorld world{files, *journal, *state->audit, runner, probe, clock};
  app::GuardRunRequest req{RequestOf(f), file, store::NewLeaseHolder(), abandon};
  RunLines lines;
  auto out = app::RunStagedAction(req, world, lines);
  if (!out) return Fail("guard run", out.error());
  if (out->judged && out->outcome == RunOutcome::kRefused) {
    const app::GuardRun& run = *out->judged;
    report::GuardContext g{&run.verdict, &run.facts.actions, run.rule_sources, false};
    report::WriteGuardText(g, std::cerr);
  }
  std::cout << "ringfence guard run: " << ToString(out->outcome) << (out->resumed ? " (resumed)" : "") << ": "
            << out->detail << "\nrun " << out->run_id << "\n";
  switch (out->outcome) {
    case RunOutcome::kCompleted:
    case RunOutcome::kAbandoned:
      return kExitOk;
    case RunOutcome::kStopped:
      return kExitDenied;
    case RunOutcome::kRefused: {
      if (out->must_stage_unmet) return kExitMustStage;
      int code = out->judged ? GuardExitCode(out->judged->verdict) : kExitIndeterminate;
      return code == kExitOk ? kExitIndeterminate : code;
    }
  }
  return kExitIoError;
}

std::string EndText(const ExecEntry& e) {
  if (!e.ended) return app::Runs(e.decided.decision) ? "no end journaled" : "not run";
  if (!e.ended->started) return "could not start: " + e.ended->error;
  if (e.ended->signal) return "killed by signal " + std::to_string(e.ended->signal);
  return "exit " + std::to_string(e.ended->exit_code);
}

// `guard log`: what `guard exec` decided and ran, oldest first.
int Log(const ExecFlags& e, const std::string& format) {
  auto state = OpenStateDir(e.state, /*read_only=*/true);
  if (!state) return Fail("guard log", state.error());
  auto rows = state->store->Journal(kGuardJournal);
  if (!rows) return Fail("guard log", rows.error());
  auto execs = ExecsOf(*rows);
  if (!execs) return Fail("guard log", execs.error());
  if (format == "json") {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& x : *execs) {
      nlohmann::json j = {{"exec_id", x.decided.exec_id},
                          {"at", FormatRfc3339Ms(x.decided_unix_ms)},
                          {"argv", x.decided.argv},
                          {"cwd", x.decided.cwd},
                          {"actor", x.decided.actor},
                          {"agents", x.decided.agents},
                          {"approved_by", x.decided.approved_by},
                          {"decision", ToString(x.decided.decision)},
                          {"rules", x.decided.rules},
                          {"reason", x.decided.reason}};
      if (x.ended) {
        j["ended"] = {{"started", x.ended->started},
                      {"exit_code", x.ended->exit_code},
                      {"signal", x.ended->signal},
                      {"duration_ms", x.ended->duration_ms},
                      {"error", x.ended->error}};
      } else {
        j["ended"] = nullptr;
      }
      out.push_back(std::move(j));
    }
    std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return kExitOk;
  }
  for (const auto& x : *execs) {
    std::cout << FormatUtcSeconds(x.decided_unix_ms) << "  " << ToString(x.decided.decision) << "  "
              << EndText(x) << "  " << SanitizeUtf8(ShellLine(x.decided.argv)) << "  (" << x.decided.actor;
    for (const auto& a : x.decided.agents) std::cout << ", agent " << a;
    std::cout << ")\n";
    if (!x.decided.rules.empty()) {
      std::cout << "    rules:";
      for (const auto& r : x.decided.rules) std::cout << " " << r;
      std::cout << "\n";
    }
  }
  if (execs->empty()) std::cout << "no command has gone through guard exec in " << e.state << "\n";
  return kExitOk;
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
  auto plan_delete = std::make_shared<bool>(false);
  auto plan_namespace = std::make_shared<std::string>();
  auto plan_state = std::make_shared<std::string>();
  auto* plan = sub.add_subcommand(
      "plan",
      "Judge a plan before it applies: terraform (terraform show -json), kubernetes (manifests) or sql");
  AddCommonFlags(*plan, *plan_flags, true);
  plan->add_option("kind", *plan_kind, "terraform, kubernetes or sql")
      ->required()
      ->check(CLI::IsMember({"terraform", "kubernetes", "sql"}));
  plan->add_option("file", *plan_file, "The plan's JSON, the manifests (YAML) or the SQL file")->required();
  plan->add_flag("--delete", *plan_delete,
                 "kubernetes: the manifests are deleted (kubectl delete -f), not applied");
  plan->add_option("--namespace", *plan_namespace,
                   "kubernetes: where objects that name no namespace land (default: not known)");
  plan->add_option(
      "--terraform-state", *plan_state,
      "terraform: the state now (terraform show -json); a plan made against an older one is stale");

  auto exec_flags = std::make_shared<GuardFlags>();
  auto exec_state = std::make_shared<ExecFlags>();
  auto exec_argv = std::make_shared<std::vector<std::string>>();
  auto* exec = sub.add_subcommand(
      "exec",
      "Judge a command, then run it (no shell) if allowed; decision and outcome journaled and audited");
  AddCommonFlags(*exec, *exec_flags, false);
  exec->add_option("--state", exec_state->state,
                   "The state directory (default $RINGFENCE_STATE or .ringfence/state)");
  exec->add_option("--audit-key", exec_state->audit_key,
                   "The audit log's key file (default $RINGFENCE_AUDIT_KEY_FILE)");
  exec->add_option("argv", *exec_argv, "The command and its arguments, after --")->required();

  auto log_state = std::make_shared<ExecFlags>();
  auto log_format = std::make_shared<std::string>("text");
  auto* log = sub.add_subcommand("log", "What guard exec decided and ran, oldest first");
  log->add_option("--state", log_state->state,
                  "The state directory (default $RINGFENCE_STATE or .ringfence/state)");
  log->add_option("--format", *log_format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();

  auto run_flags = std::make_shared<GuardFlags>();
  auto run_state = std::make_shared<ExecFlags>();
  auto run_file = std::make_shared<std::string>();
  auto run_abandon = std::make_shared<bool>(false);
  auto* run = sub.add_subcommand(
      "run",
      "Run a staged action (kind StagedAction) wave by wave with health checks; resumes an "
      "interrupted run of the same file");
  AddCommonFlags(*run, *run_flags, false);
  run->add_option("--state", run_state->state,
                  "The state directory (default $RINGFENCE_STATE or .ringfence/state)");
  run->add_option("--audit-key", run_state->audit_key,
                  "The audit log's key file (default $RINGFENCE_AUDIT_KEY_FILE)");
  run->add_flag("--abandon", *run_abandon, "End the file's unfinished run instead of resuming it");
  run->add_option("file", *run_file, "The staged action (YAML)")->required();

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
    if (exec->parsed()) return Exec(*exec_flags, *exec_state, *exec_argv);
    if (log->parsed()) return Log(*log_state, *log_format);
    if (run->parsed()) return Run(*run_flags, *run_state, *run_file, *run_abandon);
    if (plan->parsed()) {
      if (*plan_kind != "kubernetes" && (*plan_delete || !plan_namespace->empty())) {
        std::cerr << "ringfence guard plan: --delete and --namespace are for kubernetes manifests\n";
        return kExitInvalidInput;
      }
      if (*plan_kind != "terraform" && !plan_state->empty()) {
        std::cerr << "ringfence guard plan: --terraform-state is for terraform plans\n";
        return kExitInvalidInput;
      }
      app::GuardRequest req = RequestOf(*plan_flags);
      req.file = *plan_file;
      if (*plan_kind == "terraform") {
        req.input = app::GuardInput::kTerraformPlan;
        req.place = {PlaceKind::kCloudProfile, req.defaults.cloud_profile};
        req.terraform_state = *plan_state;
      } else if (*plan_kind == "kubernetes") {
        req.input = app::GuardInput::kKubernetesManifests;
        req.place = {PlaceKind::kKubeContext, req.defaults.kube_context};
        req.manifest_verb = *plan_delete ? ManifestVerb::kDelete : ManifestVerb::kApply;
        req.manifest_namespace = *plan_namespace;
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
      // What may run only in waves is not the agent's to run directly.
      answer = run ? hooks::AnswerHook(
                         agent, (*run)->verdict.must_stage ? Decision::kDeny : (*run)->verdict.decision,
                         report::GuardReason((*run)->verdict))
                   : hooks::RefuseHook(agent, run.error().message);
    }
    std::cout << answer.out << std::flush;
    std::cerr << answer.err;
    return answer.exit_code;
  };
}

}  // namespace ringfence::cli

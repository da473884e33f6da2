// `ringfence check`: the CI gate. Exit 0 allowed, 1 denied, 2 approval required, 3 indeterminate,
// 4 invalid input or configuration, 5 I/O error.
#include <fstream>
#include <iostream>
#include <memory>

#include <unistd.h>

#include "adapters/common/system_clock.h"
#include "adapters/report/verdict_formats.h"
#include "cli/build_flags.h"
#include "cli/check_pipeline.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/output_options.h"

namespace ringfence::cli {

namespace {

// This machine's name, as reports state where a check ran; "localhost" when it has none.
std::string HostName() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "localhost";
  return name;
}

}  // namespace

int ExitCodeFor(Decision d) {
  switch (d) {
    case Decision::kAllow:
    case Decision::kWarn:
      return kExitOk;
    case Decision::kDeny:
      return kExitDenied;
    case Decision::kNeedsApproval:
      return kExitNeedsApproval;
    case Decision::kIndeterminate:
      return kExitIndeterminate;
  }
  return kExitIndeterminate;
}

Runner SetupCheck(CLI::App& sub) {
  struct Flags {
    CheckOptions o;
    std::string format = "text";
    std::string output;
  };
  auto f = std::make_shared<Flags>();
  sub.add_option("--repo", f->o.scope.repo, "Repository")->capture_default_str();
  sub.add_option("--base", f->o.scope.change.base, "Base revision; rules and waivers are read from it")
      ->required();
  auto* head = sub.add_option("--head", f->o.scope.change.head, "Head revision (default HEAD)");
  sub.add_flag("--worktree", f->o.scope.change.worktree,
               "Judge the working tree against the base, untracked files included (before a commit)")
      ->excludes(head);
  sub.add_option(
      "--rules", f->o.rules,
      "Rule file or directory, a repository path read at the base revision (default .ringfence/rules); "
      "an absolute path outside the repository is read from disk");
  AddBuildFlags(sub, f->o.scope.build);
  sub.add_option("--waivers", f->o.waivers, "Waivers file (default .ringfence/waivers.yaml at the base)");
  sub.add_option("--approved-by", f->o.approved_by, "An approval (handle), repeatable");
  sub.add_option("--label", f->o.labels, "A label of the pull request, repeatable");
  sub.add_option("--branch", f->o.branch, "Branch of the change (default: from --head or $GITHUB_HEAD_REF)");
  sub.add_option("--intent", f->o.intent_file, "Declared intent: YAML {components: [...], paths: [...]}");
  sub.add_option("--now", f->o.now, "Evaluate as of this UTC time, YYYY-MM-DD[ HH:MM] (freeze windows)");
  sub.add_flag_callback(
      "--no-cache", [f] { f->o.scope.use_cache = false; }, "Do not read or write the graph and scan caches");
  sub.add_option("--format", f->format, "text, json, sarif, junit, markdown or github")
      ->check(CLI::IsMember({"text", "json", "sarif", "junit", "markdown", "github"}))
      ->capture_default_str();
  sub.add_option("-o,--output", f->output, "Write the report to a file");
  return [f]() -> int {
    int64_t started = UnixNowMs();
    auto run = RunCheck(f->o);
    if (!run) {
      std::cerr << "ringfence check: " << run.error().message << "\n";
      return ExitCodeFor(run.error());
    }
    CheckRun* keep = run->release();  // freed by process exit (see main.cc)
    report::VerdictContext ctx{&keep->verdict, &keep->rules, &keep->facts, keep->rule_sources};
    ctx.started_unix_ms = started;
    ctx.elapsed_ms = UnixNowMs() - started;
    ctx.hostname = HostName();
    ctx.color = f->output.empty() && Output().color_stdout;
    std::ofstream file;
    if (!f->output.empty()) {
      file.open(f->output);
      if (!file) {
        std::cerr << "ringfence check: cannot write " << f->output << "\n";
        return kExitIoError;
      }
    }
    std::ostream& out = f->output.empty() ? std::cout : file;
    if (f->format == "json")
      report::WriteVerdictJson(ctx, out);
    else if (f->format == "sarif")
      report::WriteVerdictSarif(ctx, out);
    else if (f->format == "junit")
      report::WriteVerdictJunit(ctx, out);
    else if (f->format == "markdown")
      report::WriteVerdictMarkdown(ctx, out);
    else if (f->format == "github")
      report::WriteVerdictGithub(ctx, out);
    else
      report::WriteVerdictText(ctx, out);
    if (!f->output.empty() && !Output().quiet) std::cerr << keep->verdict.summary << "\n";
    return ExitCodeFor(keep->verdict.decision);
  };
}

}  // namespace ringfence::cli

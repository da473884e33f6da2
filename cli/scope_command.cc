// `ringfence scope` and `ringfence explain`.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

#include "adapters/report/scope_formats.h"
#include "cli/build_flags.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/scope_pipeline.h"
#include "engine/scope/analyze_scope.h"

namespace ringfence::cli {
namespace {

struct ChangeFlags {
  ScopeOptions opts;
  std::string format = "text";
  std::string output;
  bool timings = false;
};

// Keeps a run alive past its command: main ends the process without destructors (see main.cc),
// so freeing a large graph does not add to the command's wall time.
Result<ScopeRun>& Retain(Result<ScopeRun> run) {
  static std::optional<Result<ScopeRun>> held;
  held.emplace(std::move(run));
  return *held;
}

void PrintTimings(const ScopeRun& run) {
  double total = 0;
  for (const auto& [name, secs] : run.phases) {
    std::fprintf(stderr, "  %-20s %8.1f ms\n", name.c_str(), secs * 1e3);
    total += secs;
  }
  std::fprintf(stderr, "  %-20s %8.1f ms\n", "total", total * 1e3);
}

void AddChangeFlags(CLI::App& sub, ChangeFlags& f) {
  sub.add_option("--repo", f.opts.repo, "Repository (any directory inside it)")->capture_default_str();
  sub.add_option("--base", f.opts.change.base, "Base revision the change is judged against")->required();
  auto* head = sub.add_option("--head", f.opts.change.head, "Head revision (default HEAD)");
  auto* wt = sub.add_flag("--worktree", f.opts.change.worktree,
                          "Diff the base against the working tree, untracked files included");
  auto* patch = sub.add_option("--patch", f.opts.change.patch_file, "Read the change from a unified diff");
  head->excludes(wt)->excludes(patch);
  wt->excludes(patch);
  sub.add_flag_callback(
      "--no-cache", [&f] { f.opts.use_cache = false; }, "Do not read or write the scan cache");
  sub.add_option("--threads", f.opts.threads, "Scanner threads (default: one per core)");
  sub.add_flag("--timings", f.timings, "Print the time each phase took to stderr");
  sub.add_option("-o,--output", f.output, "Write the report to a file instead of stdout");
  AddBuildFlags(sub, f.opts.build);
}

// Writes with `fn` to --output or stdout.
int Emit(const std::string& output, const std::function<void(std::ostream&)>& fn) {
  if (output.empty()) {
    fn(std::cout);
    return kExitOk;
  }
  std::ofstream out(output);
  if (!out) {
    std::cerr << "ringfence: cannot write " << output << "\n";
    return kExitIoError;
  }
  fn(out);
  return kExitOk;
}

}  // namespace

Runner SetupScope(CLI::App& sub) {
  auto f = std::make_shared<ChangeFlags>();
  AddChangeFlags(sub, *f);
  sub.add_option("--format", f->format, "text, json or dot")
      ->check(CLI::IsMember({"text", "json", "dot"}))
      ->capture_default_str();
  return [f]() -> int {
    auto& run = Retain(RunScope(f->opts));
    if (!run) {
      std::cerr << "ringfence scope: " << run.error().message << "\n";
      return ExitCodeFor(run.error());
    }
    if (f->timings) PrintTimings(*run);
    int rc = Emit(f->output, [&](std::ostream& out) {
      if (f->format == "json")
        report::WriteScopeJson(run->report, out);
      else if (f->format == "dot")
        report::WriteScopeDot(run->report, run->built.graph, out);
      else
        report::WriteScopeText(run->report, out);
    });
    if (rc != kExitOk) return rc;
    return run->report.indeterminate ? kExitIndeterminate : kExitOk;
  };
}

Runner SetupExplain(CLI::App& sub) {
  auto f = std::make_shared<ChangeFlags>();
  auto target = std::make_shared<std::string>();
  AddChangeFlags(sub, *f);
  sub.add_option("--format", f->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  sub.add_option("path", *target, "File path, component:NAME, package or owner")->required();
  return [f, target]() -> int {
    auto& run = Retain(RunScope(f->opts));
    if (!run) {
      std::cerr << "ringfence explain: " << run.error().message << "\n";
      return ExitCodeFor(run.error());
    }
    Explanation x = Explain(run->report.changes, run->built, *target);
    if (!x.found && f->format != "json") {
      std::cerr << "ringfence explain: '" << *target
                << "' is no file, component:NAME, package or owner of the "
                << "repository's graph\n";
      return kExitInvalidInput;
    }
    int rc = Emit(f->output, [&](std::ostream& out) {
      if (f->format == "json")
        report::WriteExplanationJson(x, out);
      else
        report::WriteExplanationText(x, out);
    });
    if (rc != kExitOk) return rc;
    return x.found ? kExitOk : kExitInvalidInput;
  };
}

}  // namespace ringfence::cli

// `ringfence tune PATH... --plan PLAN --sweep NAME=V1,V2,... [--csv FILE] [--svg FILE]`: the
// trade-off table over the scenario library, Pareto-best settings marked.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "adapters/common/files.h"
#include "adapters/common/local_files.h"
#include "adapters/git/message_trailers.h"
#include "app/replay_inputs.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/output_options.h"
#include "simulations/sim/tune.h"

namespace ringfence::cli {

Runner SetupTune(CLI::App& sub) {
  struct Flags {
    app::ReplayInputs in;
    std::vector<std::string> sweeps;
    std::string csv, svg;
  };
  auto f = std::make_shared<Flags>();
  sub.add_option("paths", f->in.paths, "Scenario files or directories")->required();
  sub.add_option("--guard-rules", f->in.guard_rules,
                 "Rule files or directories the guard judges actions with, instead of its shipped packs "
                 "(\"none\": actions are not judged)");
  sub.add_option("--plan", f->in.plan, "Rollout plan to tune (default: the built-in replay plan)");
  sub.add_option("--sweep", f->sweeps,
                 "NAME=V1,V2,... (weight, bake, interval, alpha, min_events, confidence, tolerance, "
                 "errors_judge); repeatable")
      ->required();
  sub.add_option("--rules", f->in.rules, "Rule files or directory for the gate (\"none\": no gate)")
      ->capture_default_str();
  sub.add_option("--seed", f->in.seed, "Seed of the simulated world")->capture_default_str();
  sub.add_option("--human-delay", f->in.human_delay, "How long a simulated human takes to answer a pause")
      ->capture_default_str();
  sub.add_option("--csv", f->csv, "Write the table as CSV");
  sub.add_option("--svg", f->svg, "Write the trade-off plot as SVG");
  return [f]() -> int {
    LocalFiles files;
    auto loaded = app::LoadReplay(f->in, files, git::MessageTrailers);
    if (!loaded) {
      std::cerr << "ringfence tune: " << loaded.error().message << "\n";
      return ExitCodeFor(loaded.error());
    }
    if (!Output().quiet)
      for (const auto& note : loaded->notes) std::cerr << "ringfence tune: note: " << note << "\n";
    std::vector<sim::SweepParam> sweeps;
    for (const auto& s : f->sweeps) {
      auto p = sim::ParseSweep(s);
      if (!p) {
        std::cerr << "ringfence tune: " << p.error().message << "\n";
        return kExitInvalidInput;
      }
      sweeps.push_back(*p);
    }
    // Progress on stderr: each combination replays the whole library.
    auto started = std::chrono::steady_clock::now();
    auto progress = [&](size_t done, size_t total, const sim::TuneRow& row) {
      if (Output().quiet) return;
      double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      std::fprintf(stderr, "ringfence tune: %zu/%zu (%s) after %.1f s\n", done, total,
                   row.settings.empty() ? "the plan as given" : sim::SettingsText(row).c_str(), s);
    };
    auto rows = sim::Tune(loaded->scenarios, loaded->config, sweeps, progress);
    if (!rows) {
      std::cerr << "ringfence tune: " << rows.error().message << "\n";
      return ExitCodeFor(rows.error());
    }
    std::vector<sim::ScenarioResult> defaults = sim::ReplayAll(loaded->scenarios, loaded->config);
    sim::WriteTuneText(*rows, defaults, std::cout);
    if (!f->csv.empty()) {
      std::ostringstream csv;
      sim::WriteTuneCsv(*rows, csv);
      if (auto st = WriteAtomically(f->csv, csv.str()); !st) {
        std::cerr << "ringfence tune: " << st.error().message << "\n";
        return kExitIoError;
      }
    }
    if (!f->svg.empty()) {
      if (auto st = WriteAtomically(f->svg, sim::TuneSvg(*rows)); !st) {
        std::cerr << "ringfence tune: " << st.error().message << "\n";
        return kExitIoError;
      }
    }
    return kExitOk;
  };
}

}  // namespace ringfence::cli

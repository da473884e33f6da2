// `ringfence replay PATH... [--rules PATH] [--plan PLAN] [--seed N] [--format text|json] [--svg DIR]`:
// past incidents and healthy rollouts through the gate and the rollout state machine.
// Exit 0 when it ran (the table says what was caught), 4 invalid input, 5 I/O error.
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>

#include "adapters/common/files.h"
#include "adapters/common/local_files.h"
#include "adapters/git/message_trailers.h"
#include "app/replay_inputs.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/output_options.h"
#include "simulations/sim/replay_report.h"

namespace ringfence::cli {

Runner SetupReplay(CLI::App& sub) {
  struct Flags {
    app::ReplayInputs in;
    std::string format = "text", svg;
    bool timings = false;
  };
  auto f = std::make_shared<Flags>();
  sub.add_option("paths", f->in.paths, "Scenario files or directories (e.g. simulations/incidents)")
      ->required();
  sub.add_option("--rules", f->in.rules, "Rule files or directory for the gate (\"none\": no gate)")
      ->capture_default_str();
  sub.add_option("--guard-rules", f->in.guard_rules,
                 "Rule files or directories the guard judges actions with, instead of its shipped packs "
                 "(\"none\": actions are not judged)");
  sub.add_option("--plan", f->in.plan,
                 "Rollout plan (default: the built-in replay plan, 1% -> 10% -> 50% -> 100%)");
  sub.add_option("--seed", f->in.seed, "Seed of the simulated world")->capture_default_str();
  sub.add_option("--human-delay", f->in.human_delay, "How long a simulated human takes to answer a pause")
      ->capture_default_str();
  sub.add_option("--format", f->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  sub.add_option("--svg", f->svg, "Write a timeline per scenario and index.html here");
  sub.add_flag("--timings", f->timings, "Print simulated events per second to stderr");
  return [f]() -> int {
    LocalFiles files;
    auto loaded = app::LoadReplay(f->in, files, git::MessageTrailers);
    if (!loaded) {
      std::cerr << "ringfence replay: " << loaded.error().message << "\n";
      return ExitCodeFor(loaded.error());
    }
    if (!Output().quiet)
      for (const auto& note : loaded->notes) std::cerr << "ringfence replay: note: " << note << "\n";
    auto t0 = std::chrono::steady_clock::now();
    std::vector<sim::ScenarioResult> results = sim::ReplayAll(loaded->scenarios, loaded->config);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    auto summary = sim::Summarize(results);
    if (f->format == "json")
      sim::WriteReplayJson(results, summary, std::cout);
    else
      sim::WriteReplayText(results, summary, std::cout, Output().color_stdout);
    if (f->timings) {
      std::fprintf(stderr, "replayed %zu scenarios in %.3f s: %ld simulated events, %.0f events/s\n",
                   results.size(), secs, summary.events, static_cast<double>(summary.events) / secs);
    }
    if (!f->svg.empty()) {
      for (const auto& r : results) {
        if (!r.canary_applies) continue;
        if (auto st = WriteAtomically(f->svg + "/" + r.id + ".svg", sim::TimelineSvg(r)); !st) {
          std::cerr << "ringfence replay: " << st.error().message << "\n";
          return kExitIoError;
        }
      }
      if (auto st = WriteAtomically(f->svg + "/index.html", sim::ReplayIndexHtml(results, summary)); !st) {
        std::cerr << "ringfence replay: " << st.error().message << "\n";
        return kExitIoError;
      }
    }
    return kExitOk;
  };
}

}  // namespace ringfence::cli

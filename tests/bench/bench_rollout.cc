// Orchestrator benchmarks on real processes (process backend, bundled workload), in one run:
//   1. detection latency: from the canary's first step to the rollback decision, in judgement
//      intervals, for candidates of decreasing badness (the baseline fails 1% of requests);
//   2. rollback time for 100 canary sessions (terminate, and drain of idle sessions), including
//      the baseline verification;
//   3. sessions launched per second by the process backend, next to posix_spawn+wait of /bin/true.
// Prints medians; run by tests/bench/rollout.sh.
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "adapters/backends/process/process_backend.h"
#include "adapters/common/system_clock.h"
#include "adapters/load/load_generator.h"
#include "adapters/metrics/session_metric_source.h"
#include "adapters/store/audit_file.h"
#include "adapters/store/sqlite_state_store.h"
#include "engine/rollout/locked_backend.h"
#include "engine/rollout/orchestrator.h"

extern char** environ;
using namespace ringfence;
namespace fs = std::filesystem;

namespace {

std::string g_workload;
std::string g_root;

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

double Seconds(std::chrono::steady_clock::duration d) { return std::chrono::duration<double>(d).count(); }

ImageRef Image(const std::string& name, const std::string& version, double error_rate) {
  std::string dir = g_root + "/" + name;
  fs::create_directories(dir);
  std::ofstream(dir + "/manifest.yaml") << "apiVersion: ringfence/v1\nkind: Image\nversion: \"" << version
                                        << "\"\nentrypoint: [\"@workload\", \"--version\", \"" << version
                                        << "\", \"--error-rate\", \"" << error_rate << "\"]\n";
  return *backends::LoadImage(dir);
}

const char* kPlan = R"(apiVersion: ringfence/v1
kind: RolloutPlan
service: bench
backend: process
baseline: {image: base}
candidate: {image: cand}
sessions: {warm_window: 2s}
steps: [{weight: 20, bake: 20s}, {weight: 100, bake: 0s}]
analysis:
  interval: 250ms
  metrics: [{name: errors, judge: {type: sequential, alpha: 0.01, min_events: 5}}]
rollback: {sessions: terminate, verify_for: 0s}
)";

struct Rig {
  explicit Rig(const std::string& dir) : process({dir + "/sessions", g_workload}), backend(process) {
    store = std::move(store::SqliteStateStore::Open(dir + "/journal.db").value());
    audit = std::move(store::AuditFile::Open(dir + "/audit.log").value());
  }
  backends::ProcessBackend process;
  LockedBackend backend;
  SystemClock clock;
  std::unique_ptr<store::SqliteStateStore> store;
  std::unique_ptr<store::AuditFile> audit;
};

// Judgement intervals from the canary's start to the rollback decision (-1: not detected).
double DetectionIntervals(double candidate_error_rate, int run) {
  std::string dir = g_root + "/detect-" + std::to_string(run);
  fs::create_directories(dir);
  Rig rig(dir);
  RolloutSetup setup{"bench-" + std::to_string(run),
                     "plan.yaml",
                     kPlan,
                     Image("base", "1.0", 0.01),
                     Image("cand-" + std::to_string(candidate_error_rate), "2.0", candidate_error_rate),
                     {},
                     "",
                     std::nullopt};
  auto plan = *ParsePlan(kPlan, "plan.yaml");
  Router router(rig.backend, rig.clock, setup.id);
  metrics::SessionMetricSource sessions(rig.backend, rig.clock, {"1.0", "2.0"});
  (void)StartRollout(*rig.store, *rig.audit, setup, plan, rig.process.capabilities(), rig.clock.NowUnixMs(),
                     "bench");
  Orchestrator o({rig.backend, router, sessions, nullptr, *rig.store, *rig.audit, rig.clock, nullptr, nullptr,
                  "", nullptr},
                 setup, plan);
  load::LoadGenerator load(router, {4, 6, 10, 0.3}, static_cast<uint32_t>(run + 1));
  load.Start();
  auto outcome = o.Run();
  load.Stop();
  (void)router.TerminateAll();
  if (!outcome || *outcome != RolloutOutcome::kRolledBack) return -1;
  int looks = 0;
  auto journal = DecodeJournal(*rig.store->Journal(setup.id));
  if (!journal) return -1;
  for (const auto& r : *journal) {
    if (r.state() == RolloutState::kRollback) break;
    looks += r.state() == RolloutState::kJudged;
  }
  return looks;
}

// Seconds from the abort to the verified rollback, with `n` canary sessions running.
double RollbackSeconds(int n, RollbackSessions mode, int run) {
  std::string dir = g_root + "/rollback-" + std::to_string(run) + "-" + ToString(mode);
  fs::create_directories(dir);
  Rig rig(dir);
  std::string text = kPlan;
  text.replace(text.find("sessions: terminate"), 19, std::string("sessions: ") + ToString(mode));
  RolloutSetup setup{"rb-" + std::to_string(run), "plan.yaml", text, Image("base", "1.0", 0.01),
                     Image("cand", "2.0", 0.01),  {},          "",   std::nullopt};
  auto plan = *ParsePlan(text, "plan.yaml");
  plan.interval_ms = 100;
  Router router(rig.backend, rig.clock, setup.id);
  router.SetImages(setup.baseline, setup.candidate);
  (void)router.SetWeight(100);
  for (int c = 0; c < n; ++c) (void)router.Route("c" + std::to_string(c));
  metrics::SessionMetricSource sessions(rig.backend, rig.clock, {"1.0", "2.0"});
  (void)StartRollout(*rig.store, *rig.audit, setup, plan, rig.process.capabilities(), rig.clock.NowUnixMs(),
                     "bench");
  (void)AbortRollout(*rig.store, *rig.audit, setup.id, "bench", "", rig.clock.NowUnixMs());
  Orchestrator o({rig.backend, router, sessions, nullptr, *rig.store, *rig.audit, rig.clock, nullptr, nullptr,
                  "", nullptr},
                 setup, plan);
  auto t0 = std::chrono::steady_clock::now();
  auto outcome = o.Run();
  double secs = Seconds(std::chrono::steady_clock::now() - t0);
  int left = 0;
  auto listed = rig.backend.List();
  for (const auto& s : *listed) left += s.version == "2.0";
  (void)rig.process.TerminateAll();
  if (!outcome || *outcome != RolloutOutcome::kRolledBack || left != 0) {
    std::fprintf(stderr, "rollback run failed (%d canary sessions left)\n", left);
    return -1;
  }
  return secs;
}

double LaunchesPerSecond(int n, int run) {
  backends::ProcessBackend process({g_root + "/launch-" + std::to_string(run), g_workload});
  ImageRef image = Image("base", "1.0", 0.01);
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) (void)process.Launch("s" + std::to_string(i), image);
  double secs = Seconds(std::chrono::steady_clock::now() - t0);
  (void)process.TerminateAll();
  return n / secs;
}

double SpawnsPerSecond(int n) {
  char* argv[] = {const_cast<char*>("/bin/true"), nullptr};
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) {
    pid_t pid;
    if (posix_spawn(&pid, argv[0], nullptr, nullptr, argv, environ) == 0) waitpid(pid, nullptr, 0);
  }
  return n / Seconds(std::chrono::steady_clock::now() - t0);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: bench_rollout WORKLOAD_BINARY SCRATCH_DIR [REPEATS]\n");
    return 2;
  }
  g_workload = argv[1];
  g_root = argv[2];
  int repeats = argc > 3 ? std::atoi(argv[3]) : 5;
  fs::remove_all(g_root);
  fs::create_directories(g_root);

  std::printf(
      "detection latency (judgement intervals of 250 ms from canary start to rollback; baseline 1%% errors,\n"
      "canary at 20%% of new sessions, sequential judge alpha 0.01; median of %d runs)\n",
      repeats);
  int run = 0;
  for (double rate : {0.5, 0.2, 0.1, 0.05}) {
    std::vector<double> v;
    int missed = 0;
    for (int i = 0; i < repeats; ++i) {
      double looks = DetectionIntervals(rate, run++);
      if (looks < 0)
        ++missed;
      else
        v.push_back(looks);
    }
    std::printf(
        "  candidate fails %4.0f%%: %5.1f intervals (%.2f s); not detected within the 20 s bake: %d of %d\n",
        rate * 100, Median(v), Median(v) * 0.25, missed, repeats);
  }

  std::printf("rollback of 100 canary sessions, abort to verified baseline (median of %d)\n", repeats);
  for (auto mode : {RollbackSessions::kTerminate, RollbackSessions::kDrain}) {
    std::vector<double> v;
    for (int i = 0; i < repeats; ++i) v.push_back(RollbackSeconds(100, mode, run++));
    std::printf("  %-9s: %.2f s (%.1f ms per session)\n", ToString(mode), Median(v), Median(v) * 10);
  }

  std::vector<double> launches, spawns;
  for (int i = 0; i < repeats; ++i) {
    launches.push_back(LaunchesPerSecond(50, run++));
    spawns.push_back(SpawnsPerSecond(200));
  }
  double l = Median(launches), s = Median(spawns);
  std::printf("sessions launched per second (process backend, launch = spawn + serving HTTP): %.0f/s\n", l);
  std::printf("posix_spawn + wait of /bin/true: %.0f/s; ratio %.2fx (the session pays for its HTTP server)\n",
              s, s / l);
  fs::remove_all(g_root);
  return 0;
}

// A bad candidate caught on real sessions: the process backend runs the workload, clients drive
// real HTTP traffic, the session metric source scrapes /metrics, and the judges decide.
#include <httplib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "adapters/backends/process/process_backend.h"
#include "adapters/common/system_clock.h"
#include "adapters/metrics/session_metric_source.h"
#include "engine/rollout/judge.h"
#include "engine/rollout/plan.h"
#include "tests/support/git_fixture.h"

using namespace ringfence;
using namespace ringfence::testing;

namespace {

ImageRef Image(const std::string& root, const std::string& version, const std::string& args) {
  std::string dir = root + "/img-" + version;
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/manifest.yaml")
      << "apiVersion: ringfence/v1\nkind: Image\nversion: \"" << version
      << "\"\nentrypoint: [\"@workload\", \"--version\", \"" << version << "\"" << args << "]\n";
  auto image = backends::LoadImage(dir);
  REQUIRE(image.ok());
  return *image;
}

void Drive(const SessionInfo& s, int requests) {
  httplib::Client c(s.endpoint);
  for (int i = 0; i < requests; ++i) (void)c.Get("/");
}

// Baseline 1.0 (2% errors) on two sessions, the candidate on one; 300 requests each; the verdicts.
std::pair<JudgeOutcome, JudgeOutcome> JudgeCandidate(const std::string& candidate_args) {
  TempDir tmp;
  backends::ProcessBackendOptions o;
  o.state_dir = tmp.path() + "/state";
  o.workload_binary = RINGFENCE_WORKLOAD;
  backends::ProcessBackend backend(o);
  ImageRef base = Image(tmp.path(), "1.0", ", \"--error-rate\", \"0.02\", \"--seed\", \"5\"");
  ImageRef cand = Image(tmp.path(), "2.0", candidate_args);
  std::vector<SessionInfo> sessions;
  for (const char* id : {"b1", "b2"}) sessions.push_back(*backend.Launch(id, base));
  sessions.push_back(*backend.Launch("c1", cand));
  for (const auto& s : sessions) Drive(s, 300);
  SystemClock clock;
  metrics::SessionMetricSource source(backend, clock, {"1.0", "2.0"});
  MetricSpec errors;
  errors.name = "errors";
  auto counts = source.Counts(errors, {0, clock.NowUnixMs()});
  INFO((counts.ok() ? "" : counts.error().message));
  REQUIRE(counts.ok());
  CHECK(counts->baseline_exposure == 600);
  CHECK(counts->canary_exposure == 300);
  auto count_verdict = CountJudge{0.99, 0.0, 1}.Judge(*counts);
  auto sequential_verdict = SequentialJudge{0.01, 5}.Judge(*counts);
  REQUIRE(backend.TerminateAll().ok());
  return {count_verdict.outcome, sequential_verdict.outcome};
}

}  // namespace

TEST_CASE("canary judging on real sessions: a candidate failing 20% of requests fails both judges") {
  auto [count, sequential] = JudgeCandidate(", \"--error-rate\", \"0.2\", \"--seed\", \"7\"");
  CHECK(count == JudgeOutcome::kFail);
  CHECK(sequential == JudgeOutcome::kFail);
}

TEST_CASE("canary judging on real sessions: a candidate erring as often as the baseline passes") {
  // Both versions fail 2% of requests: background noise the candidate is not to blame for.
  auto [count, sequential] = JudgeCandidate(", \"--error-rate\", \"0.02\", \"--seed\", \"7\"");
  CHECK(count == JudgeOutcome::kPass);
  CHECK(sequential == JudgeOutcome::kPass);
}

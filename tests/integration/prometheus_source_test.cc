// The Prometheus metric source against a real Prometheus server (Debian's `prometheus`) on
// loopback: it scrapes real workload sessions found through the file_sd targets file ringfence
// writes; the source's query_range and instant queries feed the judges.
#include <httplib.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <thread>

#include "adapters/backends/process/process_backend.h"
#include "adapters/metrics/prometheus_metric_source.h"
#include "adapters/metrics/prometheus_targets.h"
#include "engine/rollout/plan.h"
#include "tests/support/git_fixture.h"
#include "tests/support/run_process.h"

using namespace ringfence;
using namespace ringfence::testing;

namespace {

ImageRef WorkloadImage(const std::string& root, const std::string& version, const std::string& error_rate) {
  std::string dir = root + "/img-" + version;
  WriteFile(dir + "/manifest.yaml", "apiVersion: ringfence/v1\nkind: Image\nversion: \"" + version +
                                        "\"\nentrypoint: [\"@workload\", \"--version\", \"" + version +
                                        "\", \"--error-rate\", \"" + error_rate +
                                        "\", \"--seed\", \"11\"]\n");
  auto image = backends::LoadImage(dir);
  REQUIRE(image.ok());
  return *image;
}

// Polls until `ok` holds or the deadline passes.
template <class F>
bool WaitFor(F ok, int seconds) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (ok()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

TEST_CASE("prometheus source: a real Prometheus scrapes the sessions, the count judge fails the bad canary") {
  REQUIRE(std::filesystem::exists("/usr/bin/prometheus"));  // scripts/install-deps.sh installs it
  TempDir tmp;
  backends::ProcessBackend backend({tmp.path() + "/sessions", RINGFENCE_WORKLOAD});
  ImageRef base = WorkloadImage(tmp.path(), "1.0", "0.02");
  ImageRef cand = WorkloadImage(tmp.path(), "2.0", "0.3");
  for (const char* id : {"b1", "b2"}) REQUIRE(backend.Launch(id, base).ok());
  REQUIRE(backend.Launch("c1", cand).ok());
  auto sessions = backend.List();
  REQUIRE(sessions.ok());
  REQUIRE(metrics::WritePrometheusTargets(tmp.path() + "/targets.json", "shop", *sessions).ok());

  WriteFile(tmp.path() + "/prometheus.yml",
            "global: {scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s}\n"
            "scrape_configs:\n  - job_name: sessions\n"
            "    file_sd_configs: [{files: [" +
                tmp.path() + "/targets.json], refresh_interval: 1s}]\n");
  int port = FreeLoopbackPort();
  std::string url = "http://127.0.0.1:" + std::to_string(port);
  BackgroundProcess prometheus({"prometheus", "--config.file=" + tmp.path() + "/prometheus.yml",
                                "--storage.tsdb.path=" + tmp.path() + "/tsdb",
                                "--web.listen-address=127.0.0.1:" + std::to_string(port)},
                               tmp.path() + "/prometheus.log");
  httplib::Client api(url);
  REQUIRE(WaitFor(
      [&] {
        auto r = api.Get("/-/ready");
        return r && r->status == 200;
      },
      30));

  int64_t from = NowMs();
  for (const auto& s : *sessions) {
    httplib::Client c(s.endpoint);
    for (int i = 0; i < 300; ++i) REQUIRE(c.Get("/"));
  }
  metrics::PrometheusMetricSource source(url, {"1.0", "2.0"}, 1000, 3000, /*allow_private_network=*/true);
  MetricSpec errors;
  errors.name = "errors";
  errors.query = R"(sum(workload_requests_total{code="500",version="$version"}))";
  errors.exposure = R"(sum(workload_requests_total{version="$version"}))";
  // Wait until a scrape after the traffic has landed.
  Result<MetricCounts> counts = Error::Io("not yet");
  REQUIRE(WaitFor(
      [&] {
        counts = source.Counts(errors, {from, NowMs()});
        return counts.ok() && counts->canary_exposure == 300 && counts->baseline_exposure == 600;
      },
      20));
  CHECK(counts->canary_events > 50);    // ~30% of 300
  CHECK(counts->baseline_events < 30);  // ~2% of 600
  CHECK(CountJudge{0.99, 0.0, 1}.Judge(*counts).outcome == JudgeOutcome::kFail);

  // query_range: the mean latency of each session over time, per cohort (the range's last step
  // lands after the scrape that saw the traffic).
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  MetricSpec latency;
  latency.name = "latency";
  latency.query =
      R"(workload_request_duration_seconds_sum{version="$version"} / workload_request_duration_seconds_count{version="$version"})";
  auto samples = source.Samples(latency, {from - 5000, NowMs()});
  INFO((samples.ok() ? "" : samples.error().message));
  REQUIRE(samples.ok());
  REQUIRE(samples->canary.size() >= 1);
  CHECK(samples->baseline.size() >= samples->canary.size());  // two baseline sessions
  for (double v : samples->canary) CHECK(v < 1.0);            // seconds per request, on loopback

  // Bad PromQL: the server's own error, named.
  MetricSpec broken = errors;
  broken.query = "sum(";
  auto bad = source.Counts(broken, {from, NowMs()});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().kind == ErrorKind::kIo);
  CHECK(bad.error().message.find("prometheus error (bad_data)") != std::string::npos);

  // A dead server is an I/O error, never a pass.
  prometheus.Stop();
  auto dead = source.Counts(errors, {from, NowMs()});
  REQUIRE_FALSE(dead.ok());
  CHECK(dead.error().kind == ErrorKind::kIo);
  REQUIRE(backend.TerminateAll().ok());
}

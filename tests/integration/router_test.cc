// The router on real sessions (process backend): exact weighted split of new client sessions,
// stickiness, warm expiry, draining, adoption of an earlier run's sessions, and recycling of
// sessions past the maximum age under real HTTP clients.
#include <catch2/catch.hpp>

#include <chrono>
#include <set>
#include <thread>

#include "adapters/backends/process/process_backend.h"
#include "adapters/common/system_clock.h"
#include "adapters/load/load_generator.h"
#include "engine/rollout/router.h"
#include "tests/support/git_fixture.h"
#include "tests/support/manual_clock.h"

using namespace ringfence;
using namespace ringfence::testing;

namespace {

ImageRef Image(const std::string& root, const std::string& version) {
  WriteFile(root + "/" + version + "/manifest.yaml",
            "apiVersion: ringfence/v1\nkind: Image\nversion: \"" + version +
                "\"\nentrypoint: [\"@workload\", \"--version\", \"" + version + "\"]\n");
  auto image = backends::LoadImage(root + "/" + version);
  REQUIRE(image.ok());
  return *image;
}

}  // namespace

TEST_CASE("router: 25% sends exactly 1 in 4 new client sessions to the candidate, clients stay on theirs") {
  TempDir tmp;
  backends::ProcessBackend backend({tmp.path() + "/state", RINGFENCE_WORKLOAD});
  ManualClock clock;
  Router router(backend, clock, "r1");
  router.SetImages(Image(tmp.path(), "1.0"), Image(tmp.path(), "2.0"));
  REQUIRE(router.SetWeight(25).ok());
  int candidate = 0;
  for (int c = 0; c < 12; ++c) {
    auto s = router.Route("c" + std::to_string(c));
    REQUIRE(s.ok());
    candidate += s->version == "2.0";
    CHECK(s->id == "r1.c" + std::to_string(c) + "." + std::to_string(c + 1));
  }
  CHECK(candidate == 3);
  // Sticky: the same client keeps its session whatever the weight says now.
  std::string first = router.Route("c0")->id;
  REQUIRE(router.SetWeight(100).ok());
  CHECK(router.Route("c0")->id == first);
  CHECK(router.Route("new")->version == "2.0");
  CHECK(backend.List()->size() == 13);

  // Warm window: sessions idle for 5 s end; the one just used stays.
  clock.Advance(5000);
  router.Touch("c3");
  auto expired = router.Expire({5000, 1000});
  CHECK(expired.ended.size() == 12);
  CHECK(expired.parked.empty());
  CHECK(router.Bindings().size() == 1);
  CHECK(backend.List()->size() == 1);
  REQUIRE(backend.TerminateAll().ok());
}

TEST_CASE(
    "router: draining ends candidate sessions once idle, a new router adopts an earlier one's sessions") {
  TempDir tmp;
  ManualClock clock;
  ImageRef base = Image(tmp.path(), "1.0"), cand = Image(tmp.path(), "2.0");
  {
    backends::ProcessBackend backend({tmp.path() + "/state", RINGFENCE_WORKLOAD});
    Router router(backend, clock, "r2");
    router.SetImages(base, cand);
    REQUIRE(router.SetWeight(50).ok());
    for (const char* c : {"a", "b", "c", "d"}) REQUIRE(router.Route(c).ok());
  }  // the process that owned them is gone; the registry remains
  backends::ProcessBackend backend({tmp.path() + "/state", RINGFENCE_WORKLOAD});
  Router router(backend, clock, "r2");
  router.SetImages(base, cand);
  REQUIRE(router.Adopt().ok());
  REQUIRE(router.Bindings().size() == 4);
  std::string b_session = router.Route("b")->id;
  CHECK(b_session == "r2.b.2");  // sticky across processes
  auto draining = router.Drain("2.0");
  CHECK(draining.size() == 2);
  clock.Advance(1500);
  router.Touch("c");  // c's client (a candidate session: a and c are) is still busy: it stays until idle
  auto ended = router.Expire({60'000, 1000});
  CHECK(ended.ended.size() == 1);
  clock.Advance(1500);
  CHECK(router.Expire({60'000, 1000}).ended.size() == 1);
  for (const auto& b : router.Bindings()) CHECK(b.session.version == "1.0");
  // New sessions after adoption continue the numbering: no id is reused.
  REQUIRE(router.SetWeight(0).ok());
  CHECK(router.Route("e")->id == "r2.e.5");
  REQUIRE(backend.TerminateAll().ok());
}

TEST_CASE(
    "router: sessions past the maximum age are recycled onto the current version without a failed request") {
  TempDir tmp;
  backends::ProcessBackend backend({tmp.path() + "/state", RINGFENCE_WORKLOAD});
  SystemClock clock;  // the backend stamps launches with the wall clock
  Router router(backend, clock, "age");
  router.SetImages(Image(tmp.path(), "1.0"), Image(tmp.path(), "2.0"));
  REQUIRE(router.SetWeight(0).ok());
  // Six clients that never leave: each sends a request every 10 ms to its own session.
  load::LoadGenerator clients(router, LoadSpec{6, 1'000'000, 10, 0.0}, 7);
  const SessionLimits limits{60'000, 1000, 0, 2000};
  clients.Start();
  std::set<std::string> recycled;
  int64_t oldest_seen_ms = 0;
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(7);
  bool moved = false;
  while (std::chrono::steady_clock::now() < until) {
    if (!moved && router.Bindings().size() == 6) {
      REQUIRE(router.SetWeight(100).ok());  // a new version: sessions move to it as they age out
      moved = true;
    }
    for (const auto& id : router.Expire(limits).recycled) recycled.insert(id);
    int64_t now = clock.NowUnixMs();
    for (const auto& b : router.Bindings())
      oldest_seen_ms = std::max(oldest_seen_ms, now - b.session.started_unix_ms);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  clients.Stop();
  LoadReport report = clients.Report();
  long requests = 0;
  for (const auto& [version, t] : report.by_version) {
    INFO(version);
    CHECK(t.failures == 0);
    CHECK(t.errors == 0);
    requests += t.requests;
  }
  CHECK(report.route_failures == 0);
  CHECK(requests > 300);
  CHECK(recycled.size() >= 12);  // every client's session, at least twice over the run
  // No session outlived the age by more than its client's next request and a check or two.
  CHECK(oldest_seen_ms < limits.max_age_ms + 1000);
  auto bindings = router.Bindings();
  CHECK(bindings.size() == 6);
  for (const auto& b : bindings) CHECK(b.session.version == "2.0");
  REQUIRE(backend.TerminateAll().ok());
}

// The router's decisions where a real backend cannot be made to fail on cue: launches, parks and
// unparks that fail, sessions an earlier run left half-made, and the exact split over many steps.
// The happy paths on real sessions are in tests/integration/router_test.cc.
#include <catch2/catch.hpp>

#include "engine/rollout/router.h"
#include "tests/support/fake_backend.h"
#include "tests/support/manual_clock.h"

using namespace ringfence;
using namespace ringfence::testing;

namespace {

const ImageRef kBase{"1.0", "sha256:aa", "/images/1.0"};
const ImageRef kCand{"2.0", "sha256:bb", "/images/2.0"};

int CandidatesAmong(Router& router, const std::string& tag, int n) {
  int candidate = 0;
  for (int i = 0; i < n; ++i) {
    auto s = router.Route(tag + std::to_string(i));
    REQUIRE(s.ok());
    candidate += s->version == kCand.version;
  }
  return candidate;
}

}  // namespace

TEST_CASE("router unit: every weight splits new sessions exactly, and a new weight starts a new split") {
  FakeBackend backend;
  ManualClock clock;
  Router router(backend, clock, "w");
  router.SetImages(kBase, kCand);
  for (double w : {1.0, 5.0, 12.5, 33.0, 50.0, 99.0}) {
    REQUIRE(router.SetWeight(w).ok());
    int n = 200;
    int got = CandidatesAmong(router, "w" + std::to_string(static_cast<int>(w * 10)) + "-", n);
    // The running deficit never lags its share by a whole session.
    double share = w / 100.0 * n;
    CHECK(got >= static_cast<int>(share));
    CHECK(got <= static_cast<int>(share) + 1);
  }
  REQUIRE(router.SetWeight(5).ok());
  CHECK(router.Route("first-after-reset")->version == kCand.version);  // 5% gives 1 in 20 from the first
}

TEST_CASE("router unit: a failed launch binds nothing and the client's next request launches again") {
  FakeBackend backend;
  ManualClock clock;
  Router router(backend, clock, "f");
  router.SetImages(kBase, kCand);
  REQUIRE(router.SetWeight(100).ok());
  backend.FailLaunchesOf("2.0");
  auto failed = router.Route("c");
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().kind == ErrorKind::kIo);
  CHECK(router.Bindings().empty());
  REQUIRE(router.SetWeight(0).ok());
  auto ok = router.Route("c");
  REQUIRE(ok.ok());
  CHECK(ok->version == "1.0");
  CHECK(ok->id == "f.c.2");  // a fresh id: the failed one is never reused
  CHECK(backend.Count("launch") == 2);
}

TEST_CASE("router unit: a park that fails leaves the session serving, an unpark that fails is retried") {
  FakeBackend backend(/*snapshots=*/true);
  ManualClock clock;
  Router router(backend, clock, "p");
  router.SetImages(kBase, kCand);
  REQUIRE(router.SetWeight(0).ok());
  auto s = router.Route("c");
  REQUIRE(s.ok());

  clock.Advance(2000);
  backend.FailParks(true);
  auto expired = router.Expire(60'000, 1000, 1000);
  CHECK(expired.parked.empty());
  CHECK(router.Bindings().at(0).session.state == SessionState::kRunning);
  CHECK(router.Route("c")->endpoint == s->endpoint);  // still the running session

  clock.Advance(2000);
  backend.FailParks(false);
  expired = router.Expire(60'000, 1000, 1000);
  REQUIRE(expired.parked == std::vector<std::string>{s->id});
  CHECK(backend.StateOf(s->id) == SessionState::kParked);

  backend.FailUnparks(true);
  auto woken = router.Route("c");
  REQUIRE_FALSE(woken.ok());
  CHECK(router.Bindings().at(0).session.state == SessionState::kParked);  // nothing forgotten
  backend.FailUnparks(false);
  woken = router.Route("c");
  REQUIRE(woken.ok());
  CHECK(woken->id == s->id);  // the same session, state intact, not a new launch
  CHECK(woken->state == SessionState::kRunning);
  CHECK(backend.Count("launch") == 1);
  CHECK(backend.Count("unpark") == 2);
}

TEST_CASE("router unit: a parked session past the warm window ends, its client starts afresh") {
  FakeBackend backend(/*snapshots=*/true);
  ManualClock clock;
  Router router(backend, clock, "x");
  router.SetImages(kBase, kCand);
  auto s = router.Route("c");
  REQUIRE(s.ok());
  clock.Advance(1500);
  REQUIRE(router.Expire(10'000, 1000, 1000).parked.size() == 1);
  clock.Advance(10'000);
  auto expired = router.Expire(10'000, 1000, 1000);
  CHECK(expired.ended == std::vector<std::string>{s->id});
  CHECK_FALSE(backend.Has(s->id));  // the parked state is deleted too
  auto fresh = router.Route("c");
  REQUIRE(fresh.ok());
  CHECK(fresh->id != s->id);
}

TEST_CASE("router unit: terminating a version also ends sessions of this router the bindings never knew") {
  FakeBackend backend;
  ManualClock clock;
  Router router(backend, clock, "t");
  router.SetImages(kBase, kCand);
  REQUIRE(router.SetWeight(50).ok());
  REQUIRE(router.Route("a").ok());
  REQUIRE(router.Route("b").ok());
  // Launched by a run killed before it bound them, and one of another router.
  backend.Plant({"t.z.9", "2.0", SessionState::kStarting, "", 0, 0, "", "", "", 0});
  backend.Plant({"other.q.1", "2.0", SessionState::kRunning, "", 0, 0, "", "", "", 0});
  auto ended = router.TerminateVersion("2.0");
  REQUIRE(ended.ok());
  CHECK(ended->size() == 2);
  CHECK_FALSE(backend.Has("t.z.9"));
  CHECK(backend.Has("other.q.1"));  // never another router's
  for (const auto& b : router.Bindings()) CHECK(b.session.version == "1.0");
}

TEST_CASE("router unit: adoption keeps one session per client and ends the dead and the extras") {
  FakeBackend backend;
  ManualClock clock;
  backend.Plant({"r.a.1", "1.0", SessionState::kRunning, "http://127.0.0.1:1", 0, 0, "", "", "", 0});
  backend.Plant(
      {"r.a.7", "2.0", SessionState::kRunning, "http://127.0.0.1:2", 0, 0, "", "", "", 0});  // an extra for a
  backend.Plant({"r.b.3", "2.0", SessionState::kFailed, "", 0, 0, "", "", "", 0});
  backend.Plant({"r.c.4", "1.0", SessionState::kParked, "", 0, 0, "", "", "", 0});
  backend.Plant({"r.weird", "1.0", SessionState::kRunning, "", 0, 0, "", "", "", 0});  // no client in the id
  backend.Plant({"s.d.2", "1.0", SessionState::kRunning, "", 0, 0, "", "", "", 0});    // another router's
  Router router(backend, clock, "r");
  router.SetImages(kBase, kCand);
  REQUIRE(router.Adopt().ok());
  auto bindings = router.Bindings();
  REQUIRE(bindings.size() == 2);
  CHECK(bindings[0].client == "a");
  CHECK(bindings[1].client == "c");
  CHECK(bindings[1].session.state == SessionState::kParked);
  CHECK(backend.Has("r.a.1") != backend.Has("r.a.7"));  // exactly one of a's survives
  CHECK_FALSE(backend.Has("r.b.3"));
  CHECK_FALSE(backend.Has("r.weird"));
  CHECK(backend.Has("s.d.2"));
  // Numbering continues past the highest adopted id, so no id is reused.
  CHECK(router.Route("e")->id == "r.e.8");
}

TEST_CASE("router unit: a client's session serves it while draining and ends once the client is idle") {
  FakeBackend backend;
  ManualClock clock;
  Router router(backend, clock, "d");
  router.SetImages(kBase, kCand);
  REQUIRE(router.SetWeight(100).ok());
  auto s = router.Route("c");
  REQUIRE(s.ok());
  CHECK(router.Drain("2.0") == std::vector<std::string>{s->id});
  clock.Advance(500);
  CHECK(router.Route("c")->id == s->id);  // still its client's
  router.Touch("c");
  clock.Advance(500);
  CHECK(router.Expire(60'000, 1000).ended.empty());
  clock.Advance(600);
  CHECK(router.Expire(60'000, 1000).ended == std::vector<std::string>{s->id});
  CHECK_FALSE(backend.Has(s->id));
}

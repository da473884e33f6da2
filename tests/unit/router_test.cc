// The router's decisions where a real backend cannot be made to fail on cue: launches, parks and
// unparks that fail, sessions an earlier run left half-made, and the exact split over many steps.
// The happy paths on real sessions are in tests/integration/router_test.cc.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>

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
  router.Touch("c");

  clock.Advance(2000);
  backend.FailParks(true);
  auto expired = router.Expire({60'000, 1000, 1000});
  CHECK(expired.parked.empty());
  CHECK(router.Bindings().at(0).session.state == SessionState::kRunning);
  CHECK(router.Route("c")->endpoint == s->endpoint);  // still the running session
  router.Touch("c");

  clock.Advance(2000);
  backend.FailParks(false);
  expired = router.Expire({60'000, 1000, 1000});
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
  router.Touch("c");
  clock.Advance(1500);
  REQUIRE(router.Expire({10'000, 1000, 1000}).parked.size() == 1);
  clock.Advance(10'000);
  auto expired = router.Expire({10'000, 1000, 1000});
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
  backend.Plant({"t.z.9", "2.0", SessionState::kStarting, "", 0, 0, "", "", "", 0, ""});
  backend.Plant({"other.q.1", "2.0", SessionState::kRunning, "", 0, 0, "", "", "", 0, ""});
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
  backend.Plant({"r.a.1", "1.0", SessionState::kRunning, "http://127.0.0.1:1", 0, 0, "", "", "", 0, ""});
  backend.Plant({"r.a.7", "2.0", SessionState::kRunning, "http://127.0.0.1:2", 0, 0, "", "", "", 0,
                 ""});  // an extra for a
  backend.Plant({"r.b.3", "2.0", SessionState::kFailed, "", 0, 0, "", "", "", 0, ""});
  backend.Plant({"r.c.4", "1.0", SessionState::kParked, "", 0, 0, "", "", "", 0, ""});
  backend.Plant(
      {"r.weird", "1.0", SessionState::kRunning, "", 0, 0, "", "", "", 0, ""});  // no client in the id
  backend.Plant({"s.d.2", "1.0", SessionState::kRunning, "", 0, 0, "", "", "", 0, ""});  // another router's
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
  router.Touch("c");
  CHECK(router.Drain("2.0") == std::vector<std::string>{s->id});
  clock.Advance(500);
  CHECK(router.Route("c")->id == s->id);  // still its client's
  router.Touch("c");
  clock.Advance(500);
  CHECK(router.Expire({60'000, 1000}).ended.empty());
  clock.Advance(600);
  CHECK(router.Expire({60'000, 1000}).ended == std::vector<std::string>{s->id});
  CHECK_FALSE(backend.Has(s->id));
}

TEST_CASE("router unit: sessions past the maximum age are recycled between requests, spread over time") {
  ManualClock clock;
  FakeBackend backend(/*snapshots=*/false, &clock);
  Router router(backend, clock, "m");
  router.SetImages(kBase, kCand);
  REQUIRE(router.SetWeight(0).ok());
  std::map<std::string, std::string> first;  // client -> its first session
  for (int i = 0; i < 40; ++i) {
    std::string client = "c" + std::to_string(i);
    auto s = router.Route(client);
    REQUIRE(s.ok());
    router.Touch(client);
    first[client] = s->id;
  }
  const SessionLimits limits{3'600'000, 1000, 0, 600'000};  // warm 1 h, max age 10 min
  // Nothing is recycled before four fifths of the age; every session is by the age itself, a few
  // at a time, the clients routed anew onto the version the weight picks now.
  REQUIRE(router.SetWeight(100).ok());
  std::set<int64_t> minutes_with_recycles;
  size_t recycled = 0;
  for (int64_t t = 0; t <= 600'000; t += 15'000) {
    clock.Advance(t == 0 ? 0 : 15'000);
    auto expired = router.Expire(limits);
    if (t < 600'000) CHECK(expired.recycled.size() <= 4);  // a tenth per call, until the age itself
    if (t < 480'000) CHECK(expired.recycled.empty());
    if (!expired.recycled.empty()) minutes_with_recycles.insert(t / 60'000);
    recycled += expired.recycled.size();
    for (const auto& id : expired.recycled)
      CHECK(std::find(expired.ended.begin(), expired.ended.end(), id) != expired.ended.end());
  }
  CHECK(recycled == 40);
  CHECK(minutes_with_recycles.size() >= 2);  // spread, not all at once
  CHECK(router.Bindings().empty());
  for (const auto& [client, id] : first) {
    auto s = router.Route(client);
    REQUIRE(s.ok());
    CHECK(s->id != id);
    CHECK(s->version == kCand.version);
  }
}

TEST_CASE("router unit: a session past its age serves the request under way and ends after it") {
  ManualClock clock;
  FakeBackend backend(/*snapshots=*/true, &clock);
  Router router(backend, clock, "q");
  router.SetImages(kBase, kCand);
  auto busy = router.Route("busy");  // a request under way: no Touch yet
  REQUIRE(busy.ok());
  auto parked = router.Route("sleeper");
  REQUIRE(parked.ok());
  router.Touch("sleeper");
  clock.Advance(2000);
  const SessionLimits limits{3'600'000, 1000, 1000, 60'000};
  REQUIRE(router.Expire(limits).parked == std::vector<std::string>{parked->id});  // busy is not parked
  clock.Advance(60'000);
  auto expired = router.Expire(limits);  // both past the age itself: neither waits its turn
  CHECK(expired.recycled == std::vector<std::string>{busy->id, parked->id});
  CHECK(expired.ended == std::vector<std::string>{parked->id});  // parked: no client on it, it ends now
  CHECK_FALSE(backend.Has(parked->id));
  CHECK(backend.Has(busy->id));
  CHECK(router.Route("busy")->id == busy->id);  // still serves its client (two requests now)
  router.Touch("busy");
  CHECK(router.Expire(limits).ended.empty());  // one of them is still under way
  CHECK(backend.Has(busy->id));
  router.Touch("busy");
  CHECK(router.Expire(limits).ended == std::vector<std::string>{busy->id});  // between requests: ends
  CHECK_FALSE(backend.Has(busy->id));
  auto fresh = router.Route("busy");
  REQUIRE(fresh.ok());
  CHECK(fresh->id != busy->id);
  CHECK(fresh->started_unix_ms == clock.NowUnixMs());
}

TEST_CASE("router unit: the shorter of the plan's and the image policy's maximum session age applies") {
  RolloutPlan plan;
  plan.warm_window_ms = 120'000;
  plan.interval_ms = 5000;
  plan.park_after_ms = 60'000;
  CHECK(SessionLimitsOf(plan, std::nullopt).max_age_ms == 0);
  AdmissionDecision admission;
  admission.max_session_age_ms = 3'600'000;
  CHECK(SessionLimitsOf(plan, admission).max_age_ms == 3'600'000);
  plan.max_session_age_ms = 600'000;
  SessionLimits limits = SessionLimitsOf(plan, admission);
  CHECK(limits.max_age_ms == 600'000);
  CHECK(limits.warm_ms == 120'000);
  CHECK(limits.drain_idle_ms == 1000);
  CHECK(limits.park_ms == 60'000);
  admission.max_session_age_ms = 60'000;
  CHECK(SessionLimitsOf(plan, admission).max_age_ms == 60'000);
}

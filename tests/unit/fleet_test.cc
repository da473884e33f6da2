// The fleet's engine: the fleet journal's codec is strict, drift is assessed for each reason, and
// the revocation guard starts nothing on a revoked image.
#include <catch2/catch.hpp>

#include "engine/fleet/drift.h"
#include "engine/fleet/revocation.h"
#include "engine/fleet/revocation_guard.h"
#include "simulations/sim/memory_store.h"
#include "tests/support/fake_backend.h"

using namespace ringfence;

namespace {

const std::string kOld = "sha256:" + std::string(64, 'a');
const std::string kNew = "sha256:" + std::string(64, 'b');

FleetSession Session(const std::string& id, const std::string& version, const std::string& digest,
                     std::optional<Measurement> m, int64_t started = 1000) {
  FleetSession s;
  s.backend = "process";
  s.session.id = id;
  s.session.version = version;
  s.session.state = SessionState::kRunning;
  s.session.started_unix_ms = started;
  s.session.image_digest = digest;
  s.session.executable_digest = "sha256:exe";
  s.session.content_digest = digest;  // a process session measures its image directory
  s.measurement = m;
  s.measurement_error = m ? "" : "did not answer";
  s.rollout_id = "svc-1";
  s.service = "svc";
  return s;
}

std::map<std::string, ServiceImages> Runs(const std::string& version, const std::string& digest) {
  return {{"svc", ServiceImages{"svc", "svc-1", {ImageRef{version, digest, ""}}, false}}};
}

std::set<DriftReason> ReasonsOf(const DriftReport& r, size_t item) {
  std::set<DriftReason> out;
  for (const auto& f : r.drifted.at(item).findings) out.insert(f.reason);
  return out;
}

}  // namespace

TEST_CASE("fleet records round-trip, and a record that is not one is an error, not a smaller journal") {
  JournalRecord revoked = EncodeFleetRecord(ImageRevokedEvent{kOld, "CVE", "sre"}, 5);
  revoked.seq = 1;
  JournalRecord done = EncodeFleetRecord(RevocationCompletedEvent{kOld, 3, 1, {"svc-1"}}, 9);
  done.seq = 2;
  auto all = RevocationsOf({revoked, done});
  REQUIRE(all);
  REQUIRE(all->count(kOld));
  CHECK(all->at(kOld).reason == "CVE");
  CHECK(all->at(kOld).completed);
  CHECK(all->at(kOld).completed_unix_ms == 9);
  auto pending = RevocationsOf({revoked});
  REQUIRE(pending);
  CHECK_FALSE(pending->at(kOld).completed);

  for (std::string evidence : {std::string("{}"), std::string("not json"),
                               R"({"format":2,"digest":")" + kOld + R"(","reason":"r","by":"b"})",
                               std::string(R"({"format":1,"digest":"sha256:short","reason":"r","by":"b"})"),
                               R"({"format":1,"digest":")" + kOld + R"(","reason":7,"by":"b"})"}) {
    JournalRecord bad = revoked;
    bad.evidence_json = evidence;
    CHECK_FALSE(DecodeFleetRecord(bad));
    CHECK_FALSE(RevocationsOf({bad}));
  }
  JournalRecord unknown = revoked;
  unknown.state = "image_unrevoked";
  CHECK_FALSE(RevocationsOf({unknown}));
  CHECK(ValidImageDigest(kOld));
  CHECK_FALSE(ValidImageDigest("sha256:" + std::string(64, 'A')));
  CHECK_FALSE(ValidImageDigest(kOld + "0"));
}

TEST_CASE("drift names each reason a session or snapshot is not what its service runs") {
  Measurement good{"sha256:exe", kNew, "", "boot"};
  FleetInventory fleet;
  fleet.sessions = {
      Session("svc-1.c1.1", "2.0", kNew, good),                                         // fine
      Session("svc-1.c2.1", "1.0", kOld, Measurement{"sha256:exe", kOld, "", "boot"}),  // old version
      Session("svc-1.c3.1", "2.0", kNew, Measurement{"sha256:other", kNew, "", "boot"}),
      Session("svc-1.c4.1", "2.0", kNew, std::nullopt),
      Session("svc-1.c5.1", "2.0", kNew, Measurement{"sha256:exe", kOld, "", "restore"})};
  FleetSession stray = Session("elsewhere.1", "2.0", kNew, good);
  stray.rollout_id = "";
  stray.service = "";
  fleet.sessions.push_back(stray);
  FleetSession stopped = Session("svc-1.c6.1", "1.0", kOld, std::nullopt);
  stopped.session.state = SessionState::kStopped;
  fleet.sessions.push_back(stopped);
  fleet.snapshots = {{"qemu", "template", "/t/old.zst", "1.0", kOld},
                     {"qemu", "template", "/t/new.zst", "2.0", kNew}};

  auto report = AssessDrift(fleet, Runs("2.0", kNew), {}, {}, 2000);
  CHECK(report.sessions_checked == 6);  // the stopped one is not
  CHECK(report.snapshots_checked == 2);
  REQUIRE(report.drifted.size() == 6);
  CHECK(ReasonsOf(report, 0) == std::set{DriftReason::kOtherVersion});
  CHECK(ReasonsOf(report, 1) == std::set{DriftReason::kMeasurementDiffers});
  CHECK(ReasonsOf(report, 2) == std::set{DriftReason::kUnmeasured});
  CHECK(ReasonsOf(report, 3) == std::set{DriftReason::kMeasurementDiffers});
  CHECK(ReasonsOf(report, 4) == std::set{DriftReason::kNoRollout});
  CHECK(report.drifted[5].snapshot);
  CHECK(fleet.snapshots[report.drifted[5].index].path == "/t/old.zst");
  CHECK(ReasonsOf(report, 5) == std::set{DriftReason::kStaleSnapshot});
  CHECK(report.exceeds_policy);
  CHECK_FALSE(AssessDrift(fleet, Runs("2.0", kNew), {}, {0, 6, {}}, 2000).exceeds_policy);

  SECTION("each rollout's own session age limit, the shorter one where a flag gives another") {
    DriftPolicy own;
    own.max_drifted = 100;
    own.max_session_age_by_rollout = {{"svc-1", 900}, {"other", 10}};
    auto r = AssessDrift(fleet, Runs("2.0", kNew), {}, own, 2000);
    CHECK(r.by_reason[DriftReason::kTooOld] == 5);  // the rollout's five, not the stray one
    own.max_session_age_ms = 5000;                  // longer than the rollout's: the rollout's holds
    CHECK(AssessDrift(fleet, Runs("2.0", kNew), {}, own, 2000).by_reason[DriftReason::kTooOld] == 5);
    own.max_session_age_by_rollout["svc-1"] = 5000;
    own.max_session_age_ms = 500;  // the flag is shorter: every session is held to it
    CHECK(AssessDrift(fleet, Runs("2.0", kNew), {}, own, 2000).by_reason[DriftReason::kTooOld] == 6);
  }
  SECTION("revoked images and old sessions") {
    std::map<std::string, Revocation> revoked = {{kNew, {kNew, "CVE", "sre", 1, false, 0}}};
    auto r = AssessDrift(fleet, Runs("2.0", kNew), revoked, {500, 1000, {}}, 2000);
    CHECK(r.by_reason[DriftReason::kRevoked] == 6);  // five sessions of 2.0 and its template
    CHECK(r.by_reason[DriftReason::kTooOld] == 6);   // launched 1000 ms ago, limit 500 ms
    CHECK(r.pending_revocations == std::vector<std::string>{kNew});
    CHECK(r.exceeds_policy);  // a pending revocation fails the report whatever the tolerance
  }
}

TEST_CASE(
    "a guest's image measurement is compared with the content its backend recorded, not the image digest") {
  const std::string kGuestRoot = "sha256:" + std::string(64, 'c');
  FleetInventory fleet;
  fleet.sessions = {Session("svc-1.g1.1", "2.0", kNew, Measurement{"sha256:exe", kGuestRoot, "", "boot"}),
                    Session("svc-1.g2.1", "2.0", kNew, Measurement{"sha256:exe", kNew, "", "boot"}),
                    Session("svc-1.g3.1", "2.0", kNew, Measurement{"sha256:exe", kGuestRoot, "", "boot"})};
  fleet.sessions[0].session.content_digest = kGuestRoot;  // measures what its initrd unpacked
  fleet.sessions[1].session.content_digest = kGuestRoot;  // measures something else
  fleet.sessions[2].session.content_digest = "";          // recorded by a backend that could not say
  auto report = AssessDrift(fleet, Runs("2.0", kNew), {}, {}, 2000);
  CHECK(report.sessions_checked == 3);
  REQUIRE(report.drifted.size() == 2);
  CHECK(report.drifted[0].index == 1);
  CHECK(ReasonsOf(report, 0) == std::set{DriftReason::kMeasurementDiffers});
  CHECK(report.drifted[1].index == 2);
  CHECK(ReasonsOf(report, 1) == std::set{DriftReason::kUnmeasured});
}

TEST_CASE("a session that answers without measuring its image is unmeasured, never taken as unchanged") {
  FleetInventory fleet;
  // A hostile or broken session replies with its executable but an empty image measurement.
  fleet.sessions = {Session("svc-1.h1.1", "2.0", kNew, Measurement{"sha256:exe", "", "", "boot"}),
                    Session("svc-1.h2.1", "2.0", kNew, Measurement{"sha256:exe", kNew, "", "boot"}),
                    Session("svc-1.h3.1", "2.0", kNew, Measurement{"sha256:exe", "", "disk gone", "boot"})};
  auto report = AssessDrift(fleet, Runs("2.0", kNew), {}, {}, 2000);
  REQUIRE(report.drifted.size() == 2);
  CHECK(report.drifted[0].index == 0);
  CHECK(ReasonsOf(report, 0) == std::set{DriftReason::kUnmeasured});
  CHECK(report.drifted[1].index == 2);
  CHECK(ReasonsOf(report, 1) == std::set{DriftReason::kMeasurementDiffers});
}

TEST_CASE("the revocation guard starts nothing on a revoked image and ends what comes back on one") {
  sim::MemoryStateStore store;
  testing::FakeBackend inner(/*snapshots=*/true);
  RevocationGuard guard(inner, store);
  ImageRef bad{"2.0", kNew, ""}, good{"1.0", kOld, ""};
  REQUIRE(guard.Launch("a", bad));
  REQUIRE(guard.Launch("b", good));
  REQUIRE(guard.Park("a"));
  auto written = store.Append(EncodeFleetRecord(ImageRevokedEvent{kNew, "CVE", "sre"}, 1), 0);
  REQUIRE(written);
  auto refused = guard.Launch("c", bad);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message.find("revoked") != std::string::npos);
  CHECK(guard.Launch("d", good));
  CHECK_FALSE(guard.Unpark("a"));  // came back on the revoked image: ended at once
  auto listed = inner.List();
  REQUIRE(listed);
  for (const auto& s : *listed) CHECK(s.id != "a");
  // An unreadable fleet journal starts nothing either.
  JournalRecord garbage = EncodeFleetRecord(ImageRevokedEvent{kOld, "x", "y"}, 2);
  garbage.evidence_json = "{";
  REQUIRE(store.Append(garbage, 1));
  CHECK_FALSE(guard.Launch("e", good));
}

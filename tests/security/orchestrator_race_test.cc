// Class 6: the orchestrator under concurrent humans and crashes, on real processes and the real
// SQLite journal: racing decisions (exactly one is journaled), one driver per service, a killed
// driver shown as unattended, and sessions recorded before they start.
#include <signal.h>

#include <thread>

#include "adapters/backends/process/process_backend.h"
#include "adapters/backends/session_registry.h"
#include "adapters/store/audit_file.h"
#include "adapters/store/sqlite_state_store.h"
#include "engine/rollout/orchestrator.h"
#include "tests/security/security_fixture.h"

using namespace ringfence;
using namespace ringfence::testing;
using nlohmann::json;

namespace {

constexpr int kPromoted = 0, kRolledBack = 1, kAwaiting = 2, kConflict = 8;

// A plan whose first step ends without data (no load): the rollout pauses for a human.
struct PausingRollout {
  explicit PausingRollout(const std::string& bake = "300ms") {
    for (auto [dir, version] : {std::pair{"base", "1.0"}, {"cand", "2.0"}}) {
      WriteFile(tmp.path() + "/" + dir + "/manifest.yaml",
                std::string("apiVersion: ringfence/v1\nkind: Image\nversion: \"") + version +
                    "\"\nentrypoint: [\"@workload\", \"--version\", \"" + version + "\"]\n");
    }
    WriteFile(
        plan(),
        "apiVersion: ringfence/v1\nkind: RolloutPlan\nservice: svc\nbackend: process\n"
        "baseline: {image: base}\ncandidate: {image: cand}\n"
        "steps:\n  - {weight: 50, bake: " +
            bake +
            "}\n  - {weight: 100, bake: 0s}\n"
            "analysis:\n  interval: 100ms\n  metrics:\n    - {name: errors, judge: {type: sequential}}\n"
            "rollback: {sessions: terminate, verify_for: 200ms}\n");
  }
  std::string plan() const { return tmp.path() + "/plan.yaml"; }
  std::string state() const { return tmp.path() + "/state"; }
  ProcessResult Rollout(std::vector<std::string> args) const {
    args.insert(args.begin(), {"rollout", "--state", state()});
    return RunRingfence(args);
  }
  std::string Id() const {
    auto j = json::parse(Rollout({"status", "--format", "json"}).out);
    REQUIRE(!j.empty());
    return j[0]["rollout"];
  }
  std::vector<std::string> States(const std::string& id) const {
    std::vector<std::string> out;
    for (const auto& r : json::parse(Rollout({"status", id, "--format", "json"}).out))
      out.push_back(r["state"]);
    return out;
  }
  TempDir tmp;
};

int Count(const std::vector<std::string>& v, const std::string& s) {
  return static_cast<int>(std::count(v.begin(), v.end(), s));
}

}  // namespace

TEST_CASE("two humans deciding on the same paused record: exactly one decision is journaled") {
  // At the journal: both read the same awaiting record; only the first append lands.
  TempDir tmp;
  auto store = store::SqliteStateStore::Open(tmp.path() + "/journal.db");
  auto audit = store::AuditFile::Open(tmp.path() + "/audit.log");
  REQUIRE(store.ok());
  REQUIRE(audit.ok());
  REQUIRE((*store)->Append(EncodeRecord("r", StartedEvent{}, 1), 0).ok());
  REQUIRE((*store)->Append(EncodeRecord("r", AwaitingHumanEvent{1, "the gate caps the canary"}, 2), 1).ok());
  auto approve = ApproveRollout(**store, **audit, "r", "alice", 3);
  REQUIRE(approve.ok());
  // The abort decided on record #2; the approval (#3) came first, so nothing is aborted... unless
  // it read #3, which is a later decision of its own (tested by the race below).
  auto late = (*store)->Append(EncodeRecord("r", RollbackEvent{"aborted by bob", {}, "bob"}, 4), 2);
  REQUIRE_FALSE(late.ok());
  CHECK(late.error().kind == ErrorKind::kConflict);
  auto second = ApproveRollout(**store, **audit, "r", "carol", 5);
  CHECK_FALSE(second.ok());
}

TEST_CASE("racing promote and abort on a paused rollout: never a promotion after an abort") {
  int promote_won = 0, abort_won = 0;
  for (int trial = 0; trial < 8; ++trial) {
    PausingRollout r;
    REQUIRE(r.Rollout({"start", r.plan(), "--no-load"}).exit_code == kAwaiting);
    std::string id = r.Id();
    ProcessResult promote, abort;
    std::thread a([&] { promote = r.Rollout({"promote", id, "--by", "alice", "--no-load"}); });
    std::thread b([&] { abort = r.Rollout({"abort", id, "--by", "bob", "--no-load"}); });
    a.join();
    b.join();
    auto states = r.States(id);
    INFO("trial " << trial << ": promote " << promote.exit_code << " " << promote.err << "; abort "
                  << abort.exit_code << " " << abort.err);
    CHECK(Count(states, "approved") <= 1);
    CHECK(Count(states, "rollback") <= 1);
    auto rollback = std::find(states.begin(), states.end(), "rollback");
    if (rollback != states.end()) {
      ++abort_won;
      // A rollback, once journaled, is final: no step and no promotion after it.
      CHECK(std::find(rollback, states.end(), "step") == states.end());
      CHECK(Count(states, "promoted") == 0);
      CHECK(states.back() == "rolled_back");
      // Either the abort drove the rollback itself, or it journaled it while the promoting
      // process drove the rollout (exit 0), and that process carried it out.
      CHECK((abort.exit_code == kRolledBack || (abort.exit_code == 0 && promote.exit_code == kRolledBack)));
      // An approval journaled on the same paused record as the abort would be a lost race: the
      // only approval that may exist came before the abort read the journal.
      auto approved = std::find(states.begin(), states.end(), "approved");
      if (approved == states.end())
        CHECK(promote.exit_code != kPromoted);
      else
        CHECK(approved < rollback);
    } else {
      ++promote_won;
      CHECK(Count(states, "approved") == 1);
      CHECK(states.back() == "promoted");
      CHECK(promote.exit_code == kPromoted);
      CHECK(abort.exit_code != kPromoted);
      CHECK(abort.exit_code != kRolledBack);
    }
  }
  CHECK(promote_won + abort_won == 8);
}

TEST_CASE("one driver per service: a second start is refused while one is live or unfinished") {
  PausingRollout r("3s");
  ProcessResult first;
  std::thread driver([&] { first = r.Rollout({"start", r.plan(), "--no-load"}); });
  // Wait until the first rollout is journaled, then start another of the same service.
  for (int i = 0;
       i < 200 && r.Rollout({"status", "--format", "json"}).out.find("rollout") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  auto second = r.Rollout({"start", r.plan(), "--no-load"});
  CHECK(second.exit_code == kConflict);
  CHECK(second.err.find("is live") != std::string::npos);
  driver.join();
  CHECK(first.exit_code == kAwaiting);
  // Paused, nobody drives it: still unfinished, so a new start is refused with the way out.
  auto third = r.Rollout({"start", r.plan(), "--no-load"});
  CHECK(third.exit_code == kConflict);
  CHECK(third.err.find("ringfence rollout resume") != std::string::npos);
  CHECK(r.Rollout({"abort", r.Id(), "--by", "bob", "--no-load"}).exit_code == kRolledBack);
  CHECK(r.Rollout({"start", r.plan(), "--no-load"}).exit_code == kAwaiting);
}

TEST_CASE("a driver killed without a resume is listed as unattended, with the commands that finish it") {
  PausingRollout r("2s");
  auto killed =
      RunRingfenceKilledAt("judged", 1, {"rollout", "--state", r.state(), "start", r.plan(), "--no-load"});
  REQUIRE(killed.exit_code == 128 + SIGKILL);
  std::string id = r.Id();
  auto status = r.Rollout({"status"});
  INFO(status.out);
  CHECK(status.out.find("[unattended]") != std::string::npos);
  CHECK(status.out.find("ringfence rollout resume " + id) != std::string::npos);
  auto one = r.Rollout({"status", id});
  CHECK(one.exit_code == kIndeterminate);
  CHECK(one.out.find("UNATTENDED") != std::string::npos);
  auto list = r.Rollout({"list", "--format", "json"});
  auto j = json::parse(list.out);
  REQUIRE(j.size() == 1);
  CHECK(j[0]["service"] == "svc");
  CHECK(j[0]["attention"] == "unattended");
  CHECK(r.Rollout({"resume", id, "--no-load"}).exit_code == kAwaiting);
}

TEST_CASE("a session whose launcher died between recording and spawning is found and ended") {
  TempDir tmp;
  backends::SessionRegistry registry(tmp.path() + "/state/sessions");
  // As a killed launcher leaves it: the record written before the spawn (no pid), the process
  // running, its pid in the pid file it wrote itself.
  auto proc = Spawn({{"sleep", "60"},
                     SessionEnvironment({}),
                     tmp.path() + "/sleep.log",
                     registry.PidFile("orphan"),
                     registry.Marker("orphan")});
  REQUIRE(proc.ok());
  REQUIRE(
      registry.Save("orphan", {{"id", "orphan"}, {"version", "1.0"}, {"endpoint", ""}, {"started", 0}}).ok());
  backends::ProcessBackend backend({tmp.path() + "/state", RINGFENCE_WORKLOAD});
  auto listed = backend.List();
  REQUIRE(listed.ok());
  REQUIRE(listed->size() == 1);
  CHECK(listed->front().state == SessionState::kStarting);
  REQUIRE(backend.TerminateAll().ok());
  CHECK(ProcessEnded(*proc));
}

TEST_CASE("two starts of one service at the same instant: exactly one runs, the other is refused") {
  for (int trial = 0; trial < 4; ++trial) {
    PausingRollout r;
    ProcessResult a, b;
    std::thread ta([&] { a = r.Rollout({"start", r.plan(), "--no-load"}); });
    std::thread tb([&] { b = r.Rollout({"start", r.plan(), "--no-load"}); });
    ta.join();
    tb.join();
    INFO("trial " << trial << ": " << a.exit_code << " " << a.err << " / " << b.exit_code << " " << b.err);
    CHECK(((a.exit_code == kAwaiting && b.exit_code == kConflict) ||
           (a.exit_code == kConflict && b.exit_code == kAwaiting)));
    CHECK(json::parse(r.Rollout({"status", "--format", "json"}).out).size() == 1);
  }
}

// `ringfence fleet` and `ringfence image revoke` end to end on real process sessions: a rollout
// leaves its sessions running (--keep-sessions), the inventory is read from the state directory by
// another process, each session's own measurement is checked against sha256sum, an image changed
// in place is reported drifted, and a revocation ends every session of the image, refuses new
// rollouts of it, survives a SIGKILL right after it is journaled, and stops a live rollout.
#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "tests/support/git_fixture.h"
#include "tests/support/run_process.h"

using namespace ringfence::testing;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr int kOk = 0, kRolledBack = 1, kCannotDecide = 3, kNotAdmitted = 9, kDrift = 10;

class FleetFixture {
 public:
  explicit FleetFixture(
      const std::string& steps = "  - {weight: 50, bake: 3s}\n  - {weight: 100, bake: 0s}\n") {
    for (auto [dir, version] : {std::pair{"base", "1.0"}, {"cand", "2.0"}}) {
      WriteFile(tmp.path() + "/" + dir + "/manifest.yaml",
                std::string("apiVersion: ringfence/v1\nkind: Image\nversion: \"") + version +
                    "\"\nentrypoint: [\"@workload\", \"--version\", \"" + version +
                    "\", \"--error-rate\", \"0.1\"]\n");
    }
    WriteFile(plan(),
              "apiVersion: ringfence/v1\nkind: RolloutPlan\nservice: svc\nbackend: process\n"
              "baseline: {image: base}\ncandidate: {image: cand}\nsessions: {warm_window: 60s}\n"
              "steps:\n" +
                  steps +
                  "load: {clients: 4, requests_per_session: 6, think: 10ms, returning: 0.3}\n"
                  "analysis:\n  interval: 250ms\n  metrics:\n"
                  "    - {name: errors, judge: {type: sequential, alpha: 0.01, min_events: 5}}\n"
                  "rollback: {sessions: drain, drain_timeout: 1s, verify_for: 500ms}\n");
  }
  ~FleetFixture() {  // whatever a test left running
    for (int pid : Pids()) kill(-pid, SIGKILL);
  }
  std::string plan() const { return tmp.path() + "/plan.yaml"; }
  std::string state() const { return tmp.path() + "/state"; }
  ProcessResult Run(std::vector<std::string> args) const {
    if (args[0] == "image")  // the state directory is revoke's own flag
      args.insert(args.end(), {"--state", state()});
    else
      args.insert(args.begin() + 1, {"--state", state()});
    return RunRingfence(args);
  }
  // A promoted rollout whose sessions stay running. On a loaded machine the judge may not have its
  // events within the bake and waits for a human (exit 2): the human promotes.
  void PromoteKeepingSessions() const {
    auto r = Run({"rollout", "start", plan(), "--keep-sessions", "-q"});
    if (r.exit_code == 2) {
      auto listed = json::parse(Run({"rollout", "status", "--format", "json"}).out);
      r = Run({"rollout", "promote", listed[0]["rollout"], "--by", "tester", "--keep-sessions", "-q"});
    }
    REQUIRE(r.exit_code == kOk);
  }
  json Fleet() const {
    auto r = Run({"fleet", "list", "--format", "json"});
    REQUIRE(r.exit_code == kOk);
    return json::parse(r.out);
  }
  std::vector<json> SessionsOf(const std::string& version) const {
    std::vector<json> out;
    const json fleet = Fleet();
    for (const auto& s : fleet["sessions"])
      if (s["version"] == version) out.push_back(s);
    return out;
  }
  std::string DigestOf(const std::string& version) const {
    auto sessions = SessionsOf(version);
    REQUIRE(!sessions.empty());
    return sessions[0]["image_digest"];
  }
  std::vector<int> Pids() const {
    std::vector<int> pids;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(state() + "/sessions/process/sessions", ec)) {
      if (e.path().extension() != ".json") continue;
      std::ifstream in(e.path());
      json record = json::parse(in, nullptr, false);
      if (record.is_object() && record.contains("process"))
        pids.push_back(record["process"].value("pid", -1));
    }
    return pids;
  }
  TempDir tmp;
};

std::string Sha256sum(const std::string& path) {
  auto r = RunProcess({"sha256sum", path});
  REQUIRE(r.exit_code == 0);
  return "sha256:" + r.out.substr(0, 64);
}

bool Alive(int pid) {
  if (pid <= 0 || kill(pid, 0) != 0) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  size_t paren = line.rfind(')');
  return paren == std::string::npos || line.substr(paren + 2, 1) != "Z";
}

}  // namespace

TEST_CASE("fleet list reads every kept session from the state directory with what it measures of itself",
          "[fleet]") {
  FleetFixture f;
  f.PromoteKeepingSessions();
  json fleet = f.Fleet();
  REQUIRE(fleet["sessions"].size() >= 4);
  REQUIRE(fleet["warnings"].empty());
  const std::string workload = Sha256sum(RINGFENCE_WORKLOAD);
  std::set<std::string> digests;
  for (const auto& s : fleet["sessions"]) {
    CHECK(s["backend"] == "process");
    CHECK(s["service"] == "svc");
    CHECK(s["state"] == "running");
    CHECK(s["origin"] == "boot");
    CHECK(std::string(s["id"]).rfind(std::string(s["rollout"]) + ".", 0) == 0);
    CHECK(s["started_unix_ms"].get<int64_t>() > 0);
    // The backend's record and the session's own measurement, each checked against sha256sum.
    CHECK(s["executable_digest"] == workload);
    INFO(s.dump());
    REQUIRE(s["measurement"].is_object());
    CHECK(s["measurement"]["executable"] == workload);
    CHECK(s["measurement"]["image"] == s["image_digest"]);
    CHECK(s["measurement"]["measured_at"] == "boot");
    digests.insert(s["image_digest"]);
  }
  CHECK(digests.size() == 2);  // one per version

  SECTION("status names the promoted candidate as what the service runs") {
    auto r = f.Run({"fleet", "status", "--format", "json"});
    REQUIRE(r.exit_code == kOk);
    json status = json::parse(r.out);
    REQUIRE(status["svc"]["current"].size() == 1);
    CHECK(status["svc"]["current"][0]["version"] == "2.0");
    CHECK(status["svc"]["current"][0]["digest"] == f.DigestOf("2.0"));
    CHECK(status["svc"]["sessions"]["1.0"]["running"].get<int>() ==
          static_cast<int>(f.SessionsOf("1.0").size()));
  }

  SECTION("drift: the baseline's sessions left running are on another version; exit 10") {
    auto r = f.Run({"fleet", "drift", "--format", "json"});
    CHECK(r.exit_code == kDrift);
    json drift = json::parse(r.out);
    CHECK(drift["exceeds_policy"] == true);
    CHECK(drift["by_reason"]["other_version"].get<size_t>() == f.SessionsOf("1.0").size());
    CHECK(!drift["by_reason"].contains("measurement_differs"));
    for (const auto& item : drift["drifted"]) CHECK(item["version"] == "1.0");
    // Tolerated by the policy: exit 0.
    auto tolerated = f.Run({"fleet", "drift", "--max-drifted", "1000"});
    CHECK(tolerated.exit_code == kOk);
    // Another service has nothing to drift.
    CHECK(f.Run({"fleet", "drift", "--service", "other"}).exit_code == kOk);
  }

  SECTION("an image changed in place under running sessions is drift, whatever the records say") {
    WriteFile(f.tmp.path() + "/cand/patched-in-place.conf", "upgraded inside the session\n");
    auto r = f.Run({"fleet", "drift", "--format", "json", "--max-drifted", "1000"});
    json drift = json::parse(r.out);
    CHECK(drift["by_reason"]["measurement_differs"].get<size_t>() == f.SessionsOf("2.0").size());
    CHECK(r.exit_code == kOk);  // tolerated count, but reported
    auto strict = f.Run({"fleet", "drift"});
    CHECK(strict.exit_code == kDrift);
    CHECK(strict.out.find("measurement_differs: its image now measures") != std::string::npos);
  }

  SECTION("sessions past the maximum age are drift") {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    auto r =
        f.Run({"fleet", "drift", "--format", "json", "--max-session-age", "250ms", "--max-drifted", "1000"});
    json drift = json::parse(r.out);
    CHECK(drift["by_reason"]["too_old"].get<size_t>() == fleet["sessions"].size());
    CHECK(f.Run({"fleet", "drift", "--max-session-age", "soon"}).exit_code == 4);
  }

  SECTION("prometheus: sessions by service, version and state; drifted by reason") {
    auto r = f.Run({"fleet", "drift", "--format", "prometheus"});
    CHECK(r.exit_code == kDrift);
    CHECK(r.out.find("ringfence_fleet_sessions{service=\"svc\",state=\"running\",version=\"1.0\"} " +
                     std::to_string(f.SessionsOf("1.0").size())) != std::string::npos);
    CHECK(r.out.find("ringfence_fleet_drifted{reason=\"other_version\"} " +
                     std::to_string(f.SessionsOf("1.0").size())) != std::string::npos);
    CHECK(r.out.find("ringfence_fleet_drift_exceeds_policy 1") != std::string::npos);
  }
}

TEST_CASE("image revoke ends every session of the image, refuses new rollouts of it, and survives a SIGKILL",
          "[fleet][revoke]") {
  FleetFixture f;
  f.PromoteKeepingSessions();
  const std::string revoked = f.DigestOf("2.0");
  const size_t kept = f.SessionsOf("1.0").size();
  std::vector<int> before = f.Pids();

  // Killed right after the revocation is journaled: nothing else has happened yet.
  auto killed = RunRingfenceKilledAt(
      "image_revoked", 1,
      {"image", "revoke", revoked, "--reason", "CVE-2026-0001", "--by", "sre@example", "--state", f.state()});
  REQUIRE(killed.exit_code == kKilled);
  CHECK(f.SessionsOf("2.0").size() > 0);  // not yet ended
  auto pending = f.Run({"fleet", "drift", "--format", "json", "--max-drifted", "1000"});
  CHECK(pending.exit_code == kDrift);
  CHECK(json::parse(pending.out)["pending_revocations"] == json::array({revoked}));
  // Already in force: a new rollout of the revoked image is not admitted.
  auto refused = f.Run({"rollout", "start", f.plan(), "-q"});
  CHECK(refused.exit_code == kNotAdmitted);
  CHECK(refused.err.find("revoked by sre@example: CVE-2026-0001") != std::string::npos);
  // The interrupted run left its record unaudited.
  CHECK(f.Run({"audit", "verify"}).exit_code == kCannotDecide);

  auto resumed = f.Run(
      {"image", "revoke", revoked, "--reason", "CVE-2026-0001", "--by", "sre@example", "--format", "json"});
  REQUIRE(resumed.exit_code == kOk);
  json report = json::parse(resumed.out);
  CHECK(report["newly_revoked"] == false);
  CHECK(report["completed"] == true);
  CHECK(report["sessions_ended"].get<size_t>() == before.size() - kept);
  CHECK(f.SessionsOf("2.0").empty());
  CHECK(f.SessionsOf("1.0").size() == kept);  // the other image's sessions are untouched
  int alive = 0;
  for (int pid : before) alive += Alive(pid) ? 1 : 0;
  CHECK(alive == static_cast<int>(kept));
  auto drift = json::parse(f.Run({"fleet", "drift", "--format", "json", "--max-drifted", "1000"}).out);
  CHECK(drift["pending_revocations"].empty());
  CHECK(f.Run({"audit", "verify"}).exit_code == kOk);  // revocation and completion chained
  auto log = RunProcess({"cat", f.state() + "/audit.log"});
  CHECK(log.out.find("image_revoked") != std::string::npos);
  CHECK(log.out.find("revocation_completed") != std::string::npos);

  SECTION("a revoked digest is bad input only when malformed") {
    CHECK(f.Run({"image", "revoke", "sha256:XYZ", "--reason", "r", "--by", "b"}).exit_code == 4);
    CHECK(f.Run({"image", "revoke", revoked, "--reason", "", "--by", "b"}).exit_code == 4);
  }
}

TEST_CASE("image revoke stops a live rollout of the image: its driver rolls it back", "[fleet][revoke]") {
  FleetFixture f("  - {weight: 50, bake: 60s}\n  - {weight: 100, bake: 0s}\n");
  BackgroundProcess driver({RINGFENCE_BINARY, "rollout", "--state", f.state(), "start", f.plan(), "-q"},
                           f.tmp.path() + "/driver.log");
  std::string digest;
  for (int i = 0; i < 300 && digest.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto r = f.Run({"fleet", "list", "--format", "json"});
    if (r.exit_code != kOk) continue;
    const json fleet = json::parse(r.out);
    for (const auto& s : fleet["sessions"])
      if (s["version"] == "2.0" && s["state"] == "running") digest = s["image_digest"];
  }
  REQUIRE(!digest.empty());
  auto revoked =
      f.Run({"image", "revoke", digest, "--reason", "bad build", "--by", "sre", "--format", "json"});
  REQUIRE(revoked.exit_code == kOk);
  json report = json::parse(revoked.out);
  CHECK(report["rollouts_aborted"].size() == 1);
  CHECK(report["rollouts_driven"].empty());  // its own driver carries the abort out
  CHECK(driver.Wait(60000) == kRolledBack);
  CHECK(f.SessionsOf("2.0").empty());
  auto status = json::parse(f.Run({"rollout", "status", "--format", "json"}).out);
  std::string id = status[0]["rollout"];
  auto journal = f.Run({"rollout", "status", id, "--format", "json"});
  CHECK(journal.out.find("image " + digest + " revoked: bad build") != std::string::npos);
}

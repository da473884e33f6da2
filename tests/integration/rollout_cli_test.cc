// `ringfence rollout` end to end on real processes: the process backend runs the bundled workload,
// the built-in load drives client sessions through the router, the session metric source scrapes
// /metrics, the journal is SQLite, the webhook goes to a loopback receiver. A bad candidate is
// reverted, a good one promoted, and a SIGKILL after every kind of transition followed by
// `rollout resume` loses no step and leaks no session.
#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include <cstdlib>
#include "adapters/common/files.h"
#include "tests/support/git_fixture.h"

#include "tests/support/loopback_receiver.h"
#include "tests/support/run_process.h"

using namespace ringfence::testing;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr int kPromoted = 0, kRolledBack = 1, kAwaitingHuman = 2, kInvalid = 4, kEscalated = 6, kFrozen = 7;

struct Knobs {
  double baseline_error_rate = 0.05;
  double candidate_error_rate = 0.5;
  // The sequential judge rolls a bad candidate back at the first look with enough evidence; the
  // long bake only gives a slow machine the time to gather it (a short one could end in a pass
  // on too few events).
  std::string steps = "  - {weight: 25, bake: 30s}\n  - {weight: 100, bake: 0s}\n";
  std::string extra;   // more top-level plan keys
  std::string notify;  // more keys of notify:
  // The sequential judge's alpha is its false-alarm rate per judged rollout: a good candidate's
  // tests use a far smaller one, so that the suite's many good rollouts (each resumed one judged
  // twice) do not, together, roll one back on noise.
  std::string alpha = "0.01";
};

// Errors as common as the baseline's, and common enough that the sequential judge has its
// events within a short bake even on a slow (sanitizer) build.
Knobs Good() {
  Knobs k;
  k.baseline_error_rate = 0.1;
  k.candidate_error_rate = 0.1;
  k.steps = "  - {weight: 25, bake: 1500ms}\n  - {weight: 100, bake: 0s}\n";
  k.alpha = "0.000001";
  return k;
}

class RolloutFixture {
 public:
  explicit RolloutFixture(const Knobs& k = {}) {
    Image("base", "1.0", k.baseline_error_rate);
    Image("cand", "2.0", k.candidate_error_rate);
    WriteFile(plan(),
              "apiVersion: ringfence/v1\nkind: RolloutPlan\nservice: svc\nbackend: process\n"
              "baseline: {image: base}\ncandidate: {image: cand}\nsessions: {warm_window: 2s}\n"
              "steps:\n" +
                  k.steps +
                  "load: {clients: 4, requests_per_session: 6, think: 10ms, returning: 0.3}\n"
                  "analysis:\n  interval: 250ms\n  metrics:\n"
                  "    - {name: errors, judge: {type: sequential, alpha: " +
                  k.alpha +
                  ", min_events: 5}}\n"
                  "rollback: {sessions: drain, drain_timeout: 1s, verify_for: 500ms}\n"
                  "notify: {webhook: \"" +
                  receiver.url() + "\", allow_private_network: true" + k.notify + "}\n" + k.extra);
  }
  void Image(const std::string& dir, const std::string& version, double error_rate) {
    WriteFile(tmp.path() + "/" + dir + "/manifest.yaml",
              "apiVersion: ringfence/v1\nkind: Image\nversion: \"" + version +
                  "\"\nentrypoint: [\"@workload\", \"--version\", \"" + version + "\", \"--error-rate\", \"" +
                  std::to_string(error_rate) + "\"]\n");
  }
  std::string plan() const { return tmp.path() + "/plan.yaml"; }
  std::string state() const { return tmp.path() + "/state"; }
  ProcessResult Rollout(std::vector<std::string> args) const {
    args.insert(args.begin(), {"rollout", "--state", state()});
    return RunRingfence(args);
  }
  ProcessResult Start(std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {"start", plan()};
    args.insert(args.end(), extra.begin(), extra.end());
    return Rollout(args);
  }
  // `start`, killed by SIGKILL right after the journal records `state` (the nth time).
  ProcessResult StartKilledAt(const std::string& state, int nth = 1,
                              std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {"rollout", "--state", this->state(), "start", plan()};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunRingfenceKilledAt(state, nth, args);
  }
  std::string Id() const {
    auto r = Rollout({"status", "--format", "json"});
    REQUIRE(r.exit_code == 0);
    auto j = json::parse(r.out);
    REQUIRE(!j.empty());
    return j[0]["rollout"];
  }
  std::vector<json> Journal(const std::string& id) const {
    auto r = Rollout({"status", id, "--format", "json"});
    auto j = json::parse(r.out);
    return {j.begin(), j.end()};
  }
  std::vector<std::string> States(const std::string& id) const {
    std::vector<std::string> s;
    for (const auto& r : Journal(id)) s.push_back(r["state"]);
    return s;
  }
  // Pids of the sessions the registry holds now.
  std::vector<int> RegisteredPids() const {
    std::vector<int> pids;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(state() + "/sessions/process/sessions", ec)) {
      if (e.path().extension() != ".json") continue;
      std::ifstream in(e.path());
      json record = json::parse(in);
      pids.push_back(record.contains("process") ? record["process"].value("pid", -1) : -1);
    }
    return pids;
  }
  std::vector<std::string> Notifications() const {
    std::vector<std::string> kinds;
    for (const auto& b : receiver.bodies()) kinds.push_back(json::parse(b)["kind"]);
    return kinds;
  }

  LoopbackReceiver receiver;
  TempDir tmp;
};

bool Running(int pid) {
  if (pid <= 0 || kill(pid, 0) != 0) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  size_t paren = line.rfind(')');
  return paren == std::string::npos || line.substr(paren + 2, 1) != "Z";  // a zombie has ended
}

// The journal is a path through the state machine: every record may follow the one before it.
void CheckPath(const std::vector<json>& journal) {
  static const std::map<std::string, std::set<std::string>> kNext = {
      {"started", {"step", "awaiting_human"}},
      {"step", {"judged", "step", "awaiting_human", "promoted", "rollback"}},
      {"judged", {"judged", "step", "awaiting_human", "promoted", "rollback"}},
      {"awaiting_human", {"approved", "rollback"}},
      {"approved", {"step", "promoted"}},
      {"rollback", {"rollback_sessions", "escalated"}},
      {"rollback_sessions", {"verifying", "escalated"}},
      {"verifying", {"rolled_back", "escalated"}},
  };
  REQUIRE(!journal.empty());
  CHECK(journal.front()["state"] == "started");
  for (size_t i = 1; i < journal.size(); ++i) {
    std::string from = journal[i - 1]["state"], to = journal[i]["state"];
    INFO(from << " -> " << to);
    CHECK(journal[i]["seq"].get<int>() == journal[i - 1]["seq"].get<int>() + 1);
    auto it = kNext.find(from);
    REQUIRE(it != kNext.end());
    CHECK(it->second.count(to) == 1);
  }
}

int Count(const std::vector<std::string>& v, const std::string& s) {
  return static_cast<int>(std::count(v.begin(), v.end(), s));
}

}  // namespace

TEST_CASE("rollout: a bad candidate is detected, new sessions go back to the baseline, canary sessions end") {
  RolloutFixture f;
  auto r = f.Start({"--format", "json"});
  INFO(r.err);
  REQUIRE(r.exit_code == kRolledBack);
  auto report = json::parse(r.out);
  CHECK(report["outcome"] == "rolled back");
  CHECK(report["rollback_reason"].get<std::string>().find("errors failed the sequential judge") !=
        std::string::npos);
  // The candidate hurt its clients and the baseline kept serving: the load saw both.
  CHECK(report["load"]["2.0"]["errors"].get<int>() > 0);
  CHECK(report["load"]["1.0"]["requests"].get<int>() > report["load"]["2.0"]["requests"].get<int>());
  CHECK(report["load_route_failures"] == 0);  // every client found a session, from the first request on
  auto journal = f.Journal(f.Id());
  CheckPath(journal);
  CHECK(journal.back()["state"] == "rolled_back");
  CHECK(f.RegisteredPids().empty());  // no session left behind
  CHECK(f.Notifications() == std::vector<std::string>{"rollback"});
  auto audit = RunRingfence({"audit", "verify", "--state", f.state()});
  CHECK(audit.exit_code == 0);
  CHECK(audit.out.find("intact, " + std::to_string(journal.size()) + " entries") != std::string::npos);
}

TEST_CASE("rollout: a good candidate is promoted through every step") {
  RolloutFixture f(Good());
  auto r = f.Start();
  INFO(r.err);
  REQUIRE(r.exit_code == kPromoted);
  auto states = f.States(f.Id());
  CheckPath(f.Journal(f.Id()));
  CHECK(Count(states, "step") == 2);
  CHECK(Count(states, "judged") >= 3);  // every 250 ms through a 1.5 s bake
  CHECK(states.back() == "promoted");
  CHECK(f.Notifications() == std::vector<std::string>{"promoted"});
  CHECK(f.RegisteredPids().empty());
}

TEST_CASE("rollout: the gate's constraints make the last step wait for a human, who promotes") {
  RolloutFixture f(Good());
  TempDir tmp;
  WriteFile(tmp.path() + "/verdict.json",
            R"({"decision": "needs_approval", "rollout_constraints": {"human_promotion": true}})");
  auto r = f.Start({"--verdict", tmp.path() + "/verdict.json"});
  INFO(r.err);
  REQUIRE(r.exit_code == kAwaitingHuman);
  std::string id = f.Id();
  CHECK(f.States(id).back() == "awaiting_human");
  CHECK(f.Rollout({"status", id}).exit_code == kAwaitingHuman);
  CHECK(r.err.find("waiting for a human before step 2: the gate requires a human to promote") !=
        std::string::npos);
  CHECK(f.Rollout({"promote", id}).exit_code == kInvalid);  // --by is required
  // The report prints the commands that decide it; the promote command runs as printed.
  std::string prefix = "  promote: ringfence ";
  size_t at = r.out.find(prefix);
  REQUIRE(at != std::string::npos);
  CHECK(r.out.find("  abort:   ringfence rollout abort " + id + " --by NAME --state " + f.state()) !=
        std::string::npos);
  std::string printed = r.out.substr(at + prefix.size(), r.out.find('\n', at) - at - prefix.size());
  std::vector<std::string> words;
  for (size_t pos = 0; pos < printed.size();) {
    size_t end = printed.find(' ', pos);
    if (end == std::string::npos) end = printed.size();
    std::string w = printed.substr(pos, end - pos);
    words.push_back(w == "NAME" ? "alice" : w);
    pos = end + 1;
  }
  auto promoted = RunRingfence(words);
  INFO(promoted.err);
  CHECK(promoted.exit_code == kPromoted);
  auto journal = f.Journal(id);
  CheckPath(journal);
  auto approved =
      std::find_if(journal.begin(), journal.end(), [](const json& r) { return r["state"] == "approved"; });
  REQUIRE(approved != journal.end());
  CHECK((*approved)["evidence"]["by"] == "alice");
  CHECK(f.Rollout({"promote", id, "--by", "alice"}).exit_code == kInvalid);  // nothing waits any more
}

TEST_CASE("rollout: a human aborts a rollout and it rolls back") {
  Knobs k = Good();
  k.steps = "  - {weight: 25, bake: 60s}\n  - {weight: 100, bake: 0s}\n";
  RolloutFixture f(k);
  REQUIRE(f.StartKilledAt("judged").exit_code == kKilled);  // the orchestrator dies mid-bake
  std::string id = f.Id();
  auto aborted = f.Rollout({"abort", id, "--by", "bob", "--reason", "customer report"});
  INFO(aborted.err);
  CHECK(aborted.exit_code == kRolledBack);
  auto journal = f.Journal(id);
  CheckPath(journal);
  CHECK(journal.back()["state"] == "rolled_back");
  bool found = false;
  for (const auto& r : journal) {
    found =
        found || (r["state"] == "rollback" && r["evidence"]["reason"] == "aborted by bob: customer report");
  }
  CHECK(found);
  CHECK(f.RegisteredPids().empty());
}

TEST_CASE("rollout: SIGKILL after each transition of a rollback, then resume: nothing lost, nothing leaked") {
  for (const char* at :
       {"started", "step", "judged", "rollback", "rollback_sessions", "verifying", "rolled_back"}) {
    DYNAMIC_SECTION("killed after " << at) {
      RolloutFixture f;
      auto killed = f.StartKilledAt(at);
      INFO(killed.err);
      REQUIRE(killed.exit_code == kKilled);
      std::string id = f.Id();
      CHECK(f.States(id).back() == at);
      auto orphans = f.RegisteredPids();
      auto resumed = f.Rollout({"resume", id});
      INFO(resumed.err);
      CHECK(resumed.exit_code == kRolledBack);
      auto journal = f.Journal(id);
      CheckPath(journal);
      auto states = f.States(id);
      for (const char* once : {"started", "rollback", "rollback_sessions", "verifying", "rolled_back"}) {
        CHECK(Count(states, once) == 1);
      }
      CHECK(Count(states, "step") == 1);
      for (int pid : orphans) CHECK_FALSE(Running(pid));
      CHECK(f.RegisteredPids().empty());
      // The record the killed process journaled but never audited is in the audit log now.
      CHECK(RunRingfence({"audit", "verify", "--state", f.state()}).exit_code == 0);
      // Resuming a finished rollout changes nothing.
      CHECK(f.Rollout({"resume", id}).exit_code == kRolledBack);
      CHECK(f.States(id).size() == states.size());
    }
  }
}

TEST_CASE("rollout: SIGKILL after each transition of a promotion, then resume: every step still runs") {
  for (auto [at, nth] : std::vector<std::pair<const char*, int>>{
           {"started", 1}, {"step", 1}, {"judged", 2}, {"step", 2}, {"promoted", 1}}) {
    DYNAMIC_SECTION("killed after " << at << " #" << nth) {
      RolloutFixture f(Good());
      auto killed = f.StartKilledAt(at, nth);
      INFO(killed.err);
      REQUIRE(killed.exit_code == kKilled);
      std::string id = f.Id();
      auto orphans = f.RegisteredPids();
      auto resumed = f.Rollout({"resume", id});
      INFO(resumed.err);
      INFO("last record: " << f.Journal(id).back().dump());
      CHECK(resumed.exit_code == kPromoted);
      CheckPath(f.Journal(id));
      auto states = f.States(id);
      CHECK(Count(states, "step") == 2);
      CHECK(Count(states, "promoted") == 1);
      for (int pid : orphans) CHECK_FALSE(Running(pid));
      CHECK(f.RegisteredPids().empty());
      CHECK(RunRingfence({"audit", "verify", "--state", f.state()}).exit_code == 0);
    }
  }
}

TEST_CASE("rollout: an unverifiable rollback escalates and freezes the service until a human clears it") {
  RolloutFixture f;
  REQUIRE(f.StartKilledAt("rollback").exit_code == kKilled);
  std::string id = f.Id();
  // While the orchestrator is down, the baseline image changes: its digest no longer matches, so
  // the rollback cannot prove the baseline still starts.
  WriteFile(f.tmp.path() + "/base/extra.txt", "changed\n");
  auto resumed = f.Rollout({"resume", id});
  INFO(resumed.err);
  CHECK(resumed.exit_code == kEscalated);
  CHECK(f.States(id).back() == "escalated");
  CHECK(f.Journal(id).back()["evidence"]["reason"].get<std::string>().find("changed since it was planned") !=
        std::string::npos);
  CHECK(f.Notifications() == std::vector<std::string>{"escalation"});
  CHECK(f.RegisteredPids().empty());

  auto frozen = f.Start();
  CHECK(frozen.exit_code == kFrozen);
  CHECK(frozen.err.find("automated rollouts of svc are frozen") != std::string::npos);
  CHECK(f.Rollout({"unfreeze", "svc"}).exit_code == kInvalid);  // --by is required
  auto cleared = f.Rollout({"unfreeze", "svc", "--by", "carol", "--reason", "image restored"});
  CHECK(cleared.exit_code == 0);
  fs::remove(f.tmp.path() + "/base/extra.txt");
  CHECK(f.Start().exit_code == kRolledBack);  // automated rollouts run again
  CHECK(RunRingfence({"audit", "verify", "--state", f.state()}).exit_code == 0);
}

TEST_CASE("rollout: the audit log detects an edited, a removed and a truncated entry") {
  RolloutFixture f;
  REQUIRE(f.Start().exit_code == kRolledBack);
  std::string path = f.state() + "/audit.log";
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  REQUIRE(lines.size() >= 6);
  auto write = [&](const std::vector<std::string>& ls) {
    std::string text;
    for (const auto& l : ls) text += l + "\n";
    WriteFile(path, text);
  };
  auto verify = [&] { return RunRingfence({"audit", "verify", "--state", f.state()}); };

  auto edited = lines;
  size_t at = edited[3].find("\"state\":\"");
  REQUIRE(at != std::string::npos);
  edited[3].replace(at, 9, "\"state\":\"x");
  write(edited);
  auto r = verify();
  CHECK(r.exit_code == kRolledBack);
  CHECK(r.err.find("audit.log:4: its hash does not match its content (edited)") != std::string::npos);

  auto removed = lines;
  removed.erase(removed.begin() + 2);
  write(removed);
  r = verify();
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("audit.log:3:") != std::string::npos);

  auto truncated = lines;
  truncated.resize(lines.size() - 2);
  write(truncated);
  r = verify();
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("the log was cut short") != std::string::npos);

  write(lines);
  CHECK(verify().exit_code == 0);
}

TEST_CASE("rollout: a bad plan or image is rejected with its position, and nothing starts") {
  RolloutFixture f;
  WriteFile(f.plan(),
            "apiVersion: ringfence/v1\nkind: RolloutPlan\nservice: svc\nbackend: process\n"
            "baseline: {image: base}\ncandidate: {image: cand}\nsteps:\n  - {weight: 100, bake: soon}\n"
            "analysis: {metrics: [{name: errors, judge: {type: count}}]}\n");
  auto r = f.Start();
  CHECK(r.exit_code == kInvalid);
  CHECK(r.err.find("plan.yaml:8:25: bake must be a duration") != std::string::npos);
  WriteFile(f.plan(),
            "apiVersion: ringfence/v1\nkind: RolloutPlan\nservice: svc\nbackend: process\n"
            "baseline: {image: base}\ncandidate: {image: nowhere}\nsteps: [{weight: 100, bake: 0s}]\n"
            "judgement: none\nanalysis: {metrics: [{name: errors, judge: {type: count}}]}\n");
  r = f.Start();
  CHECK(r.exit_code == kInvalid);
  CHECK(r.err.find("nowhere is not an image") != std::string::npos);
  CHECK(f.Rollout({"status"}).out.find("no rollouts") != std::string::npos);
  // A rollback the orchestrator could not carry out is refused before anything starts.
  RolloutFixture restore(
      Knobs{0.05, 0.5, "  - {weight: 25, bake: 1s}\n  - {weight: 100, bake: 0s}\n", "", ""});
  std::string text = *ringfence::ReadWholeFile(restore.plan());
  text.replace(text.find("sessions: drain"), 15, "sessions: restore");
  WriteFile(restore.plan(), text);
  r = restore.Start();
  CHECK(r.exit_code == kInvalid);
  CHECK(r.err.find("rollback.sessions: restore needs a backend that snapshots sessions; process cannot") !=
        std::string::npos);
  text.replace(text.find("sessions: restore"), 17, "sessions: drain");
  text.replace(text.find("warm_window: "), 13, "park_after: 100ms, warm_window: ");
  WriteFile(restore.plan(), text);
  r = restore.Start();
  CHECK(r.exit_code == kInvalid);
  CHECK(r.err.find("sessions.park_after needs a backend that snapshots sessions; process cannot") !=
        std::string::npos);
}

TEST_CASE("rollout: the gate's constraints survive a crash: the resumed rollout still waits for a human") {
  RolloutFixture f(Good());
  TempDir tmp;
  WriteFile(tmp.path() + "/verdict.json",
            R"({"rollout_constraints": {"human_promotion": true, "max_canary_weight": 50}})");
  REQUIRE(f.StartKilledAt("step", 1, {"--verdict", tmp.path() + "/verdict.json"}).exit_code == kKilled);
  std::string id = f.Id();
  auto resumed = f.Rollout({"resume", id});
  INFO(resumed.err);
  CHECK(resumed.exit_code == kAwaitingHuman);
  auto journal = f.Journal(id);
  CHECK(journal.front()["evidence"]["gate_constraints"]["human_promotion"] == true);
  CHECK(journal.back()["evidence"]["reason"] == "the gate requires a human to promote to 100%");
}

TEST_CASE("rollout: a signed webhook needs its secret before anything starts, and signs every notification") {
  Knobs k;
  k.notify = ", secret_env: RINGFENCE_TEST_HOOK_SECRET";
  RolloutFixture r(k);
  unsetenv("RINGFENCE_TEST_HOOK_SECRET");
  auto refused = r.Start({"--no-load"});
  CHECK(refused.exit_code == 4);
  CHECK(refused.err.find("$RINGFENCE_TEST_HOOK_SECRET is not set") != std::string::npos);
  CHECK(r.Rollout({"status", "--format", "json"}).out == "[]\n");  // nothing was started
  setenv("RINGFENCE_TEST_HOOK_SECRET", "k3y", 1);
  auto run = r.Start();
  unsetenv("RINGFENCE_TEST_HOOK_SECRET");
  INFO(run.err);
  REQUIRE(run.exit_code == 1);  // the bad candidate is rolled back
  auto bodies = r.receiver.bodies();
  auto headers = r.receiver.headers();
  REQUIRE(!bodies.empty());
  for (size_t i = 0; i < bodies.size(); ++i) {
    auto sig = headers[i].find("X-Ringfence-Signature-256");
    REQUIRE(sig != headers[i].end());
    auto verify =
        RunProcess({RINGFENCE_PYTHON, "-c",
                    "import hmac,hashlib,sys\n"
                    "sys.exit(0 if hmac.compare_digest('sha256='+hmac.new(b'k3y',sys.argv[1].encode(),"
                    "hashlib.sha256).hexdigest(), sys.argv[2]) else 1)\n",
                    bodies[i], sig->second});
    CHECK(verify.exit_code == 0);
  }
  CHECK(json::parse(bodies.back())["kind"] == "rollback");
}

TEST_CASE("rollout: the orchestrator's metrics come from the journals, in a format promtool accepts") {
  RolloutFixture f;  // a bad candidate: rolled back
  REQUIRE(f.Start().exit_code == kRolledBack);
  std::string textfile = f.state() + "/../ringfence.prom";
  auto m = f.Rollout({"metrics", "--textfile", textfile});
  REQUIRE(m.exit_code == 0);
  std::string text = Slurp(textfile);
  CHECK(f.Rollout({"metrics"}).out == text);
  auto lint = RunProcess({"sh", "-c", "promtool check metrics < \"$1\"", "_", textfile});
  INFO(lint.out << lint.err);
  CHECK(lint.exit_code == 0);
  CHECK(text.find("ringfence_rollouts{service=\"svc\",state=\"rolled_back\"} 1\n") != std::string::npos);
  CHECK(text.find("ringfence_rollout_rollbacks_total{service=\"svc\"} 1\n") != std::string::npos);
  CHECK(text.find("ringfence_rollout_judgements_total{decision=\"fail\",service=\"svc\"} 1\n") !=
        std::string::npos);
  CHECK(text.find("ringfence_rollout_decision_seconds_count{service=\"svc\"} 1\n") != std::string::npos);
  CHECK(text.find("ringfence_rollout_promotions_total") == std::string::npos);  // nothing was promoted
  // No state directory yet: empty metrics, not an error (a textfile collector runs before any rollout).
  TempDir none;
  auto empty = RunRingfence({"rollout", "metrics", "--state", none.path() + "/absent"});
  CHECK(empty.exit_code == 0);
  CHECK_FALSE(fs::exists(none.path() + "/absent"));  // read-only: creates nothing
}

TEST_CASE(
    "rollout: status --watch follows a running rollout record by record until it ends, and exits as status") {
  RolloutFixture f(Good());
  BackgroundProcess driver({RINGFENCE_BINARY, "rollout", "--state", f.state(), "start", f.plan()},
                           f.tmp.path() + "/driver.log");
  std::string id;
  for (int i = 0; i < 200 && id.empty(); ++i) {
    auto listed = f.Rollout({"status", "--format", "json"});
    if (listed.exit_code == 0 && !json::parse(listed.out).empty()) id = json::parse(listed.out)[0]["rollout"];
    if (id.empty()) usleep(50'000);
  }
  REQUIRE(!id.empty());
  auto watched = f.Rollout({"status", id, "--watch", "--interval", "100ms", "--format", "json"});
  INFO(watched.out << watched.err);
  CHECK(watched.exit_code == kPromoted);
  std::vector<json> lines;
  std::istringstream in(watched.out);
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
  auto journal = f.Journal(id);
  REQUIRE(lines.size() == journal.size());  // every record once, none twice
  for (size_t i = 0; i < lines.size(); ++i) CHECK(lines[i]["seq"] == journal[i]["seq"]);
  CHECK(lines.back()["state"] == "promoted");
  // The driver ends its sessions after the last record: it exits by itself, as promoted.
  CHECK(driver.Wait(60'000) == kPromoted);
  CHECK(f.RegisteredPids().empty());
  // As text, on a finished rollout it prints the journal and ends at once; without an id it refuses.
  auto text = f.Rollout({"status", id, "--watch"});
  CHECK(text.exit_code == kPromoted);
  CHECK(text.out.find("promoted: all new sessions run the candidate") != std::string::npos);
  CHECK(f.Rollout({"status", "--watch"}).exit_code == kInvalid);
  CHECK(f.Rollout({"status", id, "--watch", "--interval", "0s"}).exit_code == kInvalid);
}

TEST_CASE("rollout: --quiet prints nothing and the exit code tells, --color always paints the outcome") {
  RolloutFixture f(Good());
  auto r = RunRingfence({"rollout", "start", f.plan(), "--state", f.state(), "--quiet"});
  CHECK(r.exit_code == kPromoted);
  CHECK(r.out.empty());
  CHECK(r.err.empty());
  std::string id = f.Id();
  CHECK(f.States(id).back() == "promoted");  // the journal has every record all the same
  auto plain = f.Rollout({"status", id});
  CHECK(plain.out.find("\033[") == std::string::npos);  // not a terminal: no colour by default
  auto painted = f.Rollout({"status", id, "--color", "always"});
  CHECK(painted.out.find("\033[32m#") != std::string::npos);
  CHECK(f.Rollout({"status", id, "--color", "never"}).out == plain.out);
  CHECK(f.Rollout({"status", id, "--color", "sometimes"}).exit_code == kInvalid);
}

// The qemu backend on real micro VMs (QEMU microvm under TCG here): boot, pause, resume, snapshot
// and restore with the session's state carried over, and a bad candidate detected and reverted by
// a rollout end to end. At most 3 guests at once. Skipped, with a message, where qemu is absent.
#include <httplib.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "adapters/backends/qemu/qemu_backend.h"
#include "adapters/backends/qemu/qmp.h"
#include "adapters/common/child_process.h"
#include "adapters/common/content_digest.h"
#include "adapters/common/files.h"
#include "adapters/common/system_clock.h"
#include "engine/fleet/drift.h"
#include "engine/rollout/image_manifest.h"
#include "engine/rollout/router.h"
#include "tests/support/git_fixture.h"
#include "tests/support/manual_clock.h"
#include "tests/support/run_process.h"

using namespace ringfence;
using namespace ringfence::testing;
namespace fs = std::filesystem;

namespace {

const std::string kGuest = RINGFENCE_GUEST_DIR;

bool QemuPresent() {
  for (const char* dir : {"/usr/bin", "/usr/local/bin"}) {
    if (fs::exists(std::string(dir) + "/qemu-system-x86_64")) return true;
  }
  return false;
}

// False, with a warning, where qemu is not installed; where it is, the guest must have been built
// (by the qemu-guest fixture, `ringfence image build examples/guest`).
bool QemuAvailable() {
  if (!QemuPresent()) {
    WARN("skipped: qemu-system-x86_64 is not installed (scripts/install-deps.sh installs it)");
    return false;
  }
  REQUIRE(fs::exists(kGuest + "/vmlinux"));
  REQUIRE(fs::exists(kGuest + "/initrd.cpio.gz"));
  return true;
}

// `more`: further guest arguments, as JSON list items (e.g. `, "--seed", "1"`).
ImageRef Image(const std::string& root, const std::string& version, const std::string& error_rate,
               const std::string& more = "") {
  WriteFile(root + "/" + version + "/manifest.yaml",
            "apiVersion: ringfence/v1\nkind: Image\nversion: \"" + version +
                "\"\nentrypoint: [\"@workload\", \"--version\", \"" + version + "\", \"--error-rate\", \"" +
                error_rate + "\"" + more + "]\n");
  auto image = backends::LoadImage(root + "/" + version);
  REQUIRE(image.ok());
  return *image;
}

double Requests(const SessionInfo& s) {
  httplib::Client c(s.endpoint);
  c.set_read_timeout(std::chrono::seconds(3));
  auto res = c.Get("/metrics");
  REQUIRE(res);
  double total = 0;
  std::istringstream in(res->body);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("workload_requests_total{", 0) == 0) total += std::stod(line.substr(line.rfind(' ') + 1));
  }
  return total;
}

// A plan of baseline 1.0 and candidate 2.0 on micro VMs, at 50% for BAKE then 100%, judged on
// errors by the sequential judge every INTERVAL; SESSIONS and LOAD are flow maps, MORE extra keys.
std::string VmPlan(const std::string& sessions, const std::string& bake, const std::string& load,
                   const std::string& interval, const std::string& alpha, const std::string& more = "") {
  return "apiVersion: ringfence/v1\nkind: RolloutPlan\nservice: vmsvc\nbackend: qemu\n"
         "baseline: {image: \"1.0\"}\ncandidate: {image: \"2.0\"}\nsessions: " +
         sessions + "\nsteps:\n  - {weight: 50, bake: " + bake +
         "}\n  - {weight: 100, bake: 0s}\nload: " + load + "\nanalysis:\n  interval: " + interval +
         "\n  metrics:\n    - {name: errors, judge: {type: sequential, alpha: " + alpha +
         ", min_events: 5}}\n" + more + "qemu: {kernel: " + kGuest + "/vmlinux, initrd: " + kGuest +
         "/initrd.cpio.gz}\n";
}

// Baseline 1.0 (2% errors) and candidate 2.0 (60%), a plan at 50% on micro VMs, driven by one
// client opening session after session; returns the rollout's JSON report (exit 1 required).
nlohmann::json RollBack(const TempDir& tmp, int requests_per_session, const std::string& rollback) {
  Image(tmp.path(), "1.0", "0.02");
  Image(tmp.path(), "2.0", "0.6");
  WriteFile(tmp.path() + "/plan.yaml",
            VmPlan("{warm_window: 1s}", "120s",
                   "{clients: 1, requests_per_session: " + std::to_string(requests_per_session) +
                       ", think: 50ms, returning: 0}",
                   "2s", "0.01", "rollback: {sessions: " + rollback + ", verify_for: 2s}\n"));
  auto r = RunRingfence(
      {"rollout", "--state", tmp.path() + "/state", "start", tmp.path() + "/plan.yaml", "--format", "json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 1);  // rolled back
  return nlohmann::json::parse(r.out);
}

backends::QemuOptions Options(const TempDir& tmp) {
  backends::QemuOptions o;
  o.state_dir = tmp.path() + "/state";
  o.kernel = kGuest + "/vmlinux";
  o.initrd = kGuest + "/initrd.cpio.gz";
  return o;
}

std::string ReadFile(const std::string& path) {
  auto text = ReadWholeFile(path);
  REQUIRE(text.ok());
  return *text;
}

// Whether the session's QEMU was started from a snapshot (-incoming) rather than booted.
bool StartedFromSnapshot(const std::string& state_dir, const std::string& id) {
  auto reg = nlohmann::json::parse(ReadFile(state_dir + "/vms/" + id + ".json"));
  std::ifstream proc("/proc/" + std::to_string(reg["process"]["pid"].get<int>()) +
                     "/cmdline");  // size 0: read it whole
  std::string cmdline((std::istreambuf_iterator<char>(proc)), std::istreambuf_iterator<char>());
  REQUIRE_FALSE(cmdline.empty());
  return cmdline.find(std::string("-incoming\0", 10)) != std::string::npos;
}

// The status codes of `n` requests, in order ("2" or "5" each).
std::string Statuses(const SessionInfo& s, int n) {
  httplib::Client c(s.endpoint);
  c.set_read_timeout(std::chrono::seconds(3));
  std::string out;
  for (int i = 0; i < n; ++i) {
    auto res = c.Get("/");
    REQUIRE(res);
    out += std::to_string(res->status / 100);
  }
  return out;
}

size_t Files(const std::string& dir, const std::string& extension) {
  if (!fs::exists(dir)) return 0;
  return std::count_if(fs::directory_iterator(dir), fs::directory_iterator(),
                       [&](const fs::directory_entry& e) { return e.path().extension() == extension; });
}

bool VmsLeft(const TempDir& tmp) { return Files(tmp.path() + "/state/sessions/qemu/vms", ".json") > 0; }

}  // namespace

TEST_CASE("qemu: a micro VM boots, pauses, resumes, and its snapshot restores with its state") {
  if (!QemuAvailable()) return;
  TempDir tmp;
  backends::QemuOptions o = Options(tmp);
  o.launch_from_template = false;
  backends::QemuBackend qemu(o);
  auto s = qemu.Launch("s1", Image(tmp.path(), "1.0", "0"));
  INFO((s.ok() ? "" : s.error().message));
  REQUIRE(s.ok());
  CHECK(*qemu.Healthy("s1"));
  httplib::Client c(s->endpoint);
  for (int i = 0; i < 5; ++i) REQUIRE(c.Get("/"));
  CHECK(Requests(*s) == 5);

  REQUIRE(qemu.Pause("s1").ok());
  CHECK_FALSE(*qemu.Healthy("s1"));  // paused: connects, never answers
  REQUIRE(qemu.Resume("s1").ok());
  CHECK(*qemu.Healthy("s1"));

  std::string snap = tmp.path() + "/warm.zst";
  REQUIRE(qemu.Snapshot("s1", snap).ok());
  CHECK(fs::file_size(snap) > 1'000'000);
  CHECK(*qemu.Healthy("s1"));  // the original carries on
  auto r = qemu.Restore("s2", snap);
  INFO((r.ok() ? "" : r.error().message));
  REQUIRE(r.ok());
  CHECK(r->version == "1.0");
  CHECK(Requests(*r) == 5);  // the restored session remembers its requests

  auto listed = qemu.List();
  REQUIRE(listed->size() == 2);
  backends::QemuBackend later(o);  // a resumed orchestrator finds both and ends them
  REQUIRE(later.List()->size() == 2);
  REQUIRE(later.TerminateAll().ok());
  CHECK(later.List()->empty());
  CHECK_FALSE(qemu.Restore("s3", tmp.path() + "/none.zst").ok());
}

TEST_CASE("qemu: a rollout with a bad candidate on micro VMs is detected and reverted automatically") {
  if (!QemuAvailable()) return;
  TempDir tmp;
  // One client opening session after session (a micro VM each, ended a second after its client
  // is done): at 50% they alternate between the versions; with the verification probe at most
  // three micro VMs run at once.
  auto report = RollBack(tmp, 30, "terminate");
  CHECK(report["outcome"] == "rolled back");
  CHECK(report["rollback_reason"].get<std::string>().find("errors failed the sequential judge") !=
        std::string::npos);
  CHECK(report["load"]["2.0"]["errors"].get<int>() > 0);
  CHECK_FALSE(VmsLeft(tmp));  // no micro VM is left running
  // Each version booted cold once; its later sessions started from its template snapshot.
  CHECK(Files(tmp.path() + "/state/sessions/qemu/templates", ".zst") == 2);
}

TEST_CASE("qemu: a rollback moves the canary's clients onto baseline sessions restored from a snapshot") {
  if (!QemuAvailable()) return;
  TempDir tmp;
  // One client, long sessions: the first starts on the baseline (before the first step), the
  // second lands on the candidate and is still busy when the judge fails it, so on rollback its
  // client continues on a baseline session restored from a snapshot instead of a cold boot.
  auto report = RollBack(tmp, 150, "restore");
  int restored = -1;
  for (const auto& rec : report["journal"]) {
    if (rec["state"] == "verifying") restored = rec["evidence"].value("restored", -1);
  }
  // The restore path ran: 1 when the canary's client was still busy at the decision (the usual
  // case), 0 when its session had just ended.
  CHECK(restored >= 0);
  CHECK(restored <= 1);
  CHECK_FALSE(VmsLeft(tmp));
}

TEST_CASE("qemu: new sessions start from the image's template snapshot, each with its own random draw") {
  if (!QemuAvailable()) return;
  TempDir tmp;
  auto o = Options(tmp);
  backends::QemuBackend qemu(o);
  ImageRef image = Image(tmp.path(), "1.0", "0.5");
  auto first = qemu.Launch("s1", image);
  INFO((first.ok() ? "" : first.error().message));
  REQUIRE(first.ok());
  CHECK_FALSE(StartedFromSnapshot(o.state_dir, "s1"));    // the image's first session boots cold...
  CHECK(Files(o.state_dir + "/templates", ".zst") == 1);  // ...and becomes its template
  auto second = qemu.Launch("s2", image);
  INFO((second.ok() ? "" : second.error().message));
  REQUIRE(second.ok());
  CHECK(StartedFromSnapshot(o.state_dir, "s2"));  // later ones restore it
  CHECK(second->version == "1.0");
  CHECK(Requests(*second) == 0);  // the template served no client request

  // Both guests came out of one memory image; the reseed on restore keeps them from erring in
  // lockstep (without it these two strings are equal). 2^-64 to fail by chance.
  std::string a = Statuses(*first, 64), b = Statuses(*second, 64);
  CHECK(a != b);
  auto errors = std::count(b.begin(), b.end(), '5');
  CHECK(errors > 10);  // still the image's 50% error rate
  CHECK(errors < 54);
  CHECK(Requests(*second) == 64);

  REQUIRE(qemu.TerminateAll().ok());  // (another version gets its own template: the rollout test below)

  // A damaged template is dropped and the session boots cold instead.
  std::string damaged;
  for (const auto& e : fs::directory_iterator(o.state_dir + "/templates")) {
    if (e.path().extension() == ".zst") damaged = e.path().string();
  }
  WriteFile(damaged, "not a snapshot");
  backends::QemuBackend later(o);
  auto fresh = later.Launch("s4", image);
  INFO((fresh.ok() ? "" : fresh.error().message));
  REQUIRE(fresh.ok());
  CHECK_FALSE(StartedFromSnapshot(o.state_dir, "s4"));
  CHECK(*later.Healthy("s4"));
  CHECK(fs::file_size(damaged) > 1'000'000);  // and the template is taken again
  REQUIRE(later.TerminateAll().ok());
}

TEST_CASE("qemu: an idle session is parked to disk and its returning client finds it with its state") {
  if (!QemuAvailable()) return;
  TempDir tmp;
  auto o = Options(tmp);
  ImageRef base = Image(tmp.path(), "1.0", "0"), cand = Image(tmp.path(), "2.0", "0");
  testing::ManualClock clock;
  std::string id;
  ProcessHandle proc;
  {
    backends::QemuBackend qemu(o);
    Router router(qemu, clock, "p1");
    router.SetImages(base, cand);
    REQUIRE(router.SetWeight(0).ok());
    auto s = router.Route("alice");
    INFO((s.ok() ? "" : s.error().message));
    REQUIRE(s.ok());
    id = s->id;
    CHECK(Statuses(*s, 3) == "222");
    router.Touch("alice");
    proc = ProcessHandle::FromJson(
        nlohmann::json::parse(ReadFile(o.state_dir + "/vms/" + id + ".json"))["process"]);
    REQUIRE(proc.pid > 1);

    clock.Advance(2000);
    auto expired = router.Expire({60'000, 1000, 1000});
    REQUIRE(expired.parked == std::vector<std::string>{id});
    CHECK(expired.ended.empty());
    CHECK(ProcessEnded(proc));  // its QEMU is gone: a parked session costs no memory
    CHECK(Files(o.state_dir + "/parked", ".zst") == 1);
    auto listed = qemu.List();
    REQUIRE(listed->size() == 1);
    CHECK(listed->front().state == SessionState::kParked);
    CHECK_FALSE(*qemu.Healthy(id));
    CHECK_FALSE(qemu.Pause(id).ok());  // parked: nothing to pause
  }                                    // the orchestrator's process ends; the parked session stays on disk

  backends::QemuBackend qemu(o);
  Router router(qemu, clock, "p1");
  router.SetImages(base, cand);
  REQUIRE(router.Adopt().ok());
  auto back = router.Route("alice");  // the client returns: its session is restored, not relaunched
  INFO((back.ok() ? "" : back.error().message));
  REQUIRE(back.ok());
  CHECK(back->id == id);
  CHECK(back->state == SessionState::kRunning);
  CHECK(Requests(*back) == 3);  // its state carried on through the park
  CHECK(StartedFromSnapshot(o.state_dir, id));
  CHECK(Files(o.state_dir + "/parked", ".zst") == 0);  // the parked snapshot is gone once unparked

  // Parked sessions past the warm window end with their snapshot.
  router.Touch("alice");
  clock.Advance(2000);
  REQUIRE(router.Expire({60'000, 1000, 1000}).parked.size() == 1);
  clock.Advance(60'000);
  CHECK(router.Expire({60'000, 1000, 1000}).ended == std::vector<std::string>{id});
  CHECK(qemu.List()->empty());
  CHECK(Files(o.state_dir + "/parked", ".zst") == 0);
}

TEST_CASE("qemu: during a rollout idle sessions are parked and their returning clients unparked") {
  if (!QemuAvailable()) return;
  TempDir tmp;
  Image(tmp.path(), "1.0", "0.2");  // the same error rate: the sequential judge needs events to pass
  Image(tmp.path(), "2.0", "0.2");
  // One client thread: most client sessions return to one of its earlier clients, whose session
  // has been idle long enough to be parked by then; so at most ~3 micro VMs run at once.
  WriteFile(tmp.path() + "/plan.yaml",
            VmPlan("{warm_window: 60s, park_after: 300ms}", "20s",
                   "{clients: 1, requests_per_session: 4, think: 50ms, returning: 0.7}", "500ms", "0.001"));
  // Parking is observed on disk while the rollout runs (the backend's parked images), not only at
  // judgements: on a slow machine a judgement may never coincide with a parked session.
  std::atomic<bool> running{true}, saw_parked{false};
  std::thread watcher([&] {
    std::string dir = tmp.path() + "/state/sessions/qemu/parked";
    while (running && !saw_parked) {
      std::error_code ec;
      for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec))
        if (it->path().extension() == ".zst") saw_parked = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  auto r = RunRingfence(
      {"rollout", "--state", tmp.path() + "/state", "start", tmp.path() + "/plan.yaml", "--format", "json"});
  running = false;
  watcher.join();
  INFO(r.err);
  REQUIRE(r.exit_code == 0);  // promoted
  auto report = nlohmann::json::parse(r.out);
  int most_parked = 0;
  for (const auto& rec : report["journal"]) {
    if (rec["state"] == "judged")
      most_parked = std::max(most_parked, rec["evidence"].value("parked_sessions", 0));
  }
  CHECK((saw_parked || most_parked >= 1));  // sessions were parked while the canary baked
  // Returning clients found their sessions (unparked) and no request hit a session being parked.
  INFO(report.value("load_last_route_error", ""));
  CHECK(report["load_route_failures"].get<int>() == 0);
  for (const char* v : {"1.0", "2.0"}) {
    INFO(v);
    CHECK(report["load"][v]["failures"].get<int>() == 0);
    CHECK(report["load"][v]["requests"].get<int>() > 0);
  }
  CHECK_FALSE(VmsLeft(tmp));
  CHECK(Files(tmp.path() + "/state/sessions/qemu/parked", ".zst") == 0);
}

TEST_CASE("qemu: a guest measures the root file system its initrd unpacked, and a change in place is drift") {
  if (!QemuAvailable()) return;
  TempDir tmp;
  backends::QemuOptions o = Options(tmp);
  o.launch_from_template = false;
  auto built = ParseImageManifest(ReadFile(kGuest + "/manifest.yaml"), kGuest + "/manifest.yaml");
  REQUIRE(built.ok());
  REQUIRE_FALSE(built->guest_root.empty());  // written by `ringfence image build`
  backends::QemuBackend qemu(o);
  auto steady = qemu.Launch("steady", Image(tmp.path(), "1.0", "0"));
  auto changing =
      qemu.Launch("changing", Image(tmp.path(), "1.1", "0", ", \"--change-image-after-seconds\", \"4\""));
  INFO((steady.ok() ? "" : steady.error().message) << (changing.ok() ? "" : changing.error().message));
  REQUIRE(steady.ok());
  REQUIRE(changing.ok());
  CHECK(steady->content_digest == built->guest_root);
  CHECK(steady->executable_digest == DigestFile(kGuest + "/bin/ringfence-workload"));

  auto first = qemu.Measure("changing");
  INFO((first.ok() ? "" : first.error().message));
  REQUIRE(first.ok());
  CHECK(first->image == built->guest_root);  // what the guest reads of itself equals what was built
  CHECK(first->executable == changing->executable_digest);
  std::string later;
  for (int i = 0; i < 100 && (later.empty() || later == built->guest_root); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    auto m = qemu.Measure("changing");
    REQUIRE(m.ok());
    later = m->image;
  }
  CHECK_FALSE(later.empty());
  CHECK(later != built->guest_root);  // a file added inside the guest changes its measurement

  FleetInventory fleet;
  for (const auto& info : {*steady, *changing}) {
    FleetSession fs;
    fs.backend = "qemu";
    fs.session = info;
    fs.session.state = SessionState::kRunning;
    fs.rollout_id = "vm-1";
    fs.service = "vmsvc";
    auto m = qemu.Measure(info.id);
    REQUIRE(m.ok());
    fs.measurement = *m;
    fleet.sessions.push_back(fs);
  }
  ServiceImages current;
  current.service = "vmsvc";
  current.rollout_id = "vm-1";
  current.current = {{"1.0", steady->image_digest, ""}, {"1.1", changing->image_digest, ""}};
  auto report = AssessDrift(fleet, {{"vmsvc", current}}, {}, {}, UnixNowMs());
  REQUIRE(report.drifted.size() == 1);
  CHECK(fleet.sessions[report.drifted[0].index].session.id == "changing");
  REQUIRE(report.drifted[0].findings.size() == 1);
  CHECK(report.drifted[0].findings[0].reason == DriftReason::kMeasurementDiffers);
  REQUIRE(qemu.TerminateAll().ok());
}

TEST_CASE(
    "qemu: a guest image whose manifest is a symlink gives sessions that are unmeasured, not unchanged") {
  if (!QemuAvailable()) return;
  TempDir tmp;
  // The guest build copied beside a manifest that is a link to the real one: the backend does not
  // follow it, so it has no root file system digest to hold the guest's measurement to.
  fs::create_directories(tmp.path() + "/guest");
  fs::create_directories(tmp.path() + "/guest/bin");
  for (const char* f : {"vmlinux", "initrd.cpio.gz", "bin/ringfence-workload"})
    fs::copy_file(kGuest + "/" + f, tmp.path() + "/guest/" + f);
  fs::create_symlink(kGuest + "/manifest.yaml", tmp.path() + "/guest/manifest.yaml");
  backends::QemuOptions o = Options(tmp);
  o.initrd = tmp.path() + "/guest/initrd.cpio.gz";
  o.kernel = tmp.path() + "/guest/vmlinux";
  o.launch_from_template = false;
  backends::QemuBackend qemu(o);
  auto s = qemu.Launch("linked", Image(tmp.path(), "1.0", "0"));
  INFO((s.ok() ? "" : s.error().message));
  REQUIRE(s.ok());
  CHECK(s->content_digest.empty());
  CHECK_FALSE(s->executable_digest.empty());  // the executable is still held to its build
  auto m = qemu.Measure("linked");
  REQUIRE(m.ok());
  CHECK_FALSE(m->image.empty());  // the guest still measures itself...

  FleetInventory fleet;
  FleetSession one;
  one.backend = "qemu";
  one.session = *s;
  one.session.state = SessionState::kRunning;
  one.rollout_id = "vm-1";
  one.service = "vmsvc";
  one.measurement = *m;
  fleet.sessions.push_back(one);
  ServiceImages current;
  current.service = "vmsvc";
  current.rollout_id = "vm-1";
  current.current = {{"1.0", s->image_digest, ""}};
  auto report = AssessDrift(fleet, {{"vmsvc", current}}, {}, {}, UnixNowMs());
  REQUIRE(report.drifted.size() == 1);  // ...but with nothing to compare it with, it is not passed
  bool unmeasured = false;
  for (const auto& f : report.drifted[0].findings) {
    INFO(f.detail);
    unmeasured |= f.reason == DriftReason::kUnmeasured && f.detail.find("image content") != std::string::npos;
  }
  CHECK(unmeasured);
  REQUIRE(qemu.TerminateAll().ok());
}

TEST_CASE(
    "qemu: a revoked image leaves the fleet, parked and template snapshots included, across a SIGKILL") {
  if (!QemuAvailable()) return;
  TempDir tmp;
  const std::string state = tmp.path() + "/state";
  Image(tmp.path(), "1.0", "0.2");  // the same error rate: the canary is promoted
  Image(tmp.path(), "2.0", "0.2");
  // One client opening short sessions (each a micro VM kept warm, parked once idle 2 s): over the
  // bake about a dozen sessions, split between the versions, most of them parked by the end.
  WriteFile(tmp.path() + "/plan.yaml",
            VmPlan("{warm_window: 10m, park_after: 2s}", "20s",
                   "{clients: 1, requests_per_session: 5, think: 50ms, returning: 0}", "1s", "0.001"));
  auto r = RunRingfence(
      {"rollout", "--state", state, "start", tmp.path() + "/plan.yaml", "--keep-sessions", "-q"});
  if (r.exit_code == 2) {  // the judge short of events waits for a human: the human promotes
    auto listed =
        nlohmann::json::parse(RunRingfence({"rollout", "--state", state, "status", "--format", "json"}).out);
    r = RunRingfence({"rollout", "--state", state, "promote", listed[0]["rollout"], "--by", "tester",
                      "--keep-sessions", "--no-load", "-q"});
  }
  INFO(r.err);
  REQUIRE(r.exit_code == 0);

  auto fleet = [&] {
    auto listed = RunRingfence({"fleet", "--state", state, "list", "--format", "json"});
    REQUIRE(listed.exit_code == 0);
    return nlohmann::json::parse(listed.out);
  };
  auto of = [](const nlohmann::json& list, const std::string& version) {
    std::vector<nlohmann::json> out;
    for (const auto& s : list) {
      if (s["version"] == version) out.push_back(s);
    }
    return out;
  };
  const auto before = fleet();
  const auto candidate = of(before["sessions"], "2.0"), baseline = of(before["sessions"], "1.0");
  REQUIRE_FALSE(candidate.empty());  // 2^-11 to fail by chance: each session is a coin toss
  REQUIRE_FALSE(baseline.empty());
  CHECK_FALSE(of(before["snapshots"], "2.0").empty());  // the candidate's template at least
  const std::string digest = candidate[0]["image_digest"];
  std::vector<int> pids;  // the candidate's running QEMUs
  for (const auto& e : fs::directory_iterator(state + "/sessions/qemu/vms")) {
    if (e.path().extension() != ".json") continue;
    auto reg = nlohmann::json::parse(ReadFile(e.path().string()));
    if (reg.value("version", "") == "2.0" && reg["process"].value("pid", -1) > 1)
      pids.push_back(reg["process"]["pid"].get<int>());
  }

  auto killed = RunRingfenceKilledAt(
      "image_revoked", 1,
      {"image", "revoke", digest, "--reason", "CVE-2026-0002", "--by", "sre", "--state", state});
  REQUIRE(killed.exit_code == 128 + SIGKILL);
  CHECK(of(fleet()["sessions"], "2.0").size() == candidate.size());  // journaled, nothing ended yet

  auto resumed = RunRingfence({"image", "revoke", digest, "--reason", "CVE-2026-0002", "--by", "sre",
                               "--state", state, "--format", "json"});
  INFO(resumed.err);
  REQUIRE(resumed.exit_code == 0);
  auto report = nlohmann::json::parse(resumed.out);
  CHECK(report["completed"] == true);
  CHECK(report["sessions_ended"].get<size_t>() == candidate.size());
  const auto after = fleet();
  CHECK(of(after["sessions"], "2.0").empty());
  CHECK(of(after["snapshots"], "2.0").empty());  // parked images and the template deleted
  CHECK(of(after["sessions"], "1.0").size() == baseline.size());
  for (int pid : pids) {
    ProcessHandle h;
    h.pid = pid;
    CHECK(ProcessEnded(h));
  }
  CHECK(RunRingfence({"audit", "--state", state, "verify"}).exit_code == 0);

  backends::QemuOptions o = Options(tmp);
  o.state_dir = state + "/sessions/qemu";
  backends::QemuBackend qemu(o);
  REQUIRE(qemu.TerminateAll().ok());
}

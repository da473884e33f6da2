// The qemu backend on real micro VMs (QEMU microvm under TCG here): boot, pause, resume, snapshot
// and restore with the session's state carried over, and a bad candidate detected and reverted by
// a rollout end to end. At most 3 guests at once. Skipped, with a message, where qemu is absent.
#include <httplib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "adapters/backends/qemu/qemu_backend.h"
#include "adapters/backends/qemu/qmp.h"
#include "adapters/common/child_process.h"
#include "tests/support/git_fixture.h"
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

bool GuestReady() { return fs::exists(kGuest + "/vmlinux") && fs::exists(kGuest + "/initrd.cpio.gz"); }

ImageRef Image(const std::string& root, const std::string& version, const std::string& error_rate) {
  WriteFile(root + "/" + version + "/manifest.yaml", "apiVersion: ringfence/v1\nkind: Image\nversion: \"" + version +
                                                         "\"\nentrypoint: [\"@workload\", \"--version\", \"" + version +
                                                         "\", \"--error-rate\", \"" + error_rate + "\"]\n");
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

// Baseline 1.0 (2% errors) and candidate 2.0 (60%), a plan at 50% on micro VMs, driven by one
// client opening session after session; returns the rollout's JSON report (exit 1 required).
nlohmann::json RollBack(const TempDir& tmp, int requests_per_session, const std::string& rollback) {
  Image(tmp.path(), "1.0", "0.02");
  Image(tmp.path(), "2.0", "0.6");
  WriteFile(tmp.path() + "/plan.yaml",
            "apiVersion: ringfence/v1\nkind: RolloutPlan\nservice: vmsvc\nbackend: qemu\n"
            "baseline: {image: \"1.0\"}\ncandidate: {image: \"2.0\"}\nsessions: {warm_window: 1s}\n"
            "steps:\n  - {weight: 50, bake: 120s}\n  - {weight: 100, bake: 0s}\n"
            "load: {clients: 1, requests_per_session: " + std::to_string(requests_per_session) +
                ", think: 50ms, returning: 0}\n"
            "analysis:\n  interval: 2s\n  metrics:\n    - {name: errors, judge: {type: sequential, alpha: 0.01, min_events: 5}}\n"
            "rollback: {sessions: " + rollback + ", verify_for: 2s}\n"
            "qemu: {kernel: " + kGuest + "/vmlinux, initrd: " + kGuest + "/initrd.cpio.gz}\n");
  auto r = RunRingfence({"rollout", "--state", tmp.path() + "/state", "start", tmp.path() + "/plan.yaml", "--format", "json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 1);  // rolled back
  return nlohmann::json::parse(r.out);
}

bool VmsLeft(const TempDir& tmp) {
  return std::any_of(fs::directory_iterator(tmp.path() + "/state/sessions/qemu/vms"), fs::directory_iterator(),
                     [](const fs::directory_entry& e) { return e.path().extension() == ".json"; });
}

}  // namespace

TEST_CASE("qemu: a micro VM boots, pauses, resumes, and its snapshot restores with its state") {
  if (!QemuPresent()) {
    WARN("skipped: qemu-system-x86_64 is not installed (scripts/install-deps.sh installs it)");
    return;
  }
  REQUIRE(GuestReady());  // built by the qemu-guest fixture (scripts/build-guest.sh)
  TempDir tmp;
  backends::QemuOptions o;
  o.state_dir = tmp.path() + "/state";
  o.kernel = kGuest + "/vmlinux";
  o.initrd = kGuest + "/initrd.cpio.gz";
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
  if (!QemuPresent()) {
    WARN("skipped: qemu-system-x86_64 is not installed (scripts/install-deps.sh installs it)");
    return;
  }
  REQUIRE(GuestReady());
  TempDir tmp;
  // One client opening session after session (a micro VM each, ended a second after its client
  // is done): at 50% they alternate between the versions; with the verification probe at most
  // three micro VMs run at once.
  auto report = RollBack(tmp, 30, "terminate");
  CHECK(report["outcome"] == "rolled back");
  CHECK(report["rollback_reason"].get<std::string>().find("errors failed the sequential judge") != std::string::npos);
  CHECK(report["load"]["2.0"]["errors"].get<int>() > 0);
  CHECK_FALSE(VmsLeft(tmp));  // no micro VM is left running
}

TEST_CASE("qemu: a rollback moves the canary's clients onto baseline sessions restored from a snapshot") {
  if (!QemuPresent()) {
    WARN("skipped: qemu-system-x86_64 is not installed (scripts/install-deps.sh installs it)");
    return;
  }
  REQUIRE(GuestReady());
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

// The firecracker backend against a stand-in for the firecracker binary (it needs KVM) that checks
// every request against Firecracker's published API definition (../shared/specs/firecracker-api.yaml)
// and keeps the microVM's state: the whole lifecycle, and the faults a real Firecracker reports.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "adapters/backends/firecracker/firecracker_backend.h"
#include "adapters/common/child_process.h"
#include "adapters/common/http_client.h"
#include "tests/support/git_fixture.h"

using namespace ringfence;
using namespace ringfence::testing;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const std::string kSpec = std::string(RINGFENCE_SOURCE_DIR) + "/../shared/specs/firecracker-api.yaml";

std::vector<json> Requests(const std::string& log) {
  std::vector<json> out;
  std::ifstream in(log);
  for (std::string line; std::getline(in, line);) out.push_back(json::parse(line));
  return out;
}

}  // namespace

TEST_CASE(
    "firecracker: boot, pause, resume, snapshot and restore, every request valid against the API "
    "definition") {
  if (!fs::exists(kSpec)) {
    WARN("skipped: " << kSpec << " is missing (Firecracker's API definition lives in ../shared/specs)");
    return;
  }
  TempDir tmp;
  std::string log = tmp.path() + "/requests.jsonl";
  WriteFile(tmp.path() + "/img/manifest.yaml",
            "apiVersion: ringfence/v1\nkind: Image\nversion: \"2.0\"\nentrypoint: [\"/init\"]\n");
  WriteFile(tmp.path() + "/img/vmlinux", "kernel");
  WriteFile(tmp.path() + "/img/initrd.cpio.gz", "initrd");
  auto image = backends::LoadImage(tmp.path() + "/img");
  REQUIRE(image.ok());
  backends::FirecrackerOptions o;
  o.binary = std::string(RINGFENCE_SOURCE_DIR) + "/tests/support/fake_firecracker.py";
  o.state_dir = tmp.path() + "/state";
  o.start_timeout_ms = 15000;
  o.env = {"FIRECRACKER_API_SPEC=" + kSpec,
           "FAKE_FIRECRACKER_LOG=" + log};  // sessions see only what is given
  backends::FirecrackerBackend fc(o);

  auto s = fc.Launch("s1", *image);
  INFO((s.ok() ? "" : s.error().message));
  REQUIRE(s.ok());
  CHECK(*fc.Healthy("s1"));
  REQUIRE(fc.Pause("s1").ok());
  CHECK_FALSE(*fc.Healthy("s1"));  // paused: not serving
  REQUIRE(fc.Resume("s1").ok());
  REQUIRE(fc.Snapshot("s1", tmp.path() + "/warm.snap").ok());
  CHECK(fs::exists(tmp.path() + "/warm.snap.mem"));
  CHECK(*fc.Healthy("s1"));  // snapshotting pauses and resumes
  auto restored = fc.Restore("s2", tmp.path() + "/warm.snap");
  INFO((restored.ok() ? "" : restored.error().message));
  REQUIRE(restored.ok());
  CHECK(restored->version == s->version);  // a restored session runs the version it was snapshotted with
  CHECK(*fc.Healthy("s2"));

  auto requests = Requests(log);
  std::vector<std::string> calls;
  for (const auto& r : requests) {
    INFO(r.dump());
    CHECK(r["status"].get<int>() < 300);  // the definition accepted every request
    if (r["path"] != "/")
      calls.push_back(r["method"].get<std::string>() + " " + r["path"].get<std::string>());
  }
  CHECK(calls == std::vector<std::string>{"PUT /machine-config", "PUT /boot-source",
                                          "PUT /network-interfaces/eth0", "PUT /actions", "PATCH /vm",
                                          "PATCH /vm", "PATCH /vm", "PUT /snapshot/create", "PATCH /vm",
                                          "PUT /snapshot/load"});
  for (const auto& r : requests) {
    if (r["path"] == "/boot-source") CHECK(r["body"]["initrd_path"] == tmp.path() + "/img/initrd.cpio.gz");
    if (r["path"] == "/snapshot/load") CHECK(r["body"]["mem_backend"]["backend_type"] == "File");
  }

  // A new backend instance (a resumed orchestrator) finds both VMs and ends them.
  auto listed = fc.List();
  REQUIRE(listed->size() == 2);
  backends::FirecrackerBackend later(o);
  REQUIRE(later.List()->size() == 2);
  REQUIRE(later.TerminateAll().ok());
  CHECK(later.List()->empty());
  CHECK(fs::is_empty(o.state_dir + "/vms") == false);  // logs stay
  CHECK_FALSE(fs::exists(o.state_dir + "/vms/s1.json"));
}

TEST_CASE(
    "firecracker: the API definition check rejects what a real Firecracker would, faults reach the caller") {
  if (!fs::exists(kSpec)) {
    WARN("skipped: " << kSpec << " is missing");
    return;
  }
  TempDir tmp;
  std::string sock = tmp.path() + "/api.sock";
  auto pid =
      Spawn({{std::string(RINGFENCE_SOURCE_DIR) + "/tests/support/fake_firecracker.py", "--api-sock", sock},
             SessionEnvironment(
                 {"FIRECRACKER_API_SPEC=" + kSpec, "FAKE_FIRECRACKER_LOG=" + tmp.path() + "/requests.jsonl"}),
             tmp.path() + "/fc.log",
             "",
             "RINGFENCE_TEST=fc-" + tmp.path()});
  REQUIRE(pid.ok());
  auto call = [&](const std::string& method, const std::string& path, const std::string& body) {
    HttpRequest r{method, "http://localhost" + path, {"Content-Type: application/json"}, body, sock, 2000};
    for (int i = 0; i < 300; ++i) {
      auto res = HttpExchange(r);
      if (res) return *res;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    FAIL("the API socket never answered");
    return HttpResponse{};
  };
  auto wrong_type = call("PUT", "/machine-config", R"({"vcpu_count": "two", "mem_size_mib": 128})");
  CHECK(wrong_type.status == 400);
  CHECK(wrong_type.body.find("does not match the API definition") != std::string::npos);
  auto unknown_field = call("PUT", "/boot-source", R"({"kernel_image_path": "/k", "kernel_args": "x"})");
  CHECK(unknown_field.status == 400);
  auto bad_enum = call("PUT", "/actions", R"({"action_type": "Reboot"})");
  CHECK(bad_enum.status == 400);
  CHECK(call("PUT", "/snapshot/create", R"({"snapshot_path": "/s", "mem_file_path": "/m"})").status ==
        400);  // not paused
  CHECK(
      call("PUT", "/drives/rootfs", R"({"drive_id": "other", "is_root_device": true, "path_on_host": "/r"})")
          .status == 400);
  EndProcessGroup(*pid, 1000);

  // A launch whose image lacks a kernel is refused before any process starts.
  WriteFile(tmp.path() + "/img/manifest.yaml",
            "apiVersion: ringfence/v1\nkind: Image\nversion: \"1\"\nentrypoint: [\"/init\"]\n");
  backends::FirecrackerOptions o;
  o.binary = std::string(RINGFENCE_SOURCE_DIR) + "/tests/support/fake_firecracker.py";
  o.state_dir = tmp.path() + "/state";
  backends::FirecrackerBackend fc(o);
  auto no_kernel = fc.Launch("s", *backends::LoadImage(tmp.path() + "/img"));
  REQUIRE_FALSE(no_kernel.ok());
  CHECK(no_kernel.error().message.find("has no vmlinux") != std::string::npos);
  // A missing firecracker binary is an I/O error.
  o.binary = "/nonexistent/firecracker";
  backends::FirecrackerBackend missing(o);
  WriteFile(tmp.path() + "/img/vmlinux", "kernel");
  auto gone = missing.Launch("s", *backends::LoadImage(tmp.path() + "/img"));
  REQUIRE_FALSE(gone.ok());
  CHECK(gone.error().kind == ErrorKind::kIo);
}

// The process backend on real child processes running the bundled workload over loopback HTTP.
#include <httplib.h>
#include <signal.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "adapters/backends/process/process_backend.h"
#include "adapters/common/files.h"
#include "tests/support/git_fixture.h"

using namespace ringfence;
using namespace ringfence::backends;
using namespace ringfence::testing;

namespace {

std::string MakeImage(const std::string& root, const std::string& name, const std::string& version,
                      const std::string& extra_args = "") {
  std::string dir = root + "/" + name;
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/manifest.yaml")
      << "apiVersion: ringfence/v1\nkind: Image\nversion: \"" << version
      << "\"\nentrypoint: [\"@workload\", \"--version\", \"" << version << "\"" << extra_args << "]\n";
  return dir;
}

ProcessBackendOptions Options(const std::string& dir) {
  ProcessBackendOptions o;
  o.state_dir = dir + "/state";
  o.workload_binary = RINGFENCE_WORKLOAD;
  o.stop_grace_ms = 1000;
  o.health_timeout_ms = 300;
  return o;
}

bool ProcessExists(int pid) { return pid > 0 && kill(pid, 0) == 0; }

int Get(const std::string& endpoint, const std::string& path, std::string* version = nullptr) {
  httplib::Client c(endpoint);
  c.set_connection_timeout(std::chrono::seconds(2));
  c.set_read_timeout(std::chrono::seconds(2));
  auto res = c.Get(path.c_str());
  if (!res) return -1;
  if (version) *version = res->get_header_value("X-Version");
  return res->status;
}

}  // namespace

TEST_CASE("process backend: images have a manifest and a content digest") {
  TempDir tmp;
  auto a = LoadImage(MakeImage(tmp.path(), "v1", "1.0"));
  REQUIRE(a.ok());
  CHECK(a->version == "1.0");
  CHECK(a->digest.rfind("sha256:", 0) == 0);
  std::ofstream(tmp.path() + "/v1/extra.txt") << "changed";
  auto b = LoadImage(tmp.path() + "/v1");
  REQUIRE(b.ok());
  CHECK(b->digest != a->digest);
  std::ofstream(tmp.path() + "/v1/manifest.yaml")
      << "apiVersion: ringfence/v1\nkind: Image\nversion: \"1\"\nentrypoint: []\n";
  auto bad = LoadImage(tmp.path() + "/v1");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("manifest.yaml:4:13: entrypoint must be a non-empty list") !=
        std::string::npos);
}

TEST_CASE("process backend: launch, serve, pause, resume and terminate real sessions") {
  TempDir tmp;
  auto image = LoadImage(MakeImage(tmp.path(), "v1", "1.0"));
  REQUIRE(image.ok());
  ProcessBackend backend(Options(tmp.path()));
  std::vector<SessionInfo> sessions;
  for (const char* id : {"s1", "s2", "s3"}) {
    auto s = backend.Launch(id, *image);
    INFO((s.ok() ? "" : s.error().message));
    REQUIRE(s.ok());
    sessions.push_back(*s);
  }
  for (const auto& s : sessions) {
    std::string version;
    CHECK(Get(s.endpoint, "/", &version) == 200);
    CHECK(version == "1.0");
    CHECK(*backend.Healthy(s.id));
  }
  CHECK(backend.List()->size() == 3);
  // Launch is idempotent: the same session, not a second process.
  auto again = backend.Launch("s1", *image);
  REQUIRE(again.ok());
  CHECK(again->endpoint == sessions[0].endpoint);

  REQUIRE(backend.Pause("s2").ok());
  CHECK_FALSE(*backend.Healthy("s2"));  // stopped: connects, never answers
  REQUIRE(backend.Resume("s2").ok());
  CHECK(*backend.Healthy("s2"));

  int pid = backend.Pid("s3");
  REQUIRE(backend.Pause("s3").ok());
  REQUIRE(backend.Terminate("s3").ok());  // a paused session terminates too
  CHECK_FALSE(ProcessExists(pid));
  CHECK(backend.Terminate("s3").ok());  // idempotent
  CHECK(backend.List()->size() == 2);
  REQUIRE(backend.TerminateAll().ok());
  CHECK(backend.List()->empty());
}

TEST_CASE("process backend: a bad version crashes and is seen as failed") {
  TempDir tmp;
  auto image = LoadImage(MakeImage(tmp.path(), "v2", "2.0", ", \"--crash-after-requests\", \"2\""));
  REQUIRE(image.ok());
  ProcessBackend backend(Options(tmp.path()));
  auto s = backend.Launch("bad", *image);
  REQUIRE(s.ok());
  CHECK(Get(s->endpoint, "/") == 200);
  CHECK(Get(s->endpoint, "/") == 200);
  CHECK(Get(s->endpoint, "/") == -1);  // the third request kills it
  auto healthy = backend.Healthy("bad");
  REQUIRE(healthy.ok());
  CHECK_FALSE(*healthy);
  // The exit is reaped by the next look (the process may still be tearing down at the first).
  SessionState state = SessionState::kRunning;
  for (int i = 0; i < 200 && state != SessionState::kFailed; ++i) {
    state = backend.List()->at(0).state;
    if (state != SessionState::kFailed) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(state == SessionState::kFailed);
  CHECK(backend.Terminate("bad").ok());
}

TEST_CASE("process backend: sessions of a lost backend are found and terminated by the next one") {
  TempDir tmp;
  auto image = LoadImage(MakeImage(tmp.path(), "v1", "1.0"));
  REQUIRE(image.ok());
  int pid = -1;
  {
    ProcessBackend first(Options(tmp.path()));
    auto s = first.Launch("orphan", *image);
    REQUIRE(s.ok());
    pid = first.Pid("orphan");
  }  // the orchestrator that started it is gone; the process is not
  CHECK(ProcessExists(pid));
  ProcessBackend second(Options(tmp.path()));
  auto list = second.List();
  REQUIRE(list.ok());
  REQUIRE(list->size() == 1);
  CHECK(list->at(0).id == "orphan");
  REQUIRE(second.TerminateAll().ok());
  CHECK_FALSE(ProcessExists(pid));
}

TEST_CASE(
    "process backend: a session whose launcher was killed before it was ready is recovered or seen as "
    "starting") {
  TempDir tmp;
  auto image = LoadImage(MakeImage(tmp.path(), "v1", "1.0"));
  REQUIRE(image.ok());
  std::string registry = tmp.path() + "/state/sessions/";
  std::string endpoint;
  {
    ProcessBackend first(Options(tmp.path()));
    auto a = first.Launch("ready", *image), b = first.Launch("late", *image);
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    endpoint = a->endpoint;
  }
  // As the registry stands when the launcher dies between spawning and reading the ready file:
  // no endpoint recorded; "ready" wrote its port file by then, "late" not yet.
  for (const char* id : {"ready", "late"}) {
    auto j = nlohmann::json::parse(*ReadWholeFile(registry + id + ".json"));
    j["endpoint"] = "";
    WriteFile(registry + id + ".json", j.dump());
  }
  std::filesystem::remove(registry + "late.port");
  ProcessBackend second(Options(tmp.path()));
  auto listed = second.List();
  REQUIRE(listed->size() == 2);
  for (const auto& s : *listed) {
    INFO(s.id);
    if (s.id == "ready") {
      CHECK(s.state == SessionState::kRunning);
      CHECK(s.endpoint == endpoint);  // taken from the port file the session wrote
      CHECK(*second.Healthy("ready"));
    } else {
      CHECK(s.state == SessionState::kStarting);  // not "running" with nowhere to reach it
    }
  }
  REQUIRE(second.TerminateAll().ok());
}

TEST_CASE("process backend: an entrypoint that cannot start is an error naming the log") {
  TempDir tmp;
  std::string dir = tmp.path() + "/broken";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/manifest.yaml") << "apiVersion: ringfence/v1\nkind: Image\nversion: \"0\"\n"
                                           "entrypoint: [\"/bin/false\"]\n";
  auto image = LoadImage(dir);
  REQUIRE(image.ok());
  ProcessBackend backend(Options(tmp.path()));
  auto s = backend.Launch("x", *image);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().message.find("exited while starting") != std::string::npos);
  CHECK(backend.List()->empty());
}

TEST_CASE("process backend: the workload's error draw follows the seed a restore gives it") {
  TempDir tmp;
  ProcessBackend backend(Options(tmp.path()));
  auto image = LoadImage(MakeImage(tmp.path(), "v1", "1.0", ", \"--error-rate\", \"0.5\""));
  REQUIRE(image.ok());
  auto a = backend.Launch("a", *image), b = backend.Launch("b", *image);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  auto reseed = [](const SessionInfo& s, const std::string& body) {
    httplib::Client c(s.endpoint);
    auto res = c.Post("/reseed", body, "text/plain");
    return res ? res->status : -1;
  };
  auto statuses = [](const SessionInfo& s) {
    std::string out;
    for (int i = 0; i < 48; ++i) out += std::to_string(Get(s.endpoint, "/") / 100);
    return out;
  };
  REQUIRE(reseed(*a, "7") == 200);
  REQUIRE(reseed(*b, "7") == 200);
  std::string a7 = statuses(*a);
  CHECK(a7 == statuses(*b));  // one seed, one sequence: what copies of one snapshot would do
  REQUIRE(reseed(*a, "7") == 200);
  REQUIRE(reseed(*b, "8") == 200);
  CHECK(statuses(*a) == a7);
  CHECK(statuses(*b) != a7);  // 2^-48 to fail by chance
  CHECK(reseed(*a, "seven") == 400);
  REQUIRE(backend.TerminateAll().ok());
}

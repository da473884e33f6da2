// Class 9: outbound calls and secrets. Non-public addresses need an explicit setting (checked
// when the socket opens, after DNS); URL credentials appear nowhere ringfence writes; sessions
// never inherit the orchestrator's credentials.
#include <signal.h>

#include "adapters/common/http_client.h"
#include "tests/security/security_fixture.h"
#include "tests/support/loopback_receiver.h"

using namespace ringfence;
using namespace ringfence::testing;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// Every byte under `dir`, for grepping.
std::string AllFiles(const std::string& dir) {
  std::string out;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec)) {
    if (e.is_regular_file(ec)) out += Slurp(e.path().string());
  }
  return out;
}

}  // namespace

TEST_CASE("calls to non-public addresses are refused at connect time unless allowed") {
  LoopbackReceiver receiver;
  HttpRequest r;
  r.method = "POST";
  r.url = receiver.url();
  r.body = "{}";
  auto refused = HttpExchange(r);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message.find("refused to connect: 127.0.0.1 is loopback") != std::string::npos);
  CHECK(receiver.bodies().empty());
  r.allow_private_network = true;
  auto allowed = HttpExchange(r);
  REQUIRE(allowed.ok());
  CHECK(receiver.bodies().size() == 1);
  // By name too: "localhost" resolves to loopback, and the check is on the address.
  HttpRequest by_name;
  by_name.url = "http://localhost:" + std::to_string(receiver.port()) + "/x";
  auto named = HttpExchange(by_name);
  REQUIRE_FALSE(named.ok());
  CHECK(named.error().message.find("is loopback") != std::string::npos);
}

TEST_CASE("URL credentials never reach the journal, the audit log, the log or the output") {
  TempDir tmp;
  LoopbackReceiver receiver;
  std::string hook =
      "http://hookuser:s3cr3t-pw@127.0.0.1:" + std::to_string(receiver.port()) + "/hook?token=t0k3n-xyz";
  for (auto [dir, version] : {std::pair{"base", "1.0"}, {"cand", "2.0"}}) {
    WriteFile(tmp.path() + "/" + dir + "/manifest.yaml",
              std::string("apiVersion: ringfence/v1\nkind: Image\nversion: \"") + version +
                  "\"\nentrypoint: [\"@workload\", \"--version\", \"" + version + "\"]\n");
  }
  WriteFile(tmp.path() + "/plan.yaml",
            "apiVersion: ringfence/v1\nkind: RolloutPlan\nservice: svc\nbackend: process\n"
            "baseline: {image: base}\ncandidate: {image: cand}\nsteps:\n  - {weight: 100, bake: 300ms}\n"
            "analysis:\n  interval: 100ms\n  on_no_data: fail\n  metrics:\n    - {name: errors, judge: "
            "{type: sequential}}\n"
            "rollback: {sessions: terminate, verify_for: 200ms}\n"
            "notify: {webhook: \"" +
                hook + "\", allow_private_network: true}\n");
  std::string state = tmp.path() + "/state";
  setenv("AWS_SECRET_ACCESS_KEY", "orchestrator-secret-key", 1);
  auto r = RunRingfence({"rollout", "--state", state, "start", tmp.path() + "/plan.yaml", "--no-load"});
  unsetenv("AWS_SECRET_ACCESS_KEY");
  INFO(r.err);
  CHECK(r.exit_code == 1);                   // no data, and the plan says fail: rolled back, notified
  REQUIRE_FALSE(receiver.bodies().empty());  // the webhook still authenticated and arrived
  std::string written = AllFiles(state) + r.out + r.err;
  CHECK(written.find("s3cr3t-pw") == std::string::npos);
  CHECK(written.find("t0k3n-xyz") == std::string::npos);
  CHECK(written.find("http://***@127.0.0.1") != std::string::npos);  // redacted, not dropped
  // A resumed rollout recovers them from the unchanged plan file (nothing to resume here, but the
  // status of the journaled plan says what was redacted).
  auto status = RunRingfence({"rollout", "--state", state, "status", "--format", "json"});
  CHECK(status.out.find("s3cr3t-pw") == std::string::npos);
}

TEST_CASE("sessions start with an explicit environment, never the orchestrator's credentials") {
  TempDir tmp;
  for (auto [dir, version] : {std::pair{"base", "1.0"}, {"cand", "2.0"}}) {
    WriteFile(tmp.path() + "/" + dir + "/manifest.yaml",
              std::string("apiVersion: ringfence/v1\nkind: Image\nversion: \"") + version +
                  "\"\nentrypoint: [\"@workload\", \"--version\", \"" + version +
                  "\"]\nenv: {GREETING: hello}\n");
  }
  WriteFile(tmp.path() + "/plan.yaml",
            "apiVersion: ringfence/v1\nkind: RolloutPlan\nservice: svc\nbackend: process\n"
            "baseline: {image: base}\ncandidate: {image: cand}\nsessions: {warm_window: 1m}\n"
            "steps:\n  - {weight: 50, bake: 600ms}\n  - {weight: 100, bake: 0s}\n"
            "load: {clients: 2, requests_per_session: 50, think: 20ms}\n"
            "analysis:\n  interval: 200ms\n  metrics:\n    - {name: errors, judge: {type: sequential}}\n"
            "rollback: {sessions: terminate, verify_for: 200ms}\n");
  std::string state = tmp.path() + "/state";
  setenv("AWS_ACCESS_KEY_ID", "AKIAORCHESTRATOR", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "orchestrator-secret-key", 1);
  auto r = RunRingfence({"rollout", "--state", state, "start", tmp.path() + "/plan.yaml", "--keep-sessions"});
  unsetenv("AWS_ACCESS_KEY_ID");
  unsetenv("AWS_SECRET_ACCESS_KEY");
  INFO(r.err);
  int checked = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(state + "/sessions/process/sessions", ec)) {
    if (e.path().extension() != ".json") continue;
    json record = json::parse(Slurp(e.path().string()));
    int pid = record["process"]["pid"];
    std::string env = Slurp("/proc/" + std::to_string(pid) + "/environ");
    if (env.empty()) continue;
    ++checked;
    CHECK(env.find("AWS_") == std::string::npos);
    CHECK(env.find("orchestrator-secret-key") == std::string::npos);
    CHECK(env.find("GREETING=hello") != std::string::npos);  // what the image declares
    CHECK(env.find("RINGFENCE_SESSION_ID=") != std::string::npos);
    kill(-pid, SIGTERM);
  }
  CHECK(checked > 0);
}

#include <catch2/catch.hpp>

#include "adapters/backends/backend_registry.h"
#include "engine/rollout/image_manifest.h"
#include "engine/rollout/plan.h"

using namespace ringfence;
using backends::ParsePlanWithBackends;

namespace {

const char* kPlan = R"(apiVersion: ringfence/v1
kind: RolloutPlan
service: checkout
backend: process
baseline: {image: images/v1}
candidate: {image: images/v2}
sessions: {min: 4, warm_window: 5m}
steps:
  - {weight: 1, bake: 2m}
  - {weight: 10, bake: 5m}
  - {weight: 100, bake: 0s}
analysis:
  interval: 10s
  on_no_data: fail
  metrics:
    - {name: errors, judge: {type: sequential, alpha: 0.01}}
    - {name: latency, judge: {type: mann_whitney, confidence: 0.99, tolerance: 0.2, direction: increase}}
    - {name: p99, source: prometheus, query: 'histogram_quantile(0.99, rate(x[1m]))', judge: {type: threshold, relative: 0.5}}
rollback: {sessions: restore, verify_for: 20s}
load: {clients: 4, think: 250ms}
prometheus: {url: "http://127.0.0.1:9090", allow_private_network: true}
notify: {webhook: "http://127.0.0.1:9/hook", allow_private_network: true}
)";

std::string PlanErrorOf(const std::string& text) {
  auto p = ParsePlanWithBackends(text, "plan.yaml");
  REQUIRE_FALSE(p.ok());
  return p.error().message;
}

std::string With(const std::string& from, const std::string& to) {
  std::string s = kPlan;
  auto at = s.find(from);
  REQUIRE(at != std::string::npos);
  return s.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("plan: a full plan parses into typed steps, judges and policies") {
  auto p = ParsePlan(kPlan, "plan.yaml");
  INFO((p.ok() ? "" : p.error().message));
  REQUIRE(p.ok());
  CHECK(p->service == "checkout");
  REQUIRE(p->steps.size() == 3);
  CHECK(p->steps[1].weight == 10);
  CHECK(p->steps[1].bake_ms == 300'000);
  CHECK(p->interval_ms == 10'000);
  CHECK(p->load.clients == 4);
  CHECK(p->load.think_ms == 250);
  CHECK(p->on_no_data == OnUnclear::kFail);
  CHECK(p->on_inconclusive == OnUnclear::kPause);
  REQUIRE(p->metrics.size() == 3);
  CHECK(std::holds_alternative<SequentialJudge>(p->metrics[0].judge));
  CHECK(std::get<MannWhitneyJudge>(p->metrics[1].judge).confidence == 0.99);
  CHECK(p->metrics[2].source == MetricSourceKind::kPrometheus);
  CHECK(p->rollback_sessions == RollbackSessions::kRestore);
  CHECK(p->verify_ms == 20'000);
}

TEST_CASE("plan: the gate's constraints reshape the steps") {
  auto p = ParsePlan(kPlan, "plan.yaml");
  REQUIRE(p.ok());
  RolloutConstraints c;
  c.max_canary_weight = 5;
  c.min_bake_seconds = 600;
  c.stages = {1, 5, 25, 100};
  c.human_promotion = true;
  ApplyConstraints(*p, c);
  std::vector<double> weights;
  for (const auto& s : p->steps) weights.push_back(s.weight);
  CHECK(weights == std::vector<double>{1, 5, 10, 25, 100});
  CHECK(p->steps[0].bake_ms == 600'000);  // at least the minimum bake
  CHECK_FALSE(p->steps[1].needs_human);   // 5% is allowed
  CHECK(p->steps[2].needs_human);         // 10% is above the maximum canary weight
  CHECK(p->steps.back().needs_human);     // human promotion
  CHECK(p->steps.back().bake_ms == 0);    // full rollout has nothing left to bake
}

TEST_CASE("plan: mistakes are reported at their line and column") {
  CHECK(PlanErrorOf(With("backend: process", "backend: docker"))
            .rfind("plan.yaml:4:10: unknown backend 'docker'", 0) == 0);
  CHECK(PlanErrorOf(With("{weight: 10, bake: 5m}", "{weight: 0.5, bake: 5m}"))
            .rfind("plan.yaml:10:14: step weights must increase", 0) == 0);
  CHECK(PlanErrorOf(With("{weight: 100, bake: 0s}", "{weight: 90, bake: 0s}"))
            .rfind("plan.yaml:9:3: the last step must reach weight 100", 0) == 0);
  CHECK(PlanErrorOf(With("bake: 2m}", "bake: soon}")).rfind("plan.yaml:9:23: bake must be a duration", 0) ==
        0);
  CHECK(PlanErrorOf(With("type: sequential", "type: magic")).find("unknown judge 'magic'") !=
        std::string::npos);
  CHECK(PlanErrorOf(With("confidence: 0.99", "confidence: 2")).find("confidence must be a number in") !=
        std::string::npos);
  CHECK(PlanErrorOf(With("sessions: restore", "sessions: keep"))
            .find("rollback.sessions must be drain, terminate or restore") != std::string::npos);
  CHECK(PlanErrorOf(With("query: 'histogram_quantile(0.99, rate(x[1m]))', ", "")).find("needs a query") !=
        std::string::npos);
  CHECK(PlanErrorOf(With("interval: 10s", "intervall: 10s"))
            .rfind("plan.yaml:13:3: unknown key 'intervall'", 0) == 0);
  CHECK(PlanErrorOf("kind: RolloutPlan\n").rfind("plan.yaml:", 0) == 0);
  CHECK(
      PlanErrorOf(With("name: latency,", "name: p50,")).find("the sessions source has the metrics errors") !=
      std::string::npos);
  CHECK(PlanErrorOf(With("prometheus: {url: \"http://127.0.0.1:9090\", allow_private_network: true}\n", ""))
            .find("the plan needs prometheus") != std::string::npos);
  CHECK(PlanErrorOf(With("clients: 4", "clients: 0")).find("load.clients must be 1..64") !=
        std::string::npos);
  CHECK(PlanErrorOf(With("interval: 10s", "interval: 10ms")).find("at least 50ms") != std::string::npos);
  CHECK(PlanErrorOf(With("warm_window: 5m}", "warm_window: 5m, park_after: 5m}"))
            .rfind("plan.yaml:7:49: sessions.park_after must be above 0 and below warm_window", 0) == 0);
  CHECK(PlanErrorOf(With("warm_window: 5m}", "warm_window: 5m, park_after: later}"))
            .find("park_after must be a duration") != std::string::npos);
}

TEST_CASE("plan: idle sessions can be parked before their warm window ends") {
  auto p = ParsePlan(With("warm_window: 5m}", "warm_window: 5m, park_after: 30s}"), "plan.yaml");
  INFO((p.ok() ? "" : p.error().message));
  REQUIRE(p.ok());
  CHECK(p->park_after_ms == 30'000);
  CHECK(p->warm_window_ms == 300'000);
  CHECK(ParsePlan(kPlan, "plan.yaml")->park_after_ms == 0);  // never, unless asked
}

TEST_CASE("plan: sessions can have a maximum age, above zero") {
  auto p = ParsePlan(With("warm_window: 5m}", "warm_window: 5m, max_age: 8h}"), "plan.yaml");
  INFO((p.ok() ? "" : p.error().message));
  REQUIRE(p.ok());
  CHECK(p->max_session_age_ms == 8 * 3'600'000);
  CHECK(ParsePlan(kPlan, "plan.yaml")->max_session_age_ms == 0);  // no limit, unless asked
  CHECK(PlanErrorOf(With("warm_window: 5m}", "warm_window: 5m, max_age: 0s}"))
            .rfind("plan.yaml:7:46: sessions.max_age must be above 0", 0) == 0);
  CHECK(PlanErrorOf(With("warm_window: 5m}", "warm_window: 5m, max_age: -5m}")).rfind("plan.yaml:7:", 0) ==
        0);
}

TEST_CASE("plan: backend settings belong to their backend") {
  std::string lambda = std::string(kPlan);
  lambda.replace(lambda.find("backend: process"), 16, "backend: lambda");
  auto missing = ParsePlanWithBackends(lambda, "plan.yaml");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message.find("backend lambda needs lambda: {function: NAME}") != std::string::npos);
  auto ok = ParsePlanWithBackends(lambda + "lambda: {function: checkout, alias: live, region: eu-west-1}\n",
                                  "plan.yaml");
  REQUIRE(ok.ok());
  auto lambda_setup = backends::SetupBackend(*ok);
  REQUIRE(lambda_setup.ok());
  CHECK((*lambda_setup)->Image({}, "41")->location == "checkout");  // a version of the function
  auto wrong = ParsePlanWithBackends(std::string(kPlan) + "lambda: {function: checkout}\n", "plan.yaml");
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().message.find("lambda settings need backend: lambda") != std::string::npos);
  std::string qemu = std::string(kPlan);
  qemu.replace(qemu.find("backend: process"), 16, "backend: qemu");
  auto launch = ParsePlanWithBackends(
      qemu + "qemu: {kernel: vmlinux, initrd: initrd.cpio.gz, launch: template}\n", "plan.yaml");
  REQUIRE(launch.ok());
  CHECK(launch->backend == "qemu");
  auto bad_launch = ParsePlanWithBackends(
      qemu + "qemu: {kernel: vmlinux, initrd: initrd.cpio.gz, launch: warm}\n", "plan.yaml");
  REQUIRE_FALSE(bad_launch.ok());
  CHECK(bad_launch.error().message.find("qemu launch must be template") != std::string::npos);
  auto unknown = ParsePlanWithBackends(lambda + "lambda: {function: f, memory: 3}\n", "plan.yaml");
  // Without the registry (the simulator), a backend section is an unknown key, never ignored.
  auto simulated = ParsePlan(lambda + "lambda: {function: f}\n", "plan.yaml");
  REQUIRE_FALSE(simulated.ok());
  CHECK(simulated.error().message.find("unknown key 'lambda'") != std::string::npos);
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().message.find("unknown key 'memory'") != std::string::npos);
}

TEST_CASE("plan: outbound calls to loopback, metadata or private addresses need an explicit setting") {
  std::string base =
      "apiVersion: ringfence/v1\nkind: RolloutPlan\nservice: s\nbackend: process\n"
      "baseline: {image: a}\ncandidate: {image: b}\nsteps:\n  - {weight: 50, bake: 1m}\n  - {weight: 100, "
      "bake: 0s}\n"
      "analysis: {interval: 10s, metrics: [{name: errors, judge: {type: sequential}}]}\n";
  for (const char* url :
       {"http://169.254.169.254/latest/meta-data", "http://10.1.2.3/hook", "http://[::1]:9/x",
        "https://localhost/x", "http://user:pw@192.168.0.7/x?token=abc"}) {
    auto p = ParsePlan(base + "notify: {webhook: \"" + url + "\"}\n", "plan.yaml");
    INFO(url);
    REQUIRE_FALSE(p.ok());
    CHECK(p.error().message.find("plan.yaml:11:19: ") == 0);
    CHECK(p.error().message.find("allow_private_network") != std::string::npos);
    CHECK(p.error().message.find("pw") == std::string::npos);  // credentials never echoed
    CHECK(p.error().message.find("token=abc") == std::string::npos);
    auto allowed =
        ParsePlan(base + "notify: {webhook: \"" + url + "\", allow_private_network: true}\n", "plan.yaml");
    CHECK(allowed.ok());
  }
  CHECK(ParsePlan(base + "notify: {webhook: \"https://hooks.example.com/x\"}\n", "plan.yaml").ok());
}

TEST_CASE("an image manifest's guest_root is a content digest, or the manifest is refused where it says") {
  const std::string head =
      "apiVersion: ringfence/v1\nkind: Image\nversion: \"1.0\"\nentrypoint: [\"@workload\"]\n";
  auto good = ParseImageManifest(head + "guest_root: \"sha256:" + std::string(64, 'a') + "\"\n", "m.yaml");
  REQUIRE(good.ok());
  CHECK(good->guest_root == "sha256:" + std::string(64, 'a'));
  CHECK(ParseImageManifest(head, "m.yaml")->guest_root.empty());  // not a guest image
  const std::vector<std::string> malformed = {"sha256:" + std::string(64, 'A'), "sha256:abc",
                                              std::string(71, 'a'), "[1]"};
  for (const std::string& bad : malformed) {
    auto refused = ParseImageManifest(head + "guest_root: " + bad + "\n", "m.yaml");
    INFO(bad);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().message.find("m.yaml:5:") != std::string::npos);
  }
}

TEST_CASE("a plan in which no step bakes is refused unless it says judgement: none") {
  const std::string head =
      "apiVersion: ringfence/v1\nkind: RolloutPlan\nservice: s\nbackend: process\nbaseline: {image: b}\n"
      "candidate: {image: c}\n";
  const std::string analysis = "analysis: {metrics: [{name: errors, judge: {type: count}}]}\n";
  auto parse = [&](const std::string& steps, const std::string& extra = "") {
    return ParsePlan(head + steps + extra + analysis, "plan.yaml");
  };
  auto unbaked = parse("steps: [{weight: 10, bake: 0s}, {weight: 100, bake: 0s}]\n");
  REQUIRE_FALSE(unbaked.ok());
  CHECK(unbaked.error().message.rfind("plan.yaml:7:", 0) == 0);
  CHECK(unbaked.error().message.find("without a single judgement") != std::string::npos);
  CHECK(parse("steps: [{weight: 100, bake: 10m}]\n").ok());  // judged while it bakes at full weight
  auto acknowledged = parse("steps: [{weight: 100, bake: 0s}]\n", "judgement: none\n");
  REQUIRE(acknowledged.ok());
  CHECK(acknowledged->unjudged);
  CHECK_FALSE(parse("steps: [{weight: 5, bake: 1m}, {weight: 100, bake: 0s}]\n", "judgement: none\n").ok());
  CHECK_FALSE(parse("steps: [{weight: 100, bake: 0s}]\n", "judgement: skip\n").ok());
  auto judged = parse("steps: [{weight: 5, bake: 1m}, {weight: 100, bake: 0s}]\n");
  REQUIRE(judged.ok());
  CHECK_FALSE(judged->unjudged);
}

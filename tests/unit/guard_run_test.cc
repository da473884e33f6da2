// Staged actions: the file read strictly (waves cumulative and complete, every template variable
// known), what a stage rule's constraints ask of the waves, and the staged-run journal read back
// in order, with records out of order refused.
#include <catch2/catch.hpp>

#include "app/guard_run.h"
#include "engine/guard/run_record.h"
#include "engine/guard/staged_action.h"

using namespace ringfence;

namespace {

const char* kStaged = R"(apiVersion: ringfence/v1
kind: StagedAction
name: restart-web
command: [systemctl, restart, "web@{id}", "--host={host}"]
targets:
  - {id: web-1, host: a.prod}
  - {id: web-2, host: b.prod}
  - {id: web-3, host: c.prod}
  - {id: web-4, host: d.prod}
  - {id: web-5, host: e.prod}
  - {id: web-6, host: f.prod}
  - {id: web-7, host: g.prod}
  - {id: web-8, host: h.prod}
  - {id: web-9, host: i.prod}
  - {id: web-10, host: j.prod}
waves: [1, 25%, 100%]
bake: 2m
check: {http: "http://{host}:8080/healthz", timeout: 3s, failures_allowed: 1}
)";

std::string ErrorIn(const std::string& yaml) {
  auto a = ParseStagedAction(yaml, "staged.yaml");
  REQUIRE(!a);
  CHECK(a.error().kind == ErrorKind::kInvalidInput);
  return a.error().message;
}

}  // namespace

TEST_CASE("a staged action file: cumulative waves, templates per target, a health check", "[guard]") {
  auto a = ParseStagedAction(kStaged, "staged.yaml");
  INFO((a ? "" : a.error().message));
  REQUIRE(a);
  CHECK(a->waves == std::vector<size_t>{1, 3, 10});
  CHECK(a->bake_ms == 120000);
  CHECK(a->check.kind == HealthCheckKind::kHttp);
  CHECK(a->check.timeout_ms == 3000);
  CHECK(Expand(a->command, a->targets[1]) ==
        std::vector<std::string>{"systemctl", "restart", "web@web-2", "--host=b.prod"});
  CHECK(Expand(a->check.url, a->targets[9]) == "http://j.prod:8080/healthz");
  CHECK(Expand(std::string("{{id}} {id}"), a->targets[0]) == "{id}} web-1");

  const std::string base =
      "apiVersion: ringfence/v1\nkind: StagedAction\nname: x\ncommand: [touch, \"{id}\"]\n";
  CHECK(ErrorIn(base + "targets: [a, b]\nwaves: [2, 1]\n").find("staged.yaml:6:") == 0);  // shrinks
  CHECK(ErrorIn(base + "targets: [a, b]\nwaves: [1]\n").find("end with 100%") != std::string::npos);
  CHECK(ErrorIn(base + "targets: [a, b]\nwaves: [3]\n").find("staged.yaml:6:") == 0);
  CHECK(ErrorIn(base + "targets: [a, a]\n").find("twice") != std::string::npos);
  CHECK(ErrorIn(base + "targets: []\n").find("non-empty") != std::string::npos);
  CHECK(ErrorIn(base + "targets: [a]\nwaves: [0%]\n").find("staged.yaml:6:") == 0);
  CHECK(ErrorIn(base + "targets: [{host: x}]\n").find("needs an `id`") != std::string::npos);
  CHECK(ErrorIn(
            "apiVersion: ringfence/v1\nkind: StagedAction\nname: x\ncommand: \"rm -rf {id}\"\ntargets: [a]\n")
            .find("never a shell line") != std::string::npos);
  CHECK(ErrorIn("apiVersion: ringfence/v1\nkind: StagedAction\nname: x\ncommand: [touch, \"{dir}/{id}\"]\n"
                "targets: [a]\n")
            .find("{dir} is not a variable") != std::string::npos);
  CHECK(ErrorIn(base + "targets: [a]\ncheck: {http: \"ftp://x\"}\n").find("http://") != std::string::npos);
  CHECK(ErrorIn(base + "targets: [a]\ncheck: {timeout: 2s}\n").find("`http` or `command`") !=
        std::string::npos);
  CHECK(ErrorIn(base + "targets: [a]\nbake: soon\n").find("staged.yaml:6:") == 0);
  CHECK(ErrorIn(base + "targets: [a]\nwave: [1]\n").find("staged.yaml:6:") == 0);  // unknown key
}

TEST_CASE("a stage rule's constraints: a small first wave, a bake, a check, the stages", "[guard]") {
  auto a = ParseStagedAction(kStaged, "staged.yaml");
  REQUIRE(a);
  RolloutConstraints c;
  c.max_canary_weight = 10;
  c.min_bake_seconds = 60;
  CHECK(app::StagingShortfall(*a, c).empty());
  c.min_bake_seconds = 300;
  CHECK(app::StagingShortfall(*a, c).find("bake") != std::string::npos);
  c.min_bake_seconds.reset();
  c.stages = {10, 20, 100};
  CHECK(app::StagingShortfall(*a, c).find("wave 2") != std::string::npos);  // 3 of 10 by then
  c.stages.clear();
  a->waves = {2, 10};
  CHECK(app::StagingShortfall(*a, c).find("first wave") != std::string::npos);
  a->waves = {10};
  CHECK(app::StagingShortfall(*a, c).find("waves") != std::string::npos);
  a->waves = {1, 10};
  a->check.kind = HealthCheckKind::kNone;
  CHECK(app::StagingShortfall(*a, c).find("health check") != std::string::npos);
  a->check.kind = HealthCheckKind::kHttp;
  c.human_promotion = true;
  CHECK(!app::StagingShortfall(*a, c).empty());
}

TEST_CASE("the staged-run journal reads back in order, and out of order is an error", "[guard]") {
  RunStartedEvent started;
  started.run_id = "r1";
  started.name = "restart-web";
  started.plan = "{}";
  started.targets = {"a", "b"};
  started.waves = {1, 2};
  started.decision = Decision::kWarn;
  started.actor = "ai";
  int64_t seq = 0;
  auto row = [&](const RunEvent& e) {
    JournalRecord r = EncodeRunRecord(e, ++seq);
    r.seq = seq;
    CHECK(r.rollout_id == kGuardRunJournal);
    return r;
  };
  std::vector<JournalRecord> rows = {row(started), row(WaveStartedEvent{"r1", 0}),
                                     row(TargetRanEvent{"r1", "a", 0, true, 0, 0, ""}),
                                     row(WaveCheckedEvent{"r1", 0, true, {}})};
  auto runs = RunsOf(rows);
  REQUIRE(runs);
  REQUIRE(runs->size() == 1);
  CHECK((*runs)[0].started.decision == Decision::kWarn);
  CHECK((*runs)[0].started.waves == std::vector<int64_t>{1, 2});
  CHECK((*runs)[0].ran.size() == 1);
  CHECK((*runs)[0].waves_started == 1);
  CHECK(!(*runs)[0].ended);

  auto with = [&](const RunEvent& e) {
    auto more = rows;
    more.push_back(row(e));
    return RunsOf(more);
  };
  CHECK(!with(WaveStartedEvent{"r1", 2}));                           // a wave skipped
  CHECK(!with(TargetRanEvent{"r2", "a", 0, true, 0, 0, ""}));        // a run never started
  CHECK(!with(WaveCheckedEvent{"r1", 0, true, {}}));                 // checked twice
  CHECK(with(RunEndedEvent{"r1", RunOutcome::kStopped, "wave 1"}));  // an end
  auto ended = rows;
  ended.push_back(row(RunEndedEvent{"r1", RunOutcome::kCompleted, ""}));
  ended.push_back(row(WaveStartedEvent{"r1", 1}));
  CHECK(!RunsOf(ended));  // nothing after the end
  JournalRecord bad = rows[2];
  bad.evidence_json = R"({"format":1,"run_id":"r1","target":"a","wave":"0"})";
  CHECK(!DecodeRunRecord(bad));
}

// The journal codec: every record type round-trips, a missing or mistyped field is an error naming
// the record and the field (never a default), and journals written by the release before the
// codec (tests/golden/journal-v1) decode to the same evidence.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include "engine/rollout/journal.h"
#include "tests/support/git_fixture.h"

using namespace ringfence;
using nlohmann::json;
using ringfence::testing::Slurp;

namespace {

std::vector<RolloutEvent> OneOfEach() {
  RolloutSetup setup;
  setup.id = "svc-1";
  setup.service = "svc";
  setup.plan_path = "plan.yaml";
  setup.plan_text = "apiVersion: ringfence/v1\n";
  setup.baseline = {"1.0", "sha256:aa", "/images/1.0"};
  setup.candidate = {"2.0", "sha256:bb", "/images/2.0"};
  setup.gate_constraints.max_canary_weight = 5;
  setup.gate_constraints.human_promotion = true;
  JudgedEvent judged;
  judged.step = 1;
  judged.weight = 25;
  judged.verdicts = {{"errors", "sequential", JudgeOutcome::kFail, "e-value 167", 0.004, 167.4},
                     {"latency", "mann_whitney", JudgeOutcome::kNoData, "3 samples", 1, 0}};
  judged.window_ms = 1500;
  judged.canary_sessions = 2;
  judged.baseline_sessions = 9;
  judged.parked_sessions = 1;
  judged.decision = JudgedDecision::kUnclear;
  judged.unclear_action = UnclearAction::kPause;
  judged.unclear_reason = "latency no_data";
  RolloutSetup refused = setup;
  AdmissionDecision admission;
  admission.policy = "main:.ringfence/images.yaml";
  admission.policy_digest = "sha256:cc";
  admission.database_digest = "sha256:dd";
  admission.candidate = {
      "candidate", "2.0", "sha256:bb", false, {"unsigned: no envelope", "scan: CVE-1 (critical)"}, 3, 1};
  admission.baseline = {"baseline", "1.0", "sha256:aa", true, {}, 0, 0};
  refused.admission = admission;
  RolloutSetup admitted = setup;
  admission.candidate = {"candidate", "2.0", "sha256:bb", true, {}, 1, 0};
  admission.max_session_age_ms = 8 * 3'600'000;
  admitted.admission = admission;
  return {StartedEvent{setup},
          NotAdmittedEvent{refused},
          StartedEvent{admitted},
          StepEvent{1, 25, 1500},
          judged,
          AwaitingHumanEvent{2, "the gate caps automated canaries below 50%"},
          ApprovedEvent{2, "alice"},
          RollbackEvent{"errors failed", 1, ""},
          RollbackEvent{"aborted by bob", std::nullopt, "bob"},
          RollbackSessionsEvent{RollbackSessions::kRestore, 3, 30000},
          VerifyingEvent{std::nullopt, 3, 1},
          VerifyingEvent{1200, std::nullopt, 0},
          RolledBackEvent{3, 1290},
          EscalatedEvent{"the rollback could not be verified"},
          PromotedEvent{"carol"},
          PromotedEvent{""},
          UnfrozenEvent{"svc", "dave", "fixed the host", "svc-0"}};
}

}  // namespace

TEST_CASE("journal: every record type round-trips through the codec") {
  int64_t seq = 0;
  for (const auto& event : OneOfEach()) {
    JournalRecord row = EncodeRecord("svc-1", event, 1000 + seq);
    row.seq = ++seq;
    INFO(row.state << " " << row.evidence_json);
    CHECK(ParseRolloutState(row.state) == StateOf(event));
    CHECK(json::parse(row.evidence_json)["format"] == kJournalFormat);
    auto decoded = DecodeRecord(row);
    REQUIRE(decoded.ok());
    CHECK(decoded->state() == StateOf(event));
    CHECK(decoded->seq == seq);
    CHECK(EvidenceJson(decoded->event) == row.evidence_json);  // nothing lost, nothing invented
  }
  auto judged = DecodeRecord(EncodeRecord("r", OneOfEach()[4], 1));
  REQUIRE(judged.ok());
  const auto& j = std::get<JudgedEvent>(judged->event);
  REQUIRE(j.verdicts.size() == 2);
  CHECK(j.verdicts[0].outcome == JudgeOutcome::kFail);
  CHECK(j.verdicts[0].effect == Approx(167.4));
  CHECK(j.unclear_action == UnclearAction::kPause);
  auto started = DecodeRecord(EncodeRecord("r", OneOfEach()[0], 1));
  REQUIRE(started.ok());
  CHECK(std::get<StartedEvent>(started->event).setup.gate_constraints.max_canary_weight == 5);
  CHECK_FALSE(std::get<StartedEvent>(started->event).setup.admission);  // no policy applied
  auto refused = DecodeRecord(EncodeRecord("r", OneOfEach()[1], 1));
  REQUIRE(refused.ok());
  const auto& a = std::get<NotAdmittedEvent>(refused->event).setup.admission;
  REQUIRE(a);
  CHECK_FALSE(a->admitted());
  CHECK(a->candidate.reasons.size() == 2);
  CHECK(a->candidate.failing == 1);
  CHECK(a->max_session_age_ms == 0);  // absent: no limit
  auto admitted = DecodeRecord(EncodeRecord("r", OneOfEach()[2], 1));
  REQUIRE(admitted.ok());
  CHECK(std::get<StartedEvent>(admitted->event).setup.admission->max_session_age_ms == 8 * 3'600'000);
  CHECK(IsTerminal(RolloutState::kNotAdmitted));
  CHECK(OutcomeOf(RolloutState::kNotAdmitted) == RolloutOutcome::kNotAdmitted);
  // A not_admitted record without its admission is damaged, never a default.
  JournalRecord bare = EncodeRecord("r", OneOfEach()[0], 1);
  bare.state = "not_admitted";
  CHECK_FALSE(DecodeRecord(bare).ok());
}

TEST_CASE(
    "journal: a missing or mistyped field, an unknown state or a newer format is an error, never a default") {
  auto row = EncodeRecord("svc-1", StepEvent{2, 50, 60000}, 5);
  row.seq = 7;
  json ev = json::parse(row.evidence_json);
  ev.erase("step");
  row.evidence_json = ev.dump();
  auto missing = DecodeRecord(row);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message == "journal record svc-1 #7 (step): field 'step' is missing");
  ev["step"] = "2";
  row.evidence_json = ev.dump();
  auto mistyped = DecodeRecord(row);
  REQUIRE_FALSE(mistyped.ok());
  CHECK(mistyped.error().message.find("field 'step' must be an integer") != std::string::npos);
  row.evidence_json = "not json";
  CHECK_FALSE(DecodeRecord(row).ok());
  row.evidence_json = R"({"step": 1, "weight": 1, "bake_ms": 1, "format": 2})";
  auto newer = DecodeRecord(row);
  REQUIRE_FALSE(newer.ok());
  CHECK(newer.error().message.find("journal format 2") != std::string::npos);
  row.state = "canary:10";
  auto unknown = DecodeRecord(row);
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().message.find("unknown state 'canary:10'") != std::string::npos);
  auto judged = EncodeRecord("r", OneOfEach()[4], 1);
  json j = json::parse(judged.evidence_json);
  j["verdicts"][1]["outcome"] = "maybe";
  judged.evidence_json = j.dump();
  auto bad_outcome = DecodeRecord(judged);
  REQUIRE_FALSE(bad_outcome.ok());
  CHECK(bad_outcome.error().message.find("verdicts[1]: field 'outcome'") != std::string::npos);
}

TEST_CASE("journal: records written before the codec decode to the same evidence (golden journals)") {
  for (const char* name : {"bad", "human"}) {
    json golden =
        json::parse(Slurp(std::string(RINGFENCE_SOURCE_DIR) + "/tests/golden/journal-v1/" + name + ".json"));
    REQUIRE(golden.size() >= 8);
    std::vector<JournalRecord> rows;
    for (const auto& r : golden) {
      rows.push_back({r["seq"], "golden", r["state"], r["evidence"].dump(), r["at"]});
    }
    auto journal = DecodeJournal(rows);
    INFO(name << ": " << (journal.ok() ? "" : journal.error().message));
    REQUIRE(journal.ok());
    for (size_t i = 0; i < rows.size(); ++i) {
      json old = json::parse(rows[i].evidence_json);
      json now = json::parse(EvidenceJson((*journal)[i].event));
      now.erase("format");
      INFO(rows[i].state);
      CHECK(now == old);
    }
    auto setup = SetupOf(*journal);
    REQUIRE(setup.ok());
    CHECK(ServiceOf(*setup) == "svc");  // recorded in the plan text, not yet as a field
  }
}

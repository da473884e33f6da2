// The rollout journal's records, typed: one struct per record, a variant of them, and the one
// codec between them and the store's rows (JournalRecord: a state name and evidence JSON). The
// orchestrator enters typed events; status, reports, progress and replay read typed fields.
//
// Format: evidence is a JSON object with the fields below; `"format": 1` is written in every
// record, and a record without it is read as format 1 (journals written before the field). A
// missing or mistyped field is an error naming the record, never a default. To add a record
// type: a struct here, a RolloutState, and its two lines in journal.cc (Encode and Decode).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/core/result.h"
#include "engine/model/admission.h"
#include "engine/ports/session_backend.h"
#include "engine/ports/state_store.h"
#include "engine/rollout/judge.h"
#include "engine/rollout/plan.h"
#include "engine/rules/rule.h"

namespace ringfence {

inline constexpr int kJournalFormat = 1;

// The states of a rollout, in the order it meets them; kUnfrozen is a service's record (a human
// clearing a freeze), kept under the id "freeze:<service>".
enum class RolloutState {
  kNotAdmitted,  // the image policy refused the candidate: the rollout's only record, no session started
  kStarted,
  kStep,
  kJudged,
  kAwaitingHuman,
  kApproved,
  kRollback,
  kRollbackSessions,
  kVerifying,
  kRolledBack,
  kEscalated,
  kPromoted,
  kUnfrozen,
};
const char* ToString(RolloutState s);
std::optional<RolloutState> ParseRolloutState(std::string_view s);
bool IsTerminal(RolloutState s);
// A state of the rollback (final once entered): kRollback and everything after it.
bool IsRollbackState(RolloutState s);

// How a rollout ended (or stopped): what `rollout status`, exit codes and replay read.
enum class RolloutOutcome { kPromoted, kRolledBack, kAwaitingHuman, kEscalated, kNotAdmitted };
const char* ToString(RolloutOutcome o);  // display text only: compare outcomes, never this text
std::optional<RolloutOutcome> OutcomeOf(RolloutState s);

enum class JudgedDecision { kPass, kFail, kUnclear };
const char* ToString(JudgedDecision d);
enum class UnclearAction { kPause, kRollback };
const char* ToString(UnclearAction a);

// What a rollout is: recorded in its first journal record, so a resumed rollout runs the plan it
// started with even if the file changed since.
struct RolloutSetup {
  std::string id;
  std::string plan_path;
  std::string plan_text;  // with URL credentials redacted
  ImageRef baseline, candidate;
  RolloutConstraints gate_constraints;         // from the gate's verdict, applied on top of the plan's own
  std::string service;                         // the plan's, recorded at the start ("" in older journals)
  std::optional<AdmissionDecision> admission;  // absent when no image policy applied (and in older journals)
};

struct NotAdmittedEvent {
  RolloutSetup setup;  // with the admission that refused it
};
struct StartedEvent {
  RolloutSetup setup;
};
struct StepEvent {
  int step = 0;  // index into the plan's steps (displayed 1-based)
  double weight = 0;
  int64_t bake_ms = 0;
};
struct MetricVerdictRecord {
  std::string metric;
  std::string judge;  // threshold | mann_whitney | count | sequential
  JudgeOutcome outcome = JudgeOutcome::kNoData;
  std::string reason;
  double p_value = 1;
  double effect = 0;
};
struct JudgedEvent {
  int step = 0;
  double weight = 0;
  std::vector<MetricVerdictRecord> verdicts;
  int64_t window_ms = 0;
  int canary_sessions = 0, baseline_sessions = 0, parked_sessions = 0;
  JudgedDecision decision = JudgedDecision::kUnclear;
  std::optional<UnclearAction> unclear_action;  // with decision kUnclear
  std::string unclear_reason;
};
struct AwaitingHumanEvent {
  int step = 0;  // the step to enter once approved (== steps.size(): promotion)
  std::string reason;
};
struct ApprovedEvent {
  int step = 0;
  std::string by;
};
struct RollbackEvent {
  std::string reason;
  std::optional<int> step;  // the step being judged, when a judgement decided
  std::string by;           // the human who aborted; "" when the orchestrator decided
};
struct RollbackSessionsEvent {
  RollbackSessions mode = RollbackSessions::kDrain;
  int canary_sessions = 0;
  int64_t drain_timeout_ms = 0;
};
struct VerifyingEvent {
  std::optional<int64_t> drained_by_ms;  // drain mode
  std::optional<int> restored;           // restore mode: clients moved onto restored baseline sessions
  int64_t terminated = 0;
};
struct RolledBackEvent {
  int checks = 0;
  int64_t rollback_ms = 0;
};
struct EscalatedEvent {
  std::string reason;
};
struct PromotedEvent {
  std::string by;  // "" when promoted without a human
};
struct UnfrozenEvent {
  std::string service, by, reason, frozen_by;
};

using RolloutEvent = std::variant<NotAdmittedEvent, StartedEvent, StepEvent, JudgedEvent, AwaitingHumanEvent,
                                  ApprovedEvent, RollbackEvent, RollbackSessionsEvent, VerifyingEvent,
                                  RolledBackEvent, EscalatedEvent, PromotedEvent, UnfrozenEvent>;
RolloutState StateOf(const RolloutEvent& e);

// A journal row with its event decoded.
struct TypedRecord {
  int64_t seq = 0;
  std::string rollout_id;
  int64_t at_unix_ms = 0;
  RolloutEvent event;
  RolloutState state() const { return StateOf(event); }
};

// The row for `event` (seq 0: the store assigns it).
JournalRecord EncodeRecord(const std::string& rollout_id, const RolloutEvent& event, int64_t at_unix_ms);
// The typed event of a row; kIo naming the rollout, the record and the field when the state is
// unknown or the evidence misses or mistypes a field.
Result<TypedRecord> DecodeRecord(const JournalRecord& record);
Result<std::vector<TypedRecord>> DecodeJournal(const std::vector<JournalRecord>& journal);

// The evidence of an event as JSON text (what the audit log and `status --format json` show).
std::string EvidenceJson(const RolloutEvent& event);

// The setup and the service of a rollout, from its decoded journal (its first record).
Result<RolloutSetup> SetupOf(const std::vector<TypedRecord>& journal);
// The service of a rollout: recorded in its start record, or (older journals) named by its plan.
std::string ServiceOf(const RolloutSetup& setup);

}  // namespace ringfence

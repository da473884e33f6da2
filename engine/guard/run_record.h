// What `guard run` journals, in the state directory's staged-run journal (the journal table under
// the reserved id kGuardRunJournal, chained into the audit log with the rest): a run's start (its
// file's digest, the verdict, the argv of every target), each wave begun, each target's command
// ended, each wave's checks, and the run's end. A run whose end is missing was interrupted:
// `guard run` on the same file resumes it from these records.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "engine/core/result.h"
#include "engine/ports/state_store.h"
#include "engine/rules/evaluator.h"

namespace ringfence {

struct RunStartedEvent {
  std::string run_id, name, path;
  std::string plan;                  // the parsed file, canonical: a resumed run must have the same
  std::vector<std::string> targets;  // ids, in order
  std::vector<int64_t> waves;        // cumulative counts
  int64_t bake_ms = 0;
  Decision decision = Decision::kIndeterminate;
  std::vector<std::string> rules;  // the ids of the rules that fired
  std::string actor;
};
struct WaveStartedEvent {
  std::string run_id;
  int64_t wave = 0;  // 0-based
};
struct TargetRanEvent {
  std::string run_id, target;
  int64_t wave = 0;
  bool started = false;
  int exit_code = -1;
  int signal = 0;
  std::string error;
};
struct WaveCheckedEvent {
  std::string run_id;
  int64_t wave = 0;
  bool passed = false;
  std::vector<std::string> unhealthy;  // "target: why"
};
enum class RunOutcome { kCompleted, kStopped, kRefused, kAbandoned };
const char* ToString(RunOutcome outcome);
struct RunEndedEvent {
  std::string run_id;
  RunOutcome outcome = RunOutcome::kStopped;
  std::string detail;
};

using RunEvent =
    std::variant<RunStartedEvent, WaveStartedEvent, TargetRanEvent, WaveCheckedEvent, RunEndedEvent>;

JournalRecord EncodeRunRecord(const RunEvent& event, int64_t at_unix_ms);
// kIo for a record that is not a staged-run record of this release.
Result<RunEvent> DecodeRunRecord(const JournalRecord& record);

// A run as its records tell it.
struct RunHistory {
  RunStartedEvent started;
  std::vector<TargetRanEvent> ran;
  std::vector<WaveCheckedEvent> checked;
  int64_t waves_started = 0;
  std::optional<RunEndedEvent> ended;
};

// Every run, in the order started. kIo for a record that does not decode or names a run not
// started, a wave out of order, or records after a run's end.
Result<std::vector<RunHistory>> RunsOf(const std::vector<JournalRecord>& records);

}  // namespace ringfence

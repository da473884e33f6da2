// What `guard exec` journals, in the state directory's guard journal (the journal table under the
// reserved id kGuardJournal, so the audit log chains and verifies these records with the
// rollouts'): the decision, before anything runs, and the outcome once the command has ended. A
// decision with no outcome is a command whose end nobody saw (the guard was killed while it ran).
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

struct ExecDecidedEvent {
  std::string exec_id;            // unique per `guard exec`; ties the outcome to its decision
  std::vector<std::string> argv;  // exactly what runs when allowed
  std::string cwd;
  std::string actor;  // ai, bot or human
  std::vector<std::string> agents;
  std::vector<std::string> approved_by;
  Decision decision = Decision::kIndeterminate;
  std::vector<std::string> rules;  // the ids of the rules that fired
  std::string reason;              // one line for people
};

struct ExecEndedEvent {
  std::string exec_id;
  bool started = false;  // false: the program could not be started (see error)
  int exit_code = -1;    // its exit status; -1 when a signal ended it
  int signal = 0;        // the signal that ended it, 0 for none
  int64_t duration_ms = 0;
  std::string error;
};

using ExecEvent = std::variant<ExecDecidedEvent, ExecEndedEvent>;

JournalRecord EncodeExecRecord(const ExecEvent& event, int64_t at_unix_ms);
// kIo for a record that is not a guard record of this release (a missing or mistyped field).
Result<ExecEvent> DecodeExecRecord(const JournalRecord& record);

// One `guard exec`: its decision, and how the command ended when that was journaled.
struct ExecEntry {
  ExecDecidedEvent decided;
  int64_t decided_unix_ms = 0;
  std::optional<ExecEndedEvent> ended;
};

// The guard journal's records paired by exec id, in the order decided. kIo for a record that does
// not decode, or an end with no decision before it.
Result<std::vector<ExecEntry>> ExecsOf(const std::vector<JournalRecord>& records);

}  // namespace ringfence

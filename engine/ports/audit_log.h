// Port: the append-only audit log. Every decision of a rollout (each journal record: the state
// entered, with its evidence) is appended to it; entries are hash-chained so that editing, removing
// or reordering one is detected (`ringfence audit verify`). Implementation: adapters/store.
#pragma once

#include <cstdint>
#include <string>

#include "engine/core/result.h"
#include "engine/ports/state_store.h"

namespace ringfence {

class AuditLog {
 public:
  virtual ~AuditLog() = default;
  // Appends the decision a journal record states. Idempotent per (rollout, seq): a record already
  // in the log is not written twice, so a resumed orchestrator can re-offer its journal.
  virtual Status Record(const JournalRecord& record) = 0;
  // The highest journal sequence number of `rollout_id` in the log (0 when none).
  virtual Result<int64_t> LastSeq(const std::string& rollout_id) = 0;
};

}  // namespace ringfence

// Port: durable state of rollouts. Every transition is written (and synced) before it acts, so
// that a killed orchestrator resumes from the last record. Implementation: adapters/store (SQLite
// in WAL mode).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/result.h"

namespace ringfence {

struct JournalRecord {
  int64_t seq = 0;            // assigned by the store, strictly increasing per rollout
  std::string rollout_id;
  std::string state;          // state entered, e.g. "canary:10", "rollback:draining"
  std::string evidence_json;  // judges' verdicts, sessions touched, reason
  int64_t at_unix_ms = 0;
};

class StateStore {
 public:
  virtual ~StateStore() = default;
  // Appends a record durably; returns it with its sequence number.
  virtual Result<JournalRecord> Append(const JournalRecord& record) = 0;
  virtual Result<std::vector<JournalRecord>> Journal(const std::string& rollout_id) = 0;
  virtual Result<std::optional<JournalRecord>> Last(const std::string& rollout_id) = 0;
};

}  // namespace ringfence

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

// Automated rollouts of a service stop after a rollback that could not be verified, until a
// human clears the freeze.
struct Freeze {
  std::string service;
  std::string rollout_id;
  std::string reason;
  int64_t at_unix_ms = 0;
};

struct RolloutSummary {
  std::string rollout_id;
  JournalRecord last;
};

class StateStore {
 public:
  virtual ~StateStore() = default;
  // Appends a record durably; returns it with its sequence number.
  virtual Result<JournalRecord> Append(const JournalRecord& record) = 0;
  virtual Result<std::vector<JournalRecord>> Journal(const std::string& rollout_id) = 0;
  virtual Result<std::optional<JournalRecord>> Last(const std::string& rollout_id) = 0;
  // Every rollout with its last record, most recent first.
  virtual Result<std::vector<RolloutSummary>> Rollouts() = 0;

  virtual Status SetFreeze(const Freeze& freeze) = 0;
  virtual Result<std::optional<Freeze>> FreezeOf(const std::string& service) = 0;
  virtual Status ClearFreeze(const std::string& service) = 0;
};

}  // namespace ringfence

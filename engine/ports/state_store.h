// Port: durable state of rollouts. Every transition is written (and synced) before it acts, so
// that a killed orchestrator resumes from the last record. Implementation: adapters/store (SQLite
// in WAL mode).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.h"

namespace ringfence {

// A journal that is not a rollout's: its id starts with '@', which no rollout id holds. The fleet
// journal (image revocations) and the guard's (what `guard exec` decided and ran; `guard run`'s
// staged runs) are such; they are chained into the audit log like the rollouts'.
inline constexpr const char* kFleetJournal = "@fleet";
inline constexpr const char* kGuardJournal = "@guard";
inline constexpr const char* kGuardRunJournal = "@guard-run";  // `guard run`'s staged runs
inline bool IsStoreJournal(std::string_view id) { return !id.empty() && id[0] == '@'; }

struct JournalRecord {
  int64_t seq = 0;  // assigned by the store, strictly increasing per rollout
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

// One driver per service: the process that drives a service's rollout holds its lease and renews
// it (a heartbeat) well before it expires; a lease past its expiry belongs to nobody.
struct Lease {
  std::string service;
  std::string rollout_id;
  std::string holder;  // who drives: "host:pid:nonce"
  int64_t expires_unix_ms = 0;
};

class StateStore {
 public:
  virtual ~StateStore() = default;
  // Appends `record` durably as the rollout's next record, provided the rollout's last record is
  // still the one the writer read (`expected_seq`, 0 for a rollout with no record yet): one
  // transaction, a compare-and-set. Of two writers that read the same last record exactly one
  // appends; the other gets kConflict. Returns the record with its sequence number.
  virtual Result<JournalRecord> Append(const JournalRecord& record, int64_t expected_seq) = 0;
  virtual Result<std::vector<JournalRecord>> Journal(const std::string& rollout_id) = 0;
  virtual Result<std::optional<JournalRecord>> Last(const std::string& rollout_id) = 0;
  // Every rollout with its last record, most recent first (not the journals IsStoreJournal names).
  virtual Result<std::vector<RolloutSummary>> Rollouts() = 0;

  virtual Status SetFreeze(const Freeze& freeze) = 0;
  virtual Result<std::optional<Freeze>> FreezeOf(const std::string& service) = 0;
  virtual Status ClearFreeze(const std::string& service) = 0;

  // Takes the service's lease for `lease.holder` until `lease.expires_unix_ms`, or renews it: when
  // it is free, expired at `now_unix_ms`, or held by that holder already. kConflict naming the
  // live holder otherwise.
  virtual Status TakeLease(const Lease& lease, int64_t now_unix_ms) = 0;
  // Gives the lease up (only the holder's own; a no-op otherwise).
  virtual Status ReleaseLease(const std::string& service, const std::string& holder) = 0;
  // The service's lease as recorded, expired or not; nullopt when none.
  virtual Result<std::optional<Lease>> LeaseOf(const std::string& service) = 0;
};

}  // namespace ringfence

// Image revocations, journaled in the state directory's fleet journal (the journal table under the
// reserved id kFleetJournal, so the audit log chains and verifies them with the rollouts'): a
// revocation is recorded before anything acts on it, and its completion after every session,
// snapshot and rollout of the digest has been dealt with, so a revoking process killed in between
// leaves a pending revocation that the next `image revoke` (or `fleet drift`) finds. A
// revocation is permanent.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/core/image_digest.h"
#include "engine/core/result.h"
#include "engine/ports/state_store.h"

namespace ringfence {

struct ImageRevokedEvent {
  std::string digest;  // "sha256:<64 hex>"
  std::string reason;
  std::string by;
};
struct RevocationCompletedEvent {
  std::string digest;
  int64_t sessions_ended = 0;
  int64_t snapshots_deleted = 0;
  std::vector<std::string> rollouts_stopped;
};
using FleetEvent = std::variant<ImageRevokedEvent, RevocationCompletedEvent>;

JournalRecord EncodeFleetRecord(const FleetEvent& event, int64_t at_unix_ms);
// kIo for a record that is not a fleet record of this release (a missing or mistyped field).
Result<FleetEvent> DecodeFleetRecord(const JournalRecord& record);

struct Revocation {
  std::string digest, reason, by;
  int64_t at_unix_ms = 0;
  bool completed = false;
  int64_t completed_unix_ms = 0;
};
// Every digest revoked in the fleet journal `records`, by digest; kIo for a record that does not decode.
Result<std::map<std::string, Revocation>> RevocationsOf(const std::vector<JournalRecord>& records);

}  // namespace ringfence

// The journal and audit log of a simulated rollout, in memory: the same StateStore and AuditLog
// contracts as SQLite and the audit file, without the disk.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/ports/audit_log.h"
#include "engine/ports/state_store.h"

namespace ringfence::sim {

class MemoryStateStore : public StateStore {
 public:
  Result<JournalRecord> Append(const JournalRecord& r, int64_t expected_seq) override {
    auto& j = journals_[r.rollout_id];
    if (static_cast<int64_t>(j.size()) != expected_seq) {
      return Error::Conflict("rollout " + r.rollout_id + " has record #" + std::to_string(j.size()) +
                             ", not #" + std::to_string(expected_seq));
    }
    JournalRecord out = r;
    out.seq = static_cast<int64_t>(j.size()) + 1;
    j.push_back(out);
    return out;
  }
  Result<std::vector<JournalRecord>> Journal(const std::string& id) override {
    auto it = journals_.find(id);
    return it == journals_.end() ? std::vector<JournalRecord>{} : it->second;
  }
  Result<std::optional<JournalRecord>> Last(const std::string& id) override {
    auto it = journals_.find(id);
    if (it == journals_.end() || it->second.empty()) return std::optional<JournalRecord>();
    return std::optional<JournalRecord>(it->second.back());
  }
  Result<std::vector<RolloutSummary>> Rollouts() override {
    std::vector<RolloutSummary> out;
    for (const auto& [id, j] : journals_) {
      if (!j.empty() && !IsStoreJournal(id)) out.push_back({id, j.back()});
    }
    return out;
  }
  Status SetFreeze(const Freeze& f) override {
    freezes_.emplace(f.service, f);
    return Status::Ok();
  }
  Result<std::optional<Freeze>> FreezeOf(const std::string& service) override {
    auto it = freezes_.find(service);
    return it == freezes_.end() ? std::optional<Freeze>() : std::optional<Freeze>(it->second);
  }
  Status ClearFreeze(const std::string& service) override {
    freezes_.erase(service);
    return Status::Ok();
  }
  Status TakeLease(const Lease& lease, int64_t now) override {
    auto it = leases_.find(lease.service);
    if (it != leases_.end() && it->second.holder != lease.holder && it->second.expires_unix_ms > now) {
      return Error::Conflict(lease.service + " is driven by " + it->second.holder);
    }
    leases_[lease.service] = lease;
    return Status::Ok();
  }
  Status ReleaseLease(const std::string& service, const std::string& holder) override {
    if (auto it = leases_.find(service); it != leases_.end() && it->second.holder == holder)
      leases_.erase(it);
    return Status::Ok();
  }
  Result<std::optional<Lease>> LeaseOf(const std::string& service) override {
    auto it = leases_.find(service);
    return it == leases_.end() ? std::optional<Lease>() : std::optional<Lease>(it->second);
  }

 private:
  std::map<std::string, Lease> leases_;
  std::map<std::string, std::vector<JournalRecord>> journals_;
  std::map<std::string, Freeze> freezes_;
};

class MemoryAuditLog : public AuditLog {
 public:
  Status Record(const JournalRecord& r) override {
    int64_t& last = last_[r.rollout_id];
    if (r.seq > last) last = r.seq;
    return Status::Ok();
  }
  Result<int64_t> LastSeq(const std::string& id) override {
    auto it = last_.find(id);
    return it == last_.end() ? 0 : it->second;
  }

 private:
  std::map<std::string, int64_t> last_;
};

}  // namespace ringfence::sim

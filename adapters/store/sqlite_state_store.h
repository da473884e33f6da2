// StateStore on SQLite in WAL mode with synchronous=FULL: a record Append returns is on disk, and
// a process killed at any instant leaves a journal that ends at its last complete record. Appends
// and leases are compare-and-set inside one BEGIN IMMEDIATE transaction, so they hold across
// processes. The database (and its -wal and -shm files) is never opened through a symlink, and
// is created 0600. A lease whose holder process on this host is gone is free (see lease_holder.h).
// Thread-safe: one connection, serialised.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "engine/ports/state_store.h"

struct sqlite3;

namespace ringfence::store {

class SqliteStateStore : public StateStore {
 public:
  // Opens (creating if needed) the database at `path`. kIo when it cannot be opened or is not a
  // ringfence journal.
  // With read_only, a missing database is kNotFound and nothing is created.
  static Result<std::unique_ptr<SqliteStateStore>> Open(const std::string& path, bool read_only = false);
  ~SqliteStateStore() override;

  Result<JournalRecord> Append(const JournalRecord& record, int64_t expected_seq) override;
  Result<std::vector<JournalRecord>> Journal(const std::string& rollout_id) override;
  Result<std::optional<JournalRecord>> Last(const std::string& rollout_id) override;
  Result<std::vector<RolloutSummary>> Rollouts() override;
  Status SetFreeze(const Freeze& freeze) override;
  Result<std::optional<Freeze>> FreezeOf(const std::string& service) override;
  Status ClearFreeze(const std::string& service) override;
  Status TakeLease(const Lease& lease, int64_t now_unix_ms) override;
  Status ReleaseLease(const std::string& service, const std::string& holder) override;
  Result<std::optional<Lease>> LeaseOf(const std::string& service) override;

 private:
  explicit SqliteStateStore(sqlite3* db) : db_(db) {}
  Status Exec(const char* sql);
  sqlite3* db_;
  std::recursive_mutex mu_;
};

}  // namespace ringfence::store

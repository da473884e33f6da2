// StateStore on SQLite in WAL mode with synchronous=FULL: a record Append returns is on disk, and
// a process killed at any instant leaves a journal that ends at its last complete record.
#pragma once

#include <memory>
#include <string>

#include "engine/ports/state_store.h"

struct sqlite3;

namespace ringfence::store {

class SqliteStateStore : public StateStore {
 public:
  // Opens (creating if needed) the database at `path`. kIo when it cannot be opened or is not a
  // ringfence journal.
  static Result<std::unique_ptr<SqliteStateStore>> Open(const std::string& path);
  ~SqliteStateStore() override;

  Result<JournalRecord> Append(const JournalRecord& record) override;
  Result<std::vector<JournalRecord>> Journal(const std::string& rollout_id) override;
  Result<std::optional<JournalRecord>> Last(const std::string& rollout_id) override;
  Result<std::vector<RolloutSummary>> Rollouts() override;
  Status SetFreeze(const Freeze& freeze) override;
  Result<std::optional<Freeze>> FreezeOf(const std::string& service) override;
  Status ClearFreeze(const std::string& service) override;

 private:
  explicit SqliteStateStore(sqlite3* db) : db_(db) {}
  Status Exec(const char* sql);
  sqlite3* db_;
};

}  // namespace ringfence::store

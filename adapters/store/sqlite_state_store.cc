#include "adapters/store/sqlite_state_store.h"

#include "adapters/store/lease_holder.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

namespace ringfence::store {
namespace {

struct Stmt {
  sqlite3_stmt* s = nullptr;
  ~Stmt() { sqlite3_finalize(s); }
};

Error SqlError(sqlite3* db, const std::string& doing) {
  return Error::Io(doing + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

// A text column as bytes; "" for NULL (a damaged or hostile database may hold anything).
std::string Text(sqlite3_stmt* s, int col) {
  const unsigned char* p = sqlite3_column_text(s, col);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(s, col)))
           : "";
}

JournalRecord Row(sqlite3_stmt* s) {
  JournalRecord r;
  r.rollout_id = Text(s, 0);
  r.seq = sqlite3_column_int64(s, 1);
  r.state = Text(s, 2);
  r.evidence_json = Text(s, 3);
  r.at_unix_ms = sqlite3_column_int64(s, 4);
  return r;
}

}  // namespace

Result<std::unique_ptr<SqliteStateStore>> SqliteStateStore::Open(const std::string& path, bool read_only) {
  // SQLite follows symlinks for its -wal and -shm files and creates files with the umask's mode:
  // all three are checked (and the database created 0600) here first.
  for (const std::string& f : {path, path + "-wal", path + "-shm"}) {
    struct stat st;
    if (::lstat(f.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
      return Error::InvalidInput(
          f + " is not a regular file (a symlink?); refusing to open the journal through it");
    }
  }
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) {
    if (read_only) return Error::NotFound("no journal at " + path);
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST)
      return Error::Io("cannot create the journal " + path + ": " + std::strerror(errno));
    if (fd >= 0) ::close(fd);
  }
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_NOFOLLOW,
                      nullptr) != SQLITE_OK) {
    Error e = SqlError(db, "opening the journal " + path);
    sqlite3_close(db);
    return e;
  }
  std::unique_ptr<SqliteStateStore> store(new SqliteStateStore(db));
  sqlite3_busy_timeout(db, 5000);
  for (const char* sql :
       {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL",
        "CREATE TABLE IF NOT EXISTS journal (rollout_id TEXT NOT NULL, seq INTEGER NOT NULL,"
        " state TEXT NOT NULL, evidence TEXT NOT NULL, at_ms INTEGER NOT NULL,"
        " PRIMARY KEY (rollout_id, seq))",
        "CREATE TABLE IF NOT EXISTS freezes (service TEXT PRIMARY KEY, rollout_id TEXT NOT NULL,"
        " reason TEXT NOT NULL, at_ms INTEGER NOT NULL)",
        "CREATE TABLE IF NOT EXISTS leases (service TEXT PRIMARY KEY, rollout_id TEXT NOT NULL,"
        " holder TEXT NOT NULL, expires_ms INTEGER NOT NULL)"}) {
    // Two processes opening a new journal at once: switching it to WAL answers "locked" at once
    // (SQLite does not wait on a busy handler there), so the setup is retried for a while.
    Status st = store->Exec(sql);
    for (int tries = 0; !st && st.error().message.find("locked") != std::string::npos && tries < 500;
         ++tries) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      st = store->Exec(sql);
    }
    if (!st) return st.error().Wrap(path);
  }
  return store;
}

SqliteStateStore::~SqliteStateStore() { sqlite3_close(db_); }

Status SqliteStateStore::Exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return Error::Io(std::string(sql).substr(0, 40) + ": " + msg);
  }
  return Status::Ok();
}

Result<JournalRecord> SqliteStateStore::Append(const JournalRecord& record, int64_t expected_seq) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  // One transaction: read the last sequence number, compare, insert. BEGIN IMMEDIATE takes the
  // write lock first, so no other process appends in between.
  if (auto st = Exec("BEGIN IMMEDIATE"); !st) return st.error();
  auto rollback = [&](Error e) -> Result<JournalRecord> {
    (void)Exec("ROLLBACK");
    return e;
  };
  int64_t last = 0;
  {
    Stmt q;
    if (sqlite3_prepare_v2(db_, "SELECT COALESCE(MAX(seq), 0) FROM journal WHERE rollout_id = ?1", -1, &q.s,
                           nullptr) != SQLITE_OK) {
      return rollback(SqlError(db_, "preparing an append"));
    }
    sqlite3_bind_text(q.s, 1, record.rollout_id.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(q.s) != SQLITE_ROW) return rollback(SqlError(db_, "reading the journal"));
    last = sqlite3_column_int64(q.s, 0);
  }
  if (last != expected_seq) {
    return rollback(Error::Conflict("rollout " + record.rollout_id + " changed: its last record is #" +
                                    std::to_string(last) + ", not #" + std::to_string(expected_seq) +
                                    " as read (another process appended first)"));
  }
  Stmt s;
  if (sqlite3_prepare_v2(
          db_, "INSERT INTO journal (rollout_id, seq, state, evidence, at_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
          -1, &s.s, nullptr) != SQLITE_OK) {
    return rollback(SqlError(db_, "preparing an append"));
  }
  sqlite3_bind_text(s.s, 1, record.rollout_id.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(s.s, 2, last + 1);
  sqlite3_bind_text(s.s, 3, record.state.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(s.s, 4, record.evidence_json.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(s.s, 5, record.at_unix_ms);
  if (sqlite3_step(s.s) != SQLITE_DONE) return rollback(SqlError(db_, "appending to the journal"));
  if (auto st = Exec("COMMIT"); !st) return rollback(st.error());
  JournalRecord out = record;
  out.seq = last + 1;
  return out;
}

Status SqliteStateStore::TakeLease(const Lease& lease, int64_t now) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  if (auto st = Exec("BEGIN IMMEDIATE"); !st) return st;
  auto rollback = [&](Error e) -> Status {
    (void)Exec("ROLLBACK");
    return e;
  };
  {
    Stmt q;
    if (sqlite3_prepare_v2(db_, "SELECT rollout_id, holder, expires_ms FROM leases WHERE service = ?1", -1,
                           &q.s, nullptr) != SQLITE_OK) {
      return rollback(SqlError(db_, "reading leases"));
    }
    sqlite3_bind_text(q.s, 1, lease.service.c_str(), -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(q.s);
    if (rc == SQLITE_ROW) {
      std::string rollout = Text(q.s, 0);
      std::string holder = Text(q.s, 1);
      int64_t expires = sqlite3_column_int64(q.s, 2);
      if (holder != lease.holder && expires > now && LeaseHolderAlive(holder)) {
        return rollback(Error::Conflict("rollout " + rollout + " of " + lease.service + " is driven by " +
                                        holder + " (its lease runs " +
                                        std::to_string((expires - now + 999) / 1000) + " s more)"));
      }
    } else if (rc != SQLITE_DONE) {
      return rollback(SqlError(db_, "reading leases"));
    }
  }
  Stmt s;
  if (sqlite3_prepare_v2(
          db_,
          "INSERT OR REPLACE INTO leases (service, rollout_id, holder, expires_ms) VALUES (?1, ?2, ?3, ?4)",
          -1, &s.s, nullptr) != SQLITE_OK) {
    return rollback(SqlError(db_, "taking the lease"));
  }
  sqlite3_bind_text(s.s, 1, lease.service.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(s.s, 2, lease.rollout_id.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(s.s, 3, lease.holder.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(s.s, 4, lease.expires_unix_ms);
  if (sqlite3_step(s.s) != SQLITE_DONE) return rollback(SqlError(db_, "taking the lease"));
  return Exec("COMMIT");
}

Status SqliteStateStore::ReleaseLease(const std::string& service, const std::string& holder) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  Stmt s;
  if (sqlite3_prepare_v2(db_, "DELETE FROM leases WHERE service = ?1 AND holder = ?2", -1, &s.s, nullptr) !=
      SQLITE_OK) {
    return SqlError(db_, "releasing the lease");
  }
  sqlite3_bind_text(s.s, 1, service.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(s.s, 2, holder.c_str(), -1, SQLITE_TRANSIENT);
  if (sqlite3_step(s.s) != SQLITE_DONE) return SqlError(db_, "releasing the lease");
  return Status::Ok();
}

Result<std::optional<Lease>> SqliteStateStore::LeaseOf(const std::string& service) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  Stmt q;
  if (sqlite3_prepare_v2(db_, "SELECT rollout_id, holder, expires_ms FROM leases WHERE service = ?1", -1,
                         &q.s, nullptr) != SQLITE_OK) {
    return SqlError(db_, "reading leases");
  }
  sqlite3_bind_text(q.s, 1, service.c_str(), -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(q.s);
  if (rc == SQLITE_DONE) return std::optional<Lease>();
  if (rc != SQLITE_ROW) return SqlError(db_, "reading leases");
  return std::optional<Lease>(Lease{service, Text(q.s, 0), Text(q.s, 1), sqlite3_column_int64(q.s, 2)});
}

Result<std::vector<JournalRecord>> SqliteStateStore::Journal(const std::string& rollout_id) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  Stmt s;
  if (sqlite3_prepare_v2(db_,
                         "SELECT rollout_id, seq, state, evidence, at_ms FROM journal WHERE rollout_id = ?1"
                         " ORDER BY seq",
                         -1, &s.s, nullptr) != SQLITE_OK) {
    return SqlError(db_, "reading the journal");
  }
  sqlite3_bind_text(s.s, 1, rollout_id.c_str(), -1, SQLITE_TRANSIENT);
  std::vector<JournalRecord> out;
  int rc;
  while ((rc = sqlite3_step(s.s)) == SQLITE_ROW) out.push_back(Row(s.s));
  if (rc != SQLITE_DONE) return SqlError(db_, "reading the journal");
  return out;
}

Result<std::optional<JournalRecord>> SqliteStateStore::Last(const std::string& rollout_id) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  Stmt s;
  if (sqlite3_prepare_v2(db_,
                         "SELECT rollout_id, seq, state, evidence, at_ms FROM journal WHERE rollout_id = ?1"
                         " ORDER BY seq DESC LIMIT 1",
                         -1, &s.s, nullptr) != SQLITE_OK) {
    return SqlError(db_, "reading the journal");
  }
  sqlite3_bind_text(s.s, 1, rollout_id.c_str(), -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(s.s);
  if (rc == SQLITE_DONE) return std::optional<JournalRecord>();
  if (rc != SQLITE_ROW) return SqlError(db_, "reading the journal");
  return std::optional<JournalRecord>(Row(s.s));
}

Result<std::vector<RolloutSummary>> SqliteStateStore::Rollouts() {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  Stmt s;
  const char* sql =
      "SELECT j.rollout_id, j.seq, j.state, j.evidence, j.at_ms FROM journal j"
      " JOIN (SELECT rollout_id, MAX(seq) AS seq, MIN(at_ms) AS began FROM journal GROUP BY rollout_id) m"
      " ON j.rollout_id = m.rollout_id AND j.seq = m.seq ORDER BY m.began DESC, j.rollout_id";
  if (sqlite3_prepare_v2(db_, sql, -1, &s.s, nullptr) != SQLITE_OK) return SqlError(db_, "listing rollouts");
  std::vector<RolloutSummary> out;
  int rc;
  while ((rc = sqlite3_step(s.s)) == SQLITE_ROW) {
    JournalRecord r = Row(s.s);
    if (IsStoreJournal(r.rollout_id)) continue;
    out.push_back({r.rollout_id, r});
  }
  if (rc != SQLITE_DONE) return SqlError(db_, "listing rollouts");
  return out;
}

Status SqliteStateStore::SetFreeze(const Freeze& f) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  Stmt s;
  // The first unverified rollback's reason stays until a human clears it.
  if (sqlite3_prepare_v2(
          db_, "INSERT OR IGNORE INTO freezes (service, rollout_id, reason, at_ms) VALUES (?1, ?2, ?3, ?4)",
          -1, &s.s, nullptr) != SQLITE_OK) {
    return SqlError(db_, "freezing " + f.service);
  }
  sqlite3_bind_text(s.s, 1, f.service.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(s.s, 2, f.rollout_id.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(s.s, 3, f.reason.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(s.s, 4, f.at_unix_ms);
  if (sqlite3_step(s.s) != SQLITE_DONE) return SqlError(db_, "freezing " + f.service);
  return Status::Ok();
}

Result<std::optional<Freeze>> SqliteStateStore::FreezeOf(const std::string& service) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  Stmt s;
  if (sqlite3_prepare_v2(db_, "SELECT rollout_id, reason, at_ms FROM freezes WHERE service = ?1", -1, &s.s,
                         nullptr) != SQLITE_OK) {
    return SqlError(db_, "reading freezes");
  }
  sqlite3_bind_text(s.s, 1, service.c_str(), -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(s.s);
  if (rc == SQLITE_DONE) return std::optional<Freeze>();
  if (rc != SQLITE_ROW) return SqlError(db_, "reading freezes");
  return std::optional<Freeze>(Freeze{service, Text(s.s, 0), Text(s.s, 1), sqlite3_column_int64(s.s, 2)});
}

Status SqliteStateStore::ClearFreeze(const std::string& service) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  Stmt s;
  if (sqlite3_prepare_v2(db_, "DELETE FROM freezes WHERE service = ?1", -1, &s.s, nullptr) != SQLITE_OK) {
    return SqlError(db_, "clearing the freeze of " + service);
  }
  sqlite3_bind_text(s.s, 1, service.c_str(), -1, SQLITE_TRANSIENT);
  if (sqlite3_step(s.s) != SQLITE_DONE) return SqlError(db_, "clearing the freeze of " + service);
  return Status::Ok();
}

}  // namespace ringfence::store

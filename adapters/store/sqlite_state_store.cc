#include "adapters/store/sqlite_state_store.h"

#include <sqlite3.h>

namespace ringfence::store {
namespace {

struct Stmt {
  sqlite3_stmt* s = nullptr;
  ~Stmt() { sqlite3_finalize(s); }
};

Error SqlError(sqlite3* db, const std::string& doing) {
  return Error::Io(doing + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

JournalRecord Row(sqlite3_stmt* s) {
  JournalRecord r;
  r.rollout_id = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  r.seq = sqlite3_column_int64(s, 1);
  r.state = reinterpret_cast<const char*>(sqlite3_column_text(s, 2));
  r.evidence_json = reinterpret_cast<const char*>(sqlite3_column_text(s, 3));
  r.at_unix_ms = sqlite3_column_int64(s, 4);
  return r;
}

}  // namespace

Result<std::unique_ptr<SqliteStateStore>> SqliteStateStore::Open(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    Error e = SqlError(db, "opening the journal " + path);
    sqlite3_close(db);
    return e;
  }
  std::unique_ptr<SqliteStateStore> store(new SqliteStateStore(db));
  sqlite3_busy_timeout(db, 5000);
  for (const char* sql : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL",
                          "CREATE TABLE IF NOT EXISTS journal (rollout_id TEXT NOT NULL, seq INTEGER NOT NULL,"
                          " state TEXT NOT NULL, evidence TEXT NOT NULL, at_ms INTEGER NOT NULL,"
                          " PRIMARY KEY (rollout_id, seq))",
                          "CREATE TABLE IF NOT EXISTS freezes (service TEXT PRIMARY KEY, rollout_id TEXT NOT NULL,"
                          " reason TEXT NOT NULL, at_ms INTEGER NOT NULL)"}) {
    if (auto st = store->Exec(sql); !st) return st.error().Wrap(path);
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

Result<JournalRecord> SqliteStateStore::Append(const JournalRecord& record) {
  // One transaction: the next sequence number and the insert, so concurrent writers never collide.
  if (auto st = Exec("BEGIN IMMEDIATE"); !st) return st.error();
  Stmt s;
  const char* sql =
      "INSERT INTO journal (rollout_id, seq, state, evidence, at_ms) VALUES (?1,"
      " (SELECT COALESCE(MAX(seq), 0) + 1 FROM journal WHERE rollout_id = ?1), ?2, ?3, ?4) RETURNING seq";
  if (sqlite3_prepare_v2(db_, sql, -1, &s.s, nullptr) != SQLITE_OK) {
    (void)Exec("ROLLBACK");
    return SqlError(db_, "preparing an append");
  }
  sqlite3_bind_text(s.s, 1, record.rollout_id.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(s.s, 2, record.state.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(s.s, 3, record.evidence_json.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(s.s, 4, record.at_unix_ms);
  if (sqlite3_step(s.s) != SQLITE_ROW) {
    Error e = SqlError(db_, "appending to the journal");
    (void)Exec("ROLLBACK");
    return e;
  }
  JournalRecord out = record;
  out.seq = sqlite3_column_int64(s.s, 0);
  sqlite3_reset(s.s);
  if (auto st = Exec("COMMIT"); !st) {
    (void)Exec("ROLLBACK");
    return st.error();
  }
  return out;
}

Result<std::vector<JournalRecord>> SqliteStateStore::Journal(const std::string& rollout_id) {
  Stmt s;
  if (sqlite3_prepare_v2(db_, "SELECT rollout_id, seq, state, evidence, at_ms FROM journal WHERE rollout_id = ?1"
                              " ORDER BY seq", -1, &s.s, nullptr) != SQLITE_OK) {
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
  Stmt s;
  if (sqlite3_prepare_v2(db_, "SELECT rollout_id, seq, state, evidence, at_ms FROM journal WHERE rollout_id = ?1"
                              " ORDER BY seq DESC LIMIT 1", -1, &s.s, nullptr) != SQLITE_OK) {
    return SqlError(db_, "reading the journal");
  }
  sqlite3_bind_text(s.s, 1, rollout_id.c_str(), -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(s.s);
  if (rc == SQLITE_DONE) return std::optional<JournalRecord>();
  if (rc != SQLITE_ROW) return SqlError(db_, "reading the journal");
  return std::optional<JournalRecord>(Row(s.s));
}

Result<std::vector<RolloutSummary>> SqliteStateStore::Rollouts() {
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
    out.push_back({r.rollout_id, r});
  }
  if (rc != SQLITE_DONE) return SqlError(db_, "listing rollouts");
  return out;
}

Status SqliteStateStore::SetFreeze(const Freeze& f) {
  Stmt s;
  // The first unverified rollback's reason stays until a human clears it.
  if (sqlite3_prepare_v2(db_, "INSERT OR IGNORE INTO freezes (service, rollout_id, reason, at_ms) VALUES (?1, ?2, ?3, ?4)",
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
  Stmt s;
  if (sqlite3_prepare_v2(db_, "SELECT rollout_id, reason, at_ms FROM freezes WHERE service = ?1", -1, &s.s, nullptr) !=
      SQLITE_OK) {
    return SqlError(db_, "reading freezes");
  }
  sqlite3_bind_text(s.s, 1, service.c_str(), -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(s.s);
  if (rc == SQLITE_DONE) return std::optional<Freeze>();
  if (rc != SQLITE_ROW) return SqlError(db_, "reading freezes");
  return std::optional<Freeze>(Freeze{service, reinterpret_cast<const char*>(sqlite3_column_text(s.s, 0)),
                                      reinterpret_cast<const char*>(sqlite3_column_text(s.s, 1)),
                                      sqlite3_column_int64(s.s, 2)});
}

Status SqliteStateStore::ClearFreeze(const std::string& service) {
  Stmt s;
  if (sqlite3_prepare_v2(db_, "DELETE FROM freezes WHERE service = ?1", -1, &s.s, nullptr) != SQLITE_OK) {
    return SqlError(db_, "clearing the freeze of " + service);
  }
  sqlite3_bind_text(s.s, 1, service.c_str(), -1, SQLITE_TRANSIENT);
  if (sqlite3_step(s.s) != SQLITE_DONE) return SqlError(db_, "clearing the freeze of " + service);
  return Status::Ok();
}

}  // namespace ringfence::store

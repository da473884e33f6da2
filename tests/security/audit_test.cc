// Class 8: the audit log proves what it claims: journal and log must agree both ways, and with a
// key (outside the state directory) a consistent rewrite without the key is caught.
#include <sqlite3.h>

#include "adapters/common/sha256.h"
#include "tests/security/security_fixture.h"

using namespace ringfence::testing;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr int kTampered = 1;

void Sql(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(db_path.c_str(), &db) == SQLITE_OK);
  char* err = nullptr;
  INFO(sql);
  REQUIRE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) == SQLITE_OK);
  sqlite3_close(db);
}

// Journals and audits two records the way `rollout unfreeze` does, by freezing the service first.
void TwoDecisions(const std::string& state, const std::string& key_file) {
  std::vector<std::string> base = {"rollout", "--state", state};
  if (!key_file.empty()) base.insert(base.end(), {"--audit-key", key_file});
  REQUIRE(RunRingfence({"rollout", "--state", state, "status"}).exit_code == 0);
  for (const char* who : {"alice", "bob"}) {
    auto open = base;
    open.insert(open.end(), {"unfreeze", "svc", "--by", who});
    if (!fs::exists(state + "/journal.db"))
      REQUIRE(RunRingfence(open).exit_code == kBadInput);  // creates the state
    Sql(state + "/journal.db",
        "INSERT OR REPLACE INTO freezes VALUES ('svc', 'r-1', 'unverified rollback', 1)");
    auto r = RunRingfence(open);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }
}

}  // namespace

TEST_CASE("a journal emptied or deleted under an intact audit log is tampering") {
  TempDir tmp;
  std::string state = tmp.path() + "/state";
  TwoDecisions(state, "");
  REQUIRE(RunRingfence({"audit", "verify", "--state", state}).exit_code == 0);
  Sql(state + "/journal.db", "DELETE FROM journal");
  auto emptied = RunRingfence({"audit", "verify", "--state", state});
  CHECK(emptied.exit_code == kTampered);
  CHECK(emptied.err.find("the journal is empty or missing") != std::string::npos);
  fs::remove(state + "/journal.db");
  fs::remove(state + "/journal.db-wal");
  fs::remove(state + "/journal.db-shm");
  auto deleted = RunRingfence({"audit", "verify", "--state", state});
  CHECK(deleted.exit_code == kTampered);
  // And the other way: the log gone while the journal has records.
  TempDir other;
  TwoDecisions(other.path() + "/state", "");
  fs::remove(other.path() + "/state/audit.log");
  auto no_log = RunRingfence({"audit", "verify", "--state", other.path() + "/state"});
  CHECK(no_log.exit_code == kTampered);
  CHECK(no_log.err.find("missing") != std::string::npos);
}

TEST_CASE(
    "with a key a consistent rewrite of journal and log is caught, without one verify says integrity only") {
  TempDir tmp, keys;
  std::string state = tmp.path() + "/state", key = keys.path() + "/audit.key";
  WriteFile(key, "0123456789abcdef0123456789abcdef\n");
  TwoDecisions(state, key);
  auto ok = RunRingfence({"audit", "verify", "--state", state, "--audit-key", key});
  INFO(ok.err);
  CHECK(ok.exit_code == 0);
  CHECK(ok.out.find("every entry authenticated") != std::string::npos);
  auto unkeyed = RunRingfence({"audit", "verify", "--state", state});
  CHECK(unkeyed.exit_code == 0);
  CHECK(unkeyed.out.find("integrity only") != std::string::npos);

  // Mallory rewrites "bob" into "mallory" in both, recomputing the hash chain (she has no key).
  Sql(state + "/journal.db", "UPDATE journal SET evidence = replace(evidence, 'bob', 'mallory')");
  std::ifstream in(state + "/audit.log");
  std::string line, prev(64, '0'), rewritten;
  while (std::getline(in, line)) {
    json e = json::parse(line);
    std::string ev = e["evidence"].dump();
    for (size_t at; (at = ev.find("bob")) != std::string::npos;) ev.replace(at, 3, "mallory");
    e["evidence"] = json::parse(ev);
    e["prev"] = prev;
    e.erase("hash");
    json bare = e;
    bare.erase("mac");
    auto sha = RunProcess({"sh", "-c", "printf '%s' \"$0\" | sha256sum", prev + "\n" + bare.dump()});
    e["hash"] = sha.out.substr(0, 64);
    prev = e["hash"];
    rewritten += e.dump() + "\n";
  }
  WriteFile(state + "/audit.log", rewritten);
  auto integrity = RunRingfence({"audit", "verify", "--state", state});
  CHECK(integrity.exit_code == 0);  // the chain and the journal agree: only the key can tell
  CHECK(integrity.out.find("integrity only") != std::string::npos);
  auto keyed = RunRingfence({"audit", "verify", "--state", state, "--audit-key", key});
  CHECK(keyed.exit_code == kTampered);
  CHECK(keyed.err.find("MAC does not verify") != std::string::npos);
}

TEST_CASE("the audit key stays outside the state directory, and a keyed log is only extended with its key") {
  TempDir tmp, keys;
  std::string state = tmp.path() + "/state";
  WriteFile(state + "/audit.key", "0123456789abcdef0123456789abcdef\n");
  auto inside = RunRingfence(
      {"rollout", "--state", state, "--audit-key", state + "/audit.key", "unfreeze", "svc", "--by", "x"});
  CHECK(inside.exit_code == kBadInput);
  CHECK(inside.err.find("inside the state directory") != std::string::npos);
  WriteFile(keys.path() + "/k", "0123456789abcdef0123456789abcdef\n");
  TwoDecisions(tmp.path() + "/keyed", keys.path() + "/k");
  Sql(tmp.path() + "/keyed/journal.db", "INSERT OR REPLACE INTO freezes VALUES ('svc', 'r-1', 'x', 1)");
  auto unkeyed =
      RunRingfence({"rollout", "--state", tmp.path() + "/keyed", "unfreeze", "svc", "--by", "eve"});
  CHECK(unkeyed.exit_code == kBadInput);
  CHECK(unkeyed.err.find("is authenticated") != std::string::npos);
}

TEST_CASE("an audit log whose chain holds but whose fields have the wrong types is refused, not a crash") {
  TempDir tmp;
  std::string state = tmp.path() + "/state";
  REQUIRE(RunRingfence({"rollout", "--state", state, "status"}).exit_code == 0);
  // An unkeyed log anyone can extend consistently: the hash chain holds, the types do not.
  for (auto [field, value] : std::vector<std::pair<std::string, json>>{
           {"n", "1"}, {"rollout", 5}, {"state", json::array()}, {"journal_seq", "7"}, {"at", 1.5}}) {
    json entry = {{"n", 1},           {"prev", ""},       {"rollout", "r-1"}, {"state", "started"},
                  {"evidence", "{}"}, {"journal_seq", 1}, {"at", 1}};
    entry[field] = value;
    entry["hash"] = ringfence::Sha256Hex("\n" + entry.dump());  // the chain's hash: prev, then the entry
    WriteFile(state + "/audit.log", entry.dump() + "\n");
    auto r = RunRingfence({"audit", "verify", "--state", state});
    INFO(field << ": " << r.err);
    CHECK(r.exit_code == kTampered);
    CHECK(r.err.find("audit.log:1: ") != std::string::npos);
    // Opening the state to extend the log refuses it too, with the line.
    auto extend = RunRingfence({"rollout", "--state", state, "unfreeze", "svc", "--by", "alice"});
    CHECK(extend.exit_code != 0);
    CHECK(extend.exit_code < 128);
  }
}

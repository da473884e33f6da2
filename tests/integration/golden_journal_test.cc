// A journal written by the release before the typed codec resumes with this one: the golden
// journals of tests/golden/journal-v1, cut where a killed driver would have left them, are put
// into a fresh state directory and driven to their outcome by `ringfence rollout`.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "adapters/store/sqlite_state_store.h"
#include "tests/support/git_fixture.h"
#include "tests/support/run_process.h"

using namespace ringfence;
using namespace ringfence::testing;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string kGolden = std::string(RINGFENCE_SOURCE_DIR) + "/tests/golden/journal-v1";

// The golden journal `name` up to (and including) record `last_seq`, with its paths in `dir`.
std::string Plant(const std::string& name, int64_t last_seq, const std::string& dir) {
  fs::copy(kGolden, dir, fs::copy_options::recursive);
  std::ifstream in(kGolden + "/" + name + ".json");
  std::stringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  for (size_t at; (at = s.find("@DIR@")) != std::string::npos;) s.replace(at, 5, dir);
  json golden = json::parse(s);
  auto store = store::SqliteStateStore::Open(dir + "/state/journal.db");
  REQUIRE(store.ok());
  std::string id = golden[0]["evidence"]["rollout"];
  int64_t seq = 0;
  for (const auto& r : golden) {
    if (r["seq"].get<int64_t>() > last_seq) break;
    auto appended = (*store)->Append({0, id, r["state"], r["evidence"].dump(), r["at"]}, seq);
    REQUIRE(appended.ok());
    seq = appended->seq;
  }
  return id;
}

}  // namespace

TEST_CASE("golden journal: a rollback journaled by the previous release is resumed and finished") {
  TempDir tmp;
  fs::create_directories(tmp.path() + "/state");
  std::string id = Plant("bad", 4, tmp.path());  // killed after its second judgement
  auto resumed = RunRingfence({"rollout", "--state", tmp.path() + "/state", "resume", id});
  INFO(resumed.err);
  CHECK(resumed.exit_code == 1);  // the bad candidate is rolled back
  auto status = RunRingfence({"rollout", "--state", tmp.path() + "/state", "status", id, "--format", "json"});
  json j = json::parse(status.out);
  CHECK(j.back()["state"] == "rolled_back");
  auto store = store::SqliteStateStore::Open(tmp.path() + "/state/journal.db", true);
  REQUIRE(store.ok());
  auto rows = (*store)->Journal(id);
  REQUIRE(rows.ok());
  CHECK_FALSE(
      json::parse(rows->front().evidence_json).contains("format"));  // the old records stay as written
  CHECK(json::parse(rows->back().evidence_json)["format"] == 1);     // new ones carry the format
  CHECK(RunRingfence({"audit", "verify", "--state", tmp.path() + "/state"}).exit_code == 0);
}

TEST_CASE("golden journal: a rollout waiting for a human since the previous release is promoted") {
  TempDir tmp;
  fs::create_directories(tmp.path() + "/state");
  std::string id = Plant("human", 9, tmp.path());  // waiting for a human
  auto promoted = RunRingfence({"rollout", "--state", tmp.path() + "/state", "promote", id, "--by", "alice"});
  INFO(promoted.err);
  CHECK(promoted.exit_code == 0);
  auto status = RunRingfence({"rollout", "--state", tmp.path() + "/state", "status", id, "--format", "json"});
  json j = json::parse(status.out);
  CHECK(j.back()["state"] == "promoted");
  bool approved = false;
  for (const auto& r : j) approved = approved || (r["state"] == "approved" && r["evidence"]["by"] == "alice");
  CHECK(approved);
}

// The SQLite journal: durable appends, ordered reads, and a writer killed with SIGKILL at random
// instants never leaves a gap, a duplicate or a torn record.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <random>
#include <thread>

#include "adapters/store/sqlite_state_store.h"
#include "tests/support/git_fixture.h"
#include "tests/support/run_process.h"

using namespace ringfence;
using namespace ringfence::testing;

TEST_CASE("journal: appends get increasing sequence numbers per rollout and read back in order") {
  TempDir tmp;
  auto store = store::SqliteStateStore::Open(tmp.path() + "/j.db");
  REQUIRE(store.ok());
  int64_t last_a = 0, last_b = 0;
  for (int i = 0; i < 5; ++i) {
    int64_t& last = i % 2 ? last_b : last_a;
    auto r = (*store)->Append({0, i % 2 ? "b" : "a", "s" + std::to_string(i), "{}", i}, last);
    REQUIRE(r.ok());
    last = r->seq;
  }
  // A writer that read an older last record appends nothing.
  auto stale = (*store)->Append({0, "a", "late", "{}", 9}, 1);
  REQUIRE_FALSE(stale.ok());
  CHECK(stale.error().kind == ErrorKind::kConflict);
  auto a = (*store)->Journal("a");
  REQUIRE(a.ok());
  REQUIRE(a->size() == 3);
  CHECK(a->at(0).seq == 1);
  CHECK(a->at(2).seq == 3);
  CHECK(a->at(2).state == "s4");
  auto last = (*store)->Last("b");
  REQUIRE(last.ok());
  REQUIRE(last->has_value());
  CHECK((*last)->seq == 2);
  CHECK_FALSE((*(*store)->Last("none")).has_value());
  auto bad = store::SqliteStateStore::Open(tmp.path() + "/no/such/dir/j.db");
  CHECK_FALSE(bad.ok());
}

TEST_CASE("journal: SIGKILL at random instants loses no committed record and tears none") {
  TempDir tmp;
  std::string db = tmp.path() + "/j.db";
  std::mt19937 rng(3);
  long expected_next = 1;
  for (int round = 0; round < 8; ++round) {
    int out_pipe[2];
    REQUIRE(pipe(out_pipe) == 0);
    pid_t pid = fork();
    if (pid == 0) {
      dup2(out_pipe[1], 1);
      close(out_pipe[0]);
      execl(RINGFENCE_JOURNAL_WRITER, RINGFENCE_JOURNAL_WRITER, db.c_str(), "r1",
            static_cast<char*>(nullptr));
      _exit(127);
    }
    close(out_pipe[1]);
    // Once the writer is writing (its first acknowledgement; start-up is slow under sanitizers),
    // kill it at a random instant.
    std::string out;
    char buf[4096];
    ssize_t n;
    while (out.find('\n') == std::string::npos && (n = read(out_pipe[0], buf, sizeof buf)) > 0) {
      out.append(buf, static_cast<size_t>(n));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 80));
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    // The last sequence number the writer saw committed.
    while ((n = read(out_pipe[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
    close(out_pipe[0]);
    long acknowledged = 0;
    size_t pos = out.rfind('\n', out.size() >= 2 ? out.size() - 2 : 0);
    if (!out.empty()) acknowledged = std::stol(out.substr(pos == std::string::npos ? 0 : pos + 1));

    auto store = store::SqliteStateStore::Open(db);
    REQUIRE(store.ok());
    auto journal = (*store)->Journal("r1");
    REQUIRE(journal.ok());
    INFO("round " << round << ", acknowledged " << acknowledged << ", journal " << journal->size());
    REQUIRE_FALSE(journal->empty());
    // Contiguous from 1, nothing acknowledged is missing, every record whole.
    for (size_t i = 0; i < journal->size(); ++i) {
      CHECK(journal->at(i).seq == static_cast<long>(i + 1));
      CHECK(journal->at(i).evidence_json.size() > 200);
    }
    CHECK(journal->back().seq >= acknowledged);
    CHECK(journal->front().seq == 1);
    CHECK(journal->back().seq >= expected_next - 1);
    expected_next = journal->back().seq + 1;
    // And the journal goes on where it stopped.
    auto next = (*store)->Append({0, "r1", "resumed", "{\"pad\": \"" + std::string(210, 'y') + "\"}", 0},
                                 journal->back().seq);
    REQUIRE(next.ok());
    CHECK(next->seq == expected_next);
    expected_next = next->seq + 1;
  }
}

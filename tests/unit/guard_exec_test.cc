// What `guard exec` journals: its records read back as written (the exact argv, bytes that are not
// UTF-8 too), decisions paired with their ends, and a journal that says a refused command ran is
// an error; the words it prints split back into the same argv.
#include <catch2/catch.hpp>

#include <random>

#include "engine/guard/exec_record.h"
#include "engine/guard/shell_words.h"

using namespace ringfence;

namespace {

ExecDecidedEvent Decided(const std::string& id, Decision d, std::vector<std::string> argv) {
  ExecDecidedEvent e;
  e.exec_id = id;
  e.argv = std::move(argv);
  e.cwd = "/srv";
  e.actor = "ai";
  e.agents = {"claude-code"};
  e.decision = d;
  e.rules = {"guard.removal-critical"};
  e.reason = "why";
  return e;
}

JournalRecord Numbered(JournalRecord r, int64_t seq) {
  r.seq = seq;
  return r;
}

}  // namespace

TEST_CASE("guard exec records read back as written, non-UTF-8 arguments to the byte", "[guard]") {
  const std::string latin1 = "caf\xe9", spaced = "a b";
  auto decided = Decided("h:1:2:3", Decision::kWarn, {"touch", latin1, spaced, ""});
  JournalRecord row = EncodeExecRecord(decided, 1700000000000);
  CHECK(row.rollout_id == kGuardJournal);
  CHECK(IsStoreJournal(row.rollout_id));
  auto back = DecodeExecRecord(row);
  REQUIRE(back);
  const auto& d = std::get<ExecDecidedEvent>(*back);
  CHECK(d.argv == decided.argv);
  CHECK(d.decision == Decision::kWarn);
  CHECK(d.agents == decided.agents);
  CHECK(d.rules == decided.rules);

  ExecEndedEvent ended{"h:1:2:3", true, -1, 9, 12, ""};
  auto end = DecodeExecRecord(EncodeExecRecord(ended, 1700000000012));
  REQUIRE(end);
  CHECK(std::get<ExecEndedEvent>(*end).signal == 9);

  // A record with a field missing or mistyped, or of another release, is an error.
  JournalRecord broken = row;
  broken.evidence_json = R"({"format":1,"exec_id":"x","argv":"touch"})";
  CHECK(!DecodeExecRecord(broken));
  broken.evidence_json = R"({"format":2})";
  CHECK(!DecodeExecRecord(broken));
  broken = row;
  broken.state = "exec_skipped";
  CHECK(!DecodeExecRecord(broken));
  broken = row;
  broken.evidence_json.replace(broken.evidence_json.find("\"warn\""), 6, "\"allowed\"");
  CHECK(!DecodeExecRecord(broken));
}

TEST_CASE("decisions pair with their ends, and an end of a refused command is an error", "[guard]") {
  std::vector<JournalRecord> rows = {
      Numbered(EncodeExecRecord(Decided("a", Decision::kAllow, {"ls"}), 1), 1),
      Numbered(EncodeExecRecord(Decided("b", Decision::kDeny, {"rm", "-rf", "/"}), 2), 2),
      Numbered(EncodeExecRecord(ExecEndedEvent{"a", true, 0, 0, 5, ""}, 3), 3),
      Numbered(EncodeExecRecord(Decided("c", Decision::kAllow, {"sleep", "1000"}), 4), 4)};
  auto execs = ExecsOf(rows);
  REQUIRE(execs);
  REQUIRE(execs->size() == 3);
  CHECK((*execs)[0].ended->exit_code == 0);
  CHECK(!(*execs)[1].ended);
  CHECK(!(*execs)[2].ended);  // decided, never seen ending
  CHECK((*execs)[1].decided_unix_ms == 2);

  auto forged = rows;
  forged.push_back(Numbered(EncodeExecRecord(ExecEndedEvent{"b", true, 0, 0, 5, ""}, 5), 5));
  auto refused = ExecsOf(forged);
  REQUIRE(!refused);
  CHECK(refused.error().message.find("runs nothing") != std::string::npos);
  auto orphan = rows;
  orphan.push_back(Numbered(EncodeExecRecord(ExecEndedEvent{"z", true, 0, 0, 5, ""}, 5), 5));
  CHECK(!ExecsOf(orphan));
  auto twice = rows;
  twice.push_back(Numbered(EncodeExecRecord(Decided("a", Decision::kAllow, {"ls"}), 5), 5));
  CHECK(!ExecsOf(twice));
}

TEST_CASE("an argv printed as a shell line splits back into the same argv", "[guard]") {
  CHECK(ShellLine({"kubectl", "--context=prod", "get", "pods"}) == "kubectl --context=prod get pods");
  CHECK(ShellLine({"echo", "it's", ""}) == "echo 'it'\\''s' ''");
  std::mt19937 random(7);
  const std::string alphabet = "ab -'\"\\$`;|&<>()*?[]~#=!{}\t\n%.,/:@+_x";
  for (int round = 0; round < 500; ++round) {
    std::vector<std::string> argv;
    for (size_t n = 1 + random() % 4; argv.size() < n;) {
      std::string word;
      for (size_t len = random() % 6; word.size() < len;) word += alphabet[random() % alphabet.size()];
      argv.push_back(word);
    }
    if (argv[0].empty()) argv[0] = "x";
    const std::string line = ShellLine(argv);
    ShellScript script = SplitShell(line);
    INFO(line);
    REQUIRE(!script.opaque);
    REQUIRE(script.commands.size() == 1);
    std::vector<std::string> words;
    for (const auto& w : script.commands[0].words) {
      words.push_back(w.text);
      CHECK(!w.dynamic);
      CHECK(!w.pattern);
    }
    CHECK(words == argv);
  }
}

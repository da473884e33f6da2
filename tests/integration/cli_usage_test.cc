// The command line as a person meets it: unknown commands, help, exit codes, flags in any
// position, completion scripts generated from the same command table.
#include <catch2/catch.hpp>
#include <fstream>

#include "tests/support/git_fixture.h"
#include "tests/support/run_process.h"

using namespace ringfence::testing;

TEST_CASE("cli: an unknown command is named, with the nearest command, and exits 4") {
  auto top = RunRingfence({"chek", "--repo", "."});
  CHECK(top.exit_code == 4);
  CHECK(top.err.find("unknown command 'chek'; did you mean 'check'?") != std::string::npos);
  auto verb = RunRingfence({"rollout", "stauts"});
  CHECK(verb.exit_code == 4);
  CHECK(verb.err.find("ringfence rollout: unknown command 'stauts'; did you mean 'status'?") !=
        std::string::npos);
  auto far = RunRingfence({"zzzzzz"});
  CHECK(far.exit_code == 4);
  CHECK(far.err.find("unknown command 'zzzzzz'") != std::string::npos);
  CHECK(far.err.find("did you mean") == std::string::npos);
  CHECK(RunRingfence({"help", "rollout", "promtoe"}).exit_code == 4);
}

TEST_CASE("cli: help on every command names its full path and the exit codes, without parser artefacts") {
  auto root = RunRingfence({"help"});
  CHECK(root.exit_code == 0);
  CHECK(root.out.find("Usage: ringfence [OPTIONS] SUBCOMMAND") != std::string::npos);
  CHECK(root.out.find("3  indeterminate") != std::string::npos);
  for (std::vector<std::string> path : {std::vector<std::string>{"check"},
                                        {"scope"},
                                        {"rollout", "promote"},
                                        {"audit", "verify"},
                                        {"rules", "lint"}}) {
    std::string joined;
    for (const auto& w : path) joined += (joined.empty() ? "" : " ") + w;
    INFO(joined);
    std::vector<std::string> help_args = {"help"};
    help_args.insert(help_args.end(), path.begin(), path.end());
    auto help = RunRingfence(help_args);
    CHECK(help.exit_code == 0);
    CHECK(help.out.find("Usage: ringfence " + joined) != std::string::npos);
    path.push_back("--help");
    auto flag = RunRingfence(path);
    CHECK(flag.exit_code == 0);
    CHECK(flag.out.find("Exit codes:") != std::string::npos);
    CHECK(flag.out.find("{false}") == std::string::npos);
    CHECK(flag.out.find(RINGFENCE_BINARY) == std::string::npos);
  }
}

TEST_CASE("cli: --state and --audit-key work before and after the verb") {
  TempDir tmp;
  std::string state = tmp.path() + "/state";
  auto before = RunRingfence({"rollout", "--state", state, "status"});
  auto after = RunRingfence({"rollout", "status", "--state", state});
  CHECK(before.exit_code == 0);
  CHECK(after.exit_code == 0);
  CHECK(after.out == before.out);
  CHECK(after.out.find(state) != std::string::npos);
  auto list = RunRingfence({"rollout", "list", "--state", state, "--format", "json"});
  CHECK(list.exit_code == 0);
  // audit: the same error (no log in an empty state directory) from either position.
  auto a1 = RunRingfence({"audit", "--state", state, "verify"});
  auto a2 = RunRingfence({"audit", "verify", "--state", state});
  CHECK(a1.exit_code == a2.exit_code);
  CHECK(a2.err.find(state + "/audit.log") != std::string::npos);
}

TEST_CASE("cli: bash completion, generated from the command table, completes verbs and flags") {
  TempDir tmp;
  auto script = RunRingfence({"completion", "bash"});
  REQUIRE(script.exit_code == 0);
  std::ofstream(tmp.path() + "/ringfence.bash") << script.out;
  auto complete = [&](const std::string& words, int cword) {
    return RunProcess(
        {"bash", "-c",
         "source \"$1\"; COMP_WORDS=($2); COMP_CWORD=$3; _ringfence; printf '%s\\n' \"${COMPREPLY[@]}\"", "_",
         tmp.path() + "/ringfence.bash", words, std::to_string(cword)});
  };
  auto verbs = complete("ringfence rollout st", 2);
  REQUIRE(verbs.exit_code == 0);
  CHECK(verbs.out == "start\nstatus\n");
  auto flags = complete("ringfence rollout abort --b", 3);
  CHECK(flags.out == "--by\n");
  auto top = complete("ringfence ch", 1);
  CHECK(top.out == "check\n");
  auto zsh = RunRingfence({"completion", "zsh"});
  CHECK(zsh.out.find("bashcompinit") != std::string::npos);
  auto fish = RunRingfence({"completion", "fish"});
  REQUIRE(fish.exit_code == 0);
  CHECK(fish.out.find("-n '__fish_seen_subcommand_from rollout; and not __fish_seen_subcommand_from") !=
        std::string::npos);
  CHECK(fish.out.find("-l base") != std::string::npos);
  CHECK(RunRingfence({"completion", "tcsh"}).exit_code == 4);
}

namespace {

// `ringfence check` of the bundled example's AI change, built in `tmp`.
std::vector<std::string> ExampleCheck(const TempDir& tmp) {
  std::string shop = tmp.path() + "/shop";
  REQUIRE(
      RunProcess({std::string(RINGFENCE_SOURCE_DIR) + "/examples/make-example-repo.sh", shop}).exit_code ==
      0);
  return {"check", "--repo", shop, "--base", "main", "--head", "ai/extend-session"};
}

}  // namespace

TEST_CASE("cli: --quiet keeps stdout and progress silent with the same exit code, files still written") {
  TempDir tmp;
  std::vector<std::string> check = ExampleCheck(tmp);
  auto loud = RunRingfence(check);
  REQUIRE(!loud.out.empty());
  for (auto at : {check.begin(), check.end()}) {  // before the subcommand's flags and after them
    auto args = check;
    args.insert(at == check.begin() ? args.begin() + 1 : args.end(), "--quiet");
    auto quiet = RunRingfence(args);
    CHECK(quiet.exit_code == loud.exit_code);
    CHECK(quiet.out.empty());
    CHECK(quiet.err.empty());
  }
  auto args = check;
  args.insert(args.end(), {"--format", "sarif", "-o", tmp.path() + "/gate.sarif", "-q"});
  auto to_file = RunRingfence(args);
  CHECK(to_file.exit_code == loud.exit_code);
  CHECK(to_file.err.empty());  // not even the summary line -o prints
  CHECK(Slurp(tmp.path() + "/gate.sarif").find("\"version\": \"2.1.0\"") != std::string::npos);
  auto tune = RunRingfence({"-q", "tune", std::string(RINGFENCE_SOURCE_DIR) + "/simulations/incidents",
                            "--sweep", "weight=1,5", "--csv", tmp.path() + "/t.csv"});
  CHECK(tune.exit_code == 0);
  CHECK(tune.out.empty());
  CHECK(tune.err.empty());  // no progress
  CHECK(Slurp(tmp.path() + "/t.csv").find("settings,caught") == 0);
}

TEST_CASE("cli: colour follows --color, a terminal and NO_COLOR, and machine formats never carry it") {
  TempDir tmp;
  std::vector<std::string> check = ExampleCheck(tmp);
  const std::string esc = "\033[";
  CHECK(RunRingfence(check).out.find(esc) == std::string::npos);  // a pipe: auto means no colour
  auto always = check;
  always.push_back("--color=always");
  auto painted = RunRingfence(always);
  CHECK(painted.out.find(esc) != std::string::npos);
  auto json_always = always;
  json_always.insert(json_always.end(), {"--format", "json"});
  CHECK(RunRingfence(json_always).out.find(esc) == std::string::npos);
  // On a terminal (a pseudo-terminal from script(1)), auto colours unless NO_COLOR is set.
  std::string command = std::string(RINGFENCE_BINARY);
  for (const auto& w : check) command += " '" + w + "'";
  auto tty = RunProcess({"script", "-qec", command, "/dev/null"});
  CHECK(tty.out.find(esc) != std::string::npos);
  auto no_color = RunProcess({"script", "-qec", command, "/dev/null"}, "", {"NO_COLOR=1"});
  CHECK(no_color.out.find("ringfence check:") != std::string::npos);
  CHECK(no_color.out.find(esc) == std::string::npos);
  auto replay = RunRingfence({"replay", std::string(RINGFENCE_SOURCE_DIR) + "/simulations/incidents",
                              "--color", "always", "--rules", std::string(RINGFENCE_SOURCE_DIR) + "/rules"});
  CHECK(replay.out.find("\033[32mCAUGHT") != std::string::npos);
}

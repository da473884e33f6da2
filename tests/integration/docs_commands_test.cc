// Every shell command of README.md and docs/*.md runs as written. Each file's ```sh blocks run in
// order, in one shell, in a workspace like a reader's: a clone of the bundled example (origin/main
// and the AI change checked out) holding copies of examples/, rules/ and simulations/, with the
// built ringfence on PATH. The placeholders the docs use are filled: ID (the latest rollout, as
// `rollout list` shows it), PLAN.yaml (the example's plan), DIR (a state directory). A command
// passes when it exits with one of the outcomes the docs list (0, 1, 2, 3, 6, 7): bad input (4),
// an I/O error (5), a missing command (127) or a signal fail it. The two set-up commands of the
// README's first screen are CI itself (.ci/run runs scripts/test.sh and scripts/demo.sh).
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "tests/support/git_fixture.h"
#include "tests/support/run_process.h"

using namespace ringfence::testing;
namespace fs = std::filesystem;

namespace {

struct Command {
  int line;  // in its file
  std::string text;
  std::string workspace;  // "example", or what the block's marker names
};

// The commands of a Markdown file's ```sh blocks: one per line (a trailing backslash joins
// lines), comments and blank lines left out. A block right after the (invisible) line
// `<!-- docs test workspace: NAME -->` runs in that workspace.
std::vector<Command> ShellCommands(const std::string& path) {
  std::ifstream in(path);
  std::vector<Command> commands;
  bool inside = false;
  std::string line, pending;
  int number = 0, pending_line = 0;
  std::string workspace = "example";
  const std::string marker = "<!-- docs test workspace: ";
  while (std::getline(in, line)) {
    ++number;
    if (line.rfind(marker, 0) == 0) {
      workspace = line.substr(marker.size(), line.find(" -->") - marker.size());
      continue;
    }
    if (line.rfind("```", 0) == 0) {
      bool opens = !inside;
      inside = opens && (line == "```sh" || line == "```bash");
      if (!opens) workspace = "example";
      continue;
    }
    if (!inside) continue;
    size_t first = line.find_first_not_of(" \t");
    if (pending.empty() && (first == std::string::npos || line[first] == '#')) continue;
    if (pending.empty()) pending_line = number;
    if (!line.empty() && line.back() == '\\') {
      pending += line.substr(0, line.size() - 1) + " ";
      continue;
    }
    commands.push_back({pending_line, pending + line, workspace});
    pending.clear();
  }
  return commands;
}

bool IsSetUp(const std::string& command) {
  return command.rfind("scripts/demo.sh", 0) == 0 || command.rfind("scripts/test.sh", 0) == 0;
}

std::string FillPlaceholders(std::string command) {
  command = std::regex_replace(command, std::regex(R"(\bPLAN\.yaml\b)"), "examples/shop/rollout/plan.yaml");
  command = std::regex_replace(command, std::regex(R"(\bID\b)"), "\"$(rf_latest_rollout)\"");
  command = std::regex_replace(command, std::regex(R"(\bDIR\b)"), ".ringfence/docs-state");
  return command;
}

// A reader's workspace: the example repository cloned, the AI change checked out, the project's
// examples, rules and scenarios beside it, and a home directory of its own. "without-components":
// the same repository after a commit that removed its components file and CODEOWNERS.
std::string MakeWorkspace(const TempDir& tmp, const std::string& kind) {
  std::string origin = tmp.path() + "/origin", work = tmp.path() + "/work";
  REQUIRE(
      RunProcess({std::string(RINGFENCE_SOURCE_DIR) + "/examples/make-example-repo.sh", origin}).exit_code ==
      0);
  REQUIRE(RunProcess({"git", "clone", "-q", origin, work}).exit_code == 0);
  REQUIRE(RunProcess({"git", "checkout", "-q", "ai/extend-session"}, work).exit_code == 0);
  if (kind == "without-components") {
    REQUIRE(RunProcess({"git", "rm", "-q", "--ignore-unmatch", ".ringfence/components.yaml", "CODEOWNERS",
                        ".github/CODEOWNERS", "docs/CODEOWNERS"},
                       work)
                .exit_code == 0);
    REQUIRE(RunProcess({"git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "no components"},
                       work)
                .exit_code == 0);
  } else {
    REQUIRE(kind == "example");
  }
  for (const char* dir : {"examples", "rules", "simulations"})
    fs::copy(std::string(RINGFENCE_SOURCE_DIR) + "/" + dir, work + "/" + dir, fs::copy_options::recursive);
  auto diff = RunProcess({"git", "diff", "origin/main...HEAD"}, work);
  REQUIRE(diff.exit_code == 0);
  std::ofstream(work + "/change.diff") << diff.out;  // the patch `scope --patch change.diff` reads
  fs::create_directories(tmp.path() + "/home");
  return work;
}

// Runs `commands` (all of one workspace kind) in order in one shell; checks each one's exit code.
void RunCommands(const std::string& name, const std::vector<Command>& commands) {
  TempDir tmp;
  std::string work = MakeWorkspace(tmp, commands.front().workspace);
  std::ostringstream script;
  script << "set -o pipefail\n"
         << "export PATH=\"" << fs::path(RINGFENCE_BINARY).parent_path().string() << ":$PATH\"\n"
         << "export HOME=\"" << tmp.path() << "/home\"\nunset RINGFENCE_STATE RINGFENCE_AUDIT_KEY_FILE\n"
         << "cd \"" << work << "\"\n"
         << "rf_latest_rollout() { ringfence rollout status --format json | /usr/bin/python3 -c "
            "'import json,sys; print(json.load(sys.stdin)[0][\"rollout\"])'; }\n";
  for (const auto& c : commands)
    script << FillPlaceholders(c.text) << "\necho \"rfdoc-exit " << c.line << " $?\" >&2\n";
  std::string file = tmp.path() + "/commands.sh";
  std::ofstream(file) << script.str();
  auto r = RunProcess({"bash", file});
  INFO(name << " (workspace " << commands.front().workspace << ")\n"
            << r.err.substr(r.err.size() > 6000 ? r.err.size() - 6000 : 0));
  std::map<int, int> exits;
  std::istringstream err(r.err);
  for (std::string line; std::getline(err, line);) {
    int at = 0, rc = 0;
    if (std::sscanf(line.c_str(), "rfdoc-exit %d %d", &at, &rc) == 2) exits[at] = rc;
  }
  static const std::set<int> kOutcomes = {0, 1, 2, 3, 6, 7};
  for (const auto& c : commands) {
    INFO(name << ":" << c.line << ": " << c.text);
    REQUIRE(exits.count(c.line) == 1);
    CHECK(kOutcomes.count(exits[c.line]) == 1);
  }
  // What the commands started, they ended, but for a rollout left waiting for a human: that one
  // the test aborts, and then no session may be left registered in any state directory.
  std::set<std::string> states;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(work, ec); it != fs::recursive_directory_iterator();
       it.increment(ec))
    if (it->path().filename() == "journal.db") states.insert(it->path().parent_path().string());
  for (const auto& state : states) {
    auto listed = RunProcess({RINGFENCE_BINARY, "rollout", "list", "--format", "json", "--state", state});
    REQUIRE(listed.exit_code == 0);
    for (const auto& r : nlohmann::json::parse(listed.out)) {
      if (r["state"] != "awaiting_human") continue;
      CHECK(RunProcess(
                {RINGFENCE_BINARY, "rollout", "abort", r["rollout"], "--by", "docs-test", "--state", state})
                .exit_code == 1);
    }
    std::string registry = state + "/sessions/process/sessions";
    size_t left = 0;
    for (auto it = fs::directory_iterator(registry, ec); it != fs::directory_iterator(); it.increment(ec))
      left += it->path().extension() == ".json";
    INFO(registry);
    CHECK(left == 0);
  }
}

void RunDocument(const std::string& name) {
  auto commands = ShellCommands(std::string(RINGFENCE_SOURCE_DIR) + "/" + name);
  REQUIRE(!commands.empty());
  std::map<std::string, std::vector<Command>> by_workspace;
  for (const auto& c : commands)
    if (!IsSetUp(c.text)) by_workspace[c.workspace].push_back(c);
  for (const auto& [workspace, group] : by_workspace) RunCommands(name, group);
}

}  // namespace

TEST_CASE("docs: every command of README.md runs as written") { RunDocument("README.md"); }

TEST_CASE("docs: every command of each docs/*.md runs as written") {
  for (const auto& entry : fs::directory_iterator(std::string(RINGFENCE_SOURCE_DIR) + "/docs")) {
    if (entry.path().extension() != ".md") continue;
    std::string name = "docs/" + entry.path().filename().string();
    if (ShellCommands(entry.path().string()).empty()) continue;
    SECTION(name) { RunDocument(name); }
  }
}

// `ringfence guard` end to end: the binary judges real argv, shell lines, a plan Terraform wrote
// and SQL files, with an environments file; its agent hook answers are checked against the hook
// protocols' schemas (tests/support/schemas) with jsonschema; bad input is refused, never passed.
#include <catch2/catch.hpp>

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "tests/support/git_fixture.h"
#include "tests/support/run_process.h"

using namespace ringfence::testing;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr int kAllow = 0, kDeny = 1, kApproval = 2, kIndeterminate = 3, kBadInput = 4;

const std::string kPlanFixture =
    std::string(RINGFENCE_SOURCE_DIR) + "/tests/fixtures/guard/terraform-data-delete.plan.json";

struct GuardFixture {
  GuardFixture() {
    WriteFile(envs(), R"(apiVersion: ringfence/v1
kind: Environments
default: development
environments:
  production:
    tier: 0
    kube_contexts: ["prod-*"]
    cloud_profiles: [prod]
    database_hosts: [db.prod.internal]
  development: {tier: 5}
protected: ["terraform_data.db"]
)");
  }
  std::string envs() const { return tmp.path() + "/environments.yaml"; }
  ProcessResult Guard(std::vector<std::string> args) const {
    args.insert(args.begin(), "guard");
    args.insert(args.begin() + 2, {"--environments", envs()});
    return RunRingfence(args, tmp.path());
  }
  // The hook answering `input` on stdin, as the agent runs it.
  ProcessResult Hook(const std::string& agent, const std::string& input) const {
    WriteFile(tmp.path() + "/hook-input.json", input);
    return RunProcess({"/bin/sh", "-c", "exec \"$0\" guard hook \"$1\" --environments \"$2\" < \"$3\"",
                       RINGFENCE_BINARY, agent, envs(), tmp.path() + "/hook-input.json"});
  }
  // jsonschema's verdict on `text` against one of the protocol schemas.
  void Conforms(const std::string& text, const std::string& schema) const {
    WriteFile(tmp.path() + "/answer.json", text);
    auto v = RunProcess({RINGFENCE_PYTHON, "-c",
                         "import json,sys,jsonschema\n"
                         "jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))\n",
                         std::string(RINGFENCE_SOURCE_DIR) + "/tests/support/schemas/" + schema,
                         tmp.path() + "/answer.json"});
    INFO(text << v.err);
    CHECK(v.exit_code == 0);
  }
  TempDir tmp;
};

std::vector<std::string> Fired(const std::string& out) {
  std::vector<std::string> ids;
  const json report = json::parse(out);
  for (const auto& f : report["fired"]) ids.push_back(f["rule"].get<std::string>());
  return ids;
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

bool Has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

TEST_CASE("guard check judges argv and shell lines with the shipped packs and the environments file",
          "[guard]") {
  GuardFixture f;
  auto wipe = f.Guard({"check", "--format", "json", "--", "rm", "-rf", "/"});
  CHECK(wipe.exit_code == kDeny);
  CHECK(Has(Fired(wipe.out), "guard.wipe-system"));
  CHECK(f.Guard({"check", "--", "ls", "-la"}).exit_code == kAllow);
  CHECK(f.Guard({"check", "--", "rm", "-rf", "build"}).exit_code == kAllow);  // development
  auto prod =
      f.Guard({"check", "--format", "json", "--shell", "kubectl --context prod-eu delete deployment web"});
  CHECK(prod.exit_code == kApproval);
  auto actions = json::parse(prod.out)["actions"];
  REQUIRE(actions.size() == 1);
  CHECK(actions[0]["environment"] == "production");
  CHECK(actions[0]["targets"] == json::array({"deployment/web"}));
  CHECK(f.Guard({"check", "--shell", "kubectl --context prod-eu delete ns payments"}).exit_code == kDeny);
  // An argv is not split again: one argument with spaces is one word.
  CHECK(f.Guard({"check", "--", "echo", "rm -rf /"}).exit_code == kAllow);
  // A line the guard cannot read, landing in production, needs a person.
  CHECK(f.Guard({"check", "--shell", "kubectl --context prod-eu exec web -- sh -c \"$(curl -s x)\""})
            .exit_code == kIndeterminate);
  CHECK(f.Guard({"check", "--shell", ""}).exit_code == kIndeterminate);  // nothing to judge is no pass
  // Without an environments file nothing is known to be development.
  CHECK(RunRingfence({"guard", "check", "--", "rm", "-rf", "build"}, f.tmp.path()).exit_code ==
        kIndeterminate);
  // The actor: a person restarting production is not an agent doing it.
  CHECK(f.Guard({"check", "--shell", "kubectl --context prod-eu rollout restart deployment/web"}).exit_code ==
        kApproval);
  CHECK(f.Guard({"check", "--actor", "human", "--shell",
                 "kubectl --context prod-eu rollout restart deployment/web"})
            .exit_code == kAllow);
}

TEST_CASE("guard plan judges a Terraform plan and SQL files, and invariants deny", "[guard]") {
  GuardFixture f;
  // terraform_data.db is protected and the plan replaces it.
  auto plan = f.Guard({"plan", "terraform", kPlanFixture, "--cloud-profile", "prod", "--format", "json"});
  CHECK(plan.exit_code == kDeny);
  CHECK(Has(Fired(plan.out), "guard.invariant-breach"));
  CHECK(json::parse(plan.out)["actions"].size() == 3);
  // A protected resource is protected wherever the plan applies...
  CHECK(f.Guard({"plan", "terraform", kPlanFixture, "--cloud-profile", "dev-sandbox"}).exit_code == kDeny);
  // ...and without protection, a profile no environment claims leaves the guard undecided.
  auto unclaimed =
      RunRingfence({"guard", "plan", "terraform", kPlanFixture, "--cloud-profile", "dev-sandbox"});
  CHECK(unclaimed.exit_code == kIndeterminate);

  WriteFile(f.tmp.path() + "/m.sql",
            "-- cleanup\nDELETE FROM sessions WHERE expires < now();\nDROP TABLE legacy;\n");
  auto sql = f.Guard(
      {"plan", "sql", f.tmp.path() + "/m.sql", "--database-host", "db.prod.internal", "--format", "json"});
  CHECK(sql.exit_code == kApproval);
  std::vector<int> lines;
  const json report = json::parse(sql.out);
  for (const auto& fr : report["fired"]) {
    if (fr["rule"] != "guard.removal-critical") continue;
    for (const auto& e : fr["evidence"]) {
      CHECK(e["file"] == f.tmp.path() + "/m.sql");
      lines.push_back(e["line"].get<int>());
    }
  }
  CHECK(lines == std::vector<int>{2, 3});  // each statement where it starts
  WriteFile(f.tmp.path() + "/all.sql", "UPDATE accounts SET balance = 0;\n");
  CHECK(
      f.Guard({"plan", "sql", f.tmp.path() + "/all.sql", "--database-host", "db.prod.internal"}).exit_code ==
      kDeny);

  SECTION("a plan written by Terraform itself, where it is installed") {
    if (!fs::exists("/usr/local/bin/terraform") && !fs::exists("/usr/bin/terraform")) {
      WARN("skipped: terraform is not installed (the committed fixture above is its output)");
      return;
    }
    std::string dir = f.tmp.path() + "/tf";
    WriteFile(dir + "/main.tf",
              "resource \"terraform_data\" \"node\" {\n  count = 4\n  input = count.index\n}\n");
    auto tf = [&](std::vector<std::string> args) {
      args.insert(args.begin(), {"terraform", "-chdir=" + dir});
      auto r = RunProcess(args, "", {"TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1"});
      INFO(r.err);
      REQUIRE(r.exit_code == 0);
      return r;
    };
    tf({"init", "-input=false"});
    tf({"apply", "-auto-approve", "-input=false"});
    WriteFile(dir + "/main.tf",
              "resource \"terraform_data\" \"node\" {\n  count = 1\n  input = count.index\n}\n");
    tf({"plan", "-input=false", "-out=plan.bin"});
    WriteFile(dir + "/plan.json", tf({"show", "-json", "plan.bin"}).out);
    auto live =
        f.Guard({"plan", "terraform", dir + "/plan.json", "--cloud-profile", "prod", "--format", "json"});
    CHECK(live.exit_code == kApproval);
    auto acts = json::parse(live.out)["actions"];
    CHECK(acts.size() == 3);  // node[1..3] deleted
    for (const auto& a : acts) CHECK(a["verb"] == "delete");
  }
}

TEST_CASE("guard hook answers Claude Code's PreToolUse and Cursor's beforeShellExecution as documented",
          "[guard]") {
  GuardFixture f;
  auto claude = [](const std::string& command) {
    return json({{"session_id", "s1"},
                 {"hook_event_name", "PreToolUse"},
                 {"tool_name", "Bash"},
                 {"tool_input", {{"command", command}, {"description", "a step"}}},
                 {"cwd", "/home/dev/repo"}})
        .dump();
  };
  auto deny = f.Hook("claude-code", claude("cd / && rm -rf *"));
  CHECK(deny.exit_code == 0);
  f.Conforms(deny.out, "claude-code-pretooluse-output.schema.json");
  auto d = json::parse(deny.out);
  CHECK(d["hookSpecificOutput"]["permissionDecision"] == "deny");
  CHECK(d["hookSpecificOutput"]["permissionDecisionReason"].get<std::string>().find("guard.wipe-system") !=
        std::string::npos);
  auto ask = f.Hook("claude-code", claude("kubectl --context prod-eu delete deployment web"));
  f.Conforms(ask.out, "claude-code-pretooluse-output.schema.json");
  CHECK(json::parse(ask.out)["hookSpecificOutput"]["permissionDecision"] == "ask");
  auto allowed = f.Hook("claude-code", claude("git status"));
  CHECK(allowed.exit_code == 0);
  CHECK(allowed.out.empty());  // no answer: the agent's own permission settings still apply
  auto other_tool = f.Hook(
      "claude-code",
      R"({"hook_event_name": "PreToolUse", "tool_name": "Read", "tool_input": {"file_path": "/etc/passwd"}})");
  CHECK(other_tool.exit_code == 0);
  CHECK(other_tool.out.empty());
  for (const char* bad :
       {"", "not json", "[]", R"({"tool_name": "Bash"})",
        R"({"tool_name": "Bash", "tool_input": {"command": 7}})",
        R"({"hook_event_name": "PostToolUse", "tool_name": "Bash", "tool_input": {"command": "ls"}})"}) {
    INFO(bad);
    auto r = f.Hook("claude-code", bad);
    CHECK(r.exit_code == 2);  // blocks the call, the reason on stderr
    CHECK(r.err.find("cannot judge") != std::string::npos);
  }

  auto cursor = [](const std::string& command) {
    return json(
               {{"hook_event_name", "beforeShellExecution"}, {"command", command}, {"cwd", "/home/dev/repo"}})
        .dump();
  };
  for (auto [command, want] :
       {std::pair{"ls", "allow"}, {"rm -rf /", "deny"}, {"kubectl --context prod-x delete pod a", "ask"}}) {
    auto r = f.Hook("cursor", cursor(command));
    CHECK(r.exit_code == 0);
    f.Conforms(r.out, "cursor-before-shell-execution-output.schema.json");
    CHECK(json::parse(r.out)["permission"] == want);
  }
  auto garbage = f.Hook("cursor", "{");
  f.Conforms(garbage.out, "cursor-before-shell-execution-output.schema.json");
  CHECK(json::parse(garbage.out)["permission"] == "deny");
}

TEST_CASE("guard configuration that cannot be read is an error, never a pass", "[guard]") {
  GuardFixture f;
  WriteFile(f.tmp.path() + "/bad.yaml",
            "apiVersion: ringfence/v1\nkind: Environments\nenvironments:\n  prod: {tier: 0, colour: red}\n");
  auto bad = RunRingfence({"guard", "check", "--environments", f.tmp.path() + "/bad.yaml", "--", "ls"});
  CHECK(bad.exit_code == kBadInput);
  CHECK(bad.err.find("bad.yaml:4:") != std::string::npos);
  fs::create_symlink(f.envs(), f.tmp.path() + "/link.yaml");
  CHECK(
      RunRingfence({"guard", "check", "--environments", f.tmp.path() + "/link.yaml", "--", "ls"}).exit_code ==
      kBadInput);
  CHECK(RunRingfence({"guard", "check", "--environments", f.tmp.path() + "/missing.yaml", "--", "ls"})
            .exit_code == kBadInput);
  WriteFile(f.tmp.path() + "/rules.yaml",
            "apiVersion: ringfence/v1\nkind: Rules\nrules:\n  - id: x\n    when: {action: {verbs: []}}\n    "
            "effect: deny\n");
  CHECK(f.Guard({"check", "--rules", f.tmp.path() + "/rules.yaml", "--", "ls"}).exit_code == kBadInput);
  // A hook whose configuration is broken refuses the call.
  WriteFile(f.envs(), "apiVersion: ringfence/v1\nkind: Environments\ndefault: nowhere\n");
  auto refused = f.Hook("cursor", R"({"command": "ls"})");
  CHECK(json::parse(refused.out)["permission"] == "deny");
}

TEST_CASE("guard exec runs what it allows, never what it does not, and journals both in the audit log",
          "[guard]") {
  GuardFixture f;
  const std::string state = f.tmp.path() + "/state", prod = f.tmp.path() + "/srv/prod";
  fs::create_directories(prod + "/data");
  WriteFile(prod + "/data/orders.db", "rows");
  WriteFile(f.envs(),
            "apiVersion: ringfence/v1\nkind: Environments\ndefault: development\nenvironments:\n"
            "  production: {tier: 0, paths: [\"" +
                prod + "/\"]}\n  development: {tier: 5}\n");
  auto exec = [&](std::vector<std::string> argv) {
    std::vector<std::string> args = {"exec", "--state", state, "--"};
    args.insert(args.end(), argv.begin(), argv.end());
    return f.Guard(args);
  };
  // Allowed: it runs, as given (no shell), with its streams and exit status passed on.
  const std::string marker = f.tmp.path() + "/ran";
  auto ran = exec({"touch", marker});
  CHECK(ran.exit_code == kAllow);
  CHECK(fs::exists(marker));
  auto echoed = exec({"printf", "%s|%s", "a b", "$HOME"});
  CHECK(echoed.out == "a b|$HOME");
  CHECK(exec({"false"}).exit_code == 1);
  // Removing production data: never run, check's exit code, the data still there.
  auto removal = exec({"rm", "-rf", prod + "/data"});
  CHECK(removal.exit_code != kAllow);
  CHECK(removal.exit_code != 127);
  CHECK(fs::exists(prod + "/data/orders.db"));
  CHECK(removal.err.find("not run") != std::string::npos);
  // A program that is not there (sleep, allowed, on an empty PATH), and one that a signal ends:
  // as a shell reports them.
  auto missing = RunProcess({"/usr/bin/env", "PATH=/nonexistent", RINGFENCE_BINARY, "guard", "exec",
                             "--environments", f.envs(), "--state", state, "--", "sleep", "1"});
  CHECK(missing.exit_code == 127);
  CHECK(missing.err.find("cannot run sleep") != std::string::npos);
  {
    BackgroundProcess guard({RINGFENCE_BINARY, "guard", "exec", "--environments", f.envs(), "--state", state,
                             "--", "sleep", "30"},
                            f.tmp.path() + "/sleep.log");
    int child = -1;
    for (int i = 0; i < 500 && child <= 0; ++i) {
      std::ifstream children("/proc/" + std::to_string(guard.pid()) + "/task/" + std::to_string(guard.pid()) +
                             "/children");
      if (!(children >> child)) child = -1;
      if (child <= 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    REQUIRE(child > 0);
    kill(child, SIGTERM);
    CHECK(guard.Wait(10000) == 128 + 15);
  }

  auto log = RunRingfence({"guard", "log", "--state", state, "--format", "json"});
  REQUIRE(log.exit_code == 0);
  const json entries = json::parse(log.out);
  REQUIRE(entries.size() == 6);
  CHECK(entries[0]["argv"] == json::array({"touch", marker}));
  CHECK(entries[0]["decision"] == "allow");
  CHECK(entries[0]["actor"] == "ai");
  CHECK(entries[0]["ended"]["exit_code"] == 0);
  CHECK(entries[1]["argv"] == json::array({"printf", "%s|%s", "a b", "$HOME"}));
  CHECK(entries[2]["ended"]["exit_code"] == 1);
  CHECK(entries[3]["decision"] != "allow");
  CHECK(entries[3]["ended"].is_null());
  CHECK(!entries[3]["rules"].empty());
  CHECK(entries[4]["ended"]["started"] == false);
  CHECK(entries[5]["ended"]["signal"] == 15);
  std::set<std::string> ids;
  for (const auto& e : entries) ids.insert(e["exec_id"].get<std::string>());
  CHECK(ids.size() == entries.size());
  auto text = RunRingfence({"guard", "log", "--state", state});
  CHECK(text.out.find("not run  rm -rf " + prod + "/data") != std::string::npos);
  CHECK(text.out.find("'a b' '$HOME'") != std::string::npos);

  // Every decision and end is in the hash-chained audit log, which verifies against the journal.
  auto verified = RunRingfence({"audit", "verify", "--state", state});
  INFO(verified.out << verified.err);
  CHECK(verified.exit_code == 0);
  std::ifstream audit(state + "/audit.log");
  int lines = 0;
  for (std::string line; std::getline(audit, line);)
    lines += line.find("\"rollout\":\"@guard\"") != std::string::npos;
  CHECK(lines == 6 + 5);  // six decisions, five ends
  // A decision journaled but never audited (a guard killed in between) shows as pending, and the
  // next guard exec audits it; a line edited in the log is tampering.
  const std::string kept = ReadText(state + "/audit.log");
  WriteFile(state + "/audit.log", kept.substr(0, kept.rfind('\n', kept.size() - 2) + 1));
  auto pending = RunRingfence({"audit", "verify", "--state", state});
  CHECK(pending.exit_code == kIndeterminate);
  CHECK(pending.out.find("1 journal record(s) not yet audited") != std::string::npos);
  CHECK(exec({"true"}).exit_code == kAllow);
  CHECK(RunRingfence({"audit", "verify", "--state", state}).exit_code == kAllow);
  std::string edited = ReadText(state + "/audit.log");
  const std::string allowed = "\"decision\":\"allow\"";
  REQUIRE(edited.find(allowed) != std::string::npos);
  edited.replace(edited.find(allowed), allowed.size(), "\"decision\":\"deny\"");
  WriteFile(state + "/audit.log", edited);
  CHECK(RunRingfence({"audit", "verify", "--state", state}).exit_code == kDeny);
}

TEST_CASE("guard exec refuses to run what it cannot journal", "[guard]") {
  GuardFixture f;
  const std::string marker = f.tmp.path() + "/ran";
  fs::create_directories(f.tmp.path() + "/elsewhere");
  fs::create_symlink(f.tmp.path() + "/elsewhere", f.tmp.path() + "/state");
  auto linked = f.Guard({"exec", "--state", f.tmp.path() + "/state", "--", "touch", marker});
  CHECK(linked.exit_code == kBadInput);
  CHECK(!fs::exists(marker));
  // Nothing after -- is nothing to run.
  CHECK(f.Guard({"exec", "--state", f.tmp.path() + "/s2", "--"}).exit_code != kAllow);
}

TEST_CASE("guard plan kubernetes judges manifests as kubectl apply and delete -f send them", "[guard]") {
  GuardFixture f;
  const std::string manifests =
      std::string(RINGFENCE_SOURCE_DIR) + "/tests/fixtures/guard/web-release.k8s.yaml";
  auto applied = f.Guard({"plan", "kubernetes", manifests, "--kube-context", "prod-eu", "--namespace", "shop",
                          "--format", "json"});
  CHECK(applied.exit_code == kApproval);  // an agent applying to production, a cache scaled to zero
  const json report = json::parse(applied.out);
  REQUIRE(report["actions"].size() == 5);
  CHECK(report["actions"][2]["targets"] == json::array({"shop:service/web"}));
  CHECK(report["actions"][4]["verb"] == "scale");
  CHECK(report["actions"][0]["kind"] == "kubernetes");
  auto deleted =
      f.Guard({"plan", "kubernetes", manifests, "--delete", "--kube-context", "prod-eu", "--format", "json"});
  CHECK(deleted.exit_code == kDeny);  // a whole namespace in production
  CHECK(Has(Fired(deleted.out), "guard.unbounded-removal-critical"));
  // A context no environment claims is unknown, never development.
  CHECK(f.Guard({"plan", "kubernetes", manifests, "--delete", "--kube-context", "dev"}).exit_code ==
        kIndeterminate);
  // Flags of another kind, and manifests that cannot be read, are errors.
  CHECK(f.Guard({"plan", "terraform", kPlanFixture, "--delete"}).exit_code == kBadInput);
  WriteFile(f.tmp.path() + "/bad.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {}\n");
  auto bad = f.Guard({"plan", "kubernetes", f.tmp.path() + "/bad.yaml", "--kube-context", "prod-eu"});
  CHECK(bad.exit_code == kBadInput);
  CHECK(bad.err.find("bad.yaml:3:") != std::string::npos);
}

namespace {

// A workload process serving on loopback: its pid and the port it bound.
struct Service {
  std::unique_ptr<BackgroundProcess> process;
  std::string port;
};

Service StartService(const std::string& dir, int n) {
  Service s;
  const std::string ready = dir + "/ready-" + std::to_string(n);
  s.process = std::make_unique<BackgroundProcess>(
      std::vector<std::string>{RINGFENCE_WORKLOAD, "--port", "0", "--ready-file", ready},
      dir + "/service-" + std::to_string(n) + ".log");
  for (int i = 0; i < 500 && s.port.empty(); ++i) {
    std::ifstream in(ready);
    std::getline(in, s.port);
    if (s.port.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE(!s.port.empty());
  return s;
}

bool Alive(const Service& s) { return s.process->Wait(0) == -1; }

}  // namespace

TEST_CASE("guard run stops at the first unhealthy wave: later waves never run", "[guard]") {
  GuardFixture f;
  std::vector<Service> services;
  std::string targets;
  for (int i = 0; i < 4; ++i) {
    services.push_back(StartService(f.tmp.path(), i));
    targets += "  - {id: web-" + std::to_string(i) + ", pid: \"" +
               std::to_string(services.back().process->pid()) + "\", port: \"" + services.back().port +
               "\"}\n";
  }
  // A "restart" that in fact ends each service: the first wave's check sees it.
  WriteFile(f.tmp.path() + "/restart.yaml",
            "apiVersion: ringfence/v1\nkind: StagedAction\nname: restart-web\ncommand: [kill, "
            "\"{pid}\"]\ntargets:\n" +
                targets +
                "waves: [1, 50%, 100%]\nbake: 200ms\ncheck: {http: \"http://127.0.0.1:{port}/healthz\", "
                "timeout: 2s}\n");
  const std::string state = f.tmp.path() + "/state";
  auto run = f.Guard({"run", "--state", state, f.tmp.path() + "/restart.yaml"});
  INFO(run.out << run.err);
  CHECK(run.exit_code == kDeny);  // stopped
  CHECK(run.out.find("stopped") != std::string::npos);
  CHECK(run.out.find("3 targets of later waves never ran") != std::string::npos);
  CHECK(services[0].process->Wait(5000) != -1);  // the first wave's target was ended
  for (int i = 1; i < 4; ++i) CHECK(Alive(services[i]));
  CHECK(RunRingfence({"audit", "verify", "--state", state}).exit_code == kAllow);
  // The run is over: running the file again starts a new run, which stops at its first wave too.
  auto again = f.Guard({"run", "--state", state, f.tmp.path() + "/restart.yaml"});
  CHECK(again.exit_code == kDeny);
  CHECK(again.out.find("resumed") == std::string::npos);
}

TEST_CASE("guard run completes a healthy run, and resumes a killed one without running a target twice",
          "[guard]") {
  GuardFixture f;
  const std::string dir = f.tmp.path() + "/targets", state = f.tmp.path() + "/state";
  fs::create_directories(dir);
  WriteFile(f.tmp.path() + "/touch.yaml",
            "apiVersion: ringfence/v1\nkind: StagedAction\nname: mark\ncommand: [sh, -c, \"echo ran >> " +
                dir +
                "/{id}\"]\ntargets: [a, b, c, d, e]\nwaves: [1, 2, 100%]\ncheck: {command: [test, -s, \"" +
                dir + "/{id}\"]}\n");
  // Killed right after the third target's command is journaled (wave 2 of 3).
  auto killed = RunRingfenceKilledAt(
      "target_ran", 3,
      {"guard", "run", "--environments", f.envs(), "--state", state, f.tmp.path() + "/touch.yaml"});
  REQUIRE(killed.exit_code == kKilled);
  CHECK(!fs::exists(dir + "/d"));
  auto resumed = f.Guard({"run", "--state", state, f.tmp.path() + "/touch.yaml"});
  INFO(resumed.out << resumed.err);
  CHECK(resumed.exit_code == kAllow);
  CHECK(resumed.out.find("completed (resumed)") != std::string::npos);
  for (const char* t : {"a", "b", "c", "d", "e"}) {
    const std::string all = ReadText(dir + "/" + t);
    INFO(t);
    CHECK(all == "ran\n");  // once each
  }
  // Every record, the one the killed process never audited too, is in the audit log.
  CHECK(RunRingfence({"audit", "verify", "--state", state}).exit_code == kAllow);

  // A run interrupted and then its file changed is not resumed on other terms.
  auto killed2 = RunRingfenceKilledAt(
      "wave_started", 1,
      {"guard", "run", "--environments", f.envs(), "--state", state, f.tmp.path() + "/touch.yaml"});
  REQUIRE(killed2.exit_code == kKilled);
  std::string text = ReadText(f.tmp.path() + "/touch.yaml");
  WriteFile(f.tmp.path() + "/touch.yaml", text.replace(text.find("[1, 2, 100%]"), 12, "[100%]"));
  auto changed = f.Guard({"run", "--state", state, f.tmp.path() + "/touch.yaml"});
  CHECK(changed.exit_code == kBadInput);
  CHECK(changed.err.find("has changed since it began") != std::string::npos);
  CHECK(f.Guard({"run", "--state", state, "--abandon", f.tmp.path() + "/touch.yaml"}).exit_code == kAllow);
  CHECK(f.Guard({"run", "--state", state, "--abandon", f.tmp.path() + "/touch.yaml"}).exit_code == kBadInput);
}

TEST_CASE("a stage rule: the action runs only through guard run, in waves that keep its constraints",
          "[guard]") {
  GuardFixture f;
  const std::string dir = f.tmp.path() + "/targets", state = f.tmp.path() + "/state";
  fs::create_directories(dir);
  WriteFile(f.tmp.path() + "/stage.yaml",
            "apiVersion: ringfence/v1\nkind: Rules\nrules:\n  - id: stage-writes\n    when: {action: {verbs: "
            "[create]}}\n"
            "    effect: stage\n    rollout: {max_canary_weight: 25, min_bake: 1s}\n");
  auto with_rule = [&](std::vector<std::string> args) {
    args.insert(args.begin() + 1, {"--rules", f.tmp.path() + "/stage.yaml"});
    return f.Guard(args);
  };
  constexpr int kMustStage = 11;
  auto check = with_rule({"check", "--format", "json", "--", "touch", dir + "/x"});
  CHECK(check.exit_code == kMustStage);
  CHECK(json::parse(check.out)["must_stage"] == true);
  CHECK(with_rule({"exec", "--state", state, "--", "touch", dir + "/x"}).exit_code == kMustStage);
  CHECK(!fs::exists(dir + "/x"));
  auto hook = RunProcess({"/bin/sh", "-c",
                          "echo '{\"command\": \"touch " + dir +
                              "/x\"}' | \"$0\" guard hook cursor --environments \"$1\" "
                              "--rules \"$2\"",
                          RINGFENCE_BINARY, f.envs(), f.tmp.path() + "/stage.yaml"});
  CHECK(json::parse(hook.out)["permission"] == "deny");

  const std::string head = "apiVersion: ringfence/v1\nkind: StagedAction\nname: create\ncommand: [touch, \"" +
                           dir + "/{id}\"]\ntargets: [a, b, c, d]\ncheck: {command: [test, -e, \"" + dir +
                           "/{id}\"]}\n";
  WriteFile(f.tmp.path() + "/at-once.yaml", head + "waves: [100%]\nbake: 1s\n");
  auto at_once = with_rule({"run", "--state", state, f.tmp.path() + "/at-once.yaml"});
  CHECK(at_once.exit_code == kMustStage);
  CHECK(!fs::exists(dir + "/a"));
  WriteFile(f.tmp.path() + "/short-bake.yaml", head + "waves: [1, 100%]\n");
  CHECK(with_rule({"run", "--state", state, f.tmp.path() + "/short-bake.yaml"}).exit_code == kMustStage);
  WriteFile(f.tmp.path() + "/staged.yaml", head + "waves: [1, 100%]\nbake: 1s\n");
  auto staged = with_rule({"run", "--state", state, f.tmp.path() + "/staged.yaml"});
  INFO(staged.out << staged.err);
  CHECK(staged.exit_code == kAllow);
  for (const char* t : {"a", "b", "c", "d"}) CHECK(fs::exists(dir + "/" + t));
}

TEST_CASE("guard run refuses a symlinked file and a forged staged-run journal, and runs nothing", "[guard]") {
  GuardFixture f;
  const std::string dir = f.tmp.path() + "/targets", state = f.tmp.path() + "/state";
  fs::create_directories(dir);
  WriteFile(f.tmp.path() + "/real.yaml",
            "apiVersion: ringfence/v1\nkind: StagedAction\nname: mark\ncommand: [touch, \"" + dir +
                "/{id}\"]\ntargets: [a, b]\nwaves: [1, 100%]\n");
  fs::create_symlink(f.tmp.path() + "/real.yaml", f.tmp.path() + "/link.yaml");
  CHECK(f.Guard({"run", "--state", state, f.tmp.path() + "/link.yaml"}).exit_code == kBadInput);
  CHECK(!fs::exists(dir + "/a"));
  // A writer of the state directory slips in the end of a target of a run never started.
  CHECK(f.Guard({"run", "--state", state, "--abandon", f.tmp.path() + "/real.yaml"}).exit_code == kBadInput);
  auto forged = RunProcess(
      {RINGFENCE_PYTHON, "-c",
       "import sqlite3,sys\n"
       "db = sqlite3.connect(sys.argv[1])\n"
       "db.execute(\"INSERT INTO journal VALUES ('@guard-run', 1, 'target_ran', "
       "'{\\\"format\\\":1,\\\"run_id\\\":\\\"x\\\",\\\"target\\\":\\\"a\\\",\\\"wave\\\":0,"
       "\\\"started\\\":true,\\\"exit_code\\\":0,\\\"signal\\\":0,\\\"error\\\":\\\"\\\"}', 0)\")\n"
       "db.commit()\n",
       state + "/journal.db"});
  INFO(forged.err);
  REQUIRE(forged.exit_code == 0);
  auto run = f.Guard({"run", "--state", state, f.tmp.path() + "/real.yaml"});
  CHECK(run.exit_code != kAllow);
  CHECK(run.err.find("never started") != std::string::npos);
  CHECK(!fs::exists(dir + "/a"));
}

TEST_CASE("guard plan terraform --terraform-state: a plan older than the state now is stale and denied",
          "[guard]") {
  GuardFixture f;
  // An environments file without protection, so only staleness can deny in development.
  WriteFile(f.envs(),
            "apiVersion: ringfence/v1\nkind: Environments\nenvironments:\n  development: {tier: 5, "
            "cloud_profiles: [dev]}\n");
  json plan = json::parse(Slurp(kPlanFixture));
  json state = {{"format_version", "1.0"},
                {"terraform_version", plan["terraform_version"]},
                {"values", plan["prior_state"]["values"]}};
  WriteFile(f.tmp.path() + "/now.json", state.dump());
  auto current = f.Guard({"plan", "terraform", kPlanFixture, "--cloud-profile", "dev", "--terraform-state",
                          f.tmp.path() + "/now.json", "--format", "json"});
  INFO(current.out << current.err);
  CHECK(current.exit_code == kAllow);
  // Someone applied a change since the plan was made.
  state["values"]["root_module"]["resources"][1]["values"]["input"] = "web-0b";
  WriteFile(f.tmp.path() + "/now.json", state.dump());
  auto stale = f.Guard({"plan", "terraform", kPlanFixture, "--cloud-profile", "dev", "--terraform-state",
                        f.tmp.path() + "/now.json", "--format", "json"});
  INFO(stale.out << stale.err);
  CHECK(stale.exit_code == kDeny);
  CHECK(Has(Fired(stale.out), "guard.invariant-breach"));
  CHECK(stale.out.find("terraform_data.web[0] changed") != std::string::npos);
  // The plan handed over as the state, a missing state, or the flag on SQL: errors, never a pass.
  CHECK(f.Guard({"plan", "terraform", kPlanFixture, "--terraform-state", kPlanFixture}).exit_code ==
        kBadInput);
  CHECK(f.Guard({"plan", "terraform", kPlanFixture, "--terraform-state", f.tmp.path() + "/none.json"})
            .exit_code != kAllow);
  // A state file that is a symlink (to a state the plan matches) is refused, not followed.
  state["values"]["root_module"]["resources"][1]["values"]["input"] = "web-0";
  WriteFile(f.tmp.path() + "/matching.json", state.dump());
  fs::create_symlink(f.tmp.path() + "/matching.json", f.tmp.path() + "/link.json");
  auto linked = f.Guard({"plan", "terraform", kPlanFixture, "--cloud-profile", "dev", "--terraform-state",
                         f.tmp.path() + "/link.json"});
  CHECK(linked.exit_code != kAllow);
  CHECK(linked.err.find("link.json") != std::string::npos);
  // An empty state file is bad input, never a pass.
  WriteFile(f.tmp.path() + "/empty.json", "");
  CHECK(f.Guard({"plan", "terraform", kPlanFixture, "--terraform-state", f.tmp.path() + "/empty.json"})
            .exit_code == kBadInput);
  WriteFile(f.tmp.path() + "/m.sql", "SELECT 1;\n");
  CHECK(f.Guard({"plan", "sql", f.tmp.path() + "/m.sql", "--terraform-state", f.tmp.path() + "/now.json"})
            .exit_code == kBadInput);
}

// `ringfence check` as CI runs it, on real repositories: every effect and exit code, rules read
// from the base revision, waivers, reports CI systems read, and bad input.
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/git_fixture.h"
#include "tests/support/run_process.h"

using namespace ringfence::testing;
using nlohmann::json;

namespace {

const char* kRules = R"(apiVersion: ringfence/v1
kind: Rules
rules:
  - id: no-wildcards
    when: {added_lines: {matches: '"Action"\s*:\s*"\*"', files: ["*.json"]}}
    effect: deny
    message: no wildcard actions
  - id: auth-review
    when: {components: [auth]}
    effect: require_approval
    approvers: ["@auth-team"]
  - id: big-change
    when: {lines_added: {gt: 50}}
    effect: warn
  - id: flags-staged
    when: {global_channel: true}
    effect: warn
    rollout: {max_canary_weight: 2, min_bake: 10m, human_promotion: true}
)";

const char* kComponents = R"(apiVersion: ringfence/v1
components:
  - {name: auth, paths: [auth/], tier: 0}
  - {name: web, paths: [web/], tier: 2}
  - {name: flags, paths: [flags.yaml], global_channel: true}
  - {name: infra, paths: [infra/]}
  - {name: repo, paths: [.ringfence/, CODEOWNERS]}
)";

// A repository whose base carries the rules; returns after the base commit on branch "feature".
void Setup(const TempRepo& repo) {
  repo.Write(".ringfence/rules/gate.yaml", kRules);
  repo.Write(".ringfence/components.yaml", kComponents);
  repo.Write("auth/token.py", "TTL = 900\n");
  repo.Write("web/app.py", "import auth.token\n");
  repo.Write("flags.yaml", "v2: false\n");
  repo.Write("infra/policy.json", "{\n  \"Action\": \"s3:GetObject\"\n}\n");
  repo.Commit("base");
  repo.Git({"checkout", "-q", "-b", "feature"});
}

ProcessResult Check(const TempRepo& repo, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"check",  "--repo",  repo.path(), "--base",          "main",
                                   "--head", "feature", "--now",     "2026-06-01 12:00"};
  args.insert(args.end(), extra.begin(), extra.end());
  return RunRingfence(args);
}

}  // namespace

TEST_CASE("check: allow (0), warn (0), approval (2), deny (1) on real changes") {
  TempRepo repo;
  Setup(repo);
  repo.Write("web/app.py", "import auth.token\nprint(1)\n");
  repo.Commit("web only");
  auto allow = Check(repo, {"--format", "json"});
  INFO(allow.err);
  REQUIRE(allow.exit_code == 0);
  CHECK(json::parse(allow.out)["decision"] == "allow");

  std::string big;
  for (int i = 0; i < 60; ++i) big += "x" + std::to_string(i) + " = " + std::to_string(i) + "\n";
  repo.Write("web/big.py", big);
  repo.Commit("big");
  auto warn = Check(repo, {"--format", "json"});
  REQUIRE(warn.exit_code == 0);
  json w = json::parse(warn.out);
  CHECK(w["decision"] == "warn");
  CHECK(w["fired"][0]["rule"] == "big-change");

  repo.Write("auth/token.py", "TTL = 86400\n");
  repo.Commit("auth");
  auto approval = Check(repo, {"--format", "json"});
  CHECK(approval.exit_code == 2);
  CHECK(json::parse(approval.out)["decision"] == "needs_approval");
  auto wrong = Check(repo, {"--approved-by", "@someone-else"});
  CHECK(wrong.exit_code == 2);
  auto approved = Check(repo, {"--approved-by", "@auth-team"});
  CHECK(approved.exit_code == 0);

  repo.Write("infra/policy.json", "{\n  \"Action\": \"*\"\n}\n");
  repo.Commit("wildcard");
  auto deny = Check(repo, {"--format", "json", "--approved-by", "@auth-team"});
  CHECK(deny.exit_code == 1);
  json d = json::parse(deny.out);
  CHECK(d["decision"] == "deny");
  bool cited = false;
  for (auto& f : d["fired"]) {
    if (f["rule"] != "no-wildcards") continue;
    CHECK(f["evidence"][0]["file"] == "infra/policy.json");
    CHECK(f["evidence"][0]["line"] == 2);
    CHECK(f["rule_location"] == ".ringfence/rules/gate.yaml:4");
    cited = true;
  }
  CHECK(cited);
}

TEST_CASE("check: a change that deletes or weakens the rule that denies it is still denied") {
  TempRepo repo;
  Setup(repo);
  repo.Write("infra/policy.json", "{\n  \"Action\": \"*\"\n}\n");
  repo.Remove(".ringfence/rules/gate.yaml");
  repo.Commit("wildcard, and delete the rules");
  auto r = Check(repo, {"--format", "json"});
  CHECK(r.exit_code == 1);
  json j = json::parse(r.out);
  CHECK(j["fired"][0]["rule"] == "no-wildcards");
  CHECK(j["rules"]["sources"][0].get<std::string>().find(".ringfence/rules/gate.yaml@") == 0);
}

TEST_CASE("check: an AI-authored change to the guardrails needs approval (built in)") {
  TempRepo repo;
  repo.Write("CODEOWNERS", ".ringfence/ @sre-lead\n");
  Setup(repo);
  repo.Write(".ringfence/rules/gate.yaml",
             std::string(kRules) + "  - id: extra\n    when: {paths: [x]}\n    effect: warn\n");
  repo.Git({"add", "-A"});
  repo.Git({"commit", "-q", "-m", "relax rules\n\nAssisted-by: some-agent"});
  auto r = Check(repo, {"--format", "json"});
  CHECK(r.exit_code == 2);
  json j = json::parse(r.out);
  CHECK(j["author"]["kind"] == "ai");
  CHECK(j["fired"][0]["rule"] == "builtin.guardrails-self-protection");
  CHECK(Check(repo, {"--approved-by", "@sre-lead"}).exit_code == 0);
  // Any other handle is not an owner of what the change weakens.
  auto random = Check(repo, {"--approved-by", "@random-dev", "--format", "json"});
  CHECK(random.exit_code == 2);
  CHECK(json::parse(random.out)["fired"][0]["rejected_approvals"][0] == "@random-dev");
}

TEST_CASE("check: waivers apply until they expire, and only to their patch") {
  TempRepo repo;
  repo.Write(".ringfence/waivers.yaml",
             "apiVersion: ringfence/v1\nkind: Waivers\nwaivers:\n"
             "  - {rule: no-wildcards, approver: '@sec', reason: 'break-glass for incident 42', expires: "
             "2026-06-30}\n");
  Setup(repo);
  repo.Write("infra/policy.json", "{\n  \"Action\": \"*\"\n}\n");
  repo.Commit("wildcard");
  auto waived = Check(repo, {"--format", "json"});
  CHECK(waived.exit_code == 0);
  json w = json::parse(waived.out);
  CHECK(w["fired"][0]["waived"] == true);
  CHECK(w["fired"][0]["waiver"]["expires"] == "2026-06-30");
  auto expired = RunRingfence({"check", "--repo", repo.path(), "--base", "main", "--head", "feature", "--now",
                               "2026-07-01 00:00", "--format", "json"});
  CHECK(expired.exit_code == 1);
  json e = json::parse(expired.out);
  CHECK(e["unused_waivers"][0]["why"] == "expired on 2026-06-30");
}

TEST_CASE("check: the patch id equals git patch-id --verbatim, and binds a waiver to those exact bytes") {
  TempRepo repo;
  Setup(repo);
  repo.Write("infra/policy.json", "{\n  \"Action\": \"*\"\n}\n");
  repo.Commit("wildcard");
  std::string diff = repo.Git({"diff", "main...feature"});
  TempDir tmp;
  std::string diff_file = tmp.path() + "/d.patch";
  std::ofstream(diff_file) << diff;
  auto pid = RunProcess({"sh", "-c", "git patch-id --verbatim < " + diff_file});
  REQUIRE(pid.exit_code == 0);
  std::string patch_id = pid.out.substr(0, 40);
  auto r = Check(repo, {"--format", "json"});
  CHECK(json::parse(r.out)["patch_id"] == patch_id);

  std::string waivers = tmp.path() + "/waivers.yaml";
  std::ofstream(waivers)
      << "apiVersion: ringfence/v1\nkind: Waivers\nwaivers:\n"
      << "  - {rule: no-wildcards, approver: '@sec', reason: 'this exact change', expires: 2027-01-01, "
      << "patch_id: " << patch_id << "}\n";
  CHECK(Check(repo, {"--waivers", waivers}).exit_code == 0);
  repo.Write("infra/policy.json", "{\n  \"Action\": \"*\",\n  \"Extra\": 1\n}\n");
  repo.Commit("and more");
  auto other = Check(repo, {"--waivers", waivers, "--format", "json"});
  CHECK(other.exit_code == 1);
  CHECK(json::parse(other.out)["unused_waivers"][0]["why"].get<std::string>().find("bound to patch") == 0);
}

TEST_CASE("check: SARIF validates against the official 2.1.0 schema") {
  TempRepo repo;
  Setup(repo);
  repo.Write("infra/policy.json", "{\n  \"Action\": \"*\"\n}\n");
  repo.Write("auth/token.py", "TTL = 1\n");
  repo.Commit("two problems");
  TempDir tmp;
  std::string sarif = tmp.path() + "/out.sarif";
  auto r = Check(repo, {"--format", "sarif", "--output", sarif});
  CHECK(r.exit_code == 1);
  std::string schema = std::string(RINGFENCE_SOURCE_DIR) + "/../shared/specs/sarif-schema-2.1.0.json";
  if (!std::filesystem::exists(schema)) {  // a user's own clone without ../shared
    WARN("skipped: " << schema << " is missing (the SARIF 2.1.0 schema lives in ../shared/specs)");
    return;
  }
  auto v = RunProcess({RINGFENCE_PYTHON, "-c",
                       "import json,sys,jsonschema\n"
                       "schema=json.load(open(sys.argv[1]))\n"
                       "doc=json.load(open(sys.argv[2]))\n"
                       "jsonschema.validate(doc, schema)\n"
                       "print(len(doc['runs'][0]['results']))\n",
                       schema, sarif});
  INFO(v.err);
  REQUIRE(v.exit_code == 0);
  CHECK(std::stoi(v.out) == 2);
  json s = json::parse(std::ifstream(sarif));
  bool located = false;
  for (auto& res : s["runs"][0]["results"]) {
    if (res["ruleId"] != "no-wildcards") continue;
    CHECK(res["level"] == "error");
    CHECK(res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "infra/policy.json");
    CHECK(res["locations"][0]["physicalLocation"]["region"]["startLine"] == 2);
    located = true;
  }
  CHECK(located);
}

TEST_CASE("check: JUnit, Markdown and GitHub annotations carry the same verdict") {
  TempRepo repo;
  Setup(repo);
  repo.Write("infra/policy.json", "{\n  \"Action\": \"*\"\n}\n");
  repo.Commit("wildcard");
  auto junit = Check(repo, {"--format", "junit"});
  CHECK(junit.exit_code == 1);
  TempDir tmp;
  std::ofstream(tmp.path() + "/j.xml") << junit.out;
  auto parsed = RunProcess({RINGFENCE_PYTHON, "-c",
                            "import sys,xml.etree.ElementTree as ET\n"
                            "r=ET.parse(sys.argv[1]).getroot()\n"
                            "print(r.find('testsuite').get('failures'), len(r.findall('.//failure')), "
                            "r.find('.//failure/..').get('name'))\n",
                            tmp.path() + "/j.xml"});
  REQUIRE(parsed.exit_code == 0);
  CHECK(parsed.out == "1 1 no-wildcards\n");
  auto gh = Check(repo, {"--format", "github"});
  CHECK(gh.out.find("::error file=infra/policy.json,line=2,title=ringfence no-wildcards::") !=
        std::string::npos);
  auto md = Check(repo, {"--format", "markdown"});
  CHECK(md.out.find("### ringfence: DENIED") == 0);
  CHECK(md.out.find("| `no-wildcards` | deny |") != std::string::npos);
}

TEST_CASE("check: global channels hand rollout constraints to the orchestrator") {
  TempRepo repo;
  Setup(repo);
  repo.Write("flags.yaml", "v2: true\n");
  repo.Commit("flip");
  auto r = Check(repo, {"--format", "json"});
  CHECK(r.exit_code == 0);
  json c = json::parse(r.out)["rollout_constraints"];
  CHECK(c["max_canary_weight"] == 2.0);
  CHECK(c["min_bake_seconds"] == 600);
  CHECK(c["human_promotion"] == true);
}

TEST_CASE("check: dependency bumps are read from the manifests on both sides") {
  TempRepo repo;
  repo.Write(
      ".ringfence/rules/deps.yaml",
      "apiVersion: ringfence/v1\nrules:\n  - id: major\n    when: {dependency_bump: {level: [major]}}\n"
      "    effect: require_approval\n");
  repo.Write("CODEOWNERS", "* @all\n");
  repo.Write("package.json",
             "{\"name\": \"x\", \"dependencies\": {\"react\": \"^17.0.2\", \"lodash\": \"4.17.20\"}}\n");
  repo.Write("go.mod", "module example.com/x\n\nrequire (\n\tgithub.com/a/b v1.2.3\n)\n");
  repo.Commit("base");
  repo.Git({"checkout", "-q", "-b", "feature"});
  repo.Write("package.json",
             "{\"name\": \"x\", \"dependencies\": {\"react\": \"^18.2.0\", \"lodash\": \"4.17.21\"}}\n");
  repo.Write("go.mod", "module example.com/x\n\nrequire (\n\tgithub.com/a/b v1.3.0\n)\n");
  repo.Commit("bump");
  auto r = Check(repo, {"--format", "json"});
  CHECK(r.exit_code == 2);
  json j = json::parse(r.out);
  std::map<std::string, std::string> levels;
  for (auto& b : j["dependency_bumps"]) levels[b["package"]] = b["level"];
  CHECK(levels["react"] == "major");
  CHECK(levels["lodash"] == "patch");
  CHECK(levels["github.com/a/b"] == "minor");
}

TEST_CASE(
    "check: Cargo.toml bumps in dotted and target tables, and a manifest that does not parse is "
    "uninspectable") {
  TempRepo repo;
  repo.Write(
      ".ringfence/rules/deps.yaml",
      "apiVersion: ringfence/v1\nrules:\n  - id: major\n    when: {dependency_bump: {level: [major]}}\n"
      "    effect: require_approval\n"
      "  - id: unreadable\n    when: {uninspectable: true}\n    effect: deny\n");
  repo.Write("CODEOWNERS", "* @all\n");
  repo.Write("Cargo.toml",
             "[package]\nname = \"x\"\n\n[dependencies.serde]\nversion = \"1.0\"\n\n"
             "[target.'cfg(unix)'.dependencies]\nlibc = \"0.2.100\"\n");
  repo.Commit("base");
  repo.Git({"checkout", "-q", "-b", "feature"});
  repo.Write("Cargo.toml",
             "[package]\nname = \"x\"\n\n[dependencies.serde]\nversion = \"2.0\"\n\n"
             "[target.'cfg(unix)'.dependencies]\nlibc = \"0.3.0\"\n");
  repo.Commit("bump");
  auto r = Check(repo, {"--format", "json"});
  INFO(r.out);
  CHECK(r.exit_code == 2);
  json j = json::parse(r.out);
  std::map<std::string, std::string> levels;
  for (auto& b : j["dependency_bumps"]) levels[b["package"]] = b["level"];
  CHECK(levels["serde"] == "major");
  CHECK(levels["libc"] == "major");  // 0.2 -> 0.3
  // A duplicate key is no TOML: its bumps cannot be read, so the file is uninspectable.
  repo.Write("Cargo.toml", "[dependencies]\nserde = \"1.0\"\nserde = \"9.0\"\n");
  repo.Commit("hide a bump");
  auto hidden = Check(repo, {"--format", "json"});
  CHECK(hidden.exit_code == 1);
  CHECK(hidden.out.find("Cargo.toml:3:") != std::string::npos);
}

TEST_CASE(
    "check --worktree judges the working tree before a commit, untracked files and encodings included") {
  TempRepo repo;
  Setup(repo);
  repo.Git({"checkout", "-q", "main"});
  // An untracked policy in UTF-16: its content is decoded and judged as the rules say.
  std::string utf16 = "\xff\xfe";
  for (char c : std::string("{\"Action\": \"*\"}\n")) utf16 += std::string(1, c) + '\0';
  WriteFile(repo.Abs("infra/new-policy.json"), utf16);
  auto r = RunRingfence({"check", "--repo", repo.path(), "--base", "main", "--worktree", "--format", "json"});
  INFO(r.err);
  CHECK(r.exit_code == 1);
  json j = json::parse(r.out);
  bool denied_by_content = false;
  for (const auto& rule : j["fired"]) {
    for (const auto& e : rule["evidence"]) {
      denied_by_content = denied_by_content || (e["file"] == "infra/new-policy.json" && e["line"] == 1 &&
                                                rule["effect"] == "deny");
    }
  }
  CHECK(denied_by_content);
  CHECK(RunRingfence({"check", "--repo", repo.path(), "--base", "main", "--worktree", "--head", "feature"})
            .exit_code == 4);
}

TEST_CASE("check: unresolved files make the gate indeterminate (3), never allow") {
  TempRepo repo;
  Setup(repo);
  repo.Write("stray/notes.txt", "who owns me?\n");
  repo.Commit("stray");
  auto r = Check(repo, {"--format", "json"});
  CHECK(r.exit_code == 3);
  json j = json::parse(r.out);
  CHECK(j["decision"] == "indeterminate");
  CHECK(j["indeterminate"][0].get<std::string>().find("1 of 1 changed files") == 0);
}

TEST_CASE("check: bad rule files are exit 4 with file:line:col") {
  TempRepo repo;
  repo.Write(".ringfence/rules/a.yaml",
             "apiVersion: ringfence/v1\nrules:\n  - id: x\n    when: {pathz: [a]}\n    effect: deny\n");
  repo.Write("CODEOWNERS", "* @a\n");
  repo.Write("a.txt", "1\n");
  repo.Commit("base");
  repo.Write("a.txt", "2\n");
  repo.Commit("change");
  auto r = RunRingfence({"check", "--repo", repo.path(), "--base", "HEAD~1"});
  CHECK(r.exit_code == 4);
  CHECK(r.err.find(".ringfence/rules/a.yaml:4:12: unknown condition 'pathz'") != std::string::npos);

  TempDir tmp;
  std::ofstream(tmp.path() + "/dup.yaml") << "apiVersion: ringfence/v1\nrules:\n"
                                             "  - {id: a, when: {paths: [x]}, effect: deny}\n"
                                             "  - {id: a, when: {paths: [y]}, effect: warn}\n";
  auto dup =
      RunRingfence({"check", "--repo", repo.path(), "--base", "HEAD~1", "--rules", tmp.path() + "/dup.yaml"});
  CHECK(dup.exit_code == 4);
  CHECK(dup.err.find("dup.yaml:4:10: duplicate rule id 'a'") != std::string::npos);

  std::ofstream(tmp.path() + "/re.yaml")
      << "apiVersion: ringfence/v1\nrules:\n"
         "  - id: backref\n    when: {added_lines: {matches: '(a)\\1'}}\n    effect: deny\n";
  auto re =
      RunRingfence({"check", "--repo", repo.path(), "--base", "HEAD~1", "--rules", tmp.path() + "/re.yaml"});
  CHECK(re.exit_code == 4);
  CHECK(re.err.find("re.yaml:4:35: bad regular expression") != std::string::npos);

  auto missing = RunRingfence({"check", "--repo", repo.path(), "--base", "HEAD~1", "--rules", "nope/"});
  CHECK(missing.exit_code == 4);
  CHECK(missing.err.find("is not in the base revision") != std::string::npos);
}

TEST_CASE("check: a catastrophic-backtracking pattern cannot slow the gate (RE2 is linear)") {
  TempRepo repo;
  repo.Write(".ringfence/rules/evil.yaml",
             "apiVersion: ringfence/v1\nrules:\n  - id: evil\n    when: {added_lines: {matches: '^(a+)+$'}}\n"
             "    effect: deny\n");
  repo.Write("CODEOWNERS", "* @a\n");
  repo.Commit("base");
  std::string line(200000, 'a');
  line += "!";  // no match: a backtracking engine would explore 2^n ways
  std::string text;
  for (int i = 0; i < 20; ++i) text += line + "\n";
  repo.Write("big.txt", text);
  repo.Commit("evil input");
  auto start = std::chrono::steady_clock::now();
  auto r = RunRingfence({"check", "--repo", repo.path(), "--base", "HEAD~1", "--format", "json"});
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  REQUIRE(r.exit_code == 0);
  CHECK(json::parse(r.out)["fired"].empty());
  // Not a benchmark: a generous bound that only a super-linear engine could exceed.
  CHECK(secs < 30.0);
}

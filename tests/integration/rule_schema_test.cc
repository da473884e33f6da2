// The published JSON Schema of rule files accepts every shipped rule pack and rejects what the
// loader rejects; validated with a real JSON Schema implementation (python3-jsonschema).
#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "tests/support/git_fixture.h"
#include "tests/support/run_process.h"

using namespace ringfence::testing;

namespace {

const char* kValidate =
    "import json, sys, yaml, jsonschema\n"
    "schema = json.load(open(sys.argv[1]))\n"
    "bad = 0\n"
    "for path in sys.argv[2:]:\n"
    "    try:\n"
    "        jsonschema.validate(yaml.safe_load(open(path)), schema)\n"
    "    except jsonschema.ValidationError as e:\n"
    "        bad += 1\n"
    "        print(path, e.message)\n"
    "print('invalid', bad)\n";

}  // namespace

TEST_CASE("rules schema: every shipped rule pack validates") {
  std::string src = RINGFENCE_SOURCE_DIR;
  std::vector<std::string> argv = {RINGFENCE_PYTHON, "-c", kValidate, src + "/docs/rules.schema.json"};
  for (const char* pack :
       {"ai-bounds", "iam-egress", "destructive", "global-config", "freeze", "dependencies"}) {
    argv.push_back(src + "/rules/" + pack + ".yaml");
  }
  for (const char* pack : {"destructive", "invariants", "capacity", "environments", "agent-bounds"})
    argv.push_back(src + "/guard-rules/" + pack + ".yaml");
  auto r = RunProcess(argv);
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == "invalid 0\n");
}

TEST_CASE("rules schema: rejects unknown conditions, bad effects and unknown keys") {
  TempDir tmp;
  std::string src = RINGFENCE_SOURCE_DIR;
  std::vector<std::string> files;
  const char* bad[] = {
      "apiVersion: ringfence/v1\nrules:\n  - {id: a, when: {pathz: [x]}, effect: deny}\n",
      "apiVersion: ringfence/v1\nrules:\n  - {id: a, when: {paths: [x]}, effect: block}\n",
      "apiVersion: ringfence/v1\nrules:\n  - {id: a, when: {paths: [x]}, effect: deny, colour: red}\n",
      "apiVersion: ringfence/v1\nrules:\n  - {id: a, when: {files_changed: {more: 3}}, effect: deny}\n",
  };
  for (size_t i = 0; i < std::size(bad); ++i) {
    std::string p = tmp.path() + "/bad" + std::to_string(i) + ".yaml";
    WriteFile(p, bad[i]);
    files.push_back(p);
    // The loader rejects each of them too, with a position.
    auto lint = RunRingfence({"rules", "lint", p});
    CHECK(lint.exit_code == 4);
    CHECK(lint.err.find(p + ":3:") == 0);
  }
  std::vector<std::string> argv = {RINGFENCE_PYTHON, "-c", kValidate, src + "/docs/rules.schema.json"};
  argv.insert(argv.end(), files.begin(), files.end());
  auto r = RunProcess(argv);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.substr(r.out.rfind("invalid")) == "invalid 4\n");
}

TEST_CASE("rules lint: never-firing and shadowed rules, expired waivers, unknown components") {
  TempDir tmp;
  std::string rules = tmp.path() + "/r.yaml";
  WriteFile(rules,
            "apiVersion: ringfence/v1\nrules:\n"
            "  - {id: empty-range, when: {files_changed: {gt: 10, lt: 5}}, effect: deny}\n"
            "  - {id: strong, when: {paths: [infra/]}, effect: deny}\n"
            "  - {id: weak, when: {paths: [infra/]}, effect: warn}\n"
            "  - {id: ghost, when: {components: [no-such-component]}, effect: deny}\n"
            "  - {id: fine, when: {any: [{files_changed: {gt: 10, lt: 5}}, {lines_added: {gt: 1}}]}, effect: "
            "warn}\n"
            "  - {id: old-freeze, when: {time_window: {timezone: UTC, from: '2025-12-20', to: "
            "'2025-12-31'}}, effect: deny}\n");
  std::string waivers = tmp.path() + "/w.yaml";
  WriteFile(waivers,
            "apiVersion: ringfence/v1\nkind: Waivers\nwaivers:\n"
            "  - {rule: strong, approver: '@a', reason: 'old exception', expires: 2025-01-01}\n"
            "  - {rule: nope, approver: '@a', reason: 'typo in id', expires: 2030-01-01}\n");
  TempRepo repo;
  repo.Write(".ringfence/components.yaml",
             "apiVersion: ringfence/v1\ncomponents:\n  - {name: web, paths: [web/]}\n");
  repo.Write("infra/main.tf", "x\n");
  repo.Commit("base");
  auto r = RunRingfence({"rules", "lint", rules, waivers, "--repo", repo.path(), "--now", "2026-01-01"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find(rules +
                   ":3: rule 'empty-range' can never fire: files_changed gt 10 lt 5 is an empty range") !=
        std::string::npos);
  CHECK(r.out.find(rules + ":5: rule 'weak' is shadowed by 'strong'") != std::string::npos);
  CHECK(
      r.out.find("rule 'ghost' can never fire: no component of the repository is named no-such-component") !=
      std::string::npos);
  CHECK(r.out.find("'fine'") == std::string::npos);
  CHECK(r.out.find(waivers + ":4: waiver for 'strong' expired on 2025-01-01") != std::string::npos);
  CHECK(r.out.find(waivers + ":5: waiver names unknown rule 'nope'") != std::string::npos);
  CHECK(r.out.find("rule 'old-freeze' can never fire: the window 2025-12-20 to 2025-12-31 UTC has passed") !=
        std::string::npos);
  CHECK(r.out.find("6 rule(s), 2 waiver(s) in 2 file(s): 6 finding(s)") != std::string::npos);

  // The same findings as JSON, one object each with its kind and position.
  auto j = RunRingfence(
      {"rules", "lint", rules, waivers, "--repo", repo.path(), "--now", "2026-01-01", "--format", "json"});
  CHECK(j.exit_code == 1);
  auto report = nlohmann::json::parse(j.out);
  CHECK(report["schema"] == "ringfence.lint/v1");
  CHECK(report["rules"] == 6);
  REQUIRE(report["findings"].size() == 6);
  std::map<std::string, std::string> kinds;
  for (const auto& f : report["findings"]) kinds[f["rule"].get<std::string>()] = f["kind"];
  CHECK(kinds["empty-range"] == "never_fires");
  CHECK(kinds["weak"] == "shadowed");
  CHECK(kinds["nope"] == "waiver_unknown_rule");
  CHECK(kinds["strong"] == "waiver_expired");
  auto shadowed = std::find_if(report["findings"].begin(), report["findings"].end(),
                               [](const nlohmann::json& f) { return f["kind"] == "shadowed"; });
  CHECK((*shadowed)["file"] == rules);
  CHECK((*shadowed)["line"] == 5);
  // A file that does not load: exit 4, and the JSON says where.
  WriteFile(rules, "apiVersion: ringfence/v1\nrules:\n  - {id: x, when: {nope: 1}, effect: deny}\n");
  auto bad = RunRingfence({"rules", "lint", rules, "--format", "json"});
  CHECK(bad.exit_code == 4);
  CHECK(nlohmann::json::parse(bad.out)["error"].get<std::string>().rfind(rules + ":3:", 0) == 0);
}

TEST_CASE("rules test: a failing fixture prints expected vs actual and exits 1") {
  TempDir tmp;
  std::string rules = tmp.path() + "/r.yaml";
  WriteFile(rules,
            "apiVersion: ringfence/v1\nrules:\n  - {id: infra, when: {paths: [infra/]}, effect: deny}\n");
  std::string fx = tmp.path() + "/t.yaml";
  WriteFile(fx,
            "apiVersion: ringfence/v1\nkind: RuleTest\nrules: [r.yaml]\ncases:\n"
            "  - name: right\n    change: {files: [{path: infra/a.tf}], owners: ['@a']}\n"
            "    expect: {decision: deny, fired: [infra]}\n"
            "  - name: wrong on purpose\n    change: {files: [{path: infra/a.tf}], owners: ['@a']}\n"
            "    expect: {decision: allow, fired: []}\n");
  auto r = RunRingfence({"rules", "test", fx});
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("FAIL " + fx + ":8 wrong on purpose") != std::string::npos);
  CHECK(r.out.find("  expected: allow, fired []\n  actual:   deny, fired [infra]") != std::string::npos);
  CHECK(r.out.find("1 passed, 1 failed") != std::string::npos);
}

TEST_CASE("images schema: the policies ringfence loads validate, and what the loader refuses does not") {
  std::string src = RINGFENCE_SOURCE_DIR;
  TempDir tmp;
  const std::string head =
      "apiVersion: ringfence/v1\nkind: ImagePolicy\nsigners: [{name: release, key: k.pub}]\n";
  const std::string db = "scan:\n  database: {path: /db, digest: \"sha256:" + std::string(64, 'a') + "\"";
  std::map<std::string, std::pair<std::string, bool>> cases = {
      // name -> text, valid
      {"full",
       {head + "threshold: 1\nprovenance: {builders: [urn:b], source_repositories: [https://x]}\n" + db +
            ", max_age: 2d}\n  fail_on: critical\n  unknown_as: high\n  fixed_only: true\n  grace: 7d\n"
            "  vex: [v.json]\nmax_age: 30d\negress: [\"10.0.0.0/8:443\", \"*.example.com:*\", "
            "\"[2001:db8::/32]:443\"]\n",
        true}},
      {"minimal", {head + db + "}\n", true}},
      {"no-signers", {"apiVersion: ringfence/v1\nkind: ImagePolicy\nsigners: []\n" + db + "}\n", false}},
      {"unpinned", {head + "scan:\n  database: {path: /db}\n", false}},
      {"bad-level", {head + db + "}\n  fail_on: severe\n", false}},
      {"unknown-key", {head + db + "}\nallow_unsigned: true\n", false}},
      {"bad-egress", {head + db + "}\negress: [\"10.0.0.1\"]\n", false}},
  };
  std::vector<std::string> argv = {RINGFENCE_PYTHON, "-c", kValidate, src + "/docs/images.schema.json"};
  for (const auto& [name, c] : cases) {
    std::string path = tmp.path() + "/" + name + ".yaml";
    std::ofstream(path) << c.first;
    auto loaded = RunRingfence({"image", "policy", path});
    INFO(name << ": " << loaded.err);
    CHECK(loaded.exit_code == (c.second ? 0 : 4));  // the loader agrees with the schema
    argv.push_back(path);
  }
  auto r = RunProcess(argv);
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  for (const auto& [name, c] : cases) {
    INFO(name);
    bool flagged = r.out.find("/" + name + ".yaml ") != std::string::npos;
    CHECK(flagged == !c.second);
  }
}

// The gate's reports as their consumers read them: SARIF through Microsoft's SARIF multitool with
// GitHub code scanning's ingestion rules, JUnit against the strict Ant schema and the Jenkins
// xUnit plugin's schema (xmllint), Markdown through GitHub's own Markdown implementation
// (cmark-gfm). Each on several verdict shapes: rules
// with file evidence, rules about the change as a whole, an indeterminate verdict, a waiver.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/git_fixture.h"
#include "tests/support/required_tool.h"
#include "tests/support/run_process.h"

using namespace ringfence::testing;
using nlohmann::json;

namespace {

struct Shape {
  std::string name;
  std::string repo;
  std::vector<std::string> args;
};

// The bundled example's AI change (file evidence, blast radius, tiers, a staged global channel,
// scope creep), an indeterminate change, and a waived rule whose evidence is a regex.
std::vector<Shape> Shapes(const TempDir& tmp, std::vector<std::unique_ptr<TempRepo>>& keep) {
  std::vector<Shape> shapes;
  std::string shop = tmp.path() + "/shop";
  auto made = RunProcess({std::string(RINGFENCE_SOURCE_DIR) + "/examples/make-example-repo.sh", shop});
  REQUIRE(made.exit_code == 0);
  shapes.push_back({"example AI change", shop, {"--base", "main", "--head", "ai/extend-session"}});

  auto& bare = *keep.emplace_back(std::make_unique<TempRepo>());
  bare.Write(
      ".ringfence/rules/gate.yaml",
      "apiVersion: ringfence/v1\nkind: Rules\nrules:\n"
      "  - id: wildcard|pipe\n    description: 'a *wild* card [x] `tick` <b>'\n"
      "    when: {added_lines: {matches: '\"Action\"\\s*:\\s*\"\\*\"|\\[all\\]', files: [\"*.json\"]}}\n"
      "    effect: deny\n    message: 'no wildcard actions (Action \"*\")'\n"
      "  - id: big\n    when: {lines_added: {gt: 1}}\n    effect: warn\n");
  bare.Write("README.md", "base\n");
  bare.Commit("base");
  bare.Git({"checkout", "-q", "-b", "feature"});
  bare.Write("infra/policy.json", "{\n  \"Action\": \"*\"\n}\n");
  bare.Commit("no components, no owners");
  shapes.push_back({"indeterminate", bare.path(), {"--base", "main", "--head", "feature"}});

  auto& waived = *keep.emplace_back(std::make_unique<TempRepo>());
  waived.Write(".ringfence/rules/gate.yaml",
               "apiVersion: ringfence/v1\nkind: Rules\nrules:\n"
               "  - id: wildcard\n    when: {added_lines: {matches: '\"Action\"\\s*:\\s*\"\\*\"', files: "
               "[\"*.json\"]}}\n"
               "    effect: deny\n    message: no wildcard actions\n");
  waived.Write(
      ".ringfence/waivers.yaml",
      "apiVersion: ringfence/v1\nkind: Waivers\nwaivers:\n"
      "  - {rule: wildcard, approver: '@sec', reason: 'break-glass | *drill*', expires: 2030-01-01}\n");
  waived.Write("CODEOWNERS", "* @all\n");
  waived.Write("README.md", "base\n");
  waived.Commit("base");
  waived.Git({"checkout", "-q", "-b", "feature"});
  waived.Write("infra/policy.json", "{\n  \"Action\": \"*\"\n}\n");
  waived.Commit("waived");
  shapes.push_back({"waived", waived.path(), {"--base", "main", "--head", "feature"}});
  return shapes;
}

ProcessResult Report(const Shape& s, const std::string& format) {
  std::vector<std::string> args = {"check",    "--repo", s.repo, "--now", "2026-06-01 12:00",
                                   "--format", format};
  args.insert(args.end(), s.args.begin(), s.args.end());
  return RunRingfence(args);
}

// What cmark-gfm writes for text in HTML.
std::string HtmlText(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '"')
      out += "&quot;";
    else
      out += c;
  }
  return out;
}

}  // namespace

TEST_CASE("reports: SARIF has no error or warning under GitHub's ingestion rules (SARIF multitool)") {
  std::string tool = RINGFENCE_SARIF_MULTITOOL;
  if (!HaveTool(tool)) return;
  TempDir tmp;
  std::vector<std::unique_ptr<TempRepo>> keep;
  for (const auto& shape : Shapes(tmp, keep)) {
    INFO(shape.name);
    auto r = Report(shape, "sarif");
    REQUIRE(r.exit_code != 4);
    std::string in = tmp.path() + "/in.sarif", out = tmp.path() + "/validation.sarif";
    std::ofstream(in) << r.out;
    auto v =
        RunProcess({tool, "validate", "--rule-kind", "Sarif;Gh", in, "-o", out, "--log", "ForceOverwrite"});
    INFO(v.out << v.err);
    REQUIRE(std::filesystem::exists(out));
    json log = json::parse(std::ifstream(out));
    int errors = 0, warnings = 0;
    std::string first;
    for (const auto& res : log["runs"][0]["results"]) {
      std::string level = res.value("level", "warning");  // SARIF's default level
      errors += level == "error";
      warnings += level == "warning";
      if (first.empty() && level != "note") first = res.dump();
    }
    INFO(first);
    CHECK(errors == 0);
    CHECK(warnings == 0);
    // Every result is shown somewhere a reviewer looks: a file of the change, with a line.
    json sarif = json::parse(r.out);
    for (const auto& res : sarif["runs"][0]["results"]) {
      REQUIRE(res.contains("locations"));
      CHECK(res["locations"][0]["physicalLocation"]["region"]["startLine"].get<int>() >= 1);
    }
  }
}

TEST_CASE("reports: JUnit is valid against the strict Ant schema and the Jenkins xUnit schema (xmllint)") {
  if (!HaveTool("xmllint")) return;
  TempDir tmp;
  std::vector<std::unique_ptr<TempRepo>> keep;
  std::string schemas = std::string(RINGFENCE_SOURCE_DIR) + "/tests/support/schemas/";
  for (const auto& shape : Shapes(tmp, keep)) {
    INFO(shape.name);
    auto r = Report(shape, "junit");
    REQUIRE(r.exit_code != 4);
    std::string file = tmp.path() + "/junit.xml";
    std::ofstream(file) << r.out;
    for (const char* schema : {"junit-ant-strict.xsd", "junit-jenkins-xunit.xsd"}) {
      auto v = RunProcess({"xmllint", "--noout", "--schema", schemas + schema, file});
      INFO(schema << "\n" << r.out << v.err);
      CHECK(v.exit_code == 0);
    }
    CHECK(r.out.find("classname=\"ringfence..") == std::string::npos);
    CHECK(r.out.find(" timestamp=\"20") != std::string::npos);
  }
  // The oracles are not lenient: a suite without its counts, or an attribute neither knows, fails.
  std::string bad = tmp.path() + "/bad.xml";
  std::ofstream(bad) << "<testsuites><testsuite name=\"x\" tests=\"1\" color=\"red\"><testcase name=\"t\"/>"
                        "</testsuite></testsuites>\n";
  for (const char* schema : {"junit-ant-strict.xsd", "junit-jenkins-xunit.xsd"})
    CHECK(RunProcess({"xmllint", "--noout", "--schema", schemas + schema, bad}).exit_code != 0);
}

TEST_CASE("reports: Markdown shows rule text and regex evidence exactly as written (cmark-gfm)") {
  if (!HaveTool("cmark-gfm")) return;
  TempDir tmp;
  std::vector<std::unique_ptr<TempRepo>> keep;
  for (const auto& shape : Shapes(tmp, keep)) {
    INFO(shape.name);
    auto md = Report(shape, "markdown");
    auto verdict = json::parse(Report(shape, "json").out);
    std::string file = tmp.path() + "/comment.md";
    std::ofstream(file) << md.out;
    auto html = RunProcess({"cmark-gfm", "-e", "table", file});
    REQUIRE(html.exit_code == 0);
    INFO(md.out);
    for (const auto& fired : verdict["fired"]) {
      // One table row per fired rule, whatever its id or message contains.
      CHECK(html.out.find("<td><code>" + HtmlText(fired["rule"].get<std::string>()) + "</code></td>") !=
            std::string::npos);
      CHECK(html.out.find("<td>" + HtmlText(fired["message"].get<std::string>()) + "</td>") !=
            std::string::npos);
      for (const auto& e : fired["evidence"]) {
        std::string text = e["text"].get<std::string>();
        if (text.find('\n') != std::string::npos) continue;  // line breaks become spaces
        CHECK(html.out.find(HtmlText(text)) != std::string::npos);
      }
    }
    CHECK(md.out.find("{\"") == std::string::npos);  // no raw JSON
  }
}

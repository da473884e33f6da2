// Rule tests: fixture files that describe changes as facts and the verdict expected for each,
// like `opa test` or `kyverno test`. `ringfence rules test` runs them; rule packs ship with them.
//
//   apiVersion: ringfence/v1
//   kind: RuleTest
//   rules: [../ai-bounds.yaml]       # relative to the fixture file
//   waivers: waivers.yaml            # optional
//   cases:
//     - name: a small AI change passes
//       now: "2026-06-01 12:00"      # optional, UTC
//       change:
//         branch: ai/fix
//         labels: [ai-authored]
//         approved_by: ["@org/sre"]
//         intent: {components: [auth], paths: []}
//         commits: [{author: "agent <a@bots.example>", message: "fix\n\nAssisted-by: agent"}]
//         files:
//           - {path: src/a.py, status: modified, added: 3, deleted: 1, binary: false,
//              components: [auth], added_lines: ["import os", {line: 7, text: "x = 1"}]}
//         components: [{name: auth, tier: 0, distance: 1, global_channel: false}]
//         owners: ["@org/auth"]
//         affected_files: 12
//         unresolved: []
//         bumps: [{manifest: package.json, ecosystem: npm, package: react, from: "17.0.2", to: "18.2.0"}]
//       expect: {decision: allow, fired: []}
#pragma once

#include <string>
#include <vector>

#include "engine/core/yaml_doc.h"
#include "engine/rules/evaluator.h"
#include "engine/rules/rule_loader.h"

namespace ringfence {

struct FixtureCase {
  std::string name;
  int line = 0;
  ChangeFacts facts;  // author not yet classified (needs the rule set's author config)
  std::vector<std::string> approved_by;
  std::string expect_decision;
  std::vector<std::string> expect_fired;  // sorted; rules that fired, waived or not
  bool check_fired = false;
};

struct Fixture {
  std::string path;
  std::vector<std::string> rule_files;  // resolved against the fixture's directory
  std::string waivers_file;
  std::vector<FixtureCase> cases;
};

Result<Fixture> LoadFixture(const SourceFile& file);

// A change described as facts (a fixture case's `change:`, a replay scenario's `change:`).
Status ParseChangeFacts(const YamlDoc& doc, const YAML::Node& n, ChangeFacts& facts,
                        std::vector<std::string>& approved_by);

}  // namespace ringfence

// Engine pieces of the gate on in-memory input: trailers, author kinds, version levels, ranges,
// effects and the decision order.
#include <catch2/catch.hpp>

#include "adapters/git/message_trailers.h"
#include "engine/rules/author.h"
#include "engine/rules/dependency_bumps.h"
#include "engine/rules/evaluator.h"
#include "engine/rules/file_kinds.h"
#include "engine/rules/rule_loader.h"

using namespace ringfence;

namespace {

RuleSet Rules(const std::string& yaml) {
  auto r = LoadRules({{"r.yaml", yaml}});
  INFO((r.ok() ? "" : r.error().message));
  REQUIRE(r.ok());
  return std::move(*r);
}

ChangeFacts OneFile(const std::string& path, int added = 1) {
  ChangeFacts f;
  FileChange c;
  c.path = c.old_path = path;
  c.added = added;
  f.scope.changes.files.push_back(c);
  f.scope.owners.push_back({"@o", 1, path});
  return f;
}

}  // namespace

TEST_CASE("trailers are the last paragraph of Key: value lines, as git reads them") {
  using git::MessageTrailers;
  auto t = MessageTrailers(
      "subject\n\nbody text\n\nAssisted-by: agent v1\nCo-authored-by: A <a@x>\n  continued\n");
  REQUIRE(t.size() == 2);
  CHECK(t[0] == std::make_pair(std::string("Assisted-by"), std::string("agent v1")));
  CHECK(t[1].second == "A <a@x> continued");
  CHECK(MessageTrailers("subject only\n").empty());
  CHECK(MessageTrailers("subject\n\nnot a trailer line\nKey: v\n").empty());
  // git's own forms: a space before the separator, CRLF line ends.
  CHECK(MessageTrailers("s\n\nAssisted-by : x\n") == decltype(t){{"Assisted-by", "x"}});
  CHECK(MessageTrailers("s\r\n\r\nAssisted-by: x\r\n") == decltype(t){{"Assisted-by", "x"}});
}

TEST_CASE("author kind: AI by trailer, identity, branch or label, then bots, then humans") {
  AuthorConfig cfg = AuthorConfig::Defaults();
  ChangeFacts f;
  f.scope.changes.commits.push_back({"c1",
                                     "Dana",
                                     "dana@x",
                                     "Dana",
                                     "dana@x",
                                     "fix\n\nCo-authored-by: Copilot <copilot@github.com>\n",
                                     {}});
  ClassifyAuthor(f, cfg);
  CHECK(f.author_kind == AuthorKind::kAi);
  CHECK(f.agents == std::vector<std::string>{"github-copilot"});  // the identity table names the agent

  ChangeFacts bot;
  bot.scope.changes.commits.push_back({"c2", "renovate[bot]", "bot@renovate", "", "", "bump", {}});
  ClassifyAuthor(bot, cfg);
  CHECK(bot.author_kind == AuthorKind::kBot);

  ChangeFacts human;
  human.scope.changes.commits.push_back(
      {"c3", "Dana", "dana@x", "Dana", "dana@x", "fix\n\nCo-authored-by: Sam <sam@x>\n", {}});
  ClassifyAuthor(human, cfg);
  CHECK(human.author_kind == AuthorKind::kHuman);
  human.labels = {"ai-authored"};
  ClassifyAuthor(human, cfg);
  CHECK(human.author_kind == AuthorKind::kAi);
}

TEST_CASE("version levels follow semver, 0.x minor is breaking") {
  CHECK(CompareVersions("^17.0.2", "^18.2.0") == DependencyBump::Level::kMajor);
  CHECK(CompareVersions("1.2.3", "1.3.0") == DependencyBump::Level::kMinor);
  CHECK(CompareVersions("v1.2.3", "v1.2.4") == DependencyBump::Level::kPatch);
  CHECK(CompareVersions("0.2", "0.3") == DependencyBump::Level::kMajor);
  CHECK(CompareVersions("latest", "1.0") == DependencyBump::Level::kOther);
}

TEST_CASE(
    "Cargo.toml as TOML: inline and dotted tables, targets, git and path sources, errors with position") {
  auto deps = ParseManifest("Cargo.toml",
                            "[package]\nname = \"x\"\n[dependencies]\nserde = \"1.0\"\n"
                            "tokio = { version = \"1.2\", features = [\"full\"] }\n"
                            "mine = { git = \"https://example.com/mine\", rev = \"abc\" }\n"
                            "[dependencies.rand]\nversion = \"0.8\"\n"
                            "[target.'cfg(unix)'.dependencies]\nlibc = \"0.2\"\n"
                            "[target.'cfg(windows)'.dev-dependencies.winapi]\nversion = \"0.3\"\n"
                            "[workspace.dependencies]\nlocal = { path = \"../local\" }\n");
  REQUIRE(deps.ok());
  std::map<std::string, DeclaredDependency> by;
  for (const auto& [name, d] : *deps) by[d.section + " " + name] = d;
  CHECK(by["dependencies tokio"].version == "1.2");
  CHECK(by["dependencies tokio"].line == 5);
  CHECK(by["dependencies mine"].version == "git https://example.com/mine@abc");
  CHECK(by["dependencies rand"].version == "0.8");
  CHECK(by["target.cfg(unix).dependencies libc"].version == "0.2");
  CHECK(by["target.cfg(windows).dev-dependencies winapi"].version == "0.3");
  CHECK(by["workspace.dependencies local"].version == "path ../local");
  CHECK(deps->size() == 7);
  auto bad = ParseManifest("crates/x/Cargo.toml", "[dependencies]\nserde = \"1.0\"\nserde = \"2.0\"\n");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.rfind("crates/x/Cargo.toml:3:", 0) == 0);
  auto json = ParseManifest("package.json", "{\n  \"dependencies\": {,}\n}\n");
  REQUIRE_FALSE(json.ok());
  CHECK(json.error().message.rfind("package.json:2:", 0) == 0);
}

TEST_CASE("file kinds by path") {
  auto has = [](const std::string& p, const std::string& k) {
    auto ks = FileKinds(p);
    return std::find(ks.begin(), ks.end(), k) != ks.end();
  };
  CHECK(has(".github/workflows/ci.yml", "ci"));
  CHECK(has("package-lock.json", "lockfile"));
  CHECK_FALSE(has("package-lock.json", "config"));
  CHECK(has("infra/vpc/main.tf", "infrastructure"));
  CHECK(has("api/gen/x.pb.go", "generated"));
  CHECK(has("src/a_test.go", "test"));
  CHECK(has("src/a_test.go", "code"));
  CHECK(has("config/app.yaml", "config"));
  CHECK(has("docs/guide.md", "docs"));
}

TEST_CASE("decision order: deny beats indeterminate beats approval beats warn") {
  RuleSet rules = Rules(
      "apiVersion: ringfence/v1\nrules:\n"
      "  - {id: w, when: {paths: [a/]}, effect: warn}\n"
      "  - {id: r, when: {paths: [b/]}, effect: require_approval, min_approvals: 2}\n"
      "  - {id: d, when: {paths: [c/]}, effect: deny}\n"
      "  - {id: br, when: {branch: [main]}, effect: warn}\n");
  ChangeFacts f = OneFile("a/x");
  f.branch = "feature";
  CHECK(Evaluate(rules, {}, f, {}).decision == Decision::kWarn);
  f.scope.changes.files.push_back(OneFile("b/x").scope.changes.files[0]);
  // A rule that names no approvers counts the owners of the changed files, and no other handle.
  f.scope.owners = {{"@one", 1, "b/x"}, {"@two", 1, "b/x"}, {"@far", 3, "component:elsewhere"}};
  CHECK(Evaluate(rules, {}, f, {{"@one"}}).decision == Decision::kNeedsApproval);
  CHECK(Evaluate(rules, {}, f, {{"@one", "@two"}}).decision == Decision::kWarn);
  CHECK(Evaluate(rules, {}, f, {{"@ONE", "@Two"}}).decision == Decision::kWarn);  // handles ignore case
  CHECK(Evaluate(rules, {}, f, {{"@one", "@one"}}).decision == Decision::kNeedsApproval);  // one person, once
  CHECK(Evaluate(rules, {}, f, {{"@one", "@random"}}).decision == Decision::kNeedsApproval);
  CHECK(Evaluate(rules, {}, f, {{"@one", "@far"}}).decision ==
        Decision::kNeedsApproval);  // owns only what is reached
  f.branch.clear();                 // the branch rule cannot be decided
  CHECK(Evaluate(rules, {}, f, {}).decision == Decision::kIndeterminate);
  f.scope.changes.files.push_back(OneFile("c/x").scope.changes.files[0]);
  CHECK(Evaluate(rules, {}, f, {}).decision == Decision::kDeny);
}

TEST_CASE("rollout constraints merge to the strictest") {
  RolloutConstraints a, b;
  a.max_canary_weight = 5;
  a.min_bake_seconds = 600;
  b.max_canary_weight = 1;
  b.min_bake_seconds = 60;
  b.human_promotion = true;
  a.Merge(b);
  CHECK(*a.max_canary_weight == 1);
  CHECK(*a.min_bake_seconds == 600);
  CHECK(a.human_promotion);
  CHECK(ParseDuration("30m") == 1800);
  CHECK(ParseDuration("2h") == 7200);
  CHECK_FALSE(ParseDuration("30").has_value());
  CHECK_FALSE(ParseDuration("m").has_value());
}

TEST_CASE("added_lines rules sharing a file scope are matched through one RE2::Set, with the same results") {
  RuleSet shared = Rules(
      "apiVersion: ringfence/v1\nrules:\n"
      "  - {id: a, when: {added_lines: {files: ['*.tf'], matches: 'cidr.*0\\.0\\.0\\.0/0'}}, effect: deny}\n"
      "  - {id: b, when: {added_lines: {files: ['*.tf'], matches: 'Action.*\\*'}}, effect: warn}\n"
      "  - {id: c, when: {added_lines: {files: ['*.tf'], matches: 'never-there'}}, effect: deny}\n");
  ChangeFacts f = OneFile("infra/main.tf", 3);
  f.scope.changes.files[0].added_lines = {
      {4, "ok = 1"}, {7, "cidr_blocks = [\"0.0.0.0/0\"]"}, {9, "Action = \"s3:*\""}};
  FileChange other;
  other.path = other.old_path = "docs/x.md";
  other.added_lines = {{1, "cidr 0.0.0.0/0 in prose"}};
  f.scope.changes.files.push_back(other);
  Verdict v = Evaluate(shared, {}, f, {});
  REQUIRE(v.fired.size() == 2);
  CHECK(v.fired[0].rule->id == "a");
  REQUIRE(v.fired[0].match.evidence.size() == 1);
  CHECK(v.fired[0].match.evidence[0].file == "infra/main.tf");
  CHECK(v.fired[0].match.evidence[0].line == 7);
  CHECK(v.fired[1].rule->id == "b");
  CHECK(v.fired[1].match.evidence[0].line == 9);
  CHECK(v.decision == Decision::kDeny);
}

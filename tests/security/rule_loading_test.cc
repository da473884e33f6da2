// Class 3: rule loading fails closed. No rule file, an unreadable or empty directory, a symlink in
// the base tree or on disk: exit 4 with the path, never a gate with fewer rules than it shows.
#include <sys/stat.h>
#include <unistd.h>

#include "tests/security/security_fixture.h"

using namespace ringfence::testing;
namespace fs = std::filesystem;

TEST_CASE("no rule file, or an empty directory, is bad input, never an allow") {
  ShopRepo repo;
  repo.Write("infra/policy.json", "{\n  \"Action\": \"*\"\n}\n");
  repo.CommitAi();
  TempDir empty;
  auto r = repo.Check({"--rules", empty.path()});
  CHECK(r.exit_code == kBadInput);
  CHECK(r.err.find(empty.path()) != std::string::npos);
  // A repository without rule files in its base, and no --rules.
  TempRepo bare;
  bare.Write("CODEOWNERS", "* @a\n");
  bare.Write("a.txt", "1\n");
  bare.Commit("base");
  bare.Write("a.txt", "2\n");
  bare.Commit("change");
  auto none = RunRingfence({"check", "--repo", bare.path(), "--base", "HEAD~1"});
  CHECK(none.exit_code == kBadInput);
  CHECK(none.err.find(".ringfence/rules") != std::string::npos);
  if (geteuid() != 0) {  // root reads any directory
    TempDir locked;
    WriteFile(locked.path() + "/r/a.yaml", "apiVersion: ringfence/v1\nrules: []\n");
    ::chmod((locked.path() + "/r").c_str(), 0);
    CHECK(repo.Check({"--rules", locked.path() + "/r"}).exit_code != kAllow);
    ::chmod((locked.path() + "/r").c_str(), 0700);
  }
}

TEST_CASE("a rule pack that is a symlink in the base tree is refused, not skipped") {
  TempRepo repo;
  for (const char* pack : {"ai-bounds.yaml", "iam-egress.yaml"}) {
    std::ifstream in(std::string(RINGFENCE_SOURCE_DIR) + "/rules/" + pack);
    std::stringstream text;
    text << in.rdbuf();
    repo.Write(std::string("packs/") + pack, text.str());
  }
  repo.Write(".ringfence/components.yaml", kShopComponents);
  repo.Write(".ringfence/rules/ai-bounds.yaml", "apiVersion: ringfence/v1\nrules: []\n");
  repo.Symlink("../../packs/iam-egress.yaml", ".ringfence/rules/iam.yaml");
  repo.Write("infra/policy.json", "{}\n");
  repo.Commit("base");
  repo.Git({"checkout", "-q", "-b", "feature"});
  repo.Write("infra/policy.json", "{\n  \"Action\": \"*\"\n}\n");
  repo.Commit("wildcard");
  auto r = RunRingfence({"check", "--repo", repo.path(), "--base", "main", "--head", "feature"});
  CHECK(r.exit_code == kBadInput);
  CHECK(r.err.find(".ringfence/rules/iam.yaml is a symlink") != std::string::npos);
}

TEST_CASE("an operator's rules or waivers path through a symlink on disk is refused") {
  ShopRepo repo;
  repo.Write("infra/policy.json", "{\n  \"Action\": \"*\"\n}\n");
  repo.CommitAi();
  TempDir ops;
  WriteFile(ops.path() + "/real/waivers.yaml",
            "apiVersion: ringfence/v1\nkind: Waivers\nwaivers:\n"
            "  - {rule: iam.wildcard-action, approver: '@x', reason: 'planted by the change', expires: "
            "2027-01-01}\n");
  fs::create_symlink(ops.path() + "/real", ops.path() + "/linked");
  auto r = repo.Check({"--waivers", ops.path() + "/linked/waivers.yaml"});
  CHECK(r.exit_code == kBadInput);
  CHECK(r.err.find("is a symlink") != std::string::npos);
  // A path inside the repository is read from the base tree: a link the head placed is not followed.
  repo.Symlink(ops.path() + "/real", "ops");
  repo.CommitAi("add a link");
  auto inside = repo.Check({"--waivers", repo.path() + "/ops/waivers.yaml"});
  CHECK(inside.exit_code == kBadInput);  // not in the base revision
  CHECK(inside.err.find("is not in the base revision") != std::string::npos);
}

TEST_CASE("the shipped pack directory works as --rules, fixtures included") {
  ShopRepo repo;
  repo.Write("infra/policy.json", "{\n  \"Action\": \"*\"\n}\n");
  repo.CommitAi();
  auto r = repo.Check({"--rules", std::string(RINGFENCE_SOURCE_DIR) + "/rules"});
  INFO(r.err);
  CHECK(r.exit_code == kDeny);
  CHECK(r.HasFired("iam.wildcard-action"));
  // A file of an unknown kind is named, not skipped.
  TempDir dir;
  WriteFile(dir.path() + "/x.yaml", "apiVersion: ringfence/v1\nkind: Rulez\nrules: []\n");
  auto bad = repo.Check({"--rules", dir.path()});
  CHECK(bad.exit_code == kBadInput);
  CHECK(bad.err.find("unknown kind 'Rulez'") != std::string::npos);
  auto lint = RunRingfence({"rules", "lint", dir.path()});
  CHECK(lint.exit_code == kBadInput);
}

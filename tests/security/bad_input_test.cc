// Class 10: bad input leftovers: shallow and partial clones, non-UTF-8 plans, JUnit XML for any
// path bytes, and errors where a CI log shows them.
#include "tests/security/security_fixture.h"

using namespace ringfence::testing;
using nlohmann::json;

TEST_CASE("a shallow clone whose merge base sits at the depth cutoff is judged as the full clone is") {
  ShopRepo origin;
  origin.Write("infra/policy.json", "{\n  \"Action\": \"*\"\n}\n");
  origin.CommitAi("wildcard");
  origin.Git({"checkout", "-q", "main"});
  origin.Write("web/app.ts", "export const x = 9;\n");
  origin.Commit("main moves on");
  TempDir clone;
  std::string dir = clone.path() + "/shallow";
  auto cloned =
      RunProcess({"git", "clone", "-q", "--depth=2", "--no-single-branch", "file://" + origin.path(), dir});
  REQUIRE(cloned.exit_code == 0);
  auto full = RunRingfence({"check", "--repo", origin.path(), "--base", "main", "--head", "feature",
                            "--format", "json", "--now", "2026-06-01 12:00"});
  auto shallow = RunRingfence({"check", "--repo", dir, "--base", "origin/main", "--head", "origin/feature",
                               "--format", "json", "--now", "2026-06-01 12:00"});
  INFO(shallow.err);
  CHECK(shallow.exit_code == full.exit_code);
  CHECK(shallow.exit_code == kDeny);
  CHECK(json::parse(shallow.out)["merge_base"] == json::parse(full.out)["merge_base"]);
  CHECK(json::parse(shallow.out)["patch_id"] == json::parse(full.out)["patch_id"]);
  // Too shallow to hold the merge base: bad input with the fix, never an I/O error.
  std::string one = clone.path() + "/one";
  REQUIRE(
      RunProcess({"git", "clone", "-q", "--depth=1", "--no-single-branch", "file://" + origin.path(), one})
          .exit_code == 0);
  auto cut = RunRingfence({"check", "--repo", one, "--base", "origin/main", "--head", "origin/feature"});
  CHECK(cut.exit_code == kBadInput);
  CHECK(cut.err.find("--unshallow") != std::string::npos);
}

TEST_CASE("a partial clone missing a blob names the path, the blob and the fix") {
  ShopRepo origin;
  origin.Write("infra/policy.json", "{\n  \"Action\": \"*\"\n}\n");
  origin.CommitAi("wildcard");
  origin.Git({"config", "uploadpack.allowFilter", "true"});
  TempDir clone;
  std::string dir = clone.path() + "/partial";
  auto cloned = RunProcess({"git", "clone", "-q", "--filter=blob:none", "--no-checkout", "--no-single-branch",
                            "file://" + origin.path(), dir});
  REQUIRE(cloned.exit_code == 0);
  auto r = RunRingfence({"check", "--repo", dir, "--base", "origin/main", "--head", "origin/feature"});
  INFO(r.err);
  CHECK(r.exit_code == kBadInput);
  CHECK(r.err.find("is not in the repository") != std::string::npos);
  CHECK(r.err.find("partial clone") != std::string::npos);
}

TEST_CASE("a plan with bytes that are not UTF-8 is bad input at its position") {
  TempDir tmp;
  WriteFile(tmp.path() + "/plan.yaml", "apiVersion: ringfence/v1\nkind: RolloutPlan\nservice: caf\xe9\n");
  auto r = RunRingfence({"rollout", "--state", tmp.path() + "/state", "start", tmp.path() + "/plan.yaml"});
  CHECK(r.exit_code == kBadInput);
  CHECK(r.err.find("plan.yaml:3:13: not UTF-8") != std::string::npos);
}

TEST_CASE("JUnit XML is well-formed whatever bytes a path holds") {
  ShopRepo repo;
  std::string odd = std::string("web/bad\x01name\xff\xfe") + ".json";
  repo.Write(odd, "{\n  \"Action\": \"*\"\n}\n");
  repo.CommitAi("odd path");
  TempDir tmp;
  auto r = RunRingfence({"check", "--repo", repo.path(), "--base", "main", "--head", "feature", "--now",
                         "2026-06-01 12:00", "--format", "junit", "-o", tmp.path() + "/r.xml"});
  CHECK(r.exit_code == kDeny);
  auto parsed = RunProcess({RINGFENCE_PYTHON, "-c",
                            "import sys, xml.dom.minidom as m; m.parse(sys.argv[1]); print('ok')",
                            tmp.path() + "/r.xml"});
  INFO(parsed.err);
  CHECK(parsed.out == "ok\n");
}

TEST_CASE("explain writes its errors to stderr") {
  ShopRepo repo;
  repo.Write("web/app.ts", "export const x = 4;\n");
  repo.Commit("x");
  auto r =
      RunRingfence({"explain", "--repo", repo.path(), "--base", "main", "--head", "feature", "no/such/file"});
  CHECK(r.exit_code == kBadInput);
  CHECK(r.out.empty());
  CHECK(r.err.find("no/such/file") != std::string::npos);
}

// Class 4: changes that defeat rules by moving or reshaping things: renames, whitespace-only
// variants of a waived change, symlinks, and changes to the classification itself.
#include "tests/security/security_fixture.h"

using namespace ringfence::testing;

TEST_CASE("moving an applied migration away is a deletion from its old path") {
  ShopRepo repo;
  std::filesystem::create_directories(repo.Abs("sandbox"));
  repo.Git({"mv", "migrations/001_init.sql", "sandbox/001_init.sql"});
  repo.CommitAs("Dana <dana@shop.example>", "move");
  auto r = repo.Check();
  INFO(r.err << r.verdict.dump(2));
  CHECK(r.exit_code == kDeny);
  CHECK(r.HasFired("data.migration-deleted"));
}

TEST_CASE("a waiver bound to a patch id does not cover a whitespace variant (git patch-id --verbatim)") {
  ShopRepo repo;
  repo.Write("services/auth/client.py", "def get(url):\n    if url:\n        verify = True\n");
  repo.Commit("client");  // on feature: part of the change
  repo.Git({"checkout", "-q", "main"});
  repo.Git({"merge", "-q", "feature"});
  repo.Git({"checkout", "-q", "feature"});
  repo.Write("services/auth/client.py", "def get(url):\n    if url:\n        verify = False\n");
  repo.CommitAs("Dana <dana@shop.example>", "tls off for the test host");
  std::string diff = repo.Git({"diff", "main...feature"});
  TempDir tmp;
  WriteFile(tmp.path() + "/d.patch", diff);
  auto id = RunProcess({"sh", "-c", "git patch-id --verbatim < " + tmp.path() + "/d.patch"});
  REQUIRE(id.exit_code == 0);
  std::string patch_id = id.out.substr(0, 40);
  WriteFile(tmp.path() + "/waivers.yaml",
            "apiVersion: ringfence/v1\nkind: Waivers\nwaivers:\n"
            "  - {rule: tls.verification-off, approver: '@sec', reason: 'this exact change', "
            "expires: 2027-01-01, patch_id: " +
                patch_id + "}\n");
  auto waived = repo.Check({"--waivers", tmp.path() + "/waivers.yaml", "--approved-by", "@auth"});
  INFO(waived.err << waived.verdict.dump(2));
  CHECK(waived.verdict["patch_id"] == patch_id);
  CHECK(waived.exit_code == kAllow);
  // The same line moved out of its `if` differs only in indentation: a different change.
  repo.Write("services/auth/client.py", "def get(url):\n    if url:\n        pass\n    verify = False\n");
  repo.Git({"commit", "-q", "-a", "--amend", "--no-edit"});
  auto moved = repo.Check({"--waivers", tmp.path() + "/waivers.yaml", "--approved-by", "@auth"});
  CHECK(moved.exit_code == kDeny);
  CHECK(moved.verdict["unused_waivers"][0]["why"].get<std::string>().find("bound to patch") == 0);
}

TEST_CASE("symlinks are seen with their targets, and AI links out of the repo or into tier 0 are denied") {
  for (auto [target, why] : std::vector<std::pair<const char*, const char*>>{
           {"/etc/passwd", "outside"}, {"../../infra", "tier-0"}, {"../../../../../etc", "outside"}}) {
    DYNAMIC_SECTION(target) {
      ShopRepo repo;
      repo.Symlink(target, "web/assets/link");
      repo.CommitAi("add a link");
      auto r = repo.Check();
      INFO(r.err << r.verdict.dump(2));
      CHECK(r.exit_code == kDeny);
      CHECK(r.HasFired("ai.symlink-escape"));
      CHECK(r.Cites("ai.symlink-escape", why));
    }
  }
  ShopRepo fine;
  fine.Symlink("app.ts", "web/current.ts");
  fine.CommitAi("link within web");
  CHECK_FALSE(fine.Check().HasFired("ai.symlink-escape"));
}

TEST_CASE("a change to the classification is judged by the classification it changes") {
  ShopRepo repo;
  std::string comps = kShopComponents;
  auto at = comps.find(" global_channel: true,");
  REQUIRE(at != std::string::npos);
  comps.erase(at, std::string(" global_channel: true,").size());
  repo.Write(".ringfence/components.yaml", comps);
  repo.Write("config/flags.yaml", "checkout_v2: true\n");
  repo.CommitAs("Dana <dana@shop.example>", "flip the flag, and stop calling it global");
  auto r = repo.Check();
  INFO(r.err << r.verdict.dump(2));
  CHECK(r.HasFired("global.staged"));  // by the base's classification, flags is a global channel
  CHECK(r.exit_code == kNeedsApproval);
  // Any handle is not an approver: the owners of what the change touches are.
  auto random = repo.Check({"--approved-by", "@random-dev"});
  CHECK(random.exit_code == kNeedsApproval);
  auto owner = repo.Check({"--approved-by", "@sre"});
  INFO(owner.verdict.dump(2));
  CHECK(owner.exit_code == kAllow);
}

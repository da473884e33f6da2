// Class 5: resource bombs. Nested aliases and deep nesting in every YAML file ringfence reads are
// refused at file:line:col in bounded memory (the process runs under a 1 GiB address-space cap).
#include "tests/security/security_fixture.h"
#include "tests/support/sanitizers.h"

using namespace ringfence::testing;

namespace {

std::string BillionLaughs(const std::string& header) {
  std::string s = header + "x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i <= 9; ++i) {
    s += "x" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) s += std::string(k ? ", " : "") + "*a" + std::to_string(i - 1);
    s += "]\n";
  }
  return s;
}

std::string Deep(const std::string& header, int depth) {
  return header + "rules: " + std::string(static_cast<size_t>(depth), '[') +
         std::string(static_cast<size_t>(depth), ']') + "\n";
}

// Runs ringfence under a 1 GiB address-space cap (not under AddressSanitizer, which reserves far
// more address space than it uses).
ProcessResult Capped(const std::vector<std::string>& args) {
#if RINGFENCE_ASAN
  std::string cmd = "exec '" + std::string(RINGFENCE_BINARY) + "'";
#else
  std::string cmd = "ulimit -v 1048576; exec '" + std::string(RINGFENCE_BINARY) + "'";
#endif
  for (const auto& a : args) cmd += " '" + a + "'";
  return RunProcess({"sh", "-c", cmd});
}

}  // namespace

TEST_CASE("nested aliases in a rule, waiver, plan or scenario file are refused at their position") {
  TempDir tmp;
  WriteFile(tmp.path() + "/rules/bomb.yaml", BillionLaughs("apiVersion: ringfence/v1\nkind: Rules\n"));
  auto lint = Capped({"rules", "lint", tmp.path() + "/rules"});
  INFO(lint.err);
  CHECK(lint.exit_code == kBadInput);
  CHECK(lint.err.find("bomb.yaml:") != std::string::npos);
  CHECK(lint.err.find("expands to more than") != std::string::npos);

  ShopRepo repo;
  repo.Write("web/app.ts", "export const x = 5;\n");
  repo.CommitAi();
  auto check = Capped({"check", "--repo", repo.path(), "--base", "main", "--rules", tmp.path() + "/rules"});
  CHECK(check.exit_code == kBadInput);
  WriteFile(tmp.path() + "/waivers.yaml", BillionLaughs("apiVersion: ringfence/v1\nkind: Waivers\n"));
  auto waivers =
      Capped({"check", "--repo", repo.path(), "--base", "main", "--waivers", tmp.path() + "/waivers.yaml"});
  CHECK(waivers.exit_code == kBadInput);
  CHECK(waivers.err.find("waivers.yaml:") != std::string::npos);

  WriteFile(tmp.path() + "/plan.yaml", BillionLaughs("apiVersion: ringfence/v1\nkind: RolloutPlan\n"));
  auto plan = Capped({"rollout", "--state", tmp.path() + "/state", "start", tmp.path() + "/plan.yaml"});
  CHECK(plan.exit_code == kBadInput);
  CHECK(plan.err.find("plan.yaml:") != std::string::npos);

  WriteFile(tmp.path() + "/scenarios/s.yaml", BillionLaughs("apiVersion: ringfence/v1\nkind: Scenario\n"));
  auto replay = Capped({"replay", tmp.path() + "/scenarios", "--rules", "none"});
  CHECK(replay.exit_code == kBadInput);
}

TEST_CASE("nesting deeper than the limit names the limit") {
  TempDir tmp;
  WriteFile(tmp.path() + "/deep.yaml", Deep("apiVersion: ringfence/v1\n", 5000));
  auto r = Capped({"rules", "lint", tmp.path() + "/deep.yaml"});
  CHECK(r.exit_code == kBadInput);
  CHECK(r.err.find("nest deeper than 64 levels") != std::string::npos);
  CHECK(r.err.find("deep.yaml:2:") != std::string::npos);
}

#include <catch2/catch.hpp>

#include "tests/support/git_fixture.h"
#include "tests/support/run_process.h"

using namespace ringfence::testing;

TEST_CASE("scope: a missing base revision is an error, never an empty change") {
  TempRepo repo;
  repo.Write("a.txt", "x\n");
  repo.Commit("one");
  auto r = RunRingfence({"scope", "--repo", repo.path(), "--base", "no-such-branch"});
  CHECK(r.exit_code == 4);
  CHECK(r.err.find("no-such-branch") != std::string::npos);
}

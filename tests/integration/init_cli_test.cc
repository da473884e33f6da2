// `ringfence init` on real repositories without a components file: the indeterminate scope names
// it, its proposal places every file of the tree in exactly one component, and it writes only
// when asked, never over an existing file or through a symlink.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "tests/support/git_fixture.h"
#include "tests/support/run_process.h"

using namespace ringfence::testing;
using nlohmann::json;

namespace {

// A polyglot tree with manifests at several depths, nested manifests, stray files, a vendored
// package and names that are glob syntax.
void Populate(const TempRepo& repo) {
  repo.Write("services/auth/go.mod", "module example.com/auth\n");
  repo.Write("services/auth/internal/token.go", "package internal\n");
  repo.Write("services/web/package.json", "{\"name\": \"web\"}\n");
  repo.Write("services/web/src/app.ts", "import './x';\n");
  repo.Write("services/web/node_modules/left-pad/package.json", "{}\n");
  repo.Write("services/README.md", "services\n");
  repo.Write("lib/CMakeLists.txt", "add_library(l l.cc)\n");
  repo.Write("lib/sub/CMakeLists.txt", "\n");
  repo.Write("lib/sub/x.cc", "int x;\n");
  repo.Write("py/pkg/__init__.py", "");
  repo.Write("py/pkg/core.py", "X = 1\n");
  repo.Write("py/app.py", "from pkg import core\n");
  repo.Write("docs/index.md", "# docs\n");
  repo.Write("Makefile", "all:\n");
  repo.Write("odd[1]*.txt", "glob characters in a name\n");
  repo.Write("#hash.txt", "a leading hash\n");
}

ProcessResult Scope(const TempRepo& repo) {
  return RunRingfence(
      {"scope", "--repo", repo.path(), "--base", "main", "--head", "feature", "--format", "json"});
}

}  // namespace

TEST_CASE("init: the proposal places every file, and the scope it makes is determined") {
  TempRepo repo;
  Populate(repo);
  repo.Commit("base");
  repo.Git({"checkout", "-q", "-b", "feature"});
  for (const auto& f :
       {"services/auth/internal/token.go", "services/web/src/app.ts", "lib/sub/x.cc", "py/app.py",
        "py/pkg/core.py", "Makefile", "odd[1]*.txt", "#hash.txt", "services/README.md"})
    repo.Write(f, "changed\n");
  repo.Commit("touch everything");
  auto before = Scope(repo);
  REQUIRE(before.exit_code == 3);  // fail-closed without components or owners...
  CHECK(json::parse(before.out)["reasons"].dump().find("ringfence init") !=
        std::string::npos);  // ...and the way out

  repo.Git({"checkout", "-q", "main"});
  auto dry = RunRingfence({"init", "--repo", repo.path()});
  INFO(dry.err);
  REQUIRE(dry.exit_code == 0);
  CHECK(dry.out.find("apiVersion: ringfence/v1") != std::string::npos);
  CHECK(dry.err.find("16 of 16 file(s)") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(repo.Abs(".ringfence/components.yaml")));  // not asked to write

  auto wrote = RunRingfence({"init", "--repo", repo.path(), "--write"});
  REQUIRE(wrote.exit_code == 0);
  REQUIRE(std::filesystem::exists(repo.Abs(".ringfence/components.yaml")));
  CHECK(Slurp(repo.Abs(".ringfence/components.yaml")) == dry.out);
  repo.Commit("components proposed by ringfence init");
  repo.Git({"checkout", "-q", "feature"});
  repo.Git({"rebase", "-q", "main"});
  auto after = Scope(repo);
  INFO(after.out);
  REQUIRE(after.exit_code == 0);
  json report = json::parse(after.out);
  CHECK(report["unresolved"].empty());
  // Manifests make components; nested manifests and vendored packages stay in the outer one.
  std::set<std::string> names;
  for (const auto& c : report["components"]) names.insert(c["name"].get<std::string>());
  for (const char* expected : {"services-auth", "services-web", "lib", "py-pkg", "py", "services", "root"}) {
    INFO(expected);
    CHECK(names.count(expected));
  }
  CHECK_FALSE(names.count("lib-sub"));
  CHECK(dry.out.find("node_modules") == std::string::npos);
}

TEST_CASE("init: writes only when asked, never over an existing file or through a symlink") {
  TempRepo repo;
  Populate(repo);
  repo.Commit("base");
  REQUIRE(RunRingfence({"init", "--repo", repo.path(), "--write"}).exit_code == 0);
  std::string first = Slurp(repo.Abs(".ringfence/components.yaml"));
  repo.Write(".ringfence/components.yaml", "# a person's own file\n");
  auto again = RunRingfence({"init", "--repo", repo.path(), "--write"});
  CHECK(again.exit_code == 4);
  CHECK(again.err.find("exists: not replaced") != std::string::npos);
  CHECK(Slurp(repo.Abs(".ringfence/components.yaml")) == "# a person's own file\n");
  CHECK(RunRingfence({"init", "--repo", repo.path(), "--write", "--force"}).exit_code == 0);
  CHECK(Slurp(repo.Abs(".ringfence/components.yaml")) == first);

  TempDir elsewhere;
  std::filesystem::remove_all(repo.Abs(".ringfence"));
  std::filesystem::create_directory_symlink(elsewhere.path(), repo.Abs(".ringfence"));
  auto linked = RunRingfence({"init", "--repo", repo.path(), "--write"});
  CHECK(linked.exit_code == 4);
  CHECK_FALSE(std::filesystem::exists(elsewhere.path() + "/components.yaml"));

  TempRepo empty;
  empty.Git({"commit", "-q", "--allow-empty", "-m", "nothing"});
  CHECK(RunRingfence({"init", "--repo", empty.path()}).exit_code == 4);
}

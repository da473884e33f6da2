// Differential test: PathGlob's gitignore semantics (used by CODEOWNERS and components.yaml)
// must agree with git's own matcher, `git check-ignore --no-index`, on every pattern x path.
#include <catch2/catch.hpp>
#include <set>

#include "engine/core/glob.h"
#include "tests/support/git_fixture.h"
#include "tests/support/run_process.h"

using namespace ringfence;
using namespace ringfence::testing;

TEST_CASE("globs match exactly what git check-ignore matches") {
  const std::vector<std::string> patterns = {"*",
                                             "*.js",
                                             "docs/",
                                             "/docs/",
                                             "docs",
                                             "docs/*",
                                             "docs/**",
                                             "**/docs",
                                             "**/docs/*.md",
                                             "/build/*.o",
                                             "a/**/b",
                                             "a/**/b/",
                                             "src/*/x.c",
                                             "*.[ch]",
                                             "[!a-m]*.py",
                                             "?.txt",
                                             "app/",
                                             "/app",
                                             "services/auth/",
                                             "services/*/include/",
                                             "*.generated.*",
                                             "**/node_modules/**",
                                             "config/flags.yaml",
                                             "/x/y/z",
                                             "a\\*b",
                                             "**/test_*.py",
                                             "infra/**/*.tf",
                                             "lib/**",
                                             "v?/*",
                                             "[[:digit:]]*.log",
                                             "*~",
                                             "foo/bar/",
                                             "**",
                                             "a/**/**/c"};
  const std::vector<std::string> paths = {"a.js",
                                          "src/a.js",
                                          "docs/a.md",
                                          "docs/sub/b.md",
                                          "x/docs/b.md",
                                          "docs",
                                          "src/docs.c",
                                          "build/a.o",
                                          "build/x/a.o",
                                          "src/build/a.o",
                                          "a/b",
                                          "a/x/b",
                                          "a/x/y/b",
                                          "a/b/c",
                                          "a/x/c",
                                          "src/m/x.c",
                                          "src/m/n/x.c",
                                          "x.c",
                                          "inc/x.h",
                                          "zeta.py",
                                          "beta.py",
                                          "a.txt",
                                          "ab.txt",
                                          "app/main.go",
                                          "svc/app/main.go",
                                          "app",
                                          "services/auth/token.cc",
                                          "services/api/include/h.h",
                                          "ui/foo.generated.ts",
                                          "web/node_modules/react/index.js",
                                          "config/flags.yaml",
                                          "x/y/z",
                                          "x/y/z/w",
                                          "a*b",
                                          "aXb",
                                          "tests/test_one.py",
                                          "infra/prod/vpc/main.tf",
                                          "infra/main.tf",
                                          "lib/x/y.c",
                                          "v1/a",
                                          "v12/a",
                                          "2024.log",
                                          "notes.txt~",
                                          "foo/bar/baz",
                                          "foo/bar",
                                          "a/c",
                                          "a/q/c",
                                          "a/q/r/c"};
  TempRepo repo;
  std::string stdin_paths;
  for (const auto& p : paths) stdin_paths += p + "\n";
  repo.Write("paths.txt", stdin_paths);
  int compared = 0;
  for (const auto& pattern : patterns) {
    repo.Write(".gitignore", pattern + "\n");
    ProcessResult r =
        RunProcess({"sh", "-c", "git check-ignore --no-index --stdin < paths.txt"}, repo.path());
    REQUIRE((r.exit_code == 0 || r.exit_code == 1));
    std::set<std::string> matched;
    size_t pos = 0;
    while (pos < r.out.size()) {
      size_t nl = r.out.find('\n', pos);
      matched.insert(r.out.substr(pos, nl - pos));
      pos = nl + 1;
    }
    auto glob = PathGlob::Parse(pattern);
    REQUIRE(glob.ok());
    for (const auto& p : paths) {
      INFO("pattern '" << pattern << "' path '" << p << "'");
      CHECK(glob->Matches(p) == (matched.count(p) == 1));
      ++compared;
    }
  }
  CHECK(compared == static_cast<int>(patterns.size() * paths.size()));
}

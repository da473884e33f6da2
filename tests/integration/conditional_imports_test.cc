// Conditional imports on real repositories, judged by the tools that build them: for C, the
// blast radius of every header under `--platform` equals what `gcc -MM` reads for each
// translation unit; Go's test files, build constraints and nested modules; Python's package
// __init__ files and a script's own directory.
#include <sys/utsname.h>

#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "tests/support/git_fixture.h"
#include "tests/support/run_process.h"

using namespace ringfence::testing;
using nlohmann::json;

namespace {

// The files a working-tree edit of `path` affects.
std::set<std::string> AffectedBy(const TempRepo& repo, const std::string& path,
                                 const std::vector<std::string>& flags = {}) {
  std::string original = Slurp(repo.Abs(path));
  repo.Write(path, original + "\n// edited\n");
  std::vector<std::string> args = {"scope",      "--repo",   repo.path(), "--base",    "HEAD",
                                   "--worktree", "--format", "json",      "--no-cache"};
  args.insert(args.end(), flags.begin(), flags.end());
  auto r = RunRingfence(args);
  repo.Write(path, original);
  INFO(r.err);
  REQUIRE((r.exit_code == 0 || r.exit_code == 3));
  std::set<std::string> out;
  json report = json::parse(r.out);
  for (const auto& a : report["affected"]) {
    if (a["kind"] == "file" && a["node"] != path) out.insert(a["node"]);
  }
  return out;
}

// This machine's platform in Go's names.
std::string HostPlatform() {
  utsname u{};
  uname(&u);
  std::string m = u.machine;
  return std::string("linux/") + (m == "x86_64" ? "amd64" : m == "aarch64" ? "arm64" : m);
}

}  // namespace

TEST_CASE("c: with --platform, every header's blast radius is what gcc -MM reads for each unit") {
  TempRepo repo;
  repo.Write("CODEOWNERS", "* @team\n");
  repo.Write("include/api.h",
             "#ifndef API_H\n#define API_H\n#include \"api/common.h\"\n"
             "#if defined(_WIN32)\n#  include \"api/win.h\"\n#elif defined(__APPLE__) || defined(__MACH__)\n"
             "#  include \"api/darwin.h\"\n#else\n#  include \"api/unix.h\"\n#endif\n"
             "#if defined(__linux__) && !defined(__ANDROID__)\n#include \"api/linux.h\"\n#endif\n"
             "#ifdef USE_TLS\n#include \"api/tls.h\"\n#endif\n"
             "#if LEVEL >= 2\n#include \"api/level2.h\"\n#endif\n#endif\n");
  // Distinct contents: gcc takes `#pragma once` files with equal bytes and times for one file.
  for (const char* h : {"common", "win", "darwin", "unix", "linux", "tls", "level2"})
    repo.Write(std::string("include/api/") + h + ".h", std::string("#pragma once\nint ") + h + "_h;\n");
  repo.Write("src/a.c", "#include \"api.h\"\nint a;\n");
  repo.Write("src/b.c", "#include \"api.h\"\nint b;\n");
  repo.Write("src/c.c", "#ifdef _MSC_VER\n#include \"api/win.h\"\n#endif\nint c;\n");
  std::string cc = std::string("gcc");
  // Every unit is built at LEVEL 2 and with TLS but d.c, which has no TLS: USE_TLS is then
  // unknown for the graph (one graph serves every unit), LEVEL is known.
  repo.Write("src/d.c", "#include \"api.h\"\nint d;\n");
  std::map<std::string, std::vector<std::string>> units = {
      {"src/a.c", {"-Iinclude", "-DUSE_TLS", "-DLEVEL=2"}},
      {"src/b.c", {"-Iinclude", "-DUSE_TLS", "-DLEVEL=2"}},
      {"src/c.c", {"-Iinclude", "-DUSE_TLS", "-DLEVEL=2"}},
      {"src/d.c", {"-Iinclude", "-DLEVEL=2"}}};
  json db = json::array();
  for (const auto& [unit, flags] : units) {
    std::string command = cc;
    for (const auto& f : flags) command += " " + f;
    db.push_back({{"directory", repo.path()}, {"file", unit}, {"command", command + " -c " + unit}});
  }
  repo.Write("compile_commands.json", db.dump());
  repo.Commit("base");

  // The compiler's answer: header -> units that read it.
  std::map<std::string, std::set<std::string>> truth;
  for (const auto& [unit, flags] : units) {
    std::vector<std::string> args = {cc};
    args.insert(args.end(), flags.begin(), flags.end());
    args.insert(args.end(), {"-MM", unit});
    auto r = RunProcess(args, repo.path());
    REQUIRE(r.exit_code == 0);
    std::string text = r.out;
    for (size_t at; (at = text.find("\\\n")) != std::string::npos;) text.replace(at, 2, " ");
    std::istringstream words(text.substr(text.find(':') + 1));
    for (std::string w; words >> w;) {
      if (w != unit) truth[w].insert(unit);
    }
  }
  REQUIRE(truth["include/api/unix.h"].size() == 3);
  REQUIRE(truth["include/api/tls.h"] == std::set<std::string>{"src/a.c", "src/b.c"});

  std::string platform = HostPlatform();
  for (const char* h :
       {"include/api.h", "include/api/common.h", "include/api/win.h", "include/api/darwin.h",
        "include/api/unix.h", "include/api/linux.h", "include/api/tls.h", "include/api/level2.h"}) {
    std::set<std::string> units_hit;
    for (const auto& f : AffectedBy(repo, h, {"--platform", platform})) {
      if (units.count(f)) units_hit.insert(f);
    }
    INFO(h);
    std::set<std::string> expected = truth[h];
    // A macro that only some units define keeps its include an edge: d.c is reached through
    // api.h, never missed.
    if (std::string(h) == "include/api/tls.h") expected.insert("src/d.c");
    CHECK(units_hit == expected);
  }
  // Without a platform every conditional include stays an edge, and says it is conditional.
  auto all = AffectedBy(repo, "include/api/win.h");
  CHECK(all == std::set<std::string>{"include/api.h", "src/a.c", "src/b.c", "src/c.c", "src/d.c"});
  repo.Write("include/api/win.h", "#pragma once\nint w;\n");
  auto explained =
      RunRingfence({"explain", "--repo", repo.path(), "--base", "HEAD", "--worktree", "src/c.c"});
  repo.Git({"checkout", "-q", "--", "include/api/win.h"});
  CHECK(explained.out.find("\"api/win.h\" if defined(_MSC_VER)") != std::string::npos);
  // Two platforms: the union of what each compiles.
  CHECK(AffectedBy(repo, "include/api/win.h", {"--platform", "linux/amd64", "--platform", "windows/amd64"}) ==
        all);
  CHECK(AffectedBy(repo, "include/api/darwin.h", {"--platform", "darwin/arm64"}).count("src/a.c") == 1);
  // --undefine overrides the compile commands; a tree that #defines a platform macro makes it unknown.
  CHECK(AffectedBy(repo, "include/api/level2.h", {"--platform", platform, "--undefine", "LEVEL"}) ==
        std::set<std::string>{});
  repo.Write("src/b.c", "#define _WIN32 1\n#include \"api.h\"\nint b;\n");
  repo.Commit("b.c pretends to be windows");
  CHECK(AffectedBy(repo, "include/api/win.h", {"--platform", platform}).count("include/api.h") == 1);
  auto bad = RunRingfence({"scope", "--repo", repo.path(), "--base", "HEAD", "--platform", "linux"});
  CHECK(bad.exit_code == 4);
  CHECK(bad.err.find("is not OS/ARCH") != std::string::npos);
}

TEST_CASE("go: test files reach no importer, build constraints for a platform, nested modules") {
  TempRepo repo;
  repo.Write("CODEOWNERS", "* @team\n");
  repo.Write("go.mod", "module example.com/m\n\ngo 1.21\n");
  repo.Write("syntax/syntax.go", "package syntax\n");
  repo.Write("syntax/syntax_test.go", "package syntax\n\nimport \"example.com/m/internal\"\n");
  repo.Write("internal/x.go", "package internal\n");
  repo.Write("cmd/main.go", "package main\n\nimport \"example.com/m/syntax\"\n");
  repo.Write("poll/poll_windows.go", "package poll\n\nimport \"example.com/m/winapi\"\n");
  repo.Write("poll/poll_tagged.go",
             "//go:build windows || plan9\n\npackage poll\n\nimport \"example.com/m/winapi\"\n");
  repo.Write("poll/poll.go", "package poll\n");
  repo.Write("winapi/w.go", "package winapi\n");
  repo.Write("srv/main.go", "package main\n\nimport \"example.com/m/poll\"\n");
  // A nested module without a replace builds against a released example.com/m; one with a
  // local replace, and one in the workspace, build against the tree.
  repo.Write("tools/go.mod", "module example.com/m/tools\n\nrequire example.com/m v1.2.0\n");
  repo.Write("tools/t.go", "package tools\n\nimport \"example.com/m/internal\"\n");
  repo.Write("local/go.mod", "module example.com/local\n\nreplace (\n\texample.com/m v1.2.0 => ../\n)\n");
  repo.Write("local/l.go", "package local\n\nimport \"example.com/m/internal\"\n");
  repo.Write("work/go.mod", "module example.com/work\n");
  repo.Write("work/w.go", "package work\n\nimport \"example.com/m/internal\"\n");
  repo.Write("go.work", "go 1.21\n\nuse (\n\t.\n\t./work\n)\n");
  repo.Commit("base");

  auto internal = AffectedBy(repo, "internal/x.go");
  CHECK(internal.count("syntax/syntax_test.go") == 1);
  CHECK(internal.count("cmd/main.go") == 0);  // a test's import is not its package's
  CHECK(internal.count("tools/t.go") == 0);   // the released version
  CHECK(internal.count("local/l.go") == 1);   // replace => ../
  CHECK(internal.count("work/w.go") == 1);    // go.work uses both
  auto syntax = AffectedBy(repo, "syntax/syntax.go");
  CHECK(syntax.count("syntax/syntax_test.go") == 1);
  CHECK(syntax.count("cmd/main.go") == 1);
  CHECK(AffectedBy(repo, "syntax/syntax_test.go").count("cmd/main.go") == 0);

  CHECK(AffectedBy(repo, "winapi/w.go").count("srv/main.go") == 1);
  auto on_linux = AffectedBy(repo, "winapi/w.go", {"--platform", "linux/amd64"});
  CHECK(on_linux.count("poll/poll_windows.go") == 0);
  CHECK(on_linux.count("srv/main.go") == 0);
  auto on_plan9 = AffectedBy(repo, "winapi/w.go", {"--platform", "plan9/amd64"});
  CHECK(on_plan9.count("poll/poll_tagged.go") == 1);
  CHECK(on_plan9.count("poll/poll_windows.go") == 0);
  CHECK(on_plan9.count("srv/main.go") == 1);
  // A file no platform builds is part of no package: editing it reaches nobody.
  CHECK(AffectedBy(repo, "poll/poll_windows.go", {"--platform", "linux/amd64"}).count("srv/main.go") == 0);
  CHECK(AffectedBy(repo, "poll/poll_windows.go", {"--platform", "windows/amd64"}).count("srv/main.go") == 1);
}

TEST_CASE("python: importing pkg.sub runs pkg/__init__.py, a script imports from its own directory") {
  TempRepo repo;
  repo.Write("CODEOWNERS", "* @team\n");
  repo.Write("pkg/__init__.py", "");
  repo.Write("pkg/sub/__init__.py", "");
  repo.Write("pkg/sub/mod.py", "");
  repo.Write("pkg/helpers.py", "");
  repo.Write("pkg/user.py", "import helpers\n");  // no implicit relative import in Python 3
  repo.Write("app.py", "import pkg.sub.mod\n");
  repo.Write("py/app.py", "from lib import core\n");
  repo.Write("py/lib/__init__.py", "");
  repo.Write("py/lib/core.py", "");
  repo.Commit("base");
  CHECK(AffectedBy(repo, "pkg/__init__.py").count("app.py") == 1);
  CHECK(AffectedBy(repo, "pkg/sub/__init__.py").count("app.py") == 1);
  CHECK(AffectedBy(repo, "pkg/sub/mod.py").count("app.py") == 1);
  CHECK(AffectedBy(repo, "py/lib/core.py").count("py/app.py") == 1);
  CHECK(AffectedBy(repo, "py/lib/__init__.py").count("py/app.py") == 1);
  CHECK(AffectedBy(repo, "pkg/helpers.py").count("pkg/user.py") == 0);
}

TEST_CASE("python: every module depends on its package's __init__.py, as the interpreter runs it first") {
  TempRepo repo;
  repo.Write("CODEOWNERS", "* @team\n");
  repo.Write("pkg/__init__.py", "from . import a\n");
  repo.Write("pkg/a.py", "");
  repo.Write("pkg/b.py", "");  // imports nothing, yet importing pkg.b runs pkg/__init__.py, which imports a
  repo.Write("pkg/sub/__init__.py", "");
  repo.Write("pkg/sub/mod.py", "");
  repo.Write("ns/m.py", "");  // a namespace package (no __init__.py): nothing runs before m
  repo.Write("ns/n.py", "");
  repo.Commit("base");
  // The interpreter is the oracle.
  auto loaded =
      RunProcess({"python3", "-c", "import pkg.b, sys; print('pkg.a' in sys.modules)"}, repo.path());
  REQUIRE(loaded.exit_code == 0);
  CHECK(loaded.out == "True\n");
  CHECK(AffectedBy(repo, "pkg/a.py").count("pkg/b.py") == 1);
  CHECK(AffectedBy(repo, "pkg/__init__.py").count("pkg/sub/mod.py") == 1);
  CHECK(AffectedBy(repo, "pkg/__init__.py").count("pkg/sub/__init__.py") == 1);
  CHECK(AffectedBy(repo, "ns/m.py").count("ns/n.py") == 0);
  WriteFile(repo.Abs("pkg/a.py"), "x = 1\n");
  auto explained =
      RunRingfence({"explain", "--repo", repo.path(), "--base", "HEAD", "--worktree", "pkg/b.py"});
  CHECK(explained.out.find("pkg/b.py: Python runs the package's __init__.py first") != std::string::npos);
}

TEST_CASE(
    "submodules: a bump is a reason and reaches the files that import from it, a dirty one counts 0/0") {
  TempRepo sub;
  sub.Write("include/z.h", "int z;\n");
  sub.Write("y.h", "int y;\n");
  sub.Commit("submodule");
  TempRepo repo;
  repo.Write("CODEOWNERS", "* @team\n");
  repo.Git({"-c", "protocol.file.allow=always", "submodule", "add", "-q", sub.path(), "third_party/zlib"});
  repo.Write("a.c", "#include \"third_party/zlib/include/z.h\"\n");
  repo.Write("b.c", "#include \"zlib/y.h\"\n");
  repo.Write("c.c", "#include \"other.h\"\n");
  repo.Write("other.h", "\n");
  repo.Commit("base");
  WriteFile(repo.Abs("third_party/zlib/y.h"), "int y, w;\n");
  ProcessResult inner = RunProcess({"git", "-C", repo.Abs("third_party/zlib"), "-c", "user.name=t", "-c",
                                    "user.email=t@example.com", "commit", "-qam", "bump"});
  REQUIRE(inner.exit_code == 0);
  repo.Commit("bump the submodule");
  auto r = RunRingfence({"scope", "--repo", repo.path(), "--base", "HEAD~1", "--format", "json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  json report = json::parse(r.out);
  std::set<std::string> affected;
  for (const auto& a : report["affected"]) affected.insert(a["node"]);
  CHECK(affected.count("a.c") == 1);
  CHECK(affected.count("b.c") == 1);
  CHECK(affected.count("c.c") == 0);
  REQUIRE(report["reasons"].size() == 1);
  CHECK(report["reasons"][0].get<std::string>().find("submodule third_party/zlib moves from") == 0);
  // Only the submodule's work tree changes: git's numstat counts 0 0, and so does ringfence.
  WriteFile(repo.Abs("third_party/zlib/y.h"), "int y, w, dirty;\n");
  std::string git = RunProcess({"git", "-C", repo.path(), "diff", "--numstat", "HEAD"}).out;
  CHECK(git == "0\t0\tthird_party/zlib\n");
  auto wt =
      RunRingfence({"scope", "--repo", repo.path(), "--base", "HEAD", "--worktree", "--format", "json"});
  json dirty = json::parse(wt.out);
  REQUIRE(dirty["files"].size() == 1);
  CHECK(dirty["files"][0]["added"] == 0);
  CHECK(dirty["files"][0]["deleted"] == 0);
  CHECK(dirty["reasons"][0].get<std::string>().find("has uncommitted changes") != std::string::npos);
}

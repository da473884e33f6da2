// The ringfence binary as CI runs it: a real child process on real repositories.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "tests/support/git_fixture.h"
#include "tests/support/run_process.h"

using namespace ringfence::testing;
using nlohmann::json;

namespace {

void MakeExample(const std::string& dir) {
  auto r = RunProcess({std::string(RINGFENCE_SOURCE_DIR) + "/examples/make-example-repo.sh", dir});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
}

}  // namespace

TEST_CASE("cli: the bundled example's AI change reaches checkout and web through auth") {
  TempDir tmp;
  std::string repo = tmp.path() + "/shop";
  MakeExample(repo);
  auto r = RunRingfence(
      {"scope", "--repo", repo, "--base", "main", "--head", "ai/extend-session", "--format", "json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  json j = json::parse(r.out);
  CHECK(j["schema"] == "ringfence.scope/v1");
  CHECK(j["files"].size() == 3);
  CHECK(j["indeterminate"] == false);
  std::map<std::string, json> comps;
  for (auto& c : j["components"]) comps[c["name"]] = c;
  REQUIRE(comps.count("checkout"));
  CHECK(comps["checkout"]["distance"] == 2);
  CHECK(comps["feature-flags"]["global_channel"] == true);
  CHECK(comps["auth"]["changed_directly"] == true);
  REQUIRE(comps.count("web"));
  CHECK_FALSE(comps.count("payments"));
  bool checkout_file = false;
  for (auto& a : j["affected"]) {
    if (a["node"] == "services/checkout/src/checkout.cc") {
      checkout_file = true;
      CHECK(a["via"]["evidence"] == "services/checkout/src/checkout.cc:3");
      CHECK(a["via"]["relation"] == "imports");
    }
  }
  CHECK(checkout_file);

  auto x = RunRingfence(
      {"explain", "--repo", repo, "--base", "main", "--head", "ai/extend-session", "component:web"});
  REQUIRE(x.exit_code == 0);
  CHECK(x.out.find("affected at distance 3") != std::string::npos);
  CHECK(x.out.find("component:web depends on component:checkout") != std::string::npos);
  auto n = RunRingfence(
      {"explain", "--repo", repo, "--base", "main", "--head", "ai/extend-session", "ml/recommend/model.py"});
  REQUIRE(n.exit_code == 0);
  CHECK(n.out.find("not affected") != std::string::npos);
}

TEST_CASE("cli: DOT output renders with Graphviz") {
  TempDir tmp;
  std::string repo = tmp.path() + "/shop";
  MakeExample(repo);
  std::string dot = tmp.path() + "/scope.dot";
  auto r = RunRingfence({"scope", "--repo", repo, "--base", "main", "--head", "ai/extend-session", "--format",
                         "dot", "--output", dot});
  REQUIRE(r.exit_code == 0);
  auto svg = RunProcess({"dot", "-Tsvg", dot});
  INFO(svg.err);
  REQUIRE(svg.exit_code == 0);
  CHECK(svg.out.find("component:checkout") != std::string::npos);
  // Laid out by Graphviz: edge labels read along the arrow (token.cc includes token.h, so the
  // change to token.h travels to token.cc: "token.h imported by token.cc"); a title and a legend.
  auto laid = RunProcess({"dot", "-Tjson", dot});
  REQUIRE(laid.exit_code == 0);
  auto g = nlohmann::json::parse(laid.out);
  CHECK(g["label"].get<std::string>().find("ringfence scope main...ai/extend-session: 3 changed") == 0);
  std::map<int, std::string> names;
  bool legend = false;
  for (const auto& o : g["objects"]) {
    if (o.contains("_gvid") && o.contains("label"))
      names[o["_gvid"].get<int>()] = o["label"].get<std::string>();
    if (o.value("name", "") == "cluster_legend") legend = true;
  }
  CHECK(legend);
  bool reads_forward = false;
  for (const auto& e : g["edges"]) {
    std::string label = e.value("label", "");
    CHECK(label != "imports");
    if (names[e["tail"].get<int>()] == "services/auth/include/auth/token.h" &&
        names[e["head"].get<int>()] == "services/auth/src/token.cc")
      reads_forward = label == "imported by";
  }
  CHECK(reads_forward);
}

TEST_CASE("cli: a second run reuses the stored graph, and damaged caches are rebuilt, not trusted") {
  TempDir tmp;
  std::string repo = tmp.path() + "/shop";
  MakeExample(repo);
  std::vector<std::string> args = {
      "scope", "--repo", repo, "--base", "main", "--head", "ai/extend-session", "--format", "json"};
  json cold = json::parse(RunRingfence(args).out);
  json warm = json::parse(RunRingfence(args).out);
  CHECK(cold["graph"]["scanned"].get<int>() > 10);
  CHECK(cold["graph"]["reused"] == false);
  CHECK(warm["graph"]["reused"] == true);
  CHECK(warm["graph"]["scanned"] == 0);
  CHECK(warm["affected"] == cold["affected"]);
  CHECK(warm["graph"]["edges"] == cold["graph"]["edges"]);
  // Corrupt every cache file: the next run rebuilds from the repository and agrees.
  for (const auto& e : std::filesystem::recursive_directory_iterator(repo + "/.git/ringfence")) {
    if (e.is_regular_file()) std::ofstream(e.path(), std::ios::trunc) << "garbage";
  }
  json again = json::parse(RunRingfence(args).out);
  CHECK(again["graph"]["reused"] == false);
  CHECK(again["graph"]["scanned"] == cold["graph"]["scanned"]);
  CHECK(again["affected"] == cold["affected"]);
}

TEST_CASE("cli: the stored graph of the base serves a change that keeps imports, and only then") {
  TempRepo repo;
  repo.Write("CODEOWNERS", "* @a\n");
  repo.Write("lib.py", "X = 1\n");
  repo.Write("other.py", "Y = 1\n");
  repo.Write("user.py", "import lib\n");
  repo.Commit("base");
  auto scope = [&](const std::string& base) {
    auto r =
        RunRingfence({"scope", "--repo", repo.path(), "--base", base, "--head", "HEAD", "--format", "json"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return json::parse(r.out);
  };
  repo.Write("notes.txt", "1\n");
  repo.Commit("warm up: the graph of this tree gets stored");
  scope("HEAD~1");
  // Body-only edit: the stored graph of the merge base is the graph of the head.
  repo.Write("lib.py", "X = 2  # no import changed\n");
  repo.Commit("body only");
  json body = scope("HEAD~1");
  CHECK(body["graph"]["reused"] == true);
  std::set<std::string> nodes;
  for (auto& a : body["affected"]) nodes.insert(a["node"]);
  CHECK(nodes.count("user.py"));
  // An edit that adds an import must not reuse it: the new edge has to appear.
  repo.Write("other.py", "import lib\nY = 1\n");
  repo.Commit("new import");
  repo.Write("lib.py", "X = 3\n");
  repo.Commit("touch lib again");
  json fresh = scope("HEAD~2");
  CHECK(fresh["graph"]["reused"] == false);
  nodes.clear();
  for (auto& a : fresh["affected"]) nodes.insert(a["node"]);
  CHECK(nodes.count("other.py"));
  CHECK(nodes.count("user.py"));
}

TEST_CASE("cli: a missing base revision is an error, never an empty change") {
  TempRepo repo;
  repo.Write("a.txt", "x\n");
  repo.Commit("one");
  auto r = RunRingfence({"scope", "--repo", repo.path(), "--base", "no-such-branch"});
  CHECK(r.exit_code == 4);
  CHECK(r.err.find("revision 'no-such-branch' is not in the repository") != std::string::npos);
  CHECK(r.out.empty());
}

TEST_CASE("cli: a shallow clone without the base says so") {
  TempRepo origin;
  origin.Write("a.txt", "1\n");
  std::string first = origin.Commit("one");
  origin.Write("a.txt", "2\n");
  origin.Commit("two");
  TempDir tmp;
  std::string clone = tmp.path() + "/clone";
  auto c = RunProcess({"git", "clone", "-q", "--depth", "1", "file://" + origin.path(), clone});
  REQUIRE(c.exit_code == 0);
  auto r = RunRingfence({"scope", "--repo", clone, "--base", first});
  CHECK(r.exit_code == 4);
  CHECK(r.err.find("shallow clone") != std::string::npos);
}

TEST_CASE("cli: not a repository, malformed components file, bad flags") {
  TempDir tmp;
  auto not_repo = RunRingfence({"scope", "--repo", tmp.path(), "--base", "main"});
  CHECK(not_repo.exit_code == 4);
  CHECK(not_repo.err.find("is not a git repository") != std::string::npos);

  TempRepo repo;
  repo.Write(".ringfence/components.yaml",
             "apiVersion: ringfence/v1\ncomponents:\n  - name: a\n    pathz: [a/]\n");
  repo.Write("a/x.txt", "1\n");
  repo.Commit("base");
  repo.Write("a/x.txt", "2\n");
  repo.Commit("change");
  auto bad = RunRingfence({"scope", "--repo", repo.path(), "--base", "HEAD~1"});
  CHECK(bad.exit_code == 4);
  CHECK(bad.err.find(".ringfence/components.yaml:4:5: unknown key 'pathz'") != std::string::npos);

  auto flags = RunRingfence({"scope", "--repo", repo.path(), "--base", "HEAD~1", "--format", "xml"});
  CHECK(flags.exit_code == 4);
  auto both =
      RunRingfence({"scope", "--repo", repo.path(), "--base", "HEAD~1", "--head", "HEAD", "--worktree"});
  CHECK(both.exit_code == 4);
}

TEST_CASE("cli: an unreadable object is an I/O error naming the file") {
  TempRepo repo;
  repo.Write("CODEOWNERS", "* @a\n");
  repo.Write("src/a.py", "import b\n");
  repo.Commit("base");
  repo.Write("src/b.py", "X = 1\n");
  repo.Commit("add b");
  std::string blob = repo.Git({"rev-parse", "HEAD:src/a.py"});
  blob.pop_back();
  std::filesystem::remove(repo.Abs(".git/objects/" + blob.substr(0, 2) + "/" + blob.substr(2)));
  auto r = RunRingfence({"scope", "--repo", repo.path(), "--base", "HEAD~1", "--no-cache"});
  CHECK(r.exit_code == 5);
  CHECK(r.err.find("src/a.py") != std::string::npos);
}

TEST_CASE("cli: indeterminate scope exits 3 and says why") {
  TempRepo repo;
  repo.Write("x.txt", "1\n");
  repo.Commit("base");
  repo.Write("x.txt", "2\n");
  repo.Commit("change");
  auto r = RunRingfence({"scope", "--repo", repo.path(), "--base", "HEAD~1"});
  CHECK(r.exit_code == 3);
  CHECK(r.out.find("scope: INDETERMINATE") != std::string::npos);
  CHECK(r.out.find("neither .ringfence/components.yaml nor CODEOWNERS") != std::string::npos);
}

TEST_CASE("cli: --worktree sees unstaged edits and untracked files") {
  TempRepo repo;
  repo.Write("CODEOWNERS", "* @a\n");
  repo.Write("lib.py", "X = 1\n");
  repo.Write("user.py", "import lib\n");
  repo.Commit("base");
  repo.Write("lib.py", "X = 2\n");
  repo.Write("new_user.py", "import lib\n");
  auto r = RunRingfence({"scope", "--repo", repo.path(), "--base", "HEAD", "--worktree", "--format", "json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  json j = json::parse(r.out);
  std::set<std::string> nodes;
  for (auto& a : j["affected"]) nodes.insert(a["node"]);
  CHECK(nodes.count("user.py"));
  CHECK(nodes.count("new_user.py"));
  CHECK(j["head"]["rev"] == "WORKTREE");
}

// The dependency graph and blast radius on real repositories: one scenario per language's
// resolution rules, plus components, owners and deleted files. Runs the same pipeline as the CLI.
#include <catch2/catch.hpp>

#include "cli/scope_pipeline.h"
#include "engine/scope/analyze_scope.h"
#include "tests/support/git_fixture.h"

using namespace ringfence;
using namespace ringfence::testing;

namespace {

ScopeReport ScopeOf(const TempRepo& repo, const std::string& base = "HEAD~1",
                    const std::string& head = "HEAD") {
  cli::ScopeOptions o;
  o.repo = repo.path();
  o.change.base = base;
  o.change.head = head;
  auto run = cli::RunScope(o);
  INFO((run.ok() ? "" : run.error().message));
  REQUIRE(run.ok());
  return run->report;
}

const AffectedNode* Find(const ScopeReport& r, const std::string& node) {
  for (const auto& a : r.affected) {
    if (a.node == node) return &a;
  }
  return nullptr;
}

// The last step of the why-chain of `node`, which must be affected.
ScopeStep Why(const ScopeReport& r, const std::string& node) {
  const AffectedNode* a = Find(r, node);
  INFO("expected affected: " << node);
  REQUIRE(a != nullptr);
  REQUIRE(a->via.has_value());
  return *a->via;
}

const char* kOwnersAll = "* @team\n";

}  // namespace

TEST_CASE("c++: relative, compile_commands include dirs, conventional include/, no false suffix") {
  TempRepo repo;
  repo.Write("CODEOWNERS", kOwnersAll);
  repo.Write("core/log.h", "#pragma once\n");
  repo.Write("core/log.cc", "#include \"log.h\"\n");
  repo.Write("third/inc/third/api.h", "#pragma once\n");
  repo.Write("app/main.cc", "#include <vector>\n#include \"third/api.h\"\n#include \"core/log.h\"\n");
  repo.Write("lib/include/lib/util.h", "#pragma once\n");
  repo.Write("tools/t.cc", "#include <lib/util.h>\n");
  repo.Write("dup/a/common.h", "");
  repo.Write("dup/b/common.h", "");
  repo.Write("other/o.cc", "#include \"common.h\"\n");
  repo.Write("compile_commands.json", "[{\"directory\": \"" + repo.path() +
                                          "/build\", \"file\": \"../app/main.cc\","
                                          " \"command\": \"c++ -I../third/inc -c ../app/main.cc\"}]");
  repo.Commit("base");
  repo.Write("core/log.h", "#pragma once\n// changed\n");
  repo.Write("third/inc/third/api.h", "#pragma once\nint v;\n");
  repo.Write("lib/include/lib/util.h", "#pragma once\nint u;\n");
  repo.Write("dup/a/common.h", "x");
  repo.Commit("change");
  auto r = ScopeOf(repo);
  CHECK(Why(r, "core/log.cc").evidence == "core/log.cc:1");
  auto via_db = Why(r, "app/main.cc");  // reached through either header; both resolve
  CHECK(via_db.relation == Relation::kImports);
  CHECK(Why(r, "tools/t.cc").detail == "\"lib/util.h\"");
  CHECK(Find(r, "other/o.cc") == nullptr);  // "common.h" is ambiguous: not resolved
  CHECK_FALSE(r.indeterminate);
}

TEST_CASE("python: relative imports, src/ roots, submodules named in from-imports") {
  TempRepo repo;
  repo.Write("CODEOWNERS", kOwnersAll);
  repo.Write("pyproject.toml", "[project]\nname='x'\n");
  repo.Write("src/shop/__init__.py", "");
  repo.Write("src/shop/db.py", "X = 1\n");
  repo.Write("src/shop/api/__init__.py", "");
  repo.Write("src/shop/api/views.py", "from ..db import X\nfrom . import forms\n");
  repo.Write("src/shop/api/forms.py", "");
  repo.Write("scripts/run.py", "from shop import db\nimport shop.api.views\n");
  repo.Commit("base");
  repo.Write("src/shop/db.py", "X = 2\n");
  repo.Write("src/shop/api/forms.py", "# changed\n");
  repo.Commit("change");
  auto r = ScopeOf(repo);
  CHECK(Why(r, "src/shop/api/views.py").to == "src/shop/api/views.py");
  CHECK(Find(r, "scripts/run.py") != nullptr);
  CHECK(Find(r, "scripts/run.py")->distance == 1);
}

TEST_CASE("javascript: extensions, index files, tsconfig paths, workspace packages, .js naming .ts") {
  TempRepo repo;
  repo.Write("CODEOWNERS", kOwnersAll);
  repo.Write("packages/money/package.json", "{\"name\": \"@acme/money\", \"main\": \"lib/index.js\"}");
  repo.Write("packages/money/lib/index.ts", "export const m = 1;\n");
  repo.Write(
      "app/tsconfig.json",
      "{ // comment\n \"compilerOptions\": {\"baseUrl\": \"src\", \"paths\": {\"@ui/*\": [\"ui/*\"]}}}");
  repo.Write("app/src/ui/button/index.tsx", "export const B = 1;\n");
  repo.Write("app/src/util.ts", "export const u = 1;\n");
  repo.Write(
      "app/src/main.ts",
      "import { m } from '@acme/money';\nimport { B } from '@ui/button';\nimport { u } from './util.js';\n");
  repo.Write("app/src/other.js", "const u = require('./util');\n");
  repo.Commit("base");
  repo.Write("packages/money/lib/index.ts", "export const m = 2;\n");
  repo.Write("app/src/ui/button/index.tsx", "export const B = 2;\n");
  repo.Write("app/src/util.ts", "export const u = 2;\n");
  repo.Commit("change");
  auto r = ScopeOf(repo);
  const AffectedNode* main = Find(r, "app/src/main.ts");
  REQUIRE(main != nullptr);
  CHECK(main->distance == 1);
  CHECK(Find(r, "app/src/other.js") != nullptr);
  // Each resolution rule on its own: only the money package changed.
  repo.Write("app/src/main.ts", "import { m } from '@acme/money';\n");
  repo.Write("app/src/other.js", "import '@ui/button';\n");
  repo.Commit("narrow");
  repo.Write("packages/money/lib/index.ts", "export const m = 3;\n");
  repo.Commit("money only");
  auto r2 = ScopeOf(repo);
  CHECK(Why(r2, "app/src/main.ts").detail == "\"@acme/money\"");
  CHECK(Find(r2, "app/src/other.js") == nullptr);
}

TEST_CASE("go: an import names a package, and a change to any file of it reaches the importers") {
  TempRepo repo;
  repo.Write("CODEOWNERS", kOwnersAll);
  repo.Write("svc/go.mod", "module example.com/svc\n\ngo 1.21\n");
  repo.Write("svc/ledger/ledger.go", "package ledger\n");
  repo.Write("svc/ledger/util.go", "package ledger\n");
  repo.Write("svc/api/api.go", "package api\n\nimport (\n\t\"fmt\"\n\t\"example.com/svc/ledger\"\n)\n");
  repo.Commit("base");
  repo.Write("svc/ledger/util.go", "package ledger\n// changed\n");
  repo.Commit("change");
  auto r = ScopeOf(repo);
  auto step = Why(r, "svc/api/api.go");
  CHECK(step.from == "go:example.com/svc/ledger");
  CHECK(step.evidence == "svc/api/api.go:5");
  CHECK(Find(r, "svc/api/api.go")->distance == 2);
}

TEST_CASE("java: class imports by declared package, wildcard imports by package") {
  TempRepo repo;
  repo.Write("CODEOWNERS", kOwnersAll);
  repo.Write("core/src/main/java/com/acme/util/Money.java",
             "package com.acme.util;\npublic class Money {}\n");
  repo.Write("app/src/main/java/com/acme/Cart.java", "package com.acme;\nimport com.acme.util.Money;\n");
  repo.Write("app/src/main/java/com/acme/Shop.java", "package com.acme;\nimport com.acme.util.*;\n");
  repo.Commit("base");
  repo.Write("core/src/main/java/com/acme/util/Money.java",
             "package com.acme.util;\npublic class Money { int x; }\n");
  repo.Commit("change");
  auto r = ScopeOf(repo);
  CHECK(Why(r, "app/src/main/java/com/acme/Cart.java").evidence == "app/src/main/java/com/acme/Cart.java:2");
  CHECK(Why(r, "app/src/main/java/com/acme/Shop.java").from == "java:com.acme.util");
}

TEST_CASE("deleting a header still included elsewhere puts the includer in the blast radius") {
  TempRepo repo;
  repo.Write("CODEOWNERS", kOwnersAll);
  repo.Write("a/old.h", "#pragma once\n");
  repo.Write("b/user.cc", "#include \"a/old.h\"\n");
  repo.Write("c/moved.py", "X = 1\n");
  repo.Write("c/user.py", "from c import moved\n");
  repo.Commit("base");
  repo.Remove("a/old.h");
  repo.Move("c/moved.py", "d/moved.py");
  repo.Commit("delete and rename");
  auto r = ScopeOf(repo);
  CHECK(Why(r, "b/user.cc").from == "a/old.h");
  CHECK(Why(r, "c/user.py").from == "c/moved.py");
}

TEST_CASE("components: depends_on carries impact, tiers and owners are reported") {
  TempRepo repo;
  repo.Write(".ringfence/components.yaml",
             "apiVersion: ringfence/v1\ncomponents:\n"
             "  - name: base\n    paths: [base/]\n    tier: 0\n    owners: ['@base-team']\n"
             "  - name: mid\n    paths: [mid/]\n    depends_on: [base]\n    tier: 1\n"
             "  - name: top\n    paths: [top/]\n    depends_on: [mid]\n    tier: 2\n"
             "  - name: island\n    paths: [island/]\n");
  repo.Write("base/x.txt", "1\n");
  repo.Write("mid/y.txt", "1\n");
  repo.Write("top/z.txt", "1\n");
  repo.Write("island/w.txt", "1\n");
  repo.Commit("base");
  repo.Write("base/x.txt", "2\n");
  repo.Commit("change");
  auto r = ScopeOf(repo);
  REQUIRE(r.components.size() == 3);
  CHECK(r.components[0].name == "base");
  CHECK(r.components[0].changed_directly);
  CHECK(r.components[2].name == "top");
  CHECK(r.components[2].distance == 3);
  CHECK(Why(r, "component:top").text.find("component:top depends on component:mid") == 0);
  REQUIRE(r.owners.size() == 1);
  CHECK(r.owners[0].owner == "@base-team");
  CHECK(Find(r, "component:island") == nullptr);
  CHECK_FALSE(r.indeterminate);
}

TEST_CASE("a changed file no component or owner claims makes the scope indeterminate") {
  TempRepo repo;
  repo.Write(".ringfence/components.yaml",
             "apiVersion: ringfence/v1\ncomponents:\n  - name: a\n    paths: [a/]\n");
  repo.Write("a/x.txt", "1\n");
  repo.Write("stray/y.txt", "1\n");
  repo.Commit("base");
  repo.Write("a/x.txt", "2\n");
  repo.Write("stray/y.txt", "2\n");
  repo.Commit("change");
  auto r = ScopeOf(repo);
  CHECK(r.indeterminate);
  CHECK(r.unresolved == std::vector<std::string>{"stray/y.txt"});
}

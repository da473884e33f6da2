#include <catch2/catch.hpp>

#include "engine/graph/codeowners.h"

using namespace ringfence;

TEST_CASE("codeowners: the last matching rule wins (GitHub's documented example)") {
  auto co = Codeowners::Parse(
      "# comment\n"
      "*       @global-owner1 @global-owner2\n"
      "*.js    @js-owner #inline comment\n"
      "/build/logs/ @doctocat\n"
      "docs/*  docs@example.com\n"
      "apps/   @octocat\n"
      "/docs/  @doctocat\n"
      "/apps/github\n",
      "CODEOWNERS");
  REQUIRE(co.ok());
  auto owners = [&](const char* p) {
    const CodeownersRule* r = co->RuleFor(p);
    return r ? r->owners : std::vector<std::string>{"<none>"};
  };
  CHECK(owners("README.md") == std::vector<std::string>{"@global-owner1", "@global-owner2"});
  CHECK(owners("src/app.js") == std::vector<std::string>{"@js-owner"});
  CHECK(owners("build/logs/today.log") == std::vector<std::string>{"@doctocat"});
  CHECK(owners("docs/getting-started.md") == std::vector<std::string>{"@doctocat"});
  CHECK(owners("x/apps/main.go") == std::vector<std::string>{"@octocat"});
  // A rule without owners un-owns what it matches.
  CHECK(owners("apps/github/x.go").empty());
  CHECK(co->RuleFor("apps/github/x.go")->line == 8);
}

TEST_CASE("codeowners: errors name path:line:col") {
  auto bad_owner = Codeowners::Parse("*.go @go\n/src/ not-an-owner\n", ".github/CODEOWNERS");
  REQUIRE_FALSE(bad_owner.ok());
  CHECK(bad_owner.error().message.rfind(".github/CODEOWNERS:2:7: ", 0) == 0);
  auto negation = Codeowners::Parse("!keep.txt @a\n", "CODEOWNERS");
  REQUIRE_FALSE(negation.ok());
  CHECK(negation.error().message.rfind("CODEOWNERS:1:1: ", 0) == 0);
  auto bracket = Codeowners::Parse("\n  src/[ab.c @a\n", "CODEOWNERS");
  REQUIRE_FALSE(bracket.ok());
  CHECK(bracket.error().message.rfind("CODEOWNERS:2:3: ", 0) == 0);
  auto section = Codeowners::Parse("[Docs]\n", "CODEOWNERS");
  CHECK_FALSE(section.ok());
}

TEST_CASE("codeowners: escaped hash and spaces are part of the pattern") {
  auto co = Codeowners::Parse("\\#notes.txt @a\nmy\\ file.txt @b\n", "CODEOWNERS");
  REQUIRE(co.ok());
  REQUIRE(co->RuleFor("#notes.txt"));
  CHECK(co->RuleFor("#notes.txt")->owners.front() == "@a");
  REQUIRE(co->RuleFor("dir/my file.txt"));
  CHECK(co->RuleFor("dir/my file.txt")->owners.front() == "@b");
}

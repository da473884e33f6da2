#include <catch2/catch.hpp>

#include "engine/core/glob.h"

using namespace ringfence;

TEST_CASE("glob: basic wildcard semantics") {
  CHECK(WildMatch("*.js", "a.js"));
  CHECK_FALSE(WildMatch("*.js", "d/a.js"));
  CHECK(WildMatch("**/a.js", "x/y/a.js"));
  CHECK(WildMatch("**/a.js", "a.js"));
  CHECK(WildMatch("a/**/b", "a/b"));
  CHECK(WildMatch("a/**/b", "a/x/y/b"));
  CHECK_FALSE(WildMatch("a/**/b", "a/x/c"));
  CHECK(WildMatch("a/**", "a/x/y"));
  CHECK(WildMatch("[a-c]x", "bx"));
  CHECK_FALSE(WildMatch("[!a-c]x", "bx"));
}

#include <catch2/catch.hpp>

#include "engine/graph/components_file.h"

using namespace ringfence;

namespace {

std::string ComponentsErrorOf(const std::string& yaml) {
  auto r = ComponentsFile::Parse(yaml, "c.yaml");
  REQUIRE_FALSE(r.ok());
  return r.error().message;
}

}  // namespace

TEST_CASE("components: a valid file, membership by glob") {
  auto r = ComponentsFile::Parse(
      "apiVersion: ringfence/v1\n"
      "components:\n"
      "  - name: auth\n"
      "    paths: [services/auth/, libs/crypto/**]\n"
      "    tier: 0\n"
      "    owners: \"@auth\"\n"
      "  - name: flags\n"
      "    paths: config/flags.yaml\n"
      "    global_channel: true\n"
      "    depends_on: [auth]\n",
      "c.yaml");
  REQUIRE(r.ok());
  REQUIRE(r->components.size() == 2);
  CHECK(r->components[0].tier == 0);
  CHECK(r->components[0].owners == std::vector<std::string>{"@auth"});
  CHECK(r->components[1].global_channel);
  CHECK(r->components[1].tier == 3);
  auto m = r->Match("libs/crypto/aes/x.c");
  REQUIRE(m.size() == 1);
  CHECK(m[0].component == 0);
  CHECK(r->Match("config/flags.yaml").at(0).component == 1);
  CHECK(r->Match("config/other.yaml").empty());
}

TEST_CASE("components: every mistake is reported at its line and column") {
  CHECK(
      ComponentsErrorOf("apiVersion: ringfence/v1\ncomponents:\n  - name: a\n    paths: [x/]\n    tire: 1\n")
          .rfind("c.yaml:5:5: unknown key 'tire'", 0) == 0);
  CHECK(ComponentsErrorOf(
            "apiVersion: ringfence/v1\ncomponents:\n  - name: a\n    paths: [x/]\n    tier: high\n")
            .rfind("c.yaml:5:11: tier must be an integer", 0) == 0);
  CHECK(ComponentsErrorOf(
            "apiVersion: ringfence/v1\ncomponents:\n  - name: a\n    paths: [x/]\n  - name: a\n    "
            "paths: [y/]\n")
            .rfind("c.yaml:5:11: duplicate component 'a'", 0) == 0);
  CHECK(ComponentsErrorOf(
            "apiVersion: ringfence/v1\ncomponents:\n  - name: a\n    paths: [x/]\n    depends_on: [b]\n")
            .rfind("c.yaml:5:18: component 'a' depends on unknown component 'b'", 0) == 0);
  CHECK(
      ComponentsErrorOf("apiVersion: ringfence/v1\ncomponents:\n  - name: a\n    paths: [x/, \"src/[ab\"]\n")
          .rfind("c.yaml:4:17: unterminated '['", 0) == 0);
  CHECK(ComponentsErrorOf("apiVersion: ringfence/v2\ncomponents: []\n")
            .rfind("c.yaml:1:13: unsupported apiVersion", 0) == 0);
  CHECK(ComponentsErrorOf("components:\n  - name: [unclosed\n").rfind("c.yaml:", 0) == 0);
  CHECK(ComponentsErrorOf("apiVersion: ringfence/v1\ncomponents:\n  - name: a\n").find("has no paths") !=
        std::string::npos);
  CHECK(ComponentsErrorOf(
            "apiVersion: ringfence/v1\ncomponents:\n  - name: a\n    paths: [x/]\n    global_channel: yes\n")
            .rfind("c.yaml:5:21: global_channel must be true or false", 0) == 0);
}

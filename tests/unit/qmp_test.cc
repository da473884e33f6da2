#include <catch2/catch.hpp>

#include "adapters/backends/qemu/qmp.h"

using namespace ringfence::backends;

TEST_CASE("qmp: greetings, returns, errors and events are told apart, anything else is an error") {
  auto g = ParseQmpMessage(R"({"QMP": {"version": {"qemu": {"major": 7}}, "capabilities": []}})");
  REQUIRE(g.ok());
  CHECK(g->kind == QmpKind::kGreeting);
  auto r = ParseQmpMessage(R"({"return": {"status": "paused", "running": false}})");
  REQUIRE(r.ok());
  CHECK(r->kind == QmpKind::kReturn);
  CHECK(r->body["status"] == "paused");
  auto e = ParseQmpMessage(R"({"error": {"class": "GenericError", "desc": "no such device"}})");
  REQUIRE(e.ok());
  CHECK(e->kind == QmpKind::kError);
  auto ev = ParseQmpMessage(R"({"event": "STOP", "timestamp": {"seconds": 1}})");
  REQUIRE(ev.ok());
  CHECK(ev->kind == QmpKind::kEvent);
  for (const char* bad : {"", "[]", "{}", R"({"error": "x"})", R"({"event": 3})", "not json"}) {
    INFO(bad);
    auto m = ParseQmpMessage(bad);
    REQUIRE_FALSE(m.ok());
    CHECK(m.error().message.rfind("QMP: ", 0) == 0);
  }
}

// The webhook notifier against a real HTTP receiver on loopback.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <thread>

#include "adapters/notify/webhook_notifier.h"
#include "tests/support/loopback_receiver.h"

using namespace ringfence;

TEST_CASE("webhook: a rollback notification arrives as JSON, a dead or failing receiver is an error") {
  testing::LoopbackReceiver receiver;
  int port = receiver.port();
  notify::WebhookNotifier hook(receiver.url(), 2000, /*allow_private_network=*/true);
  auto st = hook.Notify({"r-42", "rollback", "candidate 2.0 reverted: error rate", R"({"sessions": 3})"});
  INFO((st.ok() ? "" : st.error().message));
  REQUIRE(st.ok());
  REQUIRE(receiver.bodies().size() == 1);
  auto j = nlohmann::json::parse(receiver.bodies()[0]);
  CHECK(j["rollout"] == "r-42");
  CHECK(j["kind"] == "rollback");
  CHECK(j["details"]["sessions"] == 3);

  receiver.set_status(503);
  auto failing = hook.Notify({"r-42", "escalation", "x", ""});
  REQUIRE_FALSE(failing.ok());
  CHECK(failing.error().message.find("answered HTTP 503") != std::string::npos);
  receiver.Stop();

  auto dead = hook.Notify({"r-42", "rollback", "x", ""});
  REQUIRE_FALSE(dead.ok());
  CHECK(dead.error().kind == ErrorKind::kIo);
  CHECK(dead.error().message.find("webhook http://127.0.0.1:" + std::to_string(port)) == 0);
}

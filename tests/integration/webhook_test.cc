// The webhook notifier against a real HTTP receiver on loopback.
#include <httplib.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <thread>

#include "adapters/notify/webhook_notifier.h"

using namespace ringfence;

TEST_CASE("webhook: a rollback notification arrives as JSON; a dead or failing receiver is an error") {
  httplib::Server server;
  std::string received;
  int status_to_send = 200;
  server.Post("/hook", [&](const httplib::Request& req, httplib::Response& res) {
    received = req.body;
    res.status = status_to_send;
  });
  int port = server.bind_to_any_port("127.0.0.1");
  REQUIRE(port > 0);
  std::thread t([&] { server.listen_after_bind(); });
  for (int i = 0; i < 1000 && !server.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));

  notify::WebhookNotifier hook("http://127.0.0.1:" + std::to_string(port) + "/hook", 2000);
  auto st = hook.Notify({"r-42", "rollback", "candidate 2.0 reverted: error rate", R"({"sessions": 3})"});
  INFO((st.ok() ? "" : st.error().message));
  REQUIRE(st.ok());
  auto j = nlohmann::json::parse(received);
  CHECK(j["rollout"] == "r-42");
  CHECK(j["kind"] == "rollback");
  CHECK(j["details"]["sessions"] == 3);

  status_to_send = 503;
  auto failing = hook.Notify({"r-42", "escalation", "x", ""});
  REQUIRE_FALSE(failing.ok());
  CHECK(failing.error().message.find("answered HTTP 503") != std::string::npos);
  server.stop();
  t.join();

  auto dead = hook.Notify({"r-42", "rollback", "x", ""});
  REQUIRE_FALSE(dead.ok());
  CHECK(dead.error().kind == ErrorKind::kIo);
  CHECK(dead.error().message.find("webhook http://127.0.0.1:" + std::to_string(port)) == 0);
}

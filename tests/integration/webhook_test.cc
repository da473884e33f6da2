// The webhook notifier against a real HTTP receiver on loopback.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "adapters/notify/webhook_notifier.h"
#include "tests/support/git_fixture.h"
#include "tests/support/loopback_receiver.h"
#include "tests/support/run_process.h"

using namespace ringfence;

TEST_CASE("webhook: a rollback notification arrives as JSON, a dead or failing receiver is an error") {
  testing::LoopbackReceiver receiver;
  int port = receiver.port();
  notify::WebhookNotifier hook({receiver.url(), 2000, /*allow_private_network=*/true, ""});
  auto st = hook.Notify({"r-42", "rollback", "candidate 2.0 reverted: error rate", R"({"sessions": 3})"});
  INFO((st.ok() ? "" : st.error().message));
  REQUIRE(st.ok());
  REQUIRE(receiver.bodies().size() == 1);
  auto j = nlohmann::json::parse(receiver.bodies()[0]);
  CHECK(j["rollout"] == "r-42");
  CHECK(j["kind"] == "rollback");
  CHECK(j["details"]["sessions"] == 3);
  CHECK(j["reason"] == "candidate 2.0 reverted: error rate");
  CHECK(receiver.headers()[0].count("X-Ringfence-Signature-256") == 0);  // no secret: unsigned

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

TEST_CASE("webhook: the payload follows its published schema and is signed as GitHub signs webhooks") {
  testing::LoopbackReceiver receiver;
  std::string secret = "s3cr\xc3\xa9t with spaces";
  notify::WebhookNotifier hook({receiver.url(), 2000, true, secret});
  REQUIRE(hook.Notify({"r-7", "paused", "waiting for a human: the gate caps the canary", "not json"}).ok());
  REQUIRE(hook.Notify({"r-7", "promoted", "all new sessions run 2.0", "{}"}).ok());
  auto bodies = receiver.bodies();
  auto headers = receiver.headers();
  REQUIRE(bodies.size() == 2);
  testing::TempDir tmp;
  for (size_t i = 0; i < bodies.size(); ++i) {
    std::string body = tmp.path() + "/body" + std::to_string(i);
    std::ofstream(body, std::ios::binary) << bodies[i];
    auto sig = headers[i].find("X-Ringfence-Signature-256");
    REQUIRE(sig != headers[i].end());
    // An independent implementation checks the signature over the exact bytes received, and the
    // body against docs/notification.schema.json.
    auto verify = testing::RunProcess(
        {RINGFENCE_PYTHON, "-c",
         "import hmac,hashlib,json,sys,jsonschema\n"
         "body=open(sys.argv[1],'rb').read()\n"
         "want='sha256='+hmac.new(sys.argv[2].encode(),body,hashlib.sha256).hexdigest()\n"
         "assert hmac.compare_digest(want, sys.argv[3]), (want, sys.argv[3])\n"
         "jsonschema.validate(json.loads(body), json.load(open(sys.argv[4])))\n"
         "print(json.loads(body)['kind'])\n",
         body, secret, sig->second, std::string(RINGFENCE_SOURCE_DIR) + "/docs/notification.schema.json"});
    INFO(verify.err);
    REQUIRE(verify.exit_code == 0);
    CHECK(verify.out == (i == 0 ? "paused\n" : "promoted\n"));
    auto j = nlohmann::json::parse(bodies[i]);
    CHECK(headers[i].find("X-Ringfence-Delivery")->second == j["delivery"]);
    CHECK(headers[i].find("X-Ringfence-Event")->second == j["kind"]);
  }
  CHECK(nlohmann::json::parse(bodies[0])["delivery"] != nlohmann::json::parse(bodies[1])["delivery"]);
  // A tampered body fails the check.
  auto tampered = testing::RunProcess(
      {RINGFENCE_PYTHON, "-c",
       "import hmac,hashlib,sys\n"
       "body=sys.argv[1].replace('r-7','r-8').encode()\n"
       "sys.exit(0 if "
       "hmac.compare_digest('sha256='+hmac.new(sys.argv[2].encode(),body,hashlib.sha256).hexdigest(),"
       "sys.argv[3]) else 1)\n",
       bodies[0], secret, headers[0].find("X-Ringfence-Signature-256")->second});
  CHECK(tampered.exit_code == 1);
}

TEST_CASE("webhook: a secret that is missing, empty, a symlink or too large is refused with its reason") {
  testing::TempDir tmp;
  std::string key = tmp.path() + "/hook.key";
  std::ofstream(key) << "abc\n";
  auto ok = notify::LoadWebhookSecret(key, "");
  REQUIRE(ok.ok());
  CHECK(*ok == "abc");  // the trailing newline an editor adds is not part of the secret
  std::filesystem::create_symlink(key, tmp.path() + "/link.key");
  auto link = notify::LoadWebhookSecret(tmp.path() + "/link.key", "");
  REQUIRE_FALSE(link.ok());
  CHECK(link.error().message.find("symlink") != std::string::npos);
  std::ofstream(tmp.path() + "/empty.key") << "\n";
  CHECK_FALSE(notify::LoadWebhookSecret(tmp.path() + "/empty.key", "").ok());
  std::ofstream(tmp.path() + "/big.key") << std::string(5000, 'k');
  CHECK_FALSE(notify::LoadWebhookSecret(tmp.path() + "/big.key", "").ok());
  CHECK_FALSE(notify::LoadWebhookSecret(tmp.path() + "/absent.key", "").ok());
  auto env = notify::LoadWebhookSecret("", "RINGFENCE_TEST_SURELY_UNSET_SECRET");
  REQUIRE_FALSE(env.ok());
  CHECK(env.error().message.find("$RINGFENCE_TEST_SURELY_UNSET_SECRET") != std::string::npos);
}

// The lambda backend against a stand-in for the Lambda API on loopback that checks every
// request's SigV4 signature: the CodeDeploy-style sequence of a canary, its rollback and a
// promotion, and the errors a user meets.
#include <catch2/catch.hpp>
#include <cstdlib>

#include "adapters/backends/lambda/lambda_backend.h"
#include "tests/support/fake_lambda_api.h"

using namespace ringfence;
using namespace ringfence::testing;

namespace {

backends::LambdaOptions Options(const FakeLambdaApi& api,
                                const std::string& secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY") {
  backends::LambdaOptions o;
  o.function = "checkout";
  o.alias = "live";
  o.region = "eu-west-1";
  o.endpoint = api.endpoint();
  o.allow_private_network = true;  // the stand-in listens on loopback
  o.credentials = {"AKIDEXAMPLE", secret, ""};
  return o;
}

}  // namespace

TEST_CASE("lambda: a canary is weighted routing on the alias, rollback drops it, promotion moves the alias") {
  FakeLambdaApi api("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "eu-west-1");
  api.AddVersion("1", "Active");
  api.AddVersion("2", "Active");
  backends::LambdaBackend lambda(Options(api));
  CHECK(lambda.capabilities().weighted_routing);
  ImageRef v1{"1", "", "checkout"}, v2{"2", "", "checkout"};
  auto s1 = lambda.Launch("s1", v1);
  INFO((s1.ok() ? "" : s1.error().message));
  REQUIRE(s1.ok());
  REQUIRE(lambda.Launch("s2", v2).ok());
  REQUIRE(lambda.SetWeight(v1, v2, 10).ok());
  CHECK(api.alias_version() == "1");
  CHECK(api.alias_weights() == std::map<std::string, double>{{"2", 0.1}});
  REQUIRE(lambda.SetWeight(v1, v2, 0).ok());  // rollback: every invocation to version 1
  CHECK(api.alias_weights().empty());
  REQUIRE(lambda.SetWeight(v1, v2, 100).ok());  // promotion
  CHECK(api.alias_version() == "2");
  CHECK(api.alias_weights().empty());
  CHECK(*lambda.Healthy("s2"));
  CHECK(api.calls() ==
        std::vector<std::string>{"GET /2015-03-31/functions/checkout/configuration?Qualifier=1",
                                 "GET /2015-03-31/functions/checkout/configuration?Qualifier=2",
                                 "PUT /2015-03-31/functions/checkout/aliases/live",
                                 "PUT /2015-03-31/functions/checkout/aliases/live",
                                 "PUT /2015-03-31/functions/checkout/aliases/live",
                                 "GET /2015-03-31/functions/checkout/configuration?Qualifier=2"});
  CHECK(lambda.Pause("s1").error().kind == ErrorKind::kInvalidInput);
}

TEST_CASE("lambda: a missing or inactive version, a bad secret and missing credentials are clear errors") {
  FakeLambdaApi api("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "eu-west-1");
  api.AddVersion("1", "Active");
  api.AddVersion("3", "Pending");
  backends::LambdaBackend lambda(Options(api));
  auto missing = lambda.Launch("s", {"9", "", "checkout"});
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message.find("HTTP 404: Function not found: checkout:9") != std::string::npos);
  auto pending = lambda.Launch("s", {"3", "", "checkout"});
  REQUIRE_FALSE(pending.ok());
  CHECK(pending.error().message.find("version 3 of checkout is not Active") != std::string::npos);

  backends::LambdaBackend wrong(Options(api, "not-the-secret"));
  auto rejected = wrong.Launch("s", {"1", "", "checkout"});
  REQUIRE_FALSE(rejected.ok());
  CHECK(rejected.error().message.find("HTTP 403") != std::string::npos);
  CHECK(api.calls().back().rfind("REJECTED ", 0) == 0);

  unsetenv("AWS_ACCESS_KEY_ID");
  auto creds = backends::CredentialsFromEnvironment();
  REQUIRE_FALSE(creds.ok());
  CHECK(creds.error().message.find("AWS_ACCESS_KEY_ID is not set") != std::string::npos);
  setenv("AWS_ACCESS_KEY_ID", "AKID", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "secret", 1);
  setenv("AWS_SESSION_TOKEN", "token", 1);
  creds = backends::CredentialsFromEnvironment();
  REQUIRE(creds.ok());
  CHECK(creds->session_token == "token");
}

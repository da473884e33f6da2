// SessionBackend "lambda": AWS Lambda versions behind an alias with weighted routing, the way
// CodeDeploy canaries Lambda. An image is a published version of the function (ImageRef.version
// = the version number, location = the function's name or ARN). A "session" is logical: Lambda
// routes each invocation by the alias's weights, so SetWeight does the routing (UpdateAlias with
// AdditionalVersionWeights) and Launch only checks that the version exists and is Active.
// Requests are SigV4-signed (adapters/aws/sigv4.h) and sent through libcurl with TLS verified.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "adapters/aws/sigv4.h"
#include "engine/ports/session_backend.h"

namespace ringfence::backends {

struct LambdaOptions {
  std::string function;  // name or ARN
  std::string alias = "live";
  std::string region = "us-east-1";
  std::string endpoint;                // default https://lambda.<region>.amazonaws.com
  bool allow_private_network = false;  // an endpoint on loopback or a private network (http_client.h)
  aws::AwsCredentials credentials;
  long timeout_ms = 5000;
};

// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN (optional); kInvalidInput naming the
// missing variable.
Result<aws::AwsCredentials> CredentialsFromEnvironment();

class LambdaBackend : public SessionBackend {
 public:
  explicit LambdaBackend(LambdaOptions options);
  Capabilities capabilities() const override { return {false, false, true}; }
  Result<SessionInfo> Launch(const std::string& session_id, const ImageRef& image) override;
  Result<std::vector<SessionInfo>> List() override;
  Status Pause(const std::string& session_id) override;
  Status Resume(const std::string& session_id) override;
  Status Snapshot(const std::string& session_id, const std::string& path) override;
  Result<SessionInfo> Restore(const std::string& session_id, const std::string& path) override;
  Status Terminate(const std::string& session_id) override;
  Result<bool> Healthy(const std::string& session_id) override;
  Status SetWeight(const ImageRef& baseline, const ImageRef& candidate, double percent) override;

 private:
  struct Reply {
    long status = 0;
    std::string body;
  };
  // One signed call of the Lambda REST API (path under /2015-03-31/functions/...).
  Result<Reply> Call(const std::string& method, const std::string& path, const std::string& query,
                     const std::string& body);
  Result<bool> VersionActive(const std::string& version);

  LambdaOptions options_;
  std::map<std::string, SessionInfo> sessions_;
};

}  // namespace ringfence::backends

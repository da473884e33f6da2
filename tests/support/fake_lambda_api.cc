#include "tests/support/fake_lambda_api.h"

#include <chrono>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "adapters/aws/sigv4.h"

namespace ringfence::testing {

using nlohmann::json;

FakeLambdaApi::FakeLambdaApi(std::string access_key, std::string secret_key, std::string region)
    : access_key_(std::move(access_key)), secret_key_(std::move(secret_key)), region_(std::move(region)) {
  auto guard = [this](const httplib::Request& req, httplib::Response& res) {
    std::string call = req.method + " " + req.path + (req.params.empty() ? "" : "?");
    for (const auto& [k, v] : req.params) call += k + "=" + v;
    bool ok = SignatureValid(req);
    std::lock_guard<std::mutex> lock(mu_);
    calls_.push_back((ok ? "" : "REJECTED ") + call);
    if (!ok) {
      res.status = 403;
      res.set_content(
          R"({"message":"The request signature we calculated does not match the signature you provided."})",
          "application/json");
    }
    return ok;
  };
  server_.Get(R"(/2015-03-31/functions/([^/]+)/configuration)", [this, guard](const httplib::Request& req,
                                                                              httplib::Response& res) {
    if (!guard(req, res)) return;
    std::lock_guard<std::mutex> lock(mu_);
    std::string version = req.get_param_value("Qualifier");
    auto it = states_.find(version);
    if (it == states_.end()) {
      res.status = 404;
      res.set_header("x-amzn-ErrorType", "ResourceNotFoundException");
      res.set_content(json{{"Message", "Function not found: " + req.matches[1].str() + ":" + version}}.dump(),
                      "application/json");
      return;
    }
    res.set_content(json{{"FunctionName", req.matches[1].str()},
                         {"Version", version},
                         {"State", it->second},
                         {"LastUpdateStatus", "Successful"}}
                        .dump(),
                    "application/json");
  });
  server_.Put(R"(/2015-03-31/functions/([^/]+)/aliases/([^/]+))", [this, guard](const httplib::Request& req,
                                                                                httplib::Response& res) {
    if (!guard(req, res)) return;
    json body = json::parse(req.body, nullptr, false);
    std::lock_guard<std::mutex> lock(mu_);
    if (!body.is_object() || !body.contains("FunctionVersion") ||
        !states_.count(body["FunctionVersion"].get<std::string>())) {
      res.status = 400;
      res.set_content(R"({"Message":"InvalidParameterValueException: FunctionVersion"})", "application/json");
      return;
    }
    alias_version_ = body["FunctionVersion"];
    weights_.clear();
    if (body.contains("RoutingConfig")) {
      for (const auto& [v, w] : body["RoutingConfig"]["AdditionalVersionWeights"].items())
        weights_[v] = w.get<double>();
    }
    json weights = json::object();
    for (const auto& [v, w] : weights_) weights[v] = w;
    res.set_content(json{{"Name", req.matches[2].str()},
                         {"FunctionVersion", alias_version_},
                         {"RoutingConfig", {{"AdditionalVersionWeights", weights}}}}
                        .dump(),
                    "application/json");
  });
  port_ = server_.bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("cannot bind a loopback port");
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  for (int i = 0; i < 5000 && !server_.is_running(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

FakeLambdaApi::~FakeLambdaApi() {
  server_.stop();
  if (thread_.joinable()) thread_.join();
}

bool FakeLambdaApi::SignatureValid(const httplib::Request& req) const {
  // Recompute the signature over what arrived, with the secret this account has.
  std::string auth = req.get_header_value("Authorization");
  std::string date = req.get_header_value("X-Amz-Date");
  size_t signed_at = auth.find("SignedHeaders="), sig_at = auth.find("Signature=");
  if (auth.rfind("AWS4-HMAC-SHA256 Credential=" + access_key_ + "/" + date.substr(0, 8) + "/" + region_ +
                     "/lambda/aws4_request",
                 0) != 0 ||
      signed_at == std::string::npos || sig_at == std::string::npos) {
    return false;
  }
  std::string signed_headers = auth.substr(signed_at + 14, auth.find(',', signed_at) - signed_at - 14);
  aws::SigV4Request r;
  r.method = req.method;
  r.path = req.path;
  std::string query;
  for (const auto& [k, v] : req.params) query += (query.empty() ? "" : "&") + k + "=" + v;
  r.query = query;
  r.body = req.body;
  size_t pos = 0;
  while (pos <= signed_headers.size()) {
    size_t semi = signed_headers.find(';', pos);
    std::string h = signed_headers.substr(pos, semi == std::string::npos ? std::string::npos : semi - pos);
    if (h != "x-amz-date" && h != "x-amz-security-token")
      r.headers.emplace_back(h, h == "host" ? req.get_header_value("Host") : req.get_header_value(h));
    if (semi == std::string::npos) break;
    pos = semi + 1;
  }
  aws::SigV4Params p;
  p.region = region_;
  p.service = "lambda";
  p.amz_date = date;
  aws::AwsCredentials cred{access_key_, secret_key_, req.get_header_value("X-Amz-Security-Token")};
  auto expected = aws::SignWithHeaders(r, cred, p);
  return auth.substr(sig_at + 10) == expected.signature;
}

std::vector<std::string> FakeLambdaApi::calls() const {
  std::lock_guard<std::mutex> lock(mu_);
  return calls_;
}
std::string FakeLambdaApi::alias_version() const {
  std::lock_guard<std::mutex> lock(mu_);
  return alias_version_;
}
std::map<std::string, double> FakeLambdaApi::alias_weights() const {
  std::lock_guard<std::mutex> lock(mu_);
  return weights_;
}

}  // namespace ringfence::testing

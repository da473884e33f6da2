#include "adapters/backends/lambda/lambda_backend.h"

#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "adapters/common/http_client.h"

namespace ringfence::backends {
namespace {

using nlohmann::json;

std::string HostOf(const std::string& url) {
  size_t start = url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  size_t end = url.find('/', start);
  return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

std::string AwsMessage(const std::string& body) {
  json j = json::parse(body, nullptr, false);
  if (j.is_object()) {
    for (const char* k : {"Message", "message", "errorMessage"}) {
      if (j.contains(k) && j[k].is_string()) return j[k].get<std::string>();
    }
  }
  return body.substr(0, 200);
}

}  // namespace

Result<aws::AwsCredentials> CredentialsFromEnvironment() {
  aws::AwsCredentials c;
  for (auto [name, into] : {std::pair<const char*, std::string*>{"AWS_ACCESS_KEY_ID", &c.access_key_id},
                            {"AWS_SECRET_ACCESS_KEY", &c.secret_access_key}}) {
    const char* v = std::getenv(name);
    if (!v || !*v)
      return Error::InvalidInput(std::string("the lambda backend needs AWS credentials: ") + name +
                                 " is not set");
    *into = v;
  }
  if (const char* t = std::getenv("AWS_SESSION_TOKEN")) c.session_token = t;
  return c;
}

LambdaBackend::LambdaBackend(LambdaOptions options) : options_(std::move(options)) {
  if (options_.endpoint.empty()) options_.endpoint = "https://lambda." + options_.region + ".amazonaws.com";
}

Result<LambdaBackend::Reply> LambdaBackend::Call(const std::string& method, const std::string& path,
                                                 const std::string& query, const std::string& body) {
  aws::SigV4Request req{method, path, query, {{"Host", HostOf(options_.endpoint)}}, body};
  if (!body.empty()) req.headers.emplace_back("Content-Type", "application/json");
  aws::SigV4Params p;
  p.region = options_.region;
  p.service = "lambda";
  p.amz_date = aws::AmzDate(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
  aws::SigV4Signed signed_req = aws::SignWithHeaders(req, options_.credentials, p);
  HttpRequest http;
  http.method = method;
  http.allow_private_network = options_.allow_private_network;
  http.url = options_.endpoint + path + (query.empty() ? "" : "?" + query);
  for (const auto& [k, v] : req.headers) {
    if (k != "Host") http.headers.push_back(k + ": " + v);
  }
  for (const auto& [k, v] : signed_req.add_headers) http.headers.push_back(k + ": " + v);
  http.body = body;
  http.timeout_ms = options_.timeout_ms;
  auto res = HttpExchange(http);
  if (!res) return Error::Io("lambda " + res.error().message);
  if (res->status < 200 || res->status >= 300) {
    return Error::Io("lambda " + method + " " + path + " answered HTTP " + std::to_string(res->status) +
                     ": " + AwsMessage(res->body));
  }
  return Reply{res->status, res->body};
}

Result<bool> LambdaBackend::VersionActive(const std::string& version) {
  auto r = Call("GET", "/2015-03-31/functions/" + options_.function + "/configuration",
                "Qualifier=" + UrlEncode(version), "");
  if (!r) return r.error();
  json j = json::parse(r->body, nullptr, false);
  if (!j.is_object()) return Error::Io("lambda: the function configuration is not JSON");
  if (j.value("Version", "") != version) {
    return Error::Io("lambda: asked for version " + version + ", got '" + j.value("Version", "") + "'");
  }
  // Functions created before states existed have none: they are active.
  std::string state = j.value("State", "Active"), update = j.value("LastUpdateStatus", "Successful");
  return state == "Active" && update != "Failed";
}

Result<SessionInfo> LambdaBackend::Launch(const std::string& id, const ImageRef& image) {
  if (auto it = sessions_.find(id); it != sessions_.end()) return it->second;
  auto active = VersionActive(image.version);
  if (!active) return active.error();
  if (!*active)
    return Error::Io("lambda: version " + image.version + " of " + options_.function + " is not Active");
  SessionInfo s;
  s.id = id;
  s.version = image.version;
  s.state = SessionState::kRunning;
  s.endpoint = "lambda:" + options_.function + ":" + options_.alias;
  s.started_unix_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  sessions_[id] = s;
  return s;
}

Result<std::vector<SessionInfo>> LambdaBackend::List() {
  std::vector<SessionInfo> out;
  for (const auto& [id, s] : sessions_) out.push_back(s);
  return out;
}

Status LambdaBackend::Pause(const std::string& id) {
  return Error::InvalidInput("lambda cannot pause " + id + ": invocations are routed, not held");
}
Status LambdaBackend::Resume(const std::string& id) {
  return Error::InvalidInput("lambda cannot resume " + id);
}
Status LambdaBackend::Snapshot(const std::string& id, const std::string&) {
  return Error::InvalidInput("lambda cannot snapshot " + id);
}
Result<SessionInfo> LambdaBackend::Restore(const std::string& id, const std::string&) {
  return Error::InvalidInput("lambda cannot restore " + id);
}

Status LambdaBackend::Terminate(const std::string& id) {
  sessions_.erase(id);  // logical: nothing runs on its own
  return Status::Ok();
}

Result<bool> LambdaBackend::Healthy(const std::string& id) {
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return Error::NotFound("no session " + id);
  return VersionActive(it->second.version);
}

Status LambdaBackend::SetWeight(const ImageRef& baseline, const ImageRef& candidate, double percent) {
  // The alias points at the baseline and sends `percent` of invocations to the candidate; at 100
  // it points at the candidate alone (promotion); at 0 it drops the extra weight (rollback).
  json body;
  if (percent >= 100) {
    body = {{"FunctionVersion", candidate.version},
            {"RoutingConfig", {{"AdditionalVersionWeights", json::object()}}}};
  } else {
    json weights = json::object();
    if (percent > 0) weights[candidate.version] = percent / 100.0;
    body = {{"FunctionVersion", baseline.version},
            {"RoutingConfig", {{"AdditionalVersionWeights", weights}}}};
  }
  auto r = Call("PUT", "/2015-03-31/functions/" + options_.function + "/aliases/" + options_.alias, "",
                body.dump());
  if (!r) return r.error();
  json j = json::parse(r->body, nullptr, false);
  if (!j.is_object() || j.value("FunctionVersion", "") != body["FunctionVersion"].get<std::string>()) {
    return Error::Io("lambda: the alias did not take the routing asked for");
  }
  return Status::Ok();
}

}  // namespace ringfence::backends

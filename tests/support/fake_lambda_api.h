// A stand-in for the AWS Lambda API (outside this machine) on 127.0.0.1: function versions with
// states and one alias with routing weights. It checks every request's SigV4 signature and
// records the calls, so tests see the sequence a backend made.
#pragma once

#include <httplib.h>

#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ringfence::testing {

class FakeLambdaApi {
 public:
  FakeLambdaApi(std::string access_key, std::string secret_key, std::string region);
  ~FakeLambdaApi();
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  void AddVersion(const std::string& version, const std::string& state) { states_[version] = state; }
  // "METHOD /path?query" of every call, in order; "REJECTED ..." for a bad signature.
  std::vector<std::string> calls() const;
  std::string alias_version() const;
  std::map<std::string, double> alias_weights() const;

 private:
  bool SignatureValid(const httplib::Request& req) const;

  std::string access_key_, secret_key_, region_;
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  mutable std::mutex mu_;
  std::map<std::string, std::string> states_;
  std::vector<std::string> calls_;
  std::string alias_version_ = "1";
  std::map<std::string, double> weights_;
};

}  // namespace ringfence::testing

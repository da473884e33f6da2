// SigV4 against every one of AWS's published test vectors (../shared/specs/aws-sigv4-tests),
// header and query signing: canonical request, string to sign and signature, byte for byte.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "adapters/aws/sigv4.h"
#include "tests/support/git_fixture.h"

using namespace ringfence::aws;
using ringfence::testing::Slurp;
namespace fs = std::filesystem;

namespace {

const std::string kVectors = std::string(RINGFENCE_SOURCE_DIR) + "/../shared/specs/aws-sigv4-tests";

std::string Chomp(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

// request.txt: "METHOD PATH[?QUERY] HTTP/1.1", header lines ("Name:value"; lines starting with
// whitespace continue the previous value), a blank line, the body.
SigV4Request ParseRequest(const std::string& text) {
  SigV4Request r;
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  size_t sp = line.find(' '), proto = line.rfind(" HTTP/");
  r.method = line.substr(0, sp);
  std::string target = line.substr(sp + 1, proto - sp - 1);
  size_t q = target.find('?');
  r.path = target.substr(0, q);
  if (q != std::string::npos) r.query = target.substr(q + 1);
  while (std::getline(in, line) && !line.empty()) {
    if ((line[0] == ' ' || line[0] == '\t') && !r.headers.empty()) {
      r.headers.back().second += " " + line;
      continue;
    }
    size_t colon = line.find(':');
    r.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  std::stringstream rest;
  rest << in.rdbuf();
  r.body = rest.str();
  return r;
}

}  // namespace

TEST_CASE("sigv4: every published test vector, header and query signing") {
  if (!fs::exists(kVectors)) {
    WARN("skipped: " << kVectors << " is missing (the AWS SigV4 test vectors live in ../shared/specs)");
    return;
  }
  int cases = 0;
  for (const auto& dir : fs::directory_iterator(kVectors)) {
    if (!dir.is_directory()) continue;
    const fs::path d = dir.path();
    auto ctx = nlohmann::json::parse(Slurp(d / "context.json"));
    AwsCredentials cred{ctx["credentials"]["access_key_id"], ctx["credentials"]["secret_access_key"],
                        ctx["credentials"].value("token", "")};
    SigV4Params p;
    p.region = ctx["region"];
    p.service = ctx["service"];
    std::string ts = ctx["timestamp"];  // 2015-08-30T12:36:00Z
    p.amz_date = ts.substr(0, 4) + ts.substr(5, 2) + ts.substr(8, 2) + "T" + ts.substr(11, 2) +
                 ts.substr(14, 2) + ts.substr(17, 2) + "Z";
    p.normalize_path = ctx.value("normalize", true);
    p.sign_body = ctx.value("sign_body", false);
    p.omit_session_token = ctx.value("omit_session_token", false);
    p.expires_seconds = ctx.value("expiration_in_seconds", 3600);
    SigV4Request req = ParseRequest(Slurp(d / "request.txt"));
    for (const char* mode : {"header", "query"}) {
      if (!fs::exists(d / (std::string(mode) + "-signature.txt"))) continue;
      INFO(d.filename().string() << " (" << mode << " signing)");
      SigV4Signed s =
          std::string(mode) == "header" ? SignWithHeaders(req, cred, p) : SignWithQuery(req, cred, p);
      CHECK(s.canonical_request == Chomp(Slurp(d / (std::string(mode) + "-canonical-request.txt"))));
      CHECK(s.string_to_sign == Chomp(Slurp(d / (std::string(mode) + "-string-to-sign.txt"))));
      CHECK(s.signature == Chomp(Slurp(d / (std::string(mode) + "-signature.txt"))));
      ++cases;
    }
  }
  CHECK(cases >= 70);  // 38 vectors, most signed both ways
}

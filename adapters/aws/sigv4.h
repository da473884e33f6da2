// AWS Signature Version 4 (HMAC-SHA256), header and query (presigned) signing, as AWS documents
// it and its published test vectors check it (tests read ../shared/specs/aws-sigv4-tests).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ringfence::aws {

struct AwsCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty unless temporary credentials
};

struct SigV4Params {
  std::string region;
  std::string service;
  std::string amz_date;             // YYYYMMDDTHHMMSSZ (UTC)
  bool normalize_path = true;       // remove dot segments and duplicate slashes (every service but S3)
  bool sign_body = false;           // add x-amz-content-sha256
  bool omit_session_token = false;  // add the token after signing (services that require it so)
  int expires_seconds = 3600;       // query signing
};

struct SigV4Request {
  std::string method;
  std::string path;                                          // as on the request line, without the query
  std::string query;                                         // raw, without '?'
  std::vector<std::pair<std::string, std::string>> headers;  // as sent; must include Host
  std::string body;
};

struct SigV4Signed {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;
  // Header signing: headers to add (X-Amz-Date, X-Amz-Security-Token, x-amz-content-sha256,
  // Authorization). Query signing: the full query string to send.
  std::vector<std::pair<std::string, std::string>> add_headers;
  std::string query;
};

SigV4Signed SignWithHeaders(const SigV4Request& request, const AwsCredentials& credentials,
                            const SigV4Params& params);
SigV4Signed SignWithQuery(const SigV4Request& request, const AwsCredentials& credentials,
                          const SigV4Params& params);

// "YYYYMMDDTHHMMSSZ" of a Unix time.
std::string AmzDate(int64_t unix_seconds);

}  // namespace ringfence::aws

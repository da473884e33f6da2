// One HTTP exchange through libcurl: TLS always verified, http/https only (or a unix socket, for
// APIs served on one), signals off, bounded by a timeout. Transport failures are kIo naming the URL;
// HTTP statuses are returned for the caller to judge.
#pragma once

#include <string>
#include <vector>

#include "engine/core/result.h"

namespace ringfence {

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string body;
  std::string unix_socket;           // connect here instead of the URL's host (Firecracker)
  long timeout_ms = 3000;
};

struct HttpResponse {
  long status = 0;
  std::string body;
};

Result<HttpResponse> HttpExchange(const HttpRequest& request);

// Percent-encodes a query parameter value (RFC 3986 unreserved characters kept).
std::string UrlEncode(const std::string& s);

}  // namespace ringfence

// One HTTP exchange through libcurl: TLS always verified, http/https only (or a unix socket, for
// APIs served on one), signals off, bounded by a timeout, no redirects followed. Transport
// failures are kIo naming the URL (its secrets redacted); HTTP statuses are returned for the
// caller to judge.
//
// Outbound calls to addresses an attacker would aim at from inside a network (loopback,
// link-local and cloud metadata, private and carrier-grade NAT ranges, unspecified) are refused
// unless the request allows them: the address is checked when the socket is opened, after DNS,
// so a name that resolves to one is refused too.
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
  std::string unix_socket;  // connect here instead of the URL's host (Firecracker)
  long timeout_ms = 3000;
  bool allow_private_network = false;  // loopback, link-local, private ranges: only when set
};

struct HttpResponse {
  long status = 0;
  std::string body;
};

Result<HttpResponse> HttpExchange(const HttpRequest& request);

// Percent-encodes a query parameter value (RFC 3986 unreserved characters kept).
std::string UrlEncode(const std::string& s);

}  // namespace ringfence

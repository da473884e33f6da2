#include "adapters/common/http_client.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cctype>
#include <cstring>
#include <memory>
#include <mutex>

#include "engine/core/network_address.h"
#include "engine/core/redact.h"

namespace ringfence {
namespace {

size_t Collect(char* data, size_t size, size_t n, void* into) {
  static_cast<std::string*>(into)->append(data, size * n);
  return size * n;
}

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct SocketGate {
  bool allow = false;
  std::string refused;  // why the last address was refused
};

curl_socket_t OpenSocket(void* clientp, curlsocktype, curl_sockaddr* addr) {
  auto* gate = static_cast<SocketGate*>(clientp);
  std::string why;
  char text[INET6_ADDRSTRLEN] = "?";
  if (addr->family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&addr->addr);
    why = NonPublicIpv4(ntohl(in->sin_addr.s_addr));
    inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
  } else if (addr->family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&addr->addr);
    why = NonPublicIpv6(in6->sin6_addr.s6_addr);
    inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
  } else if (addr->family != AF_UNIX) {
    why = "not an internet address";
  }
  if (!why.empty() && !gate->allow) {
    gate->refused = std::string(text) + " is " + why;
    return CURL_SOCKET_BAD;
  }
  return ::socket(addr->family, addr->socktype | SOCK_CLOEXEC, addr->protocol);
}

}  // namespace

Result<HttpResponse> HttpExchange(const HttpRequest& r) {
  GlobalInit();
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return Error::Internal("curl_easy_init failed");
  curl_slist* headers = nullptr;
  for (const auto& h : r.headers) headers = curl_slist_append(headers, h.c_str());
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> hold(headers, curl_slist_free_all);
  HttpResponse out;
  char err[CURL_ERROR_SIZE] = {0};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, r.url.c_str());
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, r.method.c_str());
  if (headers) curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  if (!r.body.empty() || r.method == "POST" || r.method == "PUT" || r.method == "PATCH") {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, r.body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(r.body.size()));
  }
  if (r.method == "GET") curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  if (!r.unix_socket.empty()) curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, r.unix_socket.c_str());
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, r.timeout_ms);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, r.timeout_ms);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &out.body);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);  // always verified
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  SocketGate gate{r.allow_private_network || !r.unix_socket.empty(), ""};
  curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, OpenSocket);
  curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &gate);
  CURLcode rc = curl_easy_perform(c);
  std::string shown = RedactSecrets(r.url);
  if (!gate.refused.empty() && rc != CURLE_OK) {
    return Error::Io(
        shown + ": refused to connect: " + gate.refused +
        " (outbound calls to non-public addresses need allow_private_network: true in the plan)");
  }
  if (rc != CURLE_OK)
    return Error::Io(shown + ": " + RedactSecrets(err[0] ? std::string(err) : curl_easy_strerror(rc)));
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out.status);
  return out;
}

std::string UrlEncode(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char ch : s) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out += static_cast<char>(ch);
    } else {
      out += '%';
      out += kHex[ch >> 4];
      out += kHex[ch & 15];
    }
  }
  return out;
}

}  // namespace ringfence

#include "engine/image/egress.h"

#include <arpa/inet.h>

#include <cctype>

namespace ringfence {
namespace {

bool ValidName(std::string_view n) {
  if (n.empty() || n.size() > 253 || n.front() == '.' || n.back() == '.' || n.front() == '-') return false;
  for (char c : n)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.') return false;
  return n.find("..") == std::string_view::npos;
}

}  // namespace

Result<EgressRule> ParseEgress(std::string_view text) {
  auto bad = [&](const std::string& why) {
    return Error::InvalidInput("egress '" + std::string(text) + "': " + why);
  };
  EgressRule r;
  std::string_view host, port;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return bad("an IPv6 address is written [ADDRESS]:PORT");
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
    r.ipv6 = true;
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return bad("no :PORT (use :* for any port)");
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  if (port == "*") {
    r.port = -1;
  } else {
    if (port.empty() || port.size() > 5) return bad("the port is a number or *");
    int v = 0;
    for (char c : port) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return bad("the port is a number or *");
      v = v * 10 + (c - '0');
    }
    if (v < 1 || v > 65535) return bad("the port is between 1 and 65535");
    r.port = v;
  }
  std::string_view addr = host;
  int max_prefix = r.ipv6 ? 128 : 32;
  int prefix = max_prefix;
  if (auto slash = host.find('/'); slash != std::string_view::npos) {
    addr = host.substr(0, slash);
    std::string_view bits = host.substr(slash + 1);
    if (bits.empty() || bits.size() > 3) return bad("a CIDR prefix is a number");
    prefix = 0;
    for (char c : bits) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return bad("a CIDR prefix is a number");
      prefix = prefix * 10 + (c - '0');
    }
  }
  std::string a(addr);
  if (r.ipv6) {
    if (::inet_pton(AF_INET6, a.c_str(), r.address.data()) != 1) return bad("not an IPv6 address");
  } else if (::inet_pton(AF_INET, a.c_str(), r.address.data()) == 1) {
    max_prefix = 32;
  } else {
    if (host.find('/') != std::string_view::npos) return bad("a CIDR block needs an address");
    std::string name;
    for (char c : host) name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (name.rfind("*.", 0) == 0) {
      r.wildcard = true;
      name = name.substr(2);
    }
    if (!ValidName(name)) return bad("not a DNS name, an address or a CIDR block");
    r.name = name;
    return r;
  }
  if (prefix > max_prefix) return bad("the prefix is longer than the address");
  r.prefix = prefix;
  return r;
}

bool Covers(const EgressRule& allowed, const EgressRule& wanted) {
  if (allowed.port != -1 && allowed.port != wanted.port) return false;
  if (!allowed.name.empty() || !wanted.name.empty()) {
    if (allowed.name.empty() || wanted.name.empty()) return false;
    if (wanted.wildcard && !allowed.wildcard) return false;
    if (!allowed.wildcard) return allowed.name == wanted.name;
    const std::string& w = wanted.name;
    if (wanted.wildcard && w == allowed.name) return true;
    return w.size() > allowed.name.size() &&
           w.compare(w.size() - allowed.name.size(), allowed.name.size(), allowed.name) == 0 &&
           w[w.size() - allowed.name.size() - 1] == '.';
  }
  if (allowed.ipv6 != wanted.ipv6 || wanted.prefix < allowed.prefix) return false;
  for (int bit = 0; bit < allowed.prefix; ++bit) {
    int byte = bit / 8, mask = 0x80 >> (bit % 8);
    if ((allowed.address[byte] & mask) != (wanted.address[byte] & mask)) return false;
  }
  return true;
}

}  // namespace ringfence

#include "engine/core/network_address.h"

#include <arpa/inet.h>

#include <cctype>
#include <cstring>

namespace ringfence {

std::string NonPublicIpv4(uint32_t a) {
  auto in = [&](uint32_t net, int bits) { return (a >> (32 - bits)) == (net >> (32 - bits)); };
  if (in(0x7F000000, 8)) return "loopback";
  if (in(0xA9FE0000, 16)) return "link-local (cloud metadata)";
  if (in(0x0A000000, 8) || in(0xAC100000, 12) || in(0xC0A80000, 16)) return "private";
  if (in(0x64400000, 10)) return "carrier-grade NAT";
  if (in(0x00000000, 8)) return "unspecified";
  if (in(0xE0000000, 4) || a == 0xFFFFFFFF) return "multicast or broadcast";
  return "";
}

std::string NonPublicIpv6(const uint8_t b[16]) {
  static const uint8_t kLoopback[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  static const uint8_t kAny[16] = {};
  static const uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
  if (std::memcmp(b, kLoopback, 16) == 0) return "loopback";
  if (std::memcmp(b, kAny, 16) == 0) return "unspecified";
  if (std::memcmp(b, kMapped, 12) == 0 || std::memcmp(b, kAny, 12) == 0) {
    return NonPublicIpv4((uint32_t{b[12]} << 24) | (uint32_t{b[13]} << 16) | (uint32_t{b[14]} << 8) | b[15]);
  }
  if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) return "link-local";
  if ((b[0] & 0xFE) == 0xFC) return "private (unique local; cloud metadata)";
  if (b[0] == 0xFF) return "multicast";
  return "";
}

std::string NonPublicAddress(const std::string& address) {
  std::string lower;
  for (char c : address) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!lower.empty() && lower.back() == '.') lower.pop_back();
  if (lower == "localhost" ||
      (lower.size() > 10 && lower.compare(lower.size() - 10, 10, ".localhost") == 0)) {
    return "loopback";
  }
  in_addr v4;
  in6_addr v6;
  if (inet_pton(AF_INET, address.c_str(), &v4) == 1) return NonPublicIpv4(ntohl(v4.s_addr));
  if (inet_pton(AF_INET6, address.c_str(), &v6) == 1) return NonPublicIpv6(v6.s6_addr);
  return "";
}

std::string UrlHost(const std::string& url) {
  size_t scheme = url.find("://");
  if (scheme == std::string::npos) return "";
  size_t start = scheme + 3;
  size_t end = url.find_first_of("/?#", start);
  std::string authority = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (size_t at = authority.rfind('@'); at != std::string::npos) authority = authority.substr(at + 1);
  if (!authority.empty() && authority[0] == '[') return authority.substr(1, authority.find(']') - 1);
  return authority.substr(0, authority.find(':'));
}

}  // namespace ringfence

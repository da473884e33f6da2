// Network egress as image manifests declare it and image policies allow it: "HOST:PORT", where
// HOST is a DNS name ("api.example.com", or "*.example.com" for its subdomains), an IPv4 or
// bracketed IPv6 address, or a CIDR block ("10.0.0.0/8", "[2001:db8::/32]"), and PORT a number
// or "*". Names compare without case; a wanted block is covered only by an allowed block that
// contains all of it.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/core/result.h"

namespace ringfence {

struct EgressRule {
  std::string name;                   // a DNS name, lowercase ("" for an address)
  bool wildcard = false;              // "*.example.com": subdomains of `name`
  std::array<uint8_t, 16> address{};  // IPv4 in the first 4 bytes
  bool ipv6 = false;
  int prefix = -1;  // -1 for a name
  int port = -1;    // -1: any ("*")
};

Result<EgressRule> ParseEgress(std::string_view text);
bool Covers(const EgressRule& allowed, const EgressRule& wanted);

}  // namespace ringfence

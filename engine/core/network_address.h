// Which addresses an outbound call may reach without an explicit setting: public ones. Loopback,
// link-local (cloud metadata lives there), private, carrier-grade NAT, unspecified and multicast
// addresses are where an attacker inside a network aims a server-side request.
#pragma once

#include <cstdint>
#include <string>

namespace ringfence {

// Why the IPv4 address `a` (host byte order) is not public ("loopback", ...), or "" when it is.
std::string NonPublicIpv4(uint32_t a);
// The same for an IPv6 address (16 bytes, network order); IPv4-mapped addresses as IPv4.
std::string NonPublicIpv6(const uint8_t bytes[16]);
// The same for a literal address ("127.0.0.1", "::1"), "localhost" included; "" for a name.
std::string NonPublicAddress(const std::string& address);

// The host of an http(s) URL ("" when there is none); brackets of an IPv6 literal removed.
std::string UrlHost(const std::string& url);

}  // namespace ringfence

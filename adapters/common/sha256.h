// SHA-256 and HMAC-SHA256 (OpenSSL), as lowercase hex or raw bytes.
#pragma once

#include <string>
#include <string_view>

namespace ringfence {

std::string Sha256Hex(std::string_view data);
std::string Sha1Hex(std::string_view data);  // only where a format demands it (SPDX file checksums)
std::string HmacSha256(std::string_view key, std::string_view data);  // 32 raw bytes
std::string HmacSha256Hex(std::string_view key, std::string_view data);
// Compares two strings in time independent of where they differ (for MACs).
bool ConstantTimeEqual(std::string_view a, std::string_view b);

}  // namespace ringfence

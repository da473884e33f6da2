// SHA-256 (OpenSSL), as lowercase hex.
#pragma once

#include <string>
#include <string_view>

namespace ringfence {

std::string Sha256Hex(std::string_view data);

}  // namespace ringfence

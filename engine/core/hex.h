// Bytes as lowercase hexadecimal, two digits per byte (digests, object ids, MACs).
#pragma once

#include <string>
#include <string_view>

namespace ringfence {

std::string LowerHex(std::string_view bytes);
inline std::string LowerHex(const unsigned char* bytes, size_t size) {
  return LowerHex(std::string_view(reinterpret_cast<const char*>(bytes), size));
}

}  // namespace ringfence

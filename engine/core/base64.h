// Base64 (RFC 4648): encoding in the standard alphabet with padding; decoding of the standard or
// the URL-safe alphabet, padded or not (DSSE allows either), anything else refused.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ringfence {

std::string Base64Encode(std::string_view bytes);
// nullopt for a character outside the alphabets, misplaced padding or an impossible length.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace ringfence

// The form of an image (or content) digest: "sha256:" and 64 lowercase hex digits.
#pragma once

#include <string_view>

namespace ringfence {

bool ValidImageDigest(std::string_view digest);

}  // namespace ringfence

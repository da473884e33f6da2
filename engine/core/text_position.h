// Positions in a text for error messages: "line:col" (both from 1) of a byte offset.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ringfence {

std::string LineColumn(std::string_view text, size_t offset);

}  // namespace ringfence

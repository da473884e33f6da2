// UTF-8 as the files ringfence reads must be: validation with a position, and a lossless-enough
// rendering of arbitrary bytes for formats that only carry text (XML, terminals).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace ringfence {

// Where the first byte that is not well-formed UTF-8 sits (overlongs, surrogates and code points
// above U+10FFFF are not well-formed), or nullopt when all of `text` is.
std::optional<size_t> FirstInvalidUtf8(std::string_view text);

// 1-based line and column (in bytes) of `offset` in `text`.
struct TextPosition {
  int line = 1;
  int col = 1;
};
TextPosition PositionOf(std::string_view text, size_t offset);

// `text` with every byte that is not part of well-formed UTF-8 replaced by U+FFFD.
std::string SanitizeUtf8(std::string_view text);

}  // namespace ringfence

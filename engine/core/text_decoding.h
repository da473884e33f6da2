// The text a file will deploy as, whatever its encoding: content rules match the decoded text,
// not git's idea of "binary". UTF-8 (a NUL byte included), and UTF-16 and UTF-32 in either byte
// order, with or without a byte order mark, decode; what does not becomes a reason of its own.
#pragma once

#include <string>
#include <string_view>

namespace ringfence {

struct DecodedText {
  bool ok = false;
  std::string text;      // UTF-8, when ok
  std::string encoding;  // "utf-8", "utf-16le", "utf-16be", "utf-32le", "utf-32be"; "" when not ok
  std::string reason;    // why it could not be decoded, when not ok
};

// Files larger than this are not decoded (a reason says so).
inline constexpr size_t kMaxDecodedBytes = 64u << 20;

DecodedText DecodeText(std::string_view bytes);

// True when DecodeText would not take `bytes` as plain UTF-8 without a BOM: a byte order mark
// of another encoding, a NUL byte or bytes that are not UTF-8. Cheap: callers use it to decide
// whether git's own line diff of the raw bytes can stand for the decoded text.
bool NeedsDecoding(std::string_view bytes);

}  // namespace ringfence

#include "engine/core/base64.h"

#include <array>

namespace ringfence {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// The 6-bit value of a character of either alphabet, or -1.
constexpr std::array<int, 256> DecodeTable() {
  std::array<int, 256> t{};
  for (auto& v : t) v = -1;
  for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(kAlphabet[i])] = i;
  t['-'] = 62;
  t['_'] = 63;
  return t;
}

}  // namespace

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  out.reserve(4 * ((bytes.size() + 2) / 3));
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t v =
        uint32_t(uint8_t(bytes[i])) << 16 | uint32_t(uint8_t(bytes[i + 1])) << 8 | uint8_t(bytes[i + 2]);
    for (int shift : {18, 12, 6, 0}) out += kAlphabet[(v >> shift) & 63];
  }
  if (size_t rest = bytes.size() - i) {
    uint32_t v = uint32_t(uint8_t(bytes[i])) << 16 | (rest == 2 ? uint32_t(uint8_t(bytes[i + 1])) << 8 : 0);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  static constexpr auto kTable = DecodeTable();
  size_t end = text.size();
  while (end > 0 && text[end - 1] == '=' && text.size() - end < 2) --end;
  if (end < text.size() && text.size() % 4 != 0) return std::nullopt;  // padded, then padded right
  if (end % 4 == 1) return std::nullopt;                               // no byte ends there
  std::string out;
  out.reserve(end / 4 * 3 + 2);
  uint32_t bits = 0;
  int count = 0;
  for (size_t i = 0; i < end; ++i) {
    int v = kTable[static_cast<unsigned char>(text[i])];
    if (v < 0) return std::nullopt;  // includes '=' before the end
    bits = bits << 6 | uint32_t(v);
    if (++count == 4) {
      out += char(bits >> 16), out += char(bits >> 8), out += char(bits);
      bits = 0, count = 0;
    }
  }
  if (count == 2) {
    if (bits & 0xF) return std::nullopt;  // bits past the last byte must be zero (canonical)
    out += char(bits >> 4);
  } else if (count == 3) {
    if (bits & 0x3) return std::nullopt;
    out += char(bits >> 10), out += char(bits >> 2);
  }
  return out;
}

}  // namespace ringfence

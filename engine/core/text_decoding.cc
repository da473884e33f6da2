#include "engine/core/text_decoding.h"

#include <iconv.h>

#include <cerrno>

#include "engine/core/utf8.h"

namespace ringfence {
namespace {

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// iconv from `from` to UTF-8; false when the input is not valid in `from`.
bool Convert(std::string_view in, const char* from, std::string& out) {
  iconv_t cd = iconv_open("UTF-8", from);
  if (cd == reinterpret_cast<iconv_t>(-1)) return false;
  out.assign(in.size() * 2 + 16, '\0');
  char* src = const_cast<char*>(in.data());
  size_t src_left = in.size();
  char* dst = out.data();
  size_t dst_left = out.size();
  bool ok = true;
  while (src_left > 0) {
    if (iconv(cd, &src, &src_left, &dst, &dst_left) != static_cast<size_t>(-1)) continue;
    if (errno == E2BIG) {
      size_t used = static_cast<size_t>(dst - out.data());
      out.resize(out.size() * 2);
      dst = out.data() + used;
      dst_left = out.size() - used;
      continue;
    }
    ok = false;  // EILSEQ or EINVAL: not that encoding, or cut short
    break;
  }
  out.resize(static_cast<size_t>(dst - out.data()));
  iconv_close(cd);
  return ok;
}

// The byte order a BOM-less UTF-16 or UTF-32 text of mostly ASCII shows: zero bytes in fixed
// lanes. Returns "" when the pattern is not there.
const char* GuessWideEncoding(std::string_view b) {
  size_t n = std::min<size_t>(b.size(), 8192);
  if (n < 4) return "";
  size_t zeros[4] = {0, 0, 0, 0};
  for (size_t i = 0; i < n; ++i) zeros[i % 4] += b[i] == '\0';
  size_t quads = n / 4;
  auto mostly = [&](size_t z) { return z * 10 >= quads * 9; };
  auto rarely = [&](size_t z) { return z * 10 <= quads; };
  if (n % 4 == 0) {
    if (rarely(zeros[0]) && mostly(zeros[1]) && mostly(zeros[2]) && mostly(zeros[3])) return "UTF-32LE";
    if (mostly(zeros[0]) && mostly(zeros[1]) && mostly(zeros[2]) && rarely(zeros[3])) return "UTF-32BE";
  }
  if (n % 2 == 0) {
    size_t even = zeros[0] + zeros[2], odd = zeros[1] + zeros[3];
    size_t pairs = n / 2;
    if (odd * 10 >= pairs * 7 && even * 10 <= pairs) return "UTF-16LE";
    if (even * 10 >= pairs * 7 && odd * 10 <= pairs) return "UTF-16BE";
  }
  return "";
}

std::string Lower(const char* s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

bool NeedsDecoding(std::string_view bytes) {
  if (StartsWith(bytes, "\xFF\xFE") || StartsWith(bytes, "\xFE\xFF") || StartsWith(bytes, "\xEF\xBB\xBF")) {
    return true;
  }
  if (bytes.find('\0') != std::string_view::npos) return true;
  return FirstInvalidUtf8(bytes).has_value();
}

DecodedText DecodeText(std::string_view bytes) {
  DecodedText d;
  if (bytes.size() > kMaxDecodedBytes) {
    d.reason =
        "larger than the " + std::to_string(kMaxDecodedBytes >> 20) + " MiB that content rules inspect";
    return d;
  }
  struct Bom {
    std::string_view mark;
    const char* encoding;
  };
  // UTF-32LE's mark begins with UTF-16LE's, so it is tried first.
  static const Bom kBoms[] = {{std::string_view("\xFF\xFE\0\0", 4), "UTF-32LE"},
                              {std::string_view("\0\0\xFE\xFF", 4), "UTF-32BE"},
                              {"\xFF\xFE", "UTF-16LE"},
                              {"\xFE\xFF", "UTF-16BE"},
                              {"\xEF\xBB\xBF", "UTF-8"}};
  for (const auto& bom : kBoms) {
    if (!StartsWith(bytes, bom.mark)) continue;
    std::string_view body = bytes.substr(bom.mark.size());
    if (std::string(bom.encoding) == "UTF-8") {
      if (!FirstInvalidUtf8(body)) {
        d.ok = true;
        d.text = std::string(body);
        d.encoding = "utf-8";
        return d;
      }
      break;
    }
    if (Convert(body, bom.encoding, d.text)) {
      d.ok = true;
      d.encoding = Lower(bom.encoding);
      return d;
    }
    d.reason = std::string("a ") + bom.encoding + " byte order mark, but the content is not " + bom.encoding;
    d.text.clear();
    return d;
  }
  if (const char* wide = GuessWideEncoding(bytes); *wide && Convert(bytes, wide, d.text)) {
    d.ok = true;
    d.encoding = Lower(wide);
    return d;
  }
  d.text.clear();
  if (auto bad = FirstInvalidUtf8(bytes); !bad) {
    d.ok = true;  // NUL bytes included: they do not make text uninspectable
    d.text = std::string(bytes);
    d.encoding = "utf-8";
    return d;
  } else {
    d.reason = "not text in UTF-8, UTF-16 or UTF-32 (byte 0x" +
               [&] {
                 char hex[3];
                 std::snprintf(hex, sizeof hex, "%02x", static_cast<unsigned char>(bytes[*bad]));
                 return std::string(hex);
               }() +
               " at offset " + std::to_string(*bad) + ")";
  }
  return d;
}

}  // namespace ringfence

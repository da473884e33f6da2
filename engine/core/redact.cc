#include "engine/core/redact.h"

#include <re2/re2.h>

namespace ringfence {
namespace {

// http(s)://user:pass@host... -> http(s)://***@host...
const RE2& UserInfo() {
  static const RE2 re(R"((?i)(https?://)[^/\s@"'?#]+@)");
  return re;
}
// ?token=abc&x=y inside an http(s) URL -> ?token=***&x=***
const RE2& QueryValue() {
  static const RE2 re(R"(([?&][^=&\s"'#<>]+=)[^&\s"'#<>]+)");
  return re;
}

}  // namespace

std::string RedactSecrets(std::string_view text) {
  std::string out(text);
  RE2::GlobalReplace(&out, UserInfo(), "\\1***@");
  // Query values only inside URLs: redact line by line where a line holds an http(s) URL.
  std::string result;
  size_t pos = 0;
  while (pos <= out.size()) {
    size_t nl = out.find('\n', pos);
    std::string line = out.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    size_t url = line.find("://");
    if (url != std::string::npos) {
      std::string head = line.substr(0, url), tail = line.substr(url);
      RE2::GlobalReplace(&tail, QueryValue(), "\\1***");
      line = head + tail;
    }
    result += line;
    if (nl == std::string::npos) break;
    result += '\n';
    pos = nl + 1;
  }
  return result;
}

bool HasSecrets(std::string_view text) { return RedactSecrets(text) != text; }

}  // namespace ringfence

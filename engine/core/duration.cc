#include "engine/core/duration.h"

#include <cstdio>
#include <string>

namespace ringfence {

std::optional<int64_t> ParseDurationMs(std::string_view text) {
  size_t digits = 0;
  int64_t n = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
    n = n * 10 + (text[digits] - '0');
    if (n > 10'000'000'000LL) return std::nullopt;
    ++digits;
  }
  if (digits == 0) return std::nullopt;
  std::string_view unit = text.substr(digits);
  int64_t scale = 0;
  if (unit == "ms")
    scale = 1;
  else if (unit == "s")
    scale = 1000;
  else if (unit == "m")
    scale = 60'000;
  else if (unit == "h")
    scale = 3'600'000;
  else if (unit == "d")
    scale = 86'400'000;
  else
    return std::nullopt;
  int64_t ms = n * scale;
  if (ms > 10LL * 366 * 86'400'000) return std::nullopt;
  return ms;
}

std::string FormatDurationMs(int64_t ms) {
  char buf[32];
  if (ms < 1000)
    std::snprintf(buf, sizeof buf, "%lldms", static_cast<long long>(ms));
  else if (ms < 60'000)
    std::snprintf(buf, sizeof buf, "%.3gs", ms / 1000.0);
  else if (ms < 3'600'000)
    std::snprintf(buf, sizeof buf, "%.3gm", ms / 60'000.0);
  else
    std::snprintf(buf, sizeof buf, "%.3gh", ms / 3'600'000.0);
  return buf;
}

}  // namespace ringfence

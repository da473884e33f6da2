// Colour for human text (ANSI SGR sequences), for terminals that asked for it: callers pass
// whether colour is on, so machine formats and pipes never carry escape codes.
#pragma once

#include <string>
#include <string_view>

namespace ringfence {

enum class Tone { kGood, kBad, kWarn, kStrong };

inline std::string Paint(std::string_view text, Tone tone, bool enabled) {
  if (!enabled) return std::string(text);
  const char* code = tone == Tone::kGood   ? "\033[32m"
                     : tone == Tone::kBad  ? "\033[1;31m"
                     : tone == Tone::kWarn ? "\033[33m"
                                           : "\033[1m";
  return code + std::string(text) + "\033[0m";
}

}  // namespace ringfence

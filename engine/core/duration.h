// Durations as rule and plan files write them: "250ms", "90s", "30m", "2h", "1d".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ringfence {

// -> milliseconds; nullopt when malformed or above ten years.
std::optional<int64_t> ParseDurationMs(std::string_view text);

// Milliseconds as people read them: "250ms", "2s", "1.5s", "3m", "2h".
std::string FormatDurationMs(int64_t ms);

}  // namespace ringfence

// Strict parsing of calendar dates and wall-clock times as rule and waiver files write them, and
// the UTC timestamps reports write.
#pragma once

#include <date/date.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ringfence {

// "YYYY-MM-DD" -> that day; nullopt for anything else (including invalid dates like 2026-02-30,
// and years outside 1900..2199, which not every clock here can hold).
std::optional<date::days> ParseDay(std::string_view text);  // days since the epoch
// "YYYY-MM-DD" or "YYYY-MM-DD HH:MM" -> minutes since the epoch (a local or UTC time, as used).
std::optional<std::chrono::minutes> ParseDayTime(std::string_view text);
// "HH:MM" (00:00 .. 24:00) -> minutes after midnight.
std::optional<std::chrono::minutes> ParseClock(std::string_view text);
// Unix milliseconds as UTC: "2026-12-02T01:05:22" (no zone: JUnit's form) and RFC 3339
// "2026-12-02T01:05:22.123Z".
std::string FormatUtcSeconds(int64_t unix_ms);
std::string FormatRfc3339Ms(int64_t unix_ms);
// "2026-12-02T01:05:22Z", with optional fractional seconds and a "+HH:MM"/"-HH:MM" offset
// (RFC 3339, as OSV, OpenVEX, SPDX and SLSA write times) -> Unix milliseconds.
std::optional<int64_t> ParseRfc3339Ms(std::string_view text);
// Unix seconds as "2026-12-02T01:05:22Z" (SPDX's `created`).
std::string FormatRfc3339Seconds(int64_t unix_seconds);

}  // namespace ringfence

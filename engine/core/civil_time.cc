#include "engine/core/civil_time.h"

#include <cstdio>
#include <string>

namespace ringfence {

std::optional<date::days> ParseDay(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  int y = std::stoi(std::string(text.substr(0, 4)));
  unsigned m = static_cast<unsigned>(std::stoi(std::string(text.substr(5, 2))));
  unsigned d = static_cast<unsigned>(std::stoi(std::string(text.substr(8, 2))));
  date::year_month_day ymd{date::year{y}, date::month{m}, date::day{d}};
  if (!ymd.ok()) return std::nullopt;
  return date::sys_days(ymd).time_since_epoch();
}

std::optional<std::chrono::minutes> ParseClock(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  for (size_t i : {0, 1, 3, 4}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  int h = (text[0] - '0') * 10 + (text[1] - '0');
  int m = (text[3] - '0') * 10 + (text[4] - '0');
  if (h > 24 || m > 59 || (h == 24 && m != 0)) return std::nullopt;
  return std::chrono::minutes(h * 60 + m);
}

std::optional<std::chrono::minutes> ParseDayTime(std::string_view text) {
  auto day = ParseDay(text.substr(0, 10));
  if (!day) return std::nullopt;
  std::chrono::minutes at = std::chrono::duration_cast<std::chrono::minutes>(*day);
  if (text.size() == 10) return at;
  if (text.size() != 16 || (text[10] != ' ' && text[10] != 'T')) return std::nullopt;
  auto clock = ParseClock(text.substr(11));
  if (!clock || *clock >= std::chrono::hours(24)) return std::nullopt;
  return at + *clock;
}

std::string FormatUtcSeconds(int64_t unix_ms) {
  using namespace std::chrono;
  return date::format("%FT%T", floor<seconds>(sys_time<milliseconds>(milliseconds(unix_ms))));
}

std::string FormatRfc3339Ms(int64_t unix_ms) {
  using namespace std::chrono;
  return date::format("%FT%TZ", sys_time<milliseconds>(milliseconds(unix_ms)));
}

}  // namespace ringfence

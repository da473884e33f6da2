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
  // Every clock of this program (nanoseconds since 1970 in 64 bits) holds these years.
  if (y < 1900 || y > 2199) return std::nullopt;
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

std::optional<int64_t> ParseRfc3339Ms(std::string_view t) {
  using namespace std::chrono;
  auto digits = [&](size_t at, size_t n, int& out) {
    if (at + n > t.size()) return false;
    out = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (t[i] < '0' || t[i] > '9') return false;
      out = out * 10 + (t[i] - '0');
    }
    return true;
  };
  int hh = 0, mi = 0, ss = 0;
  if (t.size() < 20 || (t[10] != 'T' && t[10] != 't') || t[13] != ':' || t[16] != ':') return std::nullopt;
  auto day = ParseDay(t.substr(0, 10));
  if (!day || !digits(11, 2, hh) || !digits(14, 2, mi) || !digits(17, 2, ss)) return std::nullopt;
  if (hh > 23 || mi > 59 || ss > 60) return std::nullopt;
  size_t at = 19;
  int64_t ms = 0;
  if (at < t.size() && t[at] == '.') {
    size_t start = ++at;
    int64_t scale = 100;
    while (at < t.size() && t[at] >= '0' && t[at] <= '9') {
      ms += (t[at] - '0') * scale;
      scale /= 10;
      ++at;
    }
    if (at == start || at - start > 9) return std::nullopt;
  }
  int64_t offset_min = 0;
  if (at < t.size() && (t[at] == 'Z' || t[at] == 'z')) {
    ++at;
  } else if (at < t.size() && (t[at] == '+' || t[at] == '-')) {
    int oh = 0, om = 0;
    if (!digits(at + 1, 2, oh) || at + 3 >= t.size() || t[at + 3] != ':' || !digits(at + 4, 2, om) ||
        oh > 23 || om > 59)
      return std::nullopt;
    offset_min = (t[at] == '+' ? 1 : -1) * (oh * 60 + om);
    at += 6;
  } else {
    return std::nullopt;
  }
  if (at != t.size()) return std::nullopt;
  int64_t seconds =
      duration_cast<std::chrono::seconds>(*day).count() + hh * 3600 + mi * 60 + ss - offset_min * 60;
  return seconds * 1000 + ms;
}

std::string FormatRfc3339Seconds(int64_t unix_seconds) {
  using namespace std::chrono;
  return date::format("%FT%TZ", sys_seconds(seconds(unix_seconds)));
}

}  // namespace ringfence

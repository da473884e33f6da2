#include "engine/rollout/prometheus_text.h"

#include <cmath>
#include <cstdlib>
#include <optional>

#include "engine/scanners/file_scan.h"

namespace ringfence {
namespace {

bool NameChar(char c, bool first) {
  return c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (!first && c >= '0' && c <= '9');
}

// Parses `{a="x",b="y"}` at line[i]; leaves i after the closing brace.
bool ParseLabels(std::string_view line, size_t& i, std::map<std::string, std::string>& out) {
  ++i;  // '{'
  while (i < line.size() && line[i] != '}') {
    size_t start = i;
    while (i < line.size() && NameChar(line[i], i == start)) ++i;
    if (i == start || i >= line.size() || line[i] != '=') return false;
    std::string key(line.substr(start, i - start));
    ++i;
    if (i >= line.size() || line[i] != '"') return false;
    ++i;
    std::string value;
    while (i < line.size() && line[i] != '"') {
      if (line[i] == '\\' && i + 1 < line.size()) {
        char e = line[++i];
        value += e == 'n' ? '\n' : e;
      } else {
        value += line[i];
      }
      ++i;
    }
    if (i >= line.size()) return false;
    ++i;  // closing quote
    out[key] = value;
    if (i < line.size() && line[i] == ',') ++i;
  }
  if (i >= line.size()) return false;
  ++i;  // '}'
  return true;
}

}  // namespace

Result<std::vector<Sample>> ParsePrometheusText(std::string_view text, const std::string& source) {
  std::vector<Sample> out;
  std::optional<Error> error;
  ForEachLine(text, [&](std::string_view raw, uint32_t n) {
    if (error) return;
    std::string_view line = Trim(raw);
    if (line.empty() || line[0] == '#') return;
    auto fail = [&](const std::string& why) {
      error = Error::InvalidInput(Position(source, static_cast<int>(n)) + why);
    };
    if (line.size() > 64 * 1024) return fail("line too long");
    Sample s;
    size_t i = 0;
    while (i < line.size() && NameChar(line[i], i == 0)) ++i;
    if (i == 0) return fail("expected a metric name");
    s.name = std::string(line.substr(0, i));
    if (i < line.size() && line[i] == '{' && !ParseLabels(line, i, s.labels)) return fail("malformed labels");
    std::string_view rest = Trim(line.substr(i));
    size_t sp = rest.find_first_of(" \t");
    std::string number(rest.substr(0, sp));
    if (number.empty()) return fail("missing value");
    if (number == "+Inf" || number == "Inf")
      s.value = INFINITY;
    else if (number == "-Inf")
      s.value = -INFINITY;
    else if (number == "NaN")
      s.value = NAN;
    else {
      char* end = nullptr;
      s.value = std::strtod(number.c_str(), &end);
      if (end != number.c_str() + number.size()) return fail("bad value '" + number + "'");
    }
    out.push_back(std::move(s));
  });
  if (error) return *error;
  return out;
}

double SumSamples(const std::vector<Sample>& samples, std::string_view name,
                  const std::map<std::string, std::string>& match) {
  double sum = 0;
  for (const auto& s : samples) {
    if (s.name != name) continue;
    bool ok = true;
    for (const auto& [k, v] : match) {
      auto it = s.labels.find(k);
      ok = ok && it != s.labels.end() && it->second == v;
    }
    if (ok && std::isfinite(s.value)) sum += s.value;
  }
  return sum;
}

}  // namespace ringfence

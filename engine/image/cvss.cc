#include "engine/image/cvss.h"

#include <cctype>
#include <cmath>
#include <map>

namespace ringfence {
namespace {

// "AV:N/AC:L/..." -> {AV: N, AC: L}; a metric twice is an error.
Result<std::map<std::string, std::string>> Metrics(std::string_view v, std::string_view whole) {
  std::map<std::string, std::string> m;
  while (!v.empty()) {
    auto slash = v.find('/');
    std::string_view part = v.substr(0, slash);
    v = slash == std::string_view::npos ? std::string_view{} : v.substr(slash + 1);
    auto colon = part.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == part.size())
      return Error::InvalidInput("CVSS vector '" + std::string(whole) + "': '" + std::string(part) +
                                 "' is not METRIC:VALUE");
    if (!m.emplace(std::string(part.substr(0, colon)), std::string(part.substr(colon + 1))).second)
      return Error::InvalidInput("CVSS vector '" + std::string(whole) + "' names " +
                                 std::string(part.substr(0, colon)) + " twice");
  }
  return m;
}

// Looks up a base metric's weight; nullopt when missing or not a value of the metric.
std::optional<double> Weight(const std::map<std::string, std::string>& m, const char* metric,
                             std::initializer_list<std::pair<const char*, double>> values) {
  auto it = m.find(metric);
  if (it == m.end()) return std::nullopt;
  for (const auto& [value, weight] : values)
    if (it->second == value) return weight;
  return std::nullopt;
}

double Roundup(double x) {  // CVSS v3.1 Appendix A: the smallest one-decimal number >= x
  long long i = std::llround(x * 100000);
  if (i % 10000 == 0) return static_cast<double>(i) / 100000.0;
  return (std::floor(static_cast<double>(i) / 10000) + 1) / 10.0;
}

Result<CvssScore> V3(const std::map<std::string, std::string>& m, std::string_view whole) {
  auto missing = [&](const char* metric) {
    return Error::InvalidInput("CVSS vector '" + std::string(whole) + "': base metric " + metric +
                               " is missing or has an unknown value");
  };
  auto scope = m.find("S");
  if (scope == m.end() || (scope->second != "U" && scope->second != "C")) return missing("S");
  bool changed = scope->second == "C";
  auto av = Weight(m, "AV", {{"N", 0.85}, {"A", 0.62}, {"L", 0.55}, {"P", 0.2}});
  auto ac = Weight(m, "AC", {{"L", 0.77}, {"H", 0.44}});
  auto pr = Weight(m, "PR", {{"N", 0.85}, {"L", changed ? 0.68 : 0.62}, {"H", changed ? 0.5 : 0.27}});
  auto ui = Weight(m, "UI", {{"N", 0.85}, {"R", 0.62}});
  auto c = Weight(m, "C", {{"H", 0.56}, {"L", 0.22}, {"N", 0}});
  auto i = Weight(m, "I", {{"H", 0.56}, {"L", 0.22}, {"N", 0}});
  auto a = Weight(m, "A", {{"H", 0.56}, {"L", 0.22}, {"N", 0}});
  for (auto [w, name] : {std::pair{av, "AV"}, std::pair{ac, "AC"}, std::pair{pr, "PR"}, std::pair{ui, "UI"},
                         std::pair{c, "C"}, std::pair{i, "I"}, std::pair{a, "A"}})
    if (!w) return missing(name);
  double iss = 1 - (1 - *c) * (1 - *i) * (1 - *a);
  double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * std::pow(iss - 0.02, 15) : 6.42 * iss;
  double exploitability = 8.22 * *av * *ac * *pr * *ui;
  double score = 0;
  if (impact > 0)
    score = changed ? Roundup(std::min(1.08 * (impact + exploitability), 10.0))
                    : Roundup(std::min(impact + exploitability, 10.0));
  return CvssScore{score, RatingOf(score), 3};
}

Result<CvssScore> V2(const std::map<std::string, std::string>& m, std::string_view whole) {
  auto av = Weight(m, "AV", {{"L", 0.395}, {"A", 0.646}, {"N", 1.0}});
  auto ac = Weight(m, "AC", {{"H", 0.35}, {"M", 0.61}, {"L", 0.71}});
  auto au = Weight(m, "Au", {{"M", 0.45}, {"S", 0.56}, {"N", 0.704}});
  auto c = Weight(m, "C", {{"N", 0}, {"P", 0.275}, {"C", 0.660}});
  auto i = Weight(m, "I", {{"N", 0}, {"P", 0.275}, {"C", 0.660}});
  auto a = Weight(m, "A", {{"N", 0}, {"P", 0.275}, {"C", 0.660}});
  for (auto [w, name] : {std::pair{av, "AV"}, std::pair{ac, "AC"}, std::pair{au, "Au"}, std::pair{c, "C"},
                         std::pair{i, "I"}, std::pair{a, "A"}})
    if (!w)
      return Error::InvalidInput("CVSS vector '" + std::string(whole) + "': base metric " + name +
                                 " is missing or has an unknown value");
  double impact = 10.41 * (1 - (1 - *c) * (1 - *i) * (1 - *a));
  double exploitability = 20 * *av * *ac * *au;
  double f = impact == 0 ? 0 : 1.176;
  double score = std::round(((0.6 * impact) + (0.4 * exploitability) - 1.5) * f * 10) / 10;
  if (score < 0) score = 0;
  // NVD's v2 bands: low < 4, medium < 7, high otherwise (v2 has no critical).
  Severity s = score == 0  ? Severity::kNone
               : score < 4 ? Severity::kLow
               : score < 7 ? Severity::kMedium
                           : Severity::kHigh;
  return CvssScore{score, s, 2};
}

}  // namespace

const char* ToString(Severity s) {
  switch (s) {
    case Severity::kNone:
      return "none";
    case Severity::kLow:
      return "low";
    case Severity::kMedium:
      return "medium";
    case Severity::kHigh:
      return "high";
    case Severity::kCritical:
      return "critical";
    case Severity::kUnknown:
      return "unknown";
  }
  return "unknown";
}

std::optional<Severity> ParseSeverity(std::string_view s) {
  std::string lower;
  for (char c : s) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "none" || lower == "negligible") return Severity::kNone;
  if (lower == "low") return Severity::kLow;
  if (lower == "medium" || lower == "moderate") return Severity::kMedium;
  if (lower == "high" || lower == "important") return Severity::kHigh;
  if (lower == "critical") return Severity::kCritical;
  if (lower == "unknown") return Severity::kUnknown;
  return std::nullopt;
}

Severity RatingOf(double score) {
  if (score <= 0) return Severity::kNone;
  if (score < 4) return Severity::kLow;
  if (score < 7) return Severity::kMedium;
  if (score < 9) return Severity::kHigh;
  return Severity::kCritical;
}

Result<CvssScore> ScoreCvss(std::string_view vector) {
  if (vector.size() > 512) return Error::InvalidInput("CVSS vector longer than 512 characters");
  if (vector.rfind("CVSS:3.0/", 0) == 0 || vector.rfind("CVSS:3.1/", 0) == 0) {
    auto m = Metrics(vector.substr(9), vector);
    if (!m) return m.error();
    return V3(*m, vector);
  }
  if (vector.rfind("CVSS:4.0/", 0) == 0) {
    auto m = Metrics(vector.substr(9), vector);
    if (!m) return m.error();
    return CvssScore{0, Severity::kUnknown, 4};
  }
  if (vector.rfind("CVSS:", 0) == 0)
    return Error::InvalidInput("CVSS vector '" + std::string(vector) + "': an unknown CVSS version");
  std::string_view body = vector;
  if (body.size() > 1 && body.front() == '(' && body.back() == ')') body = body.substr(1, body.size() - 2);
  auto m = Metrics(body, vector);
  if (!m) return m.error();
  return V2(*m, vector);
}

}  // namespace ringfence

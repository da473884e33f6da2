// Severity from CVSS vectors: the base score of CVSS v3.0/v3.1 and v2 vectors computed as their
// specifications define it (FIRST), and the qualitative rating. CVSS v4 vectors are recognised,
// not scored (their score needs FIRST's macro-vector tables): they leave the severity unknown.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/core/result.h"

namespace ringfence {

enum class Severity { kNone, kLow, kMedium, kHigh, kCritical, kUnknown };

const char* ToString(Severity s);  // "none", "low", "medium", "high", "critical", "unknown"
std::optional<Severity> ParseSeverity(std::string_view s);  // case-insensitive, "moderate" = medium
Severity RatingOf(double score);                            // CVSS v3 rating bands

struct CvssScore {
  double score = 0;
  Severity severity = Severity::kUnknown;
  int version = 0;  // 2, 3 or 4 (4: not scored)
};

// kInvalidInput for a vector that is not CVSS v2, v3.x or v4.0, or lacks a base metric.
Result<CvssScore> ScoreCvss(std::string_view vector);

}  // namespace ringfence

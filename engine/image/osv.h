// Vulnerability records in the OSV format (../shared/specs/osv/schema.json), as osv.dev publishes
// Debian's advisories (ecosystem "Debian:12", package = the source package). Strict about what the
// scan reads; other fields are ignored. Fuzzed (fuzz_image_scan).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.h"

namespace ringfence {

struct OsvEvent {
  enum class Kind { kIntroduced, kFixed, kLastAffected, kLimit };
  Kind kind;
  std::string version;
};

struct OsvRange {
  std::string type;  // "ECOSYSTEM", "SEMVER", "GIT"
  std::vector<OsvEvent> events;
};

struct OsvSeverity {
  std::string type;   // "CVSS_V2", "CVSS_V3", "CVSS_V4", "Ubuntu"
  std::string score;  // the vector (or the rating for types without one)
};

struct OsvAffected {
  std::string ecosystem, name;
  std::vector<OsvRange> ranges;
  std::vector<std::string> versions;
  std::vector<OsvSeverity> severity;
};

struct OsvRecord {
  std::string id, summary;
  std::vector<std::string> aliases;
  int64_t modified_ms = 0;
  std::optional<int64_t> published_ms, withdrawn_ms;
  std::vector<OsvSeverity> severity;
  std::string database_severity;  // database_specific.severity, when a string
  std::vector<OsvAffected> affected;
};

Result<OsvRecord> ParseOsvRecord(std::string_view text, const std::string& path);

}  // namespace ringfence

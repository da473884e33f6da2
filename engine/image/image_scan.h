// `ringfence image scan` and admission's scan step: an SBOM's packages against a pinned, fresh
// vulnerability database, VEX applied, judged by the scan policy. A database that is not the
// pinned one, or older than the policy allows, fails the scan whatever it finds: a stale scanner
// is not a pass.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/image/sbom.h"
#include "engine/image/vulnerability_scan.h"

namespace ringfence {

struct DatabasePolicy {
  std::string pinned_digest;  // "sha256:..."; "" when not pinned
  int64_t max_age_ms = 0;     // 0: no limit; else the newest record must be younger than this
};

struct ImageScan {
  ScanResult result;
  std::vector<std::string> failures;  // the database's own failures (digest, age)
  std::string database_digest;
  int64_t database_newest_ms = 0;
  bool passed() const { return failures.empty() && result.passed(); }
};

ImageScan ScanImage(const SbomSummary& sbom, const AdvisoryIndex& db, const std::string& db_digest,
                    const DatabasePolicy& db_policy, const std::vector<VexStatement>& vex,
                    const ScanPolicy& policy, const VersionOrder& order, int64_t now_ms);

}  // namespace ringfence

#include "engine/image/image_scan.h"

#include "engine/core/civil_time.h"
#include "engine/core/duration.h"

namespace ringfence {

ImageScan ScanImage(const SbomSummary& sbom, const AdvisoryIndex& db, const std::string& db_digest,
                    const DatabasePolicy& db_policy, const std::vector<VexStatement>& vex,
                    const ScanPolicy& policy, const VersionOrder& order, int64_t now_ms) {
  ImageScan s;
  s.database_digest = db_digest;
  s.database_newest_ms = db.newest_modified_ms();
  if (!db_policy.pinned_digest.empty() && db_policy.pinned_digest != db_digest)
    s.failures.push_back("the vulnerability database is " + db_digest + ", not the pinned " +
                         db_policy.pinned_digest);
  if (db_policy.max_age_ms > 0 && now_ms - db.newest_modified_ms() > db_policy.max_age_ms)
    s.failures.push_back("the vulnerability database is stale: its newest record is from " +
                         FormatUtcSeconds(db.newest_modified_ms()) + "Z, older than " +
                         FormatDurationMs(db_policy.max_age_ms));
  if (sbom.packages.empty())
    s.failures.push_back("the SBOM lists no Debian package: nothing could be matched, so nothing is known");
  s.result = ScanPackages(sbom.packages, db, order, vex, policy, now_ms);
  return s;
}

}  // namespace ringfence

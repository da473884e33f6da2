#include "cli/image_scan.h"

#include <filesystem>
#include <iostream>
#include <memory>

#include "adapters/common/files.h"
#include "adapters/common/system_clock.h"
#include "adapters/debian/apt_versions.h"
#include "adapters/image/osv_database.h"
#include "adapters/report/scan_formats.h"
#include "cli/exit_codes.h"
#include "cli/output_options.h"
#include "engine/core/civil_time.h"
#include "engine/core/duration.h"
#include "engine/image/image_scan.h"
#include "engine/image/sbom.h"

namespace ringfence::cli {
namespace {

struct ScanFlags {
  std::string target, db, format = "text", fail_on = "high", unknown_as = "high", grace, max_db_age,
                          db_digest, now;
  std::vector<std::string> vex;
  bool fixed_only = false;
};

Result<int64_t> Duration(const std::string& text, const char* flag) {
  if (text.empty()) return int64_t{0};
  auto ms = ParseDurationMs(text);
  if (!ms || *ms < 0)
    return Error::InvalidInput(std::string(flag) + " '" + text + "' is not a duration (7d, 12h)");
  return *ms;
}

int Run(const ScanFlags& f) {
  std::string target = f.target;
  while (target.size() > 1 && target.back() == '/') target.pop_back();
  std::error_code ec;
  std::string sbom_path = std::filesystem::is_directory(target, ec) ? target + ".spdx.json" : target;
  auto sbom_text = ReadFileNoFollow(sbom_path);
  if (!sbom_text)
    return Fail("image scan", sbom_text.error().Wrap("the SBOM (image build writes IMAGE.spdx.json)"));
  auto sbom = ReadSpdx(*sbom_text, sbom_path);
  if (!sbom) return Fail("image scan", sbom.error());
  auto db = image::LoadOsvDatabase(f.db);
  if (!db) return Fail("image scan", db.error());
  std::vector<VexStatement> vex;
  for (const auto& path : f.vex) {
    auto text = ReadFileNoFollow(path);
    if (!text) return Fail("image scan", text.error());
    auto statements = ParseOpenVex(*text, path);
    if (!statements) return Fail("image scan", statements.error());
    vex.insert(vex.end(), statements->begin(), statements->end());
  }
  ScanPolicy policy;
  policy.fail_on = *ParseSeverity(f.fail_on);
  policy.unknown_as = *ParseSeverity(f.unknown_as);
  policy.fixed_only = f.fixed_only;
  auto grace = Duration(f.grace, "--grace");
  if (!grace) return Fail("image scan", grace.error());
  policy.grace_ms = *grace;
  DatabasePolicy db_policy;
  db_policy.pinned_digest = f.db_digest;
  auto age = Duration(f.max_db_age, "--max-db-age");
  if (!age) return Fail("image scan", age.error());
  db_policy.max_age_ms = *age;
  int64_t now = UnixNowMs();
  if (!f.now.empty()) {
    auto t = ParseRfc3339Ms(f.now);
    if (!t) return Fail("image scan", Error::InvalidInput("--now '" + f.now + "' is not an RFC 3339 time"));
    now = *t;
  }
  AdvisoryIndex index(std::move(db->records));
  debian::AptVersionOrder order;
  ImageScan scan = ScanImage(*sbom, index, db->digest, db_policy, vex, policy, order, now);
  report::ScanContext c{
      &scan, target, sbom_path, *sbom_text, sbom->name, sbom->version, Output().color_stdout};
  if (f.format == "json")
    report::WriteScanJson(c, std::cout);
  else if (f.format == "sarif")
    report::WriteScanSarif(c, std::cout);
  else if (!Output().quiet || !scan.passed())
    report::WriteScanText(c, std::cout);
  return scan.passed() ? kExitOk : kExitDenied;
}

}  // namespace

std::pair<CLI::App*, std::function<int()>> AddImageScan(CLI::App& image) {
  auto f = std::make_shared<ScanFlags>();
  auto* scan = image.add_subcommand(
      "scan", "Match an image's SBOM against an offline OSV database; fail on a policy subset");
  scan->add_option("target", f->target,
                   "Image directory (its SBOM is DIR.spdx.json) or an SPDX 2.3 JSON file")
      ->required();
  scan->add_option("--db", f->db, "Directory of OSV records (*.json)")->required();
  scan->add_option("--vex", f->vex, "OpenVEX document (repeatable)");
  const std::vector<std::string> levels = {"low", "medium", "high", "critical"};
  scan->add_option("--fail-on", f->fail_on, "Fail on findings at or above this severity")
      ->capture_default_str()
      ->check(CLI::IsMember(levels));
  scan->add_option("--unknown-as", f->unknown_as, "Severity of a finding without a usable CVSS vector")
      ->capture_default_str()
      ->check(CLI::IsMember(levels));
  scan->add_flag("--fixed-only", f->fixed_only, "Fail only on findings that have a fixed version");
  scan->add_option("--grace", f->grace, "Advisories published less than this ago do not fail yet (e.g. 7d)");
  scan->add_option("--db-digest", f->db_digest,
                   "The database's pinned digest (sha256:...): another one fails");
  scan->add_option("--max-db-age", f->max_db_age,
                   "Fail when the database's newest record is older (e.g. 2d)");
  scan->add_option("--now", f->now, "Judge at this time (RFC 3339) instead of now: replays and tests");
  scan->add_option("--format", f->format, "text, json or sarif")
      ->check(CLI::IsMember({"text", "json", "sarif"}));
  return {scan, [f] { return Run(*f); }};
}

}  // namespace ringfence::cli

// Renderers of an image scan (app/image_scan.h): text for people, JSON (docs/images.md), and
// SARIF 2.1.0 (as GitHub code scanning ingests it: each advisory a rule with its
// security-severity, each finding a result on the SBOM line of its package, VEX-suppressed
// findings as suppressions, findings that do not fail the policy as warnings or notes).
#pragma once

#include <ostream>
#include <string>

#include "engine/image/image_scan.h"

namespace ringfence::report {

struct ScanContext {
  const ImageScan* scan = nullptr;
  std::string target;     // what was scanned: the image directory or the SBOM
  std::string sbom_path;  // as SARIF names it (relative to the working directory)
  std::string sbom_text;  // to find each package's line
  std::string image_name, image_version;
  bool color = false;
};

void WriteScanText(const ScanContext& c, std::ostream& out);
void WriteScanJson(const ScanContext& c, std::ostream& out);
void WriteScanSarif(const ScanContext& c, std::ostream& out);

}  // namespace ringfence::report

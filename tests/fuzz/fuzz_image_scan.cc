// What the image pipeline reads from outside as an attacker may write it: OSV records, OpenVEX
// documents, SPDX SBOMs, package URLs, CVSS vectors, image policies and recipes, egress rules.
// Never crash; a refused input names its source; a purl that parses formats and parses again
// to the same package; a scan over whatever parsed decides without crashing.
#include <string>

#include "adapters/debian/apt_versions.h"
#include "engine/image/cvss.h"
#include "engine/image/egress.h"
#include "engine/image/image_policy.h"
#include "engine/image/openvex.h"
#include "engine/image/osv.h"
#include "engine/image/purl.h"
#include "engine/image/recipe.h"
#include "engine/image/sbom.h"
#include "engine/image/vulnerability_scan.h"

using namespace ringfence;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto named = [](const Error& e, const char* source) {
    if (e.message.rfind(source, 0) != 0) __builtin_trap();
  };
  auto record = ParseOsvRecord(text, "osv.json");
  if (!record) named(record.error(), "osv.json");
  auto vex = ParseOpenVex(text, "vex.json");
  if (!vex) named(vex.error(), "vex.json");
  auto sbom = ReadSpdx(text, "sbom.json");
  if (!sbom) named(sbom.error(), "sbom.json");
  if (auto p = ParseImagePolicy(text, "images.yaml"); !p) named(p.error(), "images.yaml");
  if (auto r = ParseImageRecipe(text, "image.yaml"); !r) named(r.error(), "image.yaml");
  (void)ScoreCvss(text);
  if (auto e = ParseEgress(text)) (void)Covers(*e, *e);
  if (auto d = DebianPackageFromPurl(text)) {
    auto again = DebianPackageFromPurl(DebianPurl(*d));
    if (!again || again->name != d->name || again->version != d->version || again->source != d->source ||
        again->source_version != d->source_version)
      __builtin_trap();
  }
  if (record) {
    debian::AptVersionOrder order;
    AdvisoryIndex db({*record});
    std::vector<DebianPackage> packages;
    if (sbom) packages = sbom->packages;
    for (const auto& a : record->affected) {
      for (const auto& r : a.ranges)
        for (const auto& e : r.events)
          packages.push_back({"p", e.version, "amd64", a.name, e.version, "", "debian-12", {}});
    }
    (void)ScanPackages(packages, db, order, vex ? *vex : std::vector<VexStatement>{}, ScanPolicy{}, 0);
  }
  return 0;
}

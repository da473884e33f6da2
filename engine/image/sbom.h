// The image's SBOM: SPDX 2.3 JSON (../shared/specs/spdx-2.3/spdx-schema.json). The document
// describes one package, the image (its checksum is the image digest), which CONTAINS every
// Debian package (with its purl) and every file; a package CONTAINS the files copied from it, a
// file unpacked from a package is GENERATED_FROM it, and a file of the initramfs is
// EXPANDED_FROM_ARCHIVE the initramfs. The same contents always give the same bytes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.h"
#include "engine/model/image_contents.h"

namespace ringfence {

std::string SpdxJson(const ImageContents& contents);

// What a scan and admission read of an SPDX 2.3 document, ringfence's or another tool's: the
// described package's name, version and sha256 checksum (the image digest, when ringfence wrote
// it), the creation time and every package with a pkg:deb purl. Files are counted, not kept.
struct SbomSummary {
  std::string name, version, digest;  // digest "sha256:..." or ""
  int64_t created_ms = 0;
  std::vector<DebianPackage> packages;
  std::vector<std::string> other_purls;  // packages that are not Debian packages
  size_t files = 0;
};

Result<SbomSummary> ReadSpdx(std::string_view text, const std::string& path);

}  // namespace ringfence

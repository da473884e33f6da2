// Package URLs (https://github.com/package-url/purl-spec) of Debian packages:
// pkg:deb/debian/NAME@VERSION?arch=ARCH&distro=debian-12&upstream=SOURCE[@SOURCE_VERSION]
// as ringfence writes them and as other SBOM tools (syft, trivy) do.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "engine/core/result.h"
#include "engine/model/image_contents.h"

namespace ringfence {

struct Purl {
  std::string type, ns, name, version;
  std::map<std::string, std::string> qualifiers;  // decoded, keys lowercase
};

// Percent-encodes everything but ASCII letters, digits and ".-_~".
std::string PurlEncode(std::string_view s);

std::string FormatPurl(const Purl& p);
Result<Purl> ParsePurl(std::string_view text);

std::string DebianPurl(const DebianPackage& p);
// A pkg:deb purl back to a package (source from `upstream`, else the package itself).
Result<DebianPackage> DebianPackageFromPurl(std::string_view text);

}  // namespace ringfence

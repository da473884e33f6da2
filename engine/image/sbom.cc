#include "engine/image/sbom.h"

#include <nlohmann/json.hpp>

#include "engine/core/civil_time.h"
#include "engine/image/purl.h"

namespace ringfence {
namespace {

using json = nlohmann::ordered_json;

// SPDX ids are [A-Za-z0-9.-]+.
std::string IdPart(std::string_view s) {
  std::string out;
  for (char c : s) out += std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ? c : '-';
  return out;
}

std::string PackageId(const DebianPackage& p, size_t i) {
  return "SPDXRef-Package-deb-" + IdPart(p.name) + "-" + std::to_string(i);
}

std::string FileName(const ImageFile& f) {
  return f.archive.empty() ? "./" + f.path : "./" + f.archive + "!/" + f.path;
}

json Relationship(const std::string& from, const char* type, const std::string& to) {
  return {{"spdxElementId", from}, {"relationshipType", type}, {"relatedSpdxElement", to}};
}

}  // namespace

std::string SpdxJson(const ImageContents& c) {
  const std::string image_id = "SPDXRef-Image";
  std::string hex = c.digest.rfind("sha256:", 0) == 0 ? c.digest.substr(7) : c.digest;
  json doc = {
      {"spdxVersion", "SPDX-2.3"},
      {"dataLicense", "CC0-1.0"},
      {"SPDXID", "SPDXRef-DOCUMENT"},
      {"name", c.name + "-" + c.version},
      // Unique per image and the same on every rebuild of it.
      {"documentNamespace",
       "urn:ringfence:spdx:" + PurlEncode(c.name) + ":" + PurlEncode(c.version) + ":" + hex},
      {"creationInfo",
       {{"created", FormatRfc3339Seconds(c.created_epoch)},
        {"creators", {"Tool: ringfence-" RINGFENCE_VERSION}}}},
  };
  json packages = json::array(), files = json::array(), relationships = json::array();
  relationships.push_back(Relationship("SPDXRef-DOCUMENT", "DESCRIBES", image_id));
  packages.push_back({{"SPDXID", image_id},
                      {"name", c.name},
                      {"versionInfo", c.version},
                      {"primaryPackagePurpose", "OPERATING_SYSTEM"},
                      {"downloadLocation", "NOASSERTION"},
                      {"filesAnalyzed", false},
                      {"checksums", {{{"algorithm", "SHA256"}, {"checksumValue", hex}}}},
                      {"comment", "a ringfence micro VM image; the checksum is the image digest"}});
  for (size_t i = 0; i < c.packages.size(); ++i) {
    const DebianPackage& p = c.packages[i];
    json pkg = {{"SPDXID", PackageId(p, i)},
                {"name", p.name},
                {"versionInfo", p.version},
                {"supplier", "Organization: Debian"},
                {"downloadLocation", "NOASSERTION"},
                {"filesAnalyzed", false},
                {"sourceInfo", "built package from: " + p.source + " " + p.source_version},
                {"primaryPackagePurpose", "LIBRARY"},
                {"externalRefs",
                 {{{"referenceCategory", "PACKAGE-MANAGER"},
                   {"referenceType", "purl"},
                   {"referenceLocator", DebianPurl(p)}}}}};
    if (!p.deb_sha256.empty())
      pkg["checksums"] = {{{"algorithm", "SHA256"}, {"checksumValue", p.deb_sha256}}};
    packages.push_back(std::move(pkg));
    relationships.push_back(Relationship(image_id, "CONTAINS", PackageId(p, i)));
    for (size_t j = 0; j < p.built_using.size(); ++j) {
      const auto& [name, version] = p.built_using[j];
      DebianPackage source{name, version, "source", name, version, "", p.distro, {}};
      std::string id =
          "SPDXRef-Package-src-" + IdPart(name) + "-" + std::to_string(i) + "-" + std::to_string(j);
      packages.push_back({{"SPDXID", id},
                          {"name", name},
                          {"versionInfo", version},
                          {"supplier", "Organization: Debian"},
                          {"downloadLocation", "NOASSERTION"},
                          {"filesAnalyzed", false},
                          {"primaryPackagePurpose", "SOURCE"},
                          {"comment", "compiled into " + p.name + " (Built-Using)"},
                          {"externalRefs",
                           {{{"referenceCategory", "PACKAGE-MANAGER"},
                             {"referenceType", "purl"},
                             {"referenceLocator", DebianPurl(source)}}}}});
      relationships.push_back(Relationship(PackageId(p, i), "GENERATED_FROM", id));
    }
  }
  std::vector<std::string> archive_ids;  // the file id of each archive, by path
  auto archive_id = [&](const std::string& archive) -> std::string {
    for (size_t i = 0; i < c.files.size(); ++i)
      if (c.files[i].archive.empty() && c.files[i].path == archive)
        return "SPDXRef-File-" + std::to_string(i);
    return "";
  };
  for (size_t i = 0; i < c.files.size(); ++i) {
    const ImageFile& f = c.files[i];
    std::string id = "SPDXRef-File-" + std::to_string(i);
    json checksums = json::array();
    if (!f.sha1.empty())
      checksums.push_back(json::object({{"algorithm", "SHA1"}, {"checksumValue", f.sha1}}));
    checksums.push_back(json::object({{"algorithm", "SHA256"}, {"checksumValue", f.sha256}}));
    files.push_back({{"SPDXID", id}, {"fileName", FileName(f)}, {"checksums", checksums}});
    if (f.archive.empty()) {
      relationships.push_back(Relationship(image_id, "CONTAINS", id));
    } else if (std::string a = archive_id(f.archive); !a.empty()) {
      relationships.push_back(Relationship(id, "EXPANDED_FROM_ARCHIVE", a));
    }
    if (f.package < c.packages.size()) {
      const std::string pid = PackageId(c.packages[f.package], f.package);
      relationships.push_back(f.generated ? Relationship(id, "GENERATED_FROM", pid)
                                          : Relationship(pid, "CONTAINS", id));
    }
  }
  doc["packages"] = std::move(packages);
  doc["files"] = std::move(files);
  doc["relationships"] = std::move(relationships);
  return doc.dump(2) + "\n";
}

Result<SbomSummary> ReadSpdx(std::string_view text, const std::string& path) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    return Error::InvalidInput(path + ": not JSON: " + e.what());
  }
  auto bad = [&](const std::string& why) { return Error::InvalidInput(path + ": " + why); };
  if (!doc.is_object()) return bad("an SPDX document is a JSON object");
  auto version = doc.find("spdxVersion");
  if (version == doc.end() || !version->is_string() || version->get<std::string>() != "SPDX-2.3")
    return bad("spdxVersion is not \"SPDX-2.3\"");
  SbomSummary s;
  auto info = doc.find("creationInfo");
  if (info == doc.end() || !info->is_object() || !info->contains("created") ||
      !(*info)["created"].is_string())
    return bad("creationInfo.created is missing");
  auto created = ParseRfc3339Ms((*info)["created"].get<std::string>());
  if (!created) return bad("creationInfo.created is not an RFC 3339 time");
  s.created_ms = *created;
  std::string described;
  if (auto rels = doc.find("relationships"); rels != doc.end()) {
    if (!rels->is_array()) return bad("relationships is not a list");
    for (const auto& r : *rels) {
      if (r.is_object() && r.value("spdxElementId", nlohmann::json()) == "SPDXRef-DOCUMENT" &&
          r.value("relationshipType", nlohmann::json()) == "DESCRIBES" && r.contains("relatedSpdxElement") &&
          r["relatedSpdxElement"].is_string()) {
        if (!described.empty()) return bad("the document describes more than one element");
        described = r["relatedSpdxElement"].get<std::string>();
      }
    }
  }
  auto packages = doc.find("packages");
  if (packages == doc.end() || !packages->is_array()) return bad("packages is missing");
  for (size_t i = 0; i < packages->size(); ++i) {
    const auto& p = (*packages)[i];
    std::string where = "packages[" + std::to_string(i) + "]";
    if (!p.is_object() || !p.contains("SPDXID") || !p["SPDXID"].is_string() || !p.contains("name") ||
        !p["name"].is_string())
      return bad(where + " needs SPDXID and name");
    if (p["SPDXID"].get<std::string>() == described) {
      s.name = p["name"].get<std::string>();
      if (p.contains("versionInfo") && p["versionInfo"].is_string())
        s.version = p["versionInfo"].get<std::string>();
      if (auto sums = p.find("checksums"); sums != p.end() && sums->is_array()) {
        for (const auto& c : *sums)
          if (c.is_object() && c.value("algorithm", nlohmann::json()) == "SHA256" &&
              c.contains("checksumValue") && c["checksumValue"].is_string())
            s.digest = "sha256:" + c["checksumValue"].get<std::string>();
      }
      continue;
    }
    auto refs = p.find("externalRefs");
    if (refs == p.end()) continue;
    if (!refs->is_array()) return bad(where + ".externalRefs is not a list");
    for (const auto& r : *refs) {
      if (!r.is_object() || r.value("referenceType", nlohmann::json()) != "purl" ||
          !r.contains("referenceLocator") || !r["referenceLocator"].is_string())
        continue;
      std::string purl = r["referenceLocator"].get<std::string>();
      if (purl.rfind("pkg:deb/", 0) != 0) {
        s.other_purls.push_back(purl);
        continue;
      }
      auto deb = DebianPackageFromPurl(purl);
      if (!deb) return bad(where + ": " + deb.error().message);
      if (auto sums = p.find("checksums"); sums != p.end() && sums->is_array()) {
        for (const auto& c : *sums)
          if (c.is_object() && c.value("algorithm", nlohmann::json()) == "SHA256" &&
              c.contains("checksumValue") && c["checksumValue"].is_string())
            deb->deb_sha256 = c["checksumValue"].get<std::string>();
      }
      s.packages.push_back(std::move(*deb));
    }
  }
  if (described.empty()) return bad("no SPDXRef-DOCUMENT DESCRIBES relationship names the image");
  if (s.name.empty()) return bad("the described element " + described + " is not a package of the document");
  if (auto files = doc.find("files"); files != doc.end() && files->is_array()) s.files = files->size();
  return s;
}

}  // namespace ringfence

#include "adapters/report/scan_formats.h"

#include "adapters/report/sarif_log.h"

#include <cctype>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

#include "engine/core/ansi_style.h"
#include "engine/core/civil_time.h"
#include "engine/image/purl.h"

namespace ringfence::report {
namespace {

using json = nlohmann::ordered_json;

std::string Dump(const json& j) { return j.dump(2, ' ', false, json::error_handler_t::replace); }

std::string Score(const Finding& f) {
  if (f.vector.empty()) return ToString(f.severity);
  char b[16];
  std::snprintf(b, sizeof b, "%.1f", f.score);
  return std::string(ToString(f.severity)) + " " + b;
}

std::string PackageText(const DebianPackage& p) {
  return p.name + " " + p.version +
         (p.source != p.name ? " (source " + p.source + " " + p.source_version + ")" : "");
}

// SARIF: a relative reference never starts with '/': an absolute path is a file:// URI.
std::string ArtifactUri(const std::string& path) {
  if (path.empty() || path[0] != '/') return path;
  std::string out = "file://";
  for (char c : path) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '/' || c == '.' || c == '-' || c == '_' || c == '~') {
      out += c;
    } else {
      char b[4];
      std::snprintf(b, sizeof b, "%%%02X", u);
      out += b;
    }
  }
  return out;
}

int LineOf(const std::string& text, const std::string& needle) {
  auto at = text.find(needle);
  if (needle.empty() || at == std::string::npos) return 1;
  int line = 1;
  for (size_t i = 0; i < at; ++i) line += text[i] == '\n';
  return line;
}

}  // namespace

void WriteScanText(const ScanContext& c, std::ostream& out) {
  const ImageScan& s = *c.scan;
  size_t failing = 0, suppressed = 0;
  for (const auto& f : s.result.findings) {
    failing += f.fails;
    suppressed += f.vex == VexStatus::kNotAffected || f.vex == VexStatus::kFixed;
  }
  out << (s.passed() ? Paint("PASS", Tone::kGood, c.color) : Paint("FAIL", Tone::kBad, c.color)) << "  "
      << c.target << ": " << s.result.findings.size() << " finding(s) in " << s.result.packages
      << " package(s), " << failing << " failing the policy, " << suppressed << " not affected per VEX\n";
  out << "  database " << s.database_digest << " (" << s.result.advisories << " advisories, newest "
      << FormatUtcSeconds(s.database_newest_ms) << "Z)\n";
  for (const auto& why : s.failures)
    out << "  " << Paint("fails:", Tone::kBad, c.color) << " " << why << "\n";
  for (const auto& f : s.result.findings) {
    std::string mark = f.fails ? Paint("FAIL", Tone::kBad, c.color) : f.vex ? "vex " : "ok  ";
    out << "  " << mark << " " << f.id << "  " << Score(f) << "  " << PackageText(f.package)
        << (f.fixed_version.empty() ? ", no fix yet" : ", fixed in " + f.fixed_version) << "\n";
    if (!f.summary.empty()) out << "         " << f.summary << "\n";
    if (!f.vex_note.empty()) out << "         VEX " << f.vex_note << "\n";
    out << "         " << (f.fails ? "fails: " : "does not fail: ") << f.why << "\n";
  }
}

void WriteScanJson(const ScanContext& c, std::ostream& out) {
  const ImageScan& s = *c.scan;
  json findings = json::array();
  for (const auto& f : s.result.findings) {
    json j = {{"id", f.id},
              {"aliases", f.aliases},
              {"summary", f.summary},
              {"package", f.package.name},
              {"version", f.package.version},
              {"source", f.package.source},
              {"source_version", f.package.source_version},
              {"purl", DebianPurl(f.package)},
              {"ecosystem", f.ecosystem},
              {"fixed_version", f.fixed_version.empty() ? json(nullptr) : json(f.fixed_version)},
              {"severity", ToString(f.severity)},
              {"score", f.vector.empty() ? json(nullptr) : json(f.score)},
              {"cvss", f.vector.empty() ? json(nullptr) : json(f.vector)},
              {"published", f.published_ms ? json(FormatRfc3339Ms(*f.published_ms)) : json(nullptr)},
              {"undecided", f.undecided},
              {"vex", f.vex ? json(ToString(*f.vex)) : json(nullptr)},
              {"vex_note", f.vex_note},
              {"fails", f.fails},
              {"why", f.why}};
    findings.push_back(std::move(j));
  }
  json j = {{"target", c.target},
            {"image", {{"name", c.image_name}, {"version", c.image_version}}},
            {"passed", s.passed()},
            {"failures", s.failures},
            {"database",
             {{"digest", s.database_digest},
              {"advisories", s.result.advisories},
              {"withdrawn", s.result.withdrawn},
              {"newest", FormatRfc3339Ms(s.database_newest_ms)}}},
            {"packages", s.result.packages},
            {"findings", findings}};
  out << Dump(j) << "\n";
}

void WriteScanSarif(const ScanContext& c, std::ostream& out) {
  using json = nlohmann::json;  // as the shared SARIF parts (sarif_log.h) are
  const ImageScan& s = *c.scan;
  json rules = json::array(), results = json::array();
  std::map<std::string, size_t> index;
  for (const auto& f : s.result.findings) {
    if (index.count(f.id)) continue;
    index[f.id] = rules.size();
    std::string text = f.summary.empty() ? f.id + " in " + f.package.source : f.summary;
    json rule = {
        {"id", f.id},
        {"shortDescription", {{"text", text}}},
        {"fullDescription", {{"text", text + (f.aliases.empty() ? "" : " (" + f.aliases.front() + ")")}}},
        {"helpUri", "https://osv.dev/vulnerability/" + f.id},
        {"help",
         {{"text", "See https://osv.dev/vulnerability/" + f.id},
          {"markdown", "See [" + f.id + "](https://osv.dev/vulnerability/" + f.id + ")"}}},
        {"properties", {{"tags", {"security", "vulnerability"}}}}};
    if (!f.vector.empty()) {
      char b[16];
      std::snprintf(b, sizeof b, "%.1f", f.score);
      rule["properties"]["security-severity"] = b;
    }
    rules.push_back(std::move(rule));
  }
  for (const auto& f : s.result.findings) {
    std::string purl = DebianPurl(f.package);
    std::string message = PackageText(f.package) + " is affected by " + f.id + " (" + Score(f) + ")" +
                          (f.fixed_version.empty() ? ", no fix yet" : ", fixed in " + f.fixed_version) +
                          ": " + (f.fails ? "fails the policy: " : "does not fail the policy: ") + f.why;
    json result = {
        {"ruleId", f.id},
        {"ruleIndex", index[f.id]},
        {"level", f.fails ? "error"
                  : f.vex ? "note"
                          : "warning"},
        {"message", {{"text", message}}},
        {"locations", json::array({{{"physicalLocation",
                                     {{"artifactLocation", {{"uri", ArtifactUri(c.sbom_path)}}},
                                      {"region", {{"startLine", LineOf(c.sbom_text, "\"" + purl + "\"")}}}}},
                                    {"logicalLocations", json::array({{{"name", f.package.name},
                                                                       {"fullyQualifiedName", purl},
                                                                       {"kind", "package"}}})}}})},
        {"partialFingerprints", {{"ringfence/finding/v1", f.id + "|" + f.package.name}}},
        {"properties", {{"fails", f.fails}, {"purl", purl}}}};
    if (f.vex == VexStatus::kNotAffected || f.vex == VexStatus::kFixed)
      result["suppressions"] =
          json::array({{{"kind", "external"}, {"status", "accepted"}, {"justification", f.vex_note}}});
    results.push_back(std::move(result));
  }
  json run = {{"tool", {{"driver", SarifDriver(rules)}}},
              {"invocations",
               json::array({SarifInvocation(s.failures.empty(), {{"passed", s.passed()}}, s.failures)})},
              {"results", results},
              {"properties", {{"database", s.database_digest}, {"passed", s.passed()}}}};
  out << SarifLogText(run);
}

}  // namespace ringfence::report

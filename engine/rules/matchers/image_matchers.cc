// What a change does to images (engine/rules/image_changes.h): `image_packages_added: [globs]`
// (an SBOM gains a package whose name matches; `image_packages_changed` the same for a version
// change), `image_base_changed: true` (a recipe's kernel changes), `image_egress_added: true`
// (a recipe declares more egress), `image_cve: LEVEL` (a package of an SBOM the change touches has
// a finding at or above LEVEL under the base's image policy and its database, VEX applied).
#include "engine/image/cvss.h"
#include "engine/rules/matcher_registry.h"
#include "engine/rules/matchers/matcher_util.h"

namespace ringfence {
namespace {

class ImageFactMatcher : public Matcher {
 public:
  ImageFact::Kind kind;
  std::vector<std::string> names;  // for package facts; empty: any
  int at_least = 0;                // for kCve: the lowest severity that matches (unknown counts as high)
  const char* key = "";
  MatchResult Evaluate(const ChangeFacts& facts) const override {
    MatchResult r;
    for (const auto& f : facts.image_changes) {
      if (f.kind != kind) continue;
      if (kind == ImageFact::Kind::kCve && f.severity < 0) {
        r.indeterminate = "the vulnerabilities of " + f.file + " cannot be scanned: " + f.detail;
        continue;
      }
      if (kind == ImageFact::Kind::kCve) {
        int severity = f.severity == static_cast<int>(Severity::kUnknown) ? static_cast<int>(Severity::kHigh)
                                                                          : f.severity;
        if (severity < at_least) continue;
      }
      if (!names.empty() && !matchers::NameMatches(names, f.subject)) continue;
      r.matched = true;
      r.evidence.push_back(
          {f.file, f.line, std::string(ToString(f.kind)) + ": " + f.subject + " (" + f.detail + ")"});
    }
    return r;
  }
  std::string Describe() const override {
    return std::string(key) + (names.empty() ? "" : "([" + matchers::Join(names) + "])");
  }
};

Result<std::unique_ptr<Matcher>> Packages(const YamlDoc& doc, const YAML::Node& v, ImageFact::Kind kind,
                                          const char* key) {
  auto m = std::make_unique<ImageFactMatcher>();
  m->kind = kind;
  m->key = key;
  auto list = doc.StringList(v, key);
  if (!list) return list.error();
  if (list->empty()) return doc.ErrorAt(v, std::string(key) + " needs package globs (\"*\" for any)");
  for (const auto& n : *list)
    if (n != "*") m->names.push_back(n);
  return std::unique_ptr<Matcher>(std::move(m));
}

Result<std::unique_ptr<Matcher>> Flag(const YamlDoc& doc, const YAML::Node& v, ImageFact::Kind kind,
                                      const char* key) {
  auto on = doc.Bool(v, key);
  if (!on) return on.error();
  if (!*on) return doc.ErrorAt(v, std::string(key) + " takes true (use not: for the opposite)");
  auto m = std::make_unique<ImageFactMatcher>();
  m->kind = kind;
  m->key = key;
  return std::unique_ptr<Matcher>(std::move(m));
}

}  // namespace

Result<std::unique_ptr<Matcher>> ParseImageCve(const YamlDoc& doc, const YAML::Node& v) {
  auto level = doc.String(v, "image_cve");
  if (!level) return level.error();
  auto s = ParseSeverity(*level);
  if (!s || *s == Severity::kUnknown || *s == Severity::kNone)
    return doc.ErrorAt(v, "image_cve is a severity: low, medium, high or critical, not '" + *level + "'");
  auto m = std::make_unique<ImageFactMatcher>();
  m->kind = ImageFact::Kind::kCve;
  m->at_least = static_cast<int>(*s);
  m->key = "image_cve";
  return std::unique_ptr<Matcher>(std::move(m));
}

Result<std::unique_ptr<Matcher>> ParseImagePackagesAdded(const YamlDoc& doc, const YAML::Node& v) {
  return Packages(doc, v, ImageFact::Kind::kPackageAdded, "image_packages_added");
}
Result<std::unique_ptr<Matcher>> ParseImagePackagesChanged(const YamlDoc& doc, const YAML::Node& v) {
  return Packages(doc, v, ImageFact::Kind::kPackageChanged, "image_packages_changed");
}
Result<std::unique_ptr<Matcher>> ParseImageBaseChanged(const YamlDoc& doc, const YAML::Node& v) {
  return Flag(doc, v, ImageFact::Kind::kBaseChanged, "image_base_changed");
}
Result<std::unique_ptr<Matcher>> ParseImageEgressAdded(const YamlDoc& doc, const YAML::Node& v) {
  return Flag(doc, v, ImageFact::Kind::kEgressAdded, "image_egress_added");
}

}  // namespace ringfence

#include "engine/image/image_policy.h"

#include "engine/core/yaml_doc.h"
#include "engine/image/egress.h"

namespace ringfence {
namespace {

Result<Severity> Level(const YamlDoc& doc, const YAML::Node& map, const char* key, Severity fallback) {
  if (!map[key]) return fallback;
  auto text = doc.String(map[key], key);
  if (!text) return text.error();
  auto s = ParseSeverity(*text);
  if (!s || *s == Severity::kUnknown || *s == Severity::kNone)
    return doc.ErrorAt(map[key], std::string(key) + " is low, medium, high or critical, not '" + *text + "'");
  return *s;
}

Result<ImagePolicy> Parse(std::string_view text, const std::string& path) {
  auto doc = YamlDoc::Parse(text, path);
  if (!doc) return doc.error();
  const YAML::Node& root = doc->root();
  if (auto st = doc->CheckKeys(root,
                               {"apiVersion", "kind", "signers", "threshold", "provenance", "scan", "max_age",
                                "max_session_age", "egress"},
                               "an image policy");
      !st)
    return st.error();
  if (auto st = doc->CheckHeader("ImagePolicy"); !st) return st.error();
  ImagePolicy p;
  const YAML::Node signers = root["signers"];
  if (!signers || !signers.IsSequence() || signers.size() == 0)
    return doc->ErrorAt(signers ? signers : root,
                        "an image policy needs signers: a non-empty list of {name, key}");
  for (const auto& s : signers) {
    if (auto st = doc->RequireMap(s, "a signer"); !st) return st.error();
    if (auto st = doc->CheckKeys(s, {"name", "key"}, "a signer"); !st) return st.error();
    ImagePolicy::Signer signer;
    if (auto st = doc->Optional(s, "name", signer.name); !st) return st.error();
    if (!s["key"]) return doc->ErrorAt(s, "a signer needs a key (a PEM public key's path)");
    if (auto st = doc->Optional(s, "key", signer.key); !st) return st.error();
    if (signer.key.empty()) return doc->ErrorAt(s["key"], "the key's path is empty");
    p.signers.push_back(signer);
  }
  if (root["threshold"]) {
    auto t = doc->Integer(root["threshold"], "threshold");
    if (!t) return t.error();
    if (*t < 1 || static_cast<size_t>(*t) > p.signers.size())
      return doc->ErrorAt(root["threshold"], "threshold must be between 1 and the number of signers");
    p.threshold = static_cast<size_t>(*t);
  }
  if (const YAML::Node prov = root["provenance"]) {
    if (auto st = doc->RequireMap(prov, "provenance"); !st) return st.error();
    if (auto st = doc->CheckKeys(prov, {"source_repositories", "builders"}, "provenance"); !st)
      return st.error();
    if (auto st = doc->Optional(prov, "source_repositories", p.source_repositories); !st) return st.error();
    if (auto st = doc->Optional(prov, "builders", p.builders); !st) return st.error();
  }
  const YAML::Node scan = root["scan"];
  if (!scan) return doc->ErrorAt(root, "an image policy needs scan: {database: {path, digest}, ...}");
  if (auto st = doc->RequireMap(scan, "scan"); !st) return st.error();
  if (auto st =
          doc->CheckKeys(scan, {"database", "fail_on", "unknown_as", "fixed_only", "grace", "vex"}, "scan");
      !st)
    return st.error();
  const YAML::Node db = scan["database"];
  if (!db) return doc->ErrorAt(scan, "scan needs database: {path, digest}");
  if (auto st = doc->RequireMap(db, "database"); !st) return st.error();
  if (auto st = doc->CheckKeys(db, {"path", "digest", "max_age"}, "database"); !st) return st.error();
  if (!db["path"] || !db["digest"])
    return doc->ErrorAt(
        db, "database needs a path and the digest it is pinned to (ringfence image scan prints it)");
  if (auto st = doc->Optional(db, "path", p.database_path); !st) return st.error();
  if (auto st = doc->Optional(db, "digest", p.database_digest); !st) return st.error();
  bool hex = p.database_digest.size() == 71 && p.database_digest.rfind("sha256:", 0) == 0;
  for (size_t i = 7; hex && i < p.database_digest.size(); ++i)
    hex = std::isxdigit(static_cast<unsigned char>(p.database_digest[i])) &&
          !std::isupper(p.database_digest[i]);
  if (!hex) return doc->ErrorAt(db["digest"], "digest is sha256: and 64 lowercase hex digits");
  if (auto st = doc->OptionalDurationMs(db, "max_age", p.database_max_age_ms); !st) return st.error();
  auto fail_on = Level(*doc, scan, "fail_on", Severity::kHigh);
  if (!fail_on) return fail_on.error();
  p.scan.fail_on = *fail_on;
  auto unknown_as = Level(*doc, scan, "unknown_as", Severity::kHigh);
  if (!unknown_as) return unknown_as.error();
  p.scan.unknown_as = *unknown_as;
  if (auto st = doc->Optional(scan, "fixed_only", p.scan.fixed_only); !st) return st.error();
  if (auto st = doc->OptionalDurationMs(scan, "grace", p.scan.grace_ms); !st) return st.error();
  if (auto st = doc->Optional(scan, "vex", p.vex); !st) return st.error();
  if (auto st = doc->OptionalDurationMs(root, "max_age", p.max_age_ms); !st) return st.error();
  if (auto st = doc->OptionalDurationMs(root, "max_session_age", p.max_session_age_ms); !st)
    return st.error();
  if (root["max_session_age"] && p.max_session_age_ms <= 0)
    return doc->ErrorAt(root["max_session_age"],
                        "max_session_age must be above 0 (leave it out for no limit)");
  if (auto st = doc->Optional(root, "egress", p.egress); !st) return st.error();
  for (size_t i = 0; i < p.egress.size(); ++i) {
    auto e = ParseEgress(p.egress[i]);
    if (!e) return doc->ErrorAt(root["egress"][i], e.error().message);
  }
  return p;
}

}  // namespace

Result<ImagePolicy> ParseImagePolicy(std::string_view text, const std::string& path) {
  return GuardYaml(path, [&] { return Parse(text, path); });
}

}  // namespace ringfence

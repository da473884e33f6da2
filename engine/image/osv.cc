#include "engine/image/osv.h"

#include <nlohmann/json.hpp>

#include "engine/core/civil_time.h"

namespace ringfence {
namespace {

using json = nlohmann::json;

struct Reader {
  const std::string& path;
  Error Bad(const std::string& where, const std::string& why) const {
    return Error::InvalidInput(path + ": " + where + " " + why);
  }
  Result<std::string> String(const json& o, const char* key, const std::string& where, bool required) const {
    auto it = o.find(key);
    if (it == o.end()) {
      if (required) return Bad(where + "." + key, "is missing");
      return std::string();
    }
    if (!it->is_string()) return Bad(where + "." + key, "is not a string");
    return it->get<std::string>();
  }
  Result<std::vector<std::string>> Strings(const json& o, const char* key, const std::string& where) const {
    std::vector<std::string> out;
    auto it = o.find(key);
    if (it == o.end()) return out;
    if (!it->is_array()) return Bad(where + "." + key, "is not a list");
    for (const auto& v : *it) {
      if (!v.is_string()) return Bad(where + "." + key, "holds a non-string");
      out.push_back(v.get<std::string>());
    }
    return out;
  }
  Result<std::optional<int64_t>> Time(const json& o, const char* key, const std::string& where,
                                      bool required) const {
    auto s = String(o, key, where, required);
    if (!s) return s.error();
    if (s->empty() && !required && !o.contains(key)) return std::optional<int64_t>();
    auto t = ParseRfc3339Ms(*s);
    if (!t) return Bad(where + "." + key, "is not an RFC 3339 time ('" + *s + "')");
    return std::optional<int64_t>(*t);
  }
  Result<std::vector<OsvSeverity>> Severity(const json& o, const std::string& where) const {
    std::vector<OsvSeverity> out;
    auto it = o.find("severity");
    if (it == o.end() || it->is_null()) return out;
    if (!it->is_array()) return Bad(where + ".severity", "is not a list");
    for (size_t i = 0; i < it->size(); ++i) {
      const json& s = (*it)[i];
      std::string w = where + ".severity[" + std::to_string(i) + "]";
      if (!s.is_object()) return Bad(w, "is not an object");
      auto type = String(s, "type", w, true);
      if (!type) return type.error();
      auto score = String(s, "score", w, true);
      if (!score) return score.error();
      out.push_back({*type, *score});
    }
    return out;
  }
};

Result<OsvRecord> Parse(const json& doc, const Reader& r) {
  if (!doc.is_object()) return r.Bad("the record", "is not a JSON object");
  OsvRecord rec;
  auto id = r.String(doc, "id", "", true);
  if (!id) return id.error();
  if (id->empty() || id->size() > 256) return r.Bad(".id", "is empty or too long");
  rec.id = *id;
  auto summary = r.String(doc, "summary", "", false);
  if (!summary) return summary.error();
  rec.summary = *summary;
  auto aliases = r.Strings(doc, "aliases", "");
  if (!aliases) return aliases.error();
  rec.aliases = *aliases;
  auto modified = r.Time(doc, "modified", "", true);
  if (!modified) return modified.error();
  rec.modified_ms = **modified;
  auto published = r.Time(doc, "published", "", false);
  if (!published) return published.error();
  rec.published_ms = *published;
  auto withdrawn = r.Time(doc, "withdrawn", "", false);
  if (!withdrawn) return withdrawn.error();
  rec.withdrawn_ms = *withdrawn;
  auto severity = r.Severity(doc, "");
  if (!severity) return severity.error();
  rec.severity = *severity;
  if (auto db = doc.find("database_specific"); db != doc.end() && db->is_object()) {
    if (auto s = db->find("severity"); s != db->end() && s->is_string())
      rec.database_severity = s->get<std::string>();
  }
  auto affected = doc.find("affected");
  if (affected == doc.end() || affected->is_null()) return rec;
  if (!affected->is_array()) return r.Bad(".affected", "is not a list");
  for (size_t i = 0; i < affected->size(); ++i) {
    const json& a = (*affected)[i];
    std::string w = ".affected[" + std::to_string(i) + "]";
    if (!a.is_object()) return r.Bad(w, "is not an object");
    OsvAffected out;
    if (auto pkg = a.find("package"); pkg != a.end()) {
      if (!pkg->is_object()) return r.Bad(w + ".package", "is not an object");
      auto eco = r.String(*pkg, "ecosystem", w + ".package", true);
      if (!eco) return eco.error();
      auto name = r.String(*pkg, "name", w + ".package", true);
      if (!name) return name.error();
      out.ecosystem = *eco;
      out.name = *name;
    }
    auto versions = r.Strings(a, "versions", w);
    if (!versions) return versions.error();
    out.versions = *versions;
    auto sev = r.Severity(a, w);
    if (!sev) return sev.error();
    out.severity = *sev;
    if (auto ranges = a.find("ranges"); ranges != a.end()) {
      if (!ranges->is_array()) return r.Bad(w + ".ranges", "is not a list");
      for (size_t j = 0; j < ranges->size(); ++j) {
        const json& g = (*ranges)[j];
        std::string wr = w + ".ranges[" + std::to_string(j) + "]";
        if (!g.is_object()) return r.Bad(wr, "is not an object");
        auto type = r.String(g, "type", wr, true);
        if (!type) return type.error();
        OsvRange range{*type, {}};
        auto events = g.find("events");
        if (events == g.end() || !events->is_array() || events->empty())
          return r.Bad(wr + ".events", "must be a non-empty list");
        for (size_t k = 0; k < events->size(); ++k) {
          const json& e = (*events)[k];
          std::string we = wr + ".events[" + std::to_string(k) + "]";
          if (!e.is_object() || e.size() != 1)
            return r.Bad(we, "must hold exactly one of introduced, fixed, last_affected, limit");
          static const std::pair<const char*, OsvEvent::Kind> kKinds[] = {
              {"introduced", OsvEvent::Kind::kIntroduced},
              {"fixed", OsvEvent::Kind::kFixed},
              {"last_affected", OsvEvent::Kind::kLastAffected},
              {"limit", OsvEvent::Kind::kLimit}};
          bool known = false;
          for (const auto& [key, kind] : kKinds) {
            if (!e.contains(key)) continue;
            auto v = r.String(e, key, we, true);
            if (!v) return v.error();
            if (v->empty()) return r.Bad(we + "." + key, "is empty");
            range.events.push_back({kind, *v});
            known = true;
          }
          if (!known) return r.Bad(we, "must hold exactly one of introduced, fixed, last_affected, limit");
        }
        out.ranges.push_back(std::move(range));
      }
    }
    rec.affected.push_back(std::move(out));
  }
  return rec;
}

}  // namespace

Result<OsvRecord> ParseOsvRecord(std::string_view text, const std::string& path) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::exception& e) {
    return Error::InvalidInput(path + ": not JSON: " + e.what());
  }
  return Parse(doc, Reader{path});
}

}  // namespace ringfence

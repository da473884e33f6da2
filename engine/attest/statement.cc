#include "engine/attest/statement.h"

#include <nlohmann/json.hpp>

#include "engine/core/civil_time.h"

namespace ringfence {
namespace {

using nlohmann::json;

bool IsSha256Hex(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

// Reads fields of one JSON object, remembering the first problem with the field's path.
class Fields {
 public:
  Fields(const json& j, std::string path, std::string& error) : j_(j), path_(std::move(path)), error_(error) {
    if (!j_.is_object() && error_.empty()) error_ = path_ + " is not an object";
  }
  const json* Get(const char* key, json::value_t type, bool required) const {
    if (!error_.empty() || !j_.is_object()) return nullptr;
    auto it = j_.find(key);
    if (it == j_.end()) {
      if (required) error_ = path_ + "." + key + " is missing";
      return nullptr;
    }
    bool ok = it->type() == type || (type == json::value_t::object && it->is_null() && !required);
    if (!ok) {
      error_ = path_ + "." + key + " is not " +
               (type == json::value_t::string  ? "a string"
                : type == json::value_t::array ? "an array"
                                               : "an object");
      return nullptr;
    }
    return it->is_null() ? nullptr : &*it;
  }
  std::string Str(const char* key, bool required = false) const {
    const json* v = Get(key, json::value_t::string, required);
    return v ? v->get<std::string>() : "";
  }
  std::string path(const char* key) const { return path_ + "." + key; }

 private:
  const json& j_;
  std::string path_;
  std::string& error_;
};

// A resource descriptor: its name (or uri) and its sha256 digest, which must be there.
AttestedResource Resource(const json& j, const std::string& path, const char* name_key, std::string& error) {
  Fields f(j, path, error);
  AttestedResource r{f.Str(name_key), ""};
  if (const json* digest = f.Get("digest", json::value_t::object, true)) {
    Fields d(*digest, f.path("digest"), error);
    r.sha256 = d.Str("sha256", true);
    if (error.empty() && !IsSha256Hex(r.sha256))
      error = f.path("digest") + ".sha256 is not 64 lowercase hex digits";
  }
  return r;
}

}  // namespace

std::string StatementJson(const ProvenanceStatement& s) {
  json subjects = json::array();
  for (const auto& r : s.subjects) subjects.push_back({{"name", r.name}, {"digest", {{"sha256", r.sha256}}}});
  json inputs = json::array();
  for (const auto& r : s.provenance.inputs)
    inputs.push_back({{"uri", r.name}, {"digest", {{"sha256", r.sha256}}}});
  json external = json::object();
  if (!s.provenance.source_repo.empty() || !s.provenance.source_commit.empty())
    external["source"] = {{"repository", s.provenance.source_repo}, {"commit", s.provenance.source_commit}};
  json statement = {{"_type", kInTotoStatementType},
                    {"subject", subjects},
                    {"predicateType", kSlsaProvenanceType},
                    {"predicate",
                     {{"buildDefinition",
                       {{"buildType", s.provenance.build_type},
                        {"externalParameters", external},
                        {"resolvedDependencies", inputs}}},
                      {"runDetails", {{"builder", {{"id", s.provenance.builder_id}}}}}}}};
  if (s.provenance.finished_ms)
    statement["predicate"]["runDetails"]["metadata"] = {
        {"finishedOn", FormatRfc3339Ms(*s.provenance.finished_ms)}};
  return statement.dump();
}

Result<ProvenanceStatement> ParseStatement(std::string_view text, const std::string& source) {
  json j;
  try {
    j = json::parse(text, nullptr, false);
  } catch (const json::exception&) {  // a number out of range, say
    j = json::value_t::discarded;
  }
  if (j.is_discarded()) return Error::InvalidInput(source + ": the statement is not JSON");
  std::string error;
  Fields top(j, "statement", error);
  std::string type = top.Str("_type", true);
  if (error.empty() && type != kInTotoStatementType)
    error = "statement._type is '" + type + "', not " + kInTotoStatementType;
  ProvenanceStatement out;
  if (const json* subjects = top.Get("subject", json::value_t::array, true)) {
    if (subjects->empty()) error = "statement.subject is empty";
    for (size_t i = 0; i < subjects->size() && error.empty(); ++i)
      out.subjects.push_back(
          Resource((*subjects)[i], "statement.subject[" + std::to_string(i) + "]", "name", error));
  }
  std::string predicate_type = top.Str("predicateType", true);
  if (error.empty() && predicate_type != kSlsaProvenanceType)
    error = "statement.predicateType is '" + predicate_type + "', not " + kSlsaProvenanceType;
  if (const json* predicate = top.Get("predicate", json::value_t::object, true)) {
    Fields p(*predicate, "statement.predicate", error);
    if (const json* def = p.Get("buildDefinition", json::value_t::object, true)) {
      Fields d(*def, p.path("buildDefinition"), error);
      out.provenance.build_type = d.Str("buildType", true);
      if (const json* ext = d.Get("externalParameters", json::value_t::object, false)) {
        Fields e(*ext, d.path("externalParameters"), error);
        if (const json* src = e.Get("source", json::value_t::object, false)) {
          Fields sf(*src, e.path("source"), error);
          out.provenance.source_repo = sf.Str("repository");
          out.provenance.source_commit = sf.Str("commit");
        }
      }
      if (const json* deps = d.Get("resolvedDependencies", json::value_t::array, false)) {
        for (size_t i = 0; i < deps->size() && error.empty(); ++i) {
          out.provenance.inputs.push_back(Resource(
              (*deps)[i], d.path("resolvedDependencies") + "[" + std::to_string(i) + "]", "uri", error));
        }
      }
    }
    if (const json* run = p.Get("runDetails", json::value_t::object, true)) {
      Fields r(*run, p.path("runDetails"), error);
      if (const json* builder = r.Get("builder", json::value_t::object, true)) {
        Fields b(*builder, r.path("builder"), error);
        out.provenance.builder_id = b.Str("id", true);
      }
      if (const json* meta = r.Get("metadata", json::value_t::object, false)) {
        Fields m(*meta, r.path("metadata"), error);
        std::string finished = m.Str("finishedOn");
        if (!finished.empty()) {
          out.provenance.finished_ms = ParseRfc3339Ms(finished);
          if (!out.provenance.finished_ms && error.empty())
            error = m.path("finishedOn") + " is not an RFC 3339 time";
        }
      }
    }
  }
  if (!error.empty()) return Error::InvalidInput(source + ": " + error);
  return out;
}

}  // namespace ringfence

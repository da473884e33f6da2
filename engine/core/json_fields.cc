#include "engine/core/json_fields.h"

namespace ringfence {
namespace {

Error Bad(const std::string& what, const char* key, const char* expected) {
  return Error::Io(what + ": '" + key + "' is missing or not " + expected);
}

}  // namespace

Result<std::string> JsonString(const nlohmann::json& j, const char* key, const std::string& what) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return Bad(what, key, "text");
  return it->get<std::string>();
}

Result<int64_t> JsonInt(const nlohmann::json& j, const char* key, const std::string& what) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number_integer()) return Bad(what, key, "an integer");
  return it->get<int64_t>();
}

Result<bool> JsonBool(const nlohmann::json& j, const char* key, const std::string& what) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_boolean()) return Bad(what, key, "true or false");
  return it->get<bool>();
}

Result<std::vector<std::string>> JsonStrings(const nlohmann::json& j, const char* key,
                                             const std::string& what) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return Bad(what, key, "a list of text");
  std::vector<std::string> out;
  for (const auto& v : *it) {
    if (!v.is_string()) return Bad(what, key, "a list of text");
    out.push_back(v.get<std::string>());
  }
  return out;
}

Result<std::vector<int64_t>> JsonInts(const nlohmann::json& j, const char* key, const std::string& what) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return Bad(what, key, "a list of integers");
  std::vector<int64_t> out;
  for (const auto& v : *it) {
    if (!v.is_number_integer()) return Bad(what, key, "a list of integers");
    out.push_back(v.get<int64_t>());
  }
  return out;
}

}  // namespace ringfence

// The typed fields of a JSON object that another process wrote (a journal record's evidence),
// read strictly: a field missing or of another type is kIo naming `what` (e.g. "guard journal
// record 7") and the key.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/core/result.h"

namespace ringfence {

Result<std::string> JsonString(const nlohmann::json& object, const char* key, const std::string& what);
Result<int64_t> JsonInt(const nlohmann::json& object, const char* key, const std::string& what);
Result<bool> JsonBool(const nlohmann::json& object, const char* key, const std::string& what);
Result<std::vector<std::string>> JsonStrings(const nlohmann::json& object, const char* key,
                                             const std::string& what);
Result<std::vector<int64_t>> JsonInts(const nlohmann::json& object, const char* key, const std::string& what);

}  // namespace ringfence

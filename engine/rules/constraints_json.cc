#include "engine/rules/constraints_json.h"

namespace ringfence {

using nlohmann::json;

json ConstraintsJson(const RolloutConstraints& c) {
  json j = json::object();
  if (c.max_canary_weight) j["max_canary_weight"] = *c.max_canary_weight;
  if (c.min_bake_seconds) j["min_bake_seconds"] = *c.min_bake_seconds;
  if (!c.stages.empty()) j["stages"] = c.stages;
  j["human_promotion"] = c.human_promotion;
  return j;
}

Result<RolloutConstraints> ConstraintsFromVerdict(const std::string& text, const std::string& path) {
  json doc = json::parse(text, nullptr, false);
  if (!doc.is_object())
    return Error::InvalidInput(path + ": not a JSON verdict (ringfence check --format json)");
  auto it = doc.find("rollout_constraints");
  if (it == doc.end()) return RolloutConstraints{};
  return ConstraintsFromJson(*it, path + ": rollout_constraints");
}

Result<RolloutConstraints> ConstraintsFromJson(const json& j, const std::string& where) {
  RolloutConstraints c;
  auto bad = [&](const char* what) { return Error::InvalidInput(where + "." + what + " is malformed"); };
  if (!j.is_object()) return bad("(the object)");
  if (j.contains("max_canary_weight")) {
    if (!j["max_canary_weight"].is_number() || j["max_canary_weight"] <= 0 || j["max_canary_weight"] > 100) {
      return bad("max_canary_weight");
    }
    c.max_canary_weight = j["max_canary_weight"].get<double>();
  }
  if (j.contains("min_bake_seconds")) {
    if (!j["min_bake_seconds"].is_number_integer() || j["min_bake_seconds"] < 0)
      return bad("min_bake_seconds");
    c.min_bake_seconds = j["min_bake_seconds"].get<int>();
  }
  if (j.contains("stages")) {
    if (!j["stages"].is_array()) return bad("stages");
    for (const auto& s : j["stages"]) {
      if (!s.is_number() || s <= 0 || s > 100) return bad("stages");
      c.stages.push_back(s.get<double>());
    }
  }
  if (j.contains("human_promotion")) {
    if (!j["human_promotion"].is_boolean()) return bad("human_promotion");
    c.human_promotion = j["human_promotion"].get<bool>();
  }
  return c;
}

}  // namespace ringfence

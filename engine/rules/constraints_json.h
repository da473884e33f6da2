// The gate's rollout constraints as JSON: written in `ringfence check --format json` under
// "rollout_constraints", read back by `ringfence rollout start --verdict FILE`, and kept in a
// rollout's start record.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "engine/core/result.h"
#include "engine/rules/rule.h"

namespace ringfence {

nlohmann::json ConstraintsJson(const RolloutConstraints& c);
// From the JSON ConstraintsJson writes; kInvalidInput naming `what`.
Result<RolloutConstraints> ConstraintsFromJson(const nlohmann::json& j, const std::string& what);
// From a whole verdict document (its "rollout_constraints"); kInvalidInput naming `path`.
Result<RolloutConstraints> ConstraintsFromVerdict(const std::string& text, const std::string& path);

}  // namespace ringfence

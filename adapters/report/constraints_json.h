// The gate's rollout constraints as JSON: written in `ringfence check --format json` under
// "rollout_constraints", read back by `ringfence rollout start --verdict FILE`.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "engine/core/result.h"
#include "engine/rules/rule.h"

namespace ringfence::report {

nlohmann::json ConstraintsJson(const RolloutConstraints& c);
// From a whole verdict document (its "rollout_constraints"); kInvalidInput naming `path`.
Result<RolloutConstraints> ConstraintsFromVerdict(const std::string& text, const std::string& path);

}  // namespace ringfence::report

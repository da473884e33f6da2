// Terraform plans as actions: the JSON of `terraform show -json PLANFILE` (format_version 1.x),
// one action per resource change that is not a no-op or a read (create, update, delete, replace,
// forget), with the invariant a DNS plan keeps checked across the whole plan: no record set that
// had records is left with none. A plan that errored or is incomplete (deferred changes) adds an
// opaque action: what it would do is not all in it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.h"
#include "engine/guard/action.h"

namespace ringfence {

inline constexpr size_t kMaxPlanBytes = 256u << 20;

// kInvalidInput (naming `path`) for text that is not a plan in the documented format.
Result<std::vector<Action>> ActionsOfTerraformPlan(std::string_view json_text, const std::string& path,
                                                   const Place& place);

}  // namespace ringfence

// Terraform plans as actions: the JSON of `terraform show -json PLANFILE` (format_version 1.x),
// one action per resource change that is not a no-op or a read (create, update, delete, replace,
// forget), with the invariant a DNS plan keeps checked across the whole plan: no record set that
// had records is left with none. A plan that errored or is incomplete (deferred changes) adds an
// opaque action: what it would do is not all in it.
//
// With the state as it is now (`terraform show -json` without a plan file), a plan made against an
// older state is stale: every action of it breaks kStalePlan, naming the resources that changed
// since (the plan's prior state, taken back to what was stored where the plan's refresh found
// drift, against the stored state now; data sources are read anew by every plan and not compared).
// A plan's `timestamp` (Terraform 1.5 and later) gives its actions' plan_age_ms.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.h"
#include "engine/guard/action.h"

namespace ringfence {

inline constexpr size_t kMaxPlanBytes = 256u << 20;

struct TerraformPlanContext {
  TerraformPlanContext() = default;
  TerraformPlanContext(Place where) : place(std::move(where)) {}  // NOLINT: a plan read where it applies
  Place place;                                                    // where the plan applies
  std::optional<std::string> state;  // `terraform show -json` of the state now (its text)
  std::string state_path;            // for evidence and errors
  int64_t now_unix_ms = 0;           // for the plan's age (0: not measured)
};

// kInvalidInput (naming `path`, or the state's path) for text that is not a plan, or a state, in
// the documented format.
Result<std::vector<Action>> ActionsOfTerraformPlan(std::string_view json_text, const std::string& path,
                                                   const TerraformPlanContext& context);

}  // namespace ringfence

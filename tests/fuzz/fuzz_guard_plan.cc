// Terraform plans (`terraform show -json`) and agents' hook input: any input gives actions, a
// request, or a clear error; every plan action names a resource, and a hook request to judge
// carries its command.
#include <string>

#include "adapters/hooks/agent_hook.h"
#include "engine/guard/terraform_plan.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  using namespace ringfence;
  auto plan = ActionsOfTerraformPlan(text, "plan.json", {PlaceKind::kCloudProfile, "prod"});
  if (plan) {
    for (const auto& a : *plan) {
      if (a.verb.empty() || (a.targets.empty() && !a.opaque)) __builtin_trap();
    }
  } else if (plan.error().message.rfind("plan.json", 0) != 0) {
    __builtin_trap();
  }
  for (auto agent : {hooks::HookAgent::kClaudeCode, hooks::HookAgent::kCursor}) {
    auto r = hooks::ParseHookInput(agent, text);
    if (r && r->shell && r->tool.empty()) __builtin_trap();
  }
  return 0;
}

// Terraform plans (`terraform show -json`), Kubernetes manifests and agents' hook input: any input
// gives actions, a request, or a clear error naming the file; every plan or manifest action names
// a resource, and a hook request to judge carries its command.
#include <string>

#include "adapters/hooks/agent_hook.h"
#include "engine/guard/kubernetes_manifests.h"
#include "engine/guard/staged_action.h"
#include "engine/guard/terraform_plan.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  using namespace ringfence;
  auto plan = ActionsOfTerraformPlan(text, "plan.json", Place{PlaceKind::kCloudProfile, "prod"});
  if (plan) {
    for (const auto& a : *plan) {
      if (a.verb.empty() || (a.targets.empty() && !a.opaque)) __builtin_trap();
    }
  } else if (plan.error().message.rfind("plan.json", 0) != 0) {
    __builtin_trap();
  }
  // The input as the plan (its age measured) and as the state now, against a small plan: actions
  // or an error naming the file that is wrong; an age is never negative.
  TerraformPlanContext dated(Place{PlaceKind::kCloudProfile, "prod"});
  dated.now_unix_ms = 1'800'000'000'000;
  if (auto p = ActionsOfTerraformPlan(text, "plan.json", dated)) {
    for (const auto& a : *p) {
      if (a.plan_age_ms && *a.plan_age_ms < 0) __builtin_trap();
    }
  }
  static const char* kSmallPlan =
      R"({"format_version":"1.2","timestamp":"2026-01-01T00:00:00Z","resource_changes":[{"address":"a.b",)"
      R"("change":{"actions":["delete"],"before":{"x":1},"after":null}}],"prior_state":{"format_version":)"
      R"("1.0","values":{"root_module":{"resources":[{"address":"a.b","mode":"managed","values":{"x":1}}]}}}})";
  TerraformPlanContext against;
  against.state = text;
  against.state_path = "state.json";
  auto small = ActionsOfTerraformPlan(kSmallPlan, "plan.json", against);
  if (!small && small.error().message.rfind("state.json", 0) != 0) __builtin_trap();
  if (small && small->size() != 1) __builtin_trap();
  for (auto verb : {ManifestVerb::kApply, ManifestVerb::kDelete}) {
    auto manifests =
        ActionsOfKubernetesManifests(text, "m.yaml", {PlaceKind::kKubeContext, "prod"}, verb, "");
    if (manifests) {
      if (manifests->empty()) __builtin_trap();
      for (const auto& a : *manifests) {
        if (a.verb.empty() || a.targets.size() != 1 || a.targets[0].find('/') == std::string::npos)
          __builtin_trap();
        if (verb == ManifestVerb::kDelete && !a.removes) __builtin_trap();
      }
    } else if (manifests.error().message.rfind("m.yaml", 0) != 0) {
      __builtin_trap();
    }
  }
  auto staged = ParseStagedAction(text, "staged.yaml");
  if (staged) {
    if (staged->targets.empty() || staged->waves.empty() || staged->waves.back() != staged->targets.size())
      __builtin_trap();
    for (size_t i = 1; i < staged->waves.size(); ++i) {
      if (staged->waves[i] <= staged->waves[i - 1]) __builtin_trap();
    }
    for (const auto& t : staged->targets) {
      if (Expand(staged->command, t).size() != staged->command.size()) __builtin_trap();
    }
  } else if (staged.error().message.rfind("staged.yaml", 0) != 0) {
    __builtin_trap();
  }
  for (auto agent : {hooks::HookAgent::kClaudeCode, hooks::HookAgent::kCursor}) {
    auto r = hooks::ParseHookInput(agent, text);
    if (r && r->shell && r->tool.empty()) __builtin_trap();
  }
  return 0;
}

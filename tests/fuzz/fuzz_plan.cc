// Rollout plans (with the backends' section parsers) and image manifests: any input gives a value
// or a positioned error; a parsed
// plan takes constraints and keeps its steps increasing.
#include <string>

#include "adapters/backends/backend_registry.h"
#include "engine/rollout/image_manifest.h"
#include "engine/rollout/plan.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto image = ringfence::ParseImageManifest(text, "manifest.yaml");
  if (image && image->entrypoint.empty()) __builtin_trap();
  auto plan =
      ringfence::backends::ParsePlanWithBackends(text, "plan.yaml");  // every backend's section parser too
  if (!plan) {
    if (plan.error().message.rfind("plan.yaml", 0) != 0) __builtin_trap();
    return 0;
  }
  ringfence::RolloutConstraints c;
  c.max_canary_weight = 5;
  c.stages = {1, 5, 50, 100};
  ringfence::ApplyConstraints(*plan, c);
  double last = 0;
  for (const auto& s : plan->steps) {
    if (s.weight <= last) __builtin_trap();  // steps stay strictly increasing
    last = s.weight;
  }
  return 0;
}

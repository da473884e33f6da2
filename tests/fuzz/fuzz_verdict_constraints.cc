// The gate's verdict JSON handed to `rollout start --verdict`: never crash; errors name the file.
#include <string>

#include "engine/rules/constraints_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto r =
      ringfence::ConstraintsFromVerdict(std::string(reinterpret_cast<const char*>(data), size), "v.json");
  if (!r && r.error().message.rfind("v.json:", 0) != 0) __builtin_trap();
  if (r && r->max_canary_weight && (*r->max_canary_weight <= 0 || *r->max_canary_weight > 100))
    __builtin_trap();
  return 0;
}

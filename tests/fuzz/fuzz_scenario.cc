// Replay scenario files: any input gives a scenario or a positioned error, never a crash.
#include <string>

#include "simulations/sim/scenario.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto s = ringfence::sim::ParseScenario(text, "s.yaml");
  if (!s && s.error().message.rfind("s.yaml", 0) != 0) __builtin_trap();
  if (s && (s->fault.cohort <= 0 || s->fault.cohort > 1 || s->fleet.duration_ms < 60000)) __builtin_trap();
  return 0;
}

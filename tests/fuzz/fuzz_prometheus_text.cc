// /metrics replies from sessions and exporters: never crash, errors name the line.
#include <string_view>

#include "engine/rollout/prometheus_text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto r = ringfence::ParsePrometheusText(std::string_view(reinterpret_cast<const char*>(data), size), "m");
  if (r)
    (void)ringfence::SumSamples(*r, "workload_requests_total", {{"code", "500"}});
  else if (r.error().message.rfind("m:", 0) != 0)
    __builtin_trap();
  return 0;
}

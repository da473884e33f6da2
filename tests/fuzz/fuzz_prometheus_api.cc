// Replies of a Prometheus server's HTTP API: never crash; errors name what was asked.
#include <string_view>

#include "engine/rollout/prometheus_api.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto r =
      ringfence::ParsePrometheusApiReply(std::string_view(reinterpret_cast<const char*>(data), size), "q");
  if (!r && r.error().message.rfind("q:", 0) != 0) __builtin_trap();
  return 0;
}

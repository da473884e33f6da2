#include "adapters/metrics/prometheus_targets.h"

#include <nlohmann/json.hpp>

#include "adapters/common/files.h"

namespace ringfence::metrics {

Status WritePrometheusTargets(const std::string& path, const std::string& service,
                              const std::vector<SessionInfo>& sessions) {
  nlohmann::json groups = nlohmann::json::array();
  for (const auto& s : sessions) {
    const std::string scheme = "http://";
    if (s.state != SessionState::kRunning || s.endpoint.rfind(scheme, 0) != 0) continue;
    groups.push_back({{"targets", {s.endpoint.substr(scheme.size())}},
                      {"labels", {{"service", service}, {"version", s.version}, {"session", s.id}}}});
  }
  return WriteAtomically(path, groups.dump(1) + "\n");
}

}  // namespace ringfence::metrics

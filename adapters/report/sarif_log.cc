#include "adapters/report/sarif_log.h"

namespace ringfence::report {

using nlohmann::json;

json SarifDriver(json rules) {
  return {{"name", "ringfence"},
          {"version", RINGFENCE_VERSION},
          {"semanticVersion", RINGFENCE_VERSION},
          {"informationUri", RINGFENCE_HOMEPAGE},
          {"rules", std::move(rules)}};
}

json SarifInvocation(bool successful, json properties, const std::vector<std::string>& errors) {
  json invocation = {{"executionSuccessful", successful}, {"properties", std::move(properties)}};
  json notifications = json::array();
  for (const auto& why : errors) notifications.push_back({{"level", "error"}, {"message", {{"text", why}}}});
  if (!notifications.empty()) invocation["toolExecutionNotifications"] = notifications;
  return invocation;
}

std::string SarifLogText(json run) {
  json log = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
              {"version", "2.1.0"},
              {"runs", json::array({std::move(run)})}};
  return log.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace ringfence::report

// What every SARIF 2.1.0 log ringfence writes shares: the tool's driver, the invocation with its
// error notifications, and the log around one run (serialized with invalid UTF-8 replaced).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ringfence::report {

nlohmann::json SarifDriver(nlohmann::json rules);
// `errors` become toolExecutionNotifications of level error.
nlohmann::json SarifInvocation(bool successful, nlohmann::json properties,
                               const std::vector<std::string>& errors);
std::string SarifLogText(nlohmann::json run);

}  // namespace ringfence::report

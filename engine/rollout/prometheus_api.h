// Replies of Prometheus's HTTP API (/api/v1/query and /api/v1/query_range), as JSON:
//   {"status":"success","data":{"resultType":"matrix","result":[{"metric":{..},"values":[[t,"v"],..]}]}}
// Vectors ("value": [t, "v"]) and scalars are read too. NaN samples are dropped; "+Inf"/"-Inf" kept.
// An error reply ({"status":"error","errorType":..,"error":..}) is kInvalidInput with its message.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/core/result.h"

namespace ringfence {

struct PromSeries {
  std::map<std::string, std::string> labels;
  std::vector<std::pair<double, double>> points;  // (unix seconds, value)
};

Result<std::vector<PromSeries>> ParsePrometheusApiReply(std::string_view body, const std::string& what);

}  // namespace ringfence

// The Prometheus text exposition format (version 0.0.4), as sessions serve it on /metrics:
//   # TYPE name counter
//   name{label="value",...} 12.5 [timestamp]
// Parsed strictly enough to trust the numbers, leniently enough to skip what it does not need
// (comments, HELP, unknown types). Untrusted input: every line is bounded and checked.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.h"

namespace ringfence {

struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

// Errors name the line: "<source>:N: ...".
Result<std::vector<Sample>> ParsePrometheusText(std::string_view text, const std::string& source);

// Sum of the samples named `name` whose labels include all of `match`.
double SumSamples(const std::vector<Sample>& samples, std::string_view name,
                  const std::map<std::string, std::string>& match = {});

}  // namespace ringfence

#include "engine/rollout/prometheus_api.h"

#include <cmath>
#include <nlohmann/json.hpp>

namespace ringfence {
namespace {

using nlohmann::json;

// A [time, "value"] pair; false when malformed.
bool Point(const json& p, std::pair<double, double>& out) {
  if (!p.is_array() || p.size() != 2 || !p[0].is_number() || !p[1].is_string()) return false;
  const std::string& s = p[1].get_ref<const std::string&>();
  double v;
  if (s == "+Inf")
    v = HUGE_VAL;
  else if (s == "-Inf")
    v = -HUGE_VAL;
  else {
    try {
      size_t used = 0;
      v = std::stod(s, &used);
      if (used != s.size()) return false;
    } catch (const std::exception&) {
      return false;
    }
  }
  out = {p[0].get<double>(), v};
  return true;
}

}  // namespace

Result<std::vector<PromSeries>> ParsePrometheusApiReply(std::string_view body, const std::string& what) {
  json j = json::parse(body, nullptr, false);
  if (!j.is_object()) return Error::InvalidInput(what + ": the reply is not a JSON object");
  auto status = j.find("status");
  if (status == j.end() || !status->is_string())
    return Error::InvalidInput(what + ": the reply has no status");
  if (*status != "success") {
    std::string type =
        j.contains("errorType") && j["errorType"].is_string() ? j["errorType"].get<std::string>() : "?";
    std::string msg =
        j.contains("error") && j["error"].is_string() ? j["error"].get<std::string>() : "no message";
    return Error::InvalidInput(what + ": prometheus error (" + type + "): " + msg);
  }
  auto data = j.find("data");
  if (data == j.end() || !data->is_object() || !data->contains("resultType") ||
      !(*data)["resultType"].is_string() || !data->contains("result")) {
    return Error::InvalidInput(what + ": the reply has no data.resultType and data.result");
  }
  const std::string type = (*data)["resultType"].get<std::string>();
  const json& result = (*data)["result"];
  std::vector<PromSeries> out;
  auto add_point = [&](PromSeries& s, const json& p) -> bool {
    std::pair<double, double> pt;
    if (!Point(p, pt)) return false;
    if (!std::isnan(pt.second)) s.points.push_back(pt);
    return true;
  };
  if (type == "scalar") {
    PromSeries s;
    if (!add_point(s, result)) return Error::InvalidInput(what + ": a malformed scalar");
    out.push_back(std::move(s));
    return out;
  }
  if ((type != "matrix" && type != "vector") || !result.is_array()) {
    return Error::InvalidInput(what + ": unsupported result type '" + type + "'");
  }
  for (const auto& r : result) {
    if (!r.is_object()) return Error::InvalidInput(what + ": a result entry is not an object");
    PromSeries s;
    if (auto m = r.find("metric"); m != r.end() && m->is_object()) {
      for (const auto& [k, v] : m->items()) {
        if (v.is_string()) s.labels[k] = v.get<std::string>();
      }
    }
    if (type == "matrix") {
      auto values = r.find("values");
      if (values == r.end() || !values->is_array())
        return Error::InvalidInput(what + ": a series without values");
      for (const auto& p : *values) {
        if (!add_point(s, p)) return Error::InvalidInput(what + ": a malformed [time, value] pair");
      }
    } else {
      auto value = r.find("value");
      if (value == r.end() || !add_point(s, *value))
        return Error::InvalidInput(what + ": a malformed sample");
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace ringfence

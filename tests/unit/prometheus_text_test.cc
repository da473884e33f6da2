#include <catch2/catch.hpp>

#include "engine/rollout/prometheus_text.h"

using namespace ringfence;

TEST_CASE("prometheus text: counters, labels with escapes, special values, comments") {
  auto s = ParsePrometheusText(
      "# HELP workload_requests_total requests\n"
      "# TYPE workload_requests_total counter\n"
      "workload_requests_total{code=\"200\"} 41\n"
      "workload_requests_total{code=\"500\",path=\"/a\\\"b\"} 3 1700000000000\n"
      "workload_request_duration_seconds_bucket{le=\"+Inf\"} 44\n"
      "up 1\n"
      "temp NaN\n",
      "s1/metrics");
  REQUIRE(s.ok());
  REQUIRE(s->size() == 5);
  CHECK(s->at(1).labels.at("path") == "/a\"b");
  CHECK(SumSamples(*s, "workload_requests_total") == 44);
  CHECK(SumSamples(*s, "workload_requests_total", {{"code", "500"}}) == 3);
  CHECK(SumSamples(*s, "temp") == 0);  // NaN does not count
  CHECK(SumSamples(*s, "missing") == 0);
}

TEST_CASE("prometheus text: malformed lines are errors at their line") {
  auto bad = ParsePrometheusText("ok 1\nbroken{code=\"200\" 5\n", "s2/metrics");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message == "s2/metrics:2: malformed labels");
  CHECK(ParsePrometheusText("x 1\ny twelve\n", "m").error().message == "m:2: bad value 'twelve'");
  CHECK(ParsePrometheusText("{a=\"1\"} 3\n", "m").error().message == "m:1: expected a metric name");
}

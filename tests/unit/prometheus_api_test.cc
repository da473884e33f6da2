#include <catch2/catch.hpp>
#include <cmath>

#include "engine/rollout/prometheus_api.h"

using namespace ringfence;

TEST_CASE("prometheus api: matrix, vector and scalar replies, NaN points dropped, infinities kept") {
  auto m = ParsePrometheusApiReply(
      R"({"status":"success","data":{"resultType":"matrix","result":[
          {"metric":{"version":"2.0"},"values":[[1700000000,"0.5"],[1700000001,"NaN"],[1700000002,"+Inf"]]},
          {"metric":{"version":"1.0"},"values":[[1700000000.5,"1e-3"]]}]}})",
      "q");
  REQUIRE(m.ok());
  REQUIRE(m->size() == 2);
  CHECK((*m)[0].labels.at("version") == "2.0");
  REQUIRE((*m)[0].points.size() == 2);
  CHECK((*m)[0].points[0].second == 0.5);
  CHECK(std::isinf((*m)[0].points[1].second));
  CHECK((*m)[1].points[0] == std::pair<double, double>{1700000000.5, 0.001});

  auto v = ParsePrometheusApiReply(
      R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"42"]}]}})",
      "q");
  REQUIRE(v.ok());
  CHECK((*v)[0].points[0].second == 42);
  auto s =
      ParsePrometheusApiReply(R"({"status":"success","data":{"resultType":"scalar","result":[1,"7"]}})", "q");
  REQUIRE(s.ok());
  CHECK((*s)[0].points[0].second == 7);
}

TEST_CASE("prometheus api: error replies and malformed ones are errors naming the query") {
  auto e = ParsePrometheusApiReply(R"({"status":"error","errorType":"bad_data","error":"parse error"})",
                                   "query 'x'");
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().message == "query 'x': prometheus error (bad_data): parse error");
  for (const char* bad :
       {"", "[]", R"({"status":"success"})",
        R"({"status":"success","data":{"resultType":"string","result":[1,"a"]}})",
        R"({"status":"success","data":{"resultType":"vector","result":[{"value":[1,"abc"]}]}})",
        R"({"status":"success","data":{"resultType":"matrix","result":[{"values":[[1]]}]}})"}) {
    INFO(bad);
    auto r = ParsePrometheusApiReply(bad, "q");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.rfind("q: ", 0) == 0);
  }
}

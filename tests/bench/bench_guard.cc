// The guard's own cost per decision, in process (no process start, no file reads): the shipped
// packs loaded once, then a shell line read, placed and judged, and a 1,000-resource Terraform
// plan (half deleted, a quarter replaced) read, placed and judged; medians of repeated runs.
// Usage: bench_guard [RUNS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "app/guard.h"
#include "engine/guard/terraform_plan.h"

using namespace ringfence;
using Clock = std::chrono::steady_clock;

namespace {

const char* kEnvironments = R"(apiVersion: ringfence/v1
kind: Environments
default: development
environments:
  production: {tier: 0, hosts: ["*.prod.shop.example"], kube_contexts: ["prod-*"], cloud_profiles: [prod]}
  development: {tier: 5}
fleets:
  web: {environment: production, size: 1200, floor: 300, members: ["aws_instance.web*", "pod/web-*"]}
protected: ["aws_db_instance.*"]
)";

std::string Plan() {
  std::string p = R"({"format_version": "1.2", "resource_changes": [)";
  const char* actions[] = {R"(["delete"])", R"(["delete", "create"])", R"(["update"])", R"(["no-op"])"};
  for (int i = 0; i < 1000; ++i) {
    p += std::string(i ? "," : "") + R"({"address": "aws_instance.web[)" + std::to_string(i) +
         R"(]", "mode": "managed", "type": "aws_instance", "change": {"actions": )" + actions[i % 4] +
         R"(, "before": {"instance_type": "m5.large"}, "after": {"instance_type": "m5.xlarge"}}})";
  }
  return p + "]}";
}

template <class F>
double MedianUs(int runs, F&& f) {
  std::vector<double> t;
  for (int i = 0; i < runs; ++i) {
    auto s = Clock::now();
    f();
    t.push_back(std::chrono::duration<double, std::micro>(Clock::now() - s).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int runs = argc > 1 ? std::atoi(argv[1]) : 200;
  auto rules = LoadRules(app::ShippedGuardRules());
  auto envs = ParseEnvironments(kEnvironments, "environments.yaml");
  if (!rules || !envs) {
    std::fprintf(stderr, "cannot load the packs or the environments\n");
    return 1;
  }
  double load = MedianUs(runs, [] { (void)LoadRules(app::ShippedGuardRules()); });
  const std::string line =
      "ssh db1.prod.shop.example 'sudo -u postgres psql -c \"DELETE FROM sessions WHERE expires < now()\"' "
      "&& "
      "kubectl --context prod-eu delete pod web-1 web-2";
  CommandDefaults d;
  d.cwd = "/home/dev/repo";
  Decision last = Decision::kAllow;
  double command = MedianUs(runs, [&] {
    ChangeFacts f;
    f.actions = ActionsOfCommandLine(line, d);
    ClassifyActions(*envs, f.actions);
    last = Evaluate(*rules, {}, f, {}).decision;
  });
  const std::string plan = Plan();
  size_t judged = 0;
  double plan_us = MedianUs(std::max(5, runs / 10), [&] {
    ChangeFacts f;
    f.actions = *ActionsOfTerraformPlan(plan, "plan.json", Place{PlaceKind::kCloudProfile, "prod"});
    ClassifyActions(*envs, f.actions);
    judged = f.actions.size();
    (void)Evaluate(*rules, {}, f, {});
  });
  std::printf("loading the shipped packs: %.0f us (median of %d)\n", load, runs);
  std::printf("a shell line of 3 actions, read, placed and judged: %.0f us (decision %s)\n", command,
              ToString(last));
  std::printf("a 1000-resource plan (%zu changes), read, placed and judged: %.2f ms\n", judged,
              plan_us / 1000);
  return 0;
}

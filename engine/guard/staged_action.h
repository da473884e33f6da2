// A staged action (`ringfence guard run STAGED.yaml`, kind StagedAction): one command run over a
// list of targets in waves, with a bake and a health check of each target of a wave before the
// next wave starts.
//
//   apiVersion: ringfence/v1
//   kind: StagedAction
//   name: restart-web                 # the run's name in the guard journal
//   command: [systemctl, restart, "web@{id}"]   # argv per target; {var} from the target
//   targets:                          # strings ({id}), or maps of variables with an `id`
//     - {id: web-1, host: web-1.prod.example.com}
//     - web-2
//   waves: [1, 25%, 100%]             # cumulative: targets done after each wave (count or percent)
//   bake: 30s                         # wait after a wave's commands, before its checks
//   check:                            # every target of a wave, after the bake
//     http: "http://{host}:8080/healthz"     # healthy: a 2xx status; or
//     # command: [test, -e, "/srv/{id}/ok"]  # healthy: exit 0
//     timeout: 5s
//     failures_allowed: 0             # unhealthy targets a wave may have
//
// Every `{name}` in the command or the check must be a variable of every target; a wave list must
// grow and end at every target.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.h"

namespace ringfence {

struct StagedTarget {
  std::string id;
  std::map<std::string, std::string> vars;  // "id" included
};

enum class HealthCheckKind { kNone, kHttp, kCommand };

struct HealthCheck {
  HealthCheckKind kind = HealthCheckKind::kNone;
  std::string url;                   // kHttp, a template
  std::vector<std::string> command;  // kCommand, templates
  int64_t timeout_ms = 5000;
  int failures_allowed = 0;
};

struct StagedAction {
  std::string path, name;
  std::vector<std::string> command;  // templates
  std::vector<StagedTarget> targets;
  std::vector<size_t> waves;  // cumulative target counts, strictly increasing, the last = targets.size()
  int64_t bake_ms = 0;
  HealthCheck check;
};

inline constexpr size_t kMaxStagedTargets = 100000;

// kInvalidInput at path:line:col for anything malformed.
Result<StagedAction> ParseStagedAction(std::string_view yaml_text, const std::string& path);

// A template with every {name} replaced by the target's variable (ParseStagedAction has checked
// they exist); "{{" is a literal "{".
std::string Expand(const std::string& text, const StagedTarget& target);
std::vector<std::string> Expand(const std::vector<std::string>& argv, const StagedTarget& target);

}  // namespace ringfence

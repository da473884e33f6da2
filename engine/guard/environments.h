// The environments file, `.ringfence/environments.yaml` (kind Environments): where actions land.
//
//   apiVersion: ringfence/v1
//   kind: Environments
//   default: development          # local commands whose paths no environment claims ("" unknown)
//   unlisted: ""                   # hosts, contexts, profiles and database hosts not listed below
//   environments:
//     production:
//       tier: 0                    # 0 most critical .. 9; default 3
//       hosts: ["*.prod.example.com"]
//       kube_contexts: ["prod-*"]
//       cloud_profiles: ["prod", "123456789012"]
//       database_hosts: ["db.prod.internal"]
//       paths: ["/srv/prod/"]      # local paths (globs as in components.yaml)
//   fleets:                        # capacity the guard keeps above a floor
//     web: {environment: production, size: 40, floor: 30, members: ["web-*", "deployment/web"]}
//   protected: ["aws_route53_zone.*", "namespace/prod"]   # never deleted, replaced or overwritten
//   recoverable: ["db.prod.internal", "aws_s3_bucket.assets"]   # backed up, snapshotted or soft-deleted:
//                                  # what an action removes there can be had back (`reversible`)
//   freezes:                       # change freezes: what lands there meanwhile is `frozen`
//     - {name: year-end, environments: [production], from: "2026-12-18T17:00:00-05:00",
//        until: "2027-01-04T09:00:00-05:00", reason: "year-end freeze"}
//
// Patterns are name patterns (`*`, `?`, `re:` RE2; case-insensitive). An action whose place no
// environment claims is in `unlisted` (local: `default`); "" means unknown, and a rule that asks
// about environments or tiers is then indeterminate, never passed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/glob.h"
#include "engine/core/result.h"
#include "engine/core/yaml_doc.h"
#include "engine/guard/action.h"

namespace ringfence {

inline constexpr const char* kEnvironmentsPath = ".ringfence/environments.yaml";

struct Environment {
  std::string name;
  int tier = 3;
  std::vector<std::string> hosts, kube_contexts, cloud_profiles, database_hosts;
  std::vector<std::string> paths;
  std::vector<PathGlob> path_globs;
  int line = 0;
};

struct Fleet {
  std::string name;
  std::string environment;
  int size = 0;
  int floor = 0;
  std::vector<std::string> members;
};

// A window (RFC 3339 instants, `until` excluded) in which the environments named (every one when
// none is named) take no change without a person.
struct ChangeFreeze {
  std::string name, reason;
  std::vector<std::string> environments;
  int64_t from_unix_ms = 0, until_unix_ms = 0;
};

struct Environments {
  std::string path;
  std::string default_environment;
  std::string unlisted;
  std::vector<Environment> environments;
  std::vector<Fleet> fleets;
  std::vector<std::string> protected_resources;
  std::vector<std::string> recoverable;
  std::vector<ChangeFreeze> freezes;
  const Environment* Find(std::string_view name) const;
};

// kInvalidInput at path:line:col for anything malformed: unknown keys, a default or fleet naming
// no declared environment, a floor above a fleet's size, bad patterns.
Result<Environments> ParseEnvironments(std::string_view text, const std::string& path);
// The same keys (without apiVersion and kind) as a mapping inside another document; `where` names
// it in evidence ("scenario.yaml#action.environments").
Result<Environments> ParseEnvironmentsIn(const YamlDoc& doc, const YAML::Node& node,
                                         const std::string& where);

// Places every action: its environment and tier; capacity and protection breaches; the share of
// a fleet it removes; whether what it removes is recoverable. With no environments file, pass an empty
// Environments: all unknown.
void ClassifyActions(const Environments& environments, std::vector<Action>& actions);

// Marks the actions that land where a freeze holds at `now_unix_ms` (after ClassifyActions): true
// with the freeze named, false when none holds there, unknown when one holds for some
// environments and the action's is not known.
void MarkFrozen(const Environments& environments, int64_t now_unix_ms, std::vector<Action>& actions);

}  // namespace ringfence

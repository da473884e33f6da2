// Waivers: exceptions to rules, kept in their own file (never inline in the code they excuse).
//
//   apiVersion: ringfence/v1
//   kind: Waivers
//   waivers:
//     - rule: ai-max-size             # the rule id
//       paths: [services/auth/]       # optional: applies only if every changed file is inside
//       approver: "@shop/identity"
//       reason: "migration, reviewed in #1234"
//       expires: 2026-12-31           # required; the waiver stops applying at the end of that day (UTC)
//       patch_id: 3f5e...             # optional: `git patch-id --verbatim` of the one change it approves
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "engine/core/glob.h"
#include "engine/rules/rule_loader.h"

namespace ringfence {

struct Waiver {
  std::string rule;
  std::vector<std::string> paths;
  std::string approver;
  std::string reason;
  std::string expires;                               // as written, YYYY-MM-DD
  std::chrono::system_clock::time_point expires_at;  // end of that day, UTC
  std::string patch_id;
  std::string file;
  int line = 0;
};

Result<std::vector<Waiver>> LoadWaivers(const SourceFile& file);

}  // namespace ringfence

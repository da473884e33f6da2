// The guard's readers of what an agent asks to run: shell lines (and, through database clients,
// SQL), SQL files and environments files. Any input gives actions or a positioned error, never a
// crash; an opaque shell line yields no command; every action names its tool and verb, and a
// path target never keeps "//", "/./" or a trailing slash.
#include <string>

#include "engine/guard/command_action.h"
#include "engine/guard/environments.h"
#include "engine/guard/shell_words.h"
#include "engine/guard/sql_statements.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  using namespace ringfence;
  ShellScript script = SplitShell(text);
  if (script.opaque && !script.commands.empty()) __builtin_trap();
  CommandDefaults d;
  d.cwd = "/home/dev";
  auto actions = ActionsOfCommandLine(text, d);
  for (const auto& a : actions) {
    if (a.tool.empty() || a.verb.empty()) __builtin_trap();
    if (a.kind != ActionKind::kCommand) continue;
    for (const auto& t : a.targets) {
      if (t.empty() || t[0] != '/' || a.tool != "rm") continue;
      if (t.find("//") != std::string::npos || t.find("/./") != std::string::npos ||
          (t.size() > 1 && t.back() == '/'))
        __builtin_trap();
    }
  }
  for (const auto& a : ActionsOfSql(text, "sql", {}, "f.sql")) {
    if (a.verb.empty() || a.line < 1) __builtin_trap();
  }
  auto envs = ParseEnvironments(text, "environments.yaml");
  if (!envs) {
    if (envs.error().message.rfind("environments.yaml", 0) != 0) __builtin_trap();
  } else {
    ClassifyActions(*envs, actions);
    MarkFrozen(*envs, 1800000000000, actions);
    for (const auto& a : actions) {
      if (a.frozen != Tristate::kFalse && a.freeze.empty()) __builtin_trap();
      if (!a.environment.empty() && !envs->Find(a.environment)) __builtin_trap();
      if (a.fleet_fraction && (*a.fleet_fraction < 0 || *a.fleet_fraction > 1)) __builtin_trap();
    }
  }
  return 0;
}

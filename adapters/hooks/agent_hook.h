// Coding agents' hook protocols, so one line of an agent's settings puts every shell command it
// runs behind `ringfence guard hook`:
//   claude-code  PreToolUse: JSON on stdin ({"tool_name": "Bash", "tool_input": {"command": ...},
//                "cwd": ...}); the answer is hookSpecificOutput.permissionDecision deny or ask with
//                a reason, or nothing (Claude Code's own permissions decide) when allowed; exit 2
//                with the reason on stderr blocks the call when the input cannot be read.
//   cursor       beforeShellExecution: {"command": ..., "cwd": ...} on stdin; the answer is
//                {"permission": "allow" | "deny" | "ask", "user_message", "agent_message"}.
// Input that cannot be read is refused (deny), never allowed.
#pragma once

#include <string>
#include <string_view>

#include "engine/core/result.h"
#include "engine/rules/evaluator.h"

namespace ringfence::hooks {

enum class HookAgent { kClaudeCode, kCursor };
Result<HookAgent> ParseHookAgent(std::string_view name);

struct HookRequest {
  bool shell = false;   // a shell command to judge; false: a tool the guard does not judge
  std::string tool;     // the agent's tool name ("Bash", "beforeShellExecution")
  std::string command;  // the shell line
  std::string cwd;      // where it runs ("" unknown)
};

inline constexpr size_t kMaxHookInput = 4u << 20;

// kInvalidInput for input that is not the protocol's JSON (or is larger than 4 MiB).
Result<HookRequest> ParseHookInput(HookAgent agent, std::string_view input);

struct HookAnswer {
  std::string out;  // stdout (JSON, or empty)
  std::string err;  // stderr
  int exit_code = 0;
};

// The answer to a judged command; `reason` says why (GuardReason).
HookAnswer AnswerHook(HookAgent agent, Decision decision, const std::string& reason);
// The answer when the request cannot be judged (bad input, unreadable rules): the call is refused.
HookAnswer RefuseHook(HookAgent agent, const std::string& why);
// The answer for a tool the guard does not judge: no decision (the agent's own rules apply).
HookAnswer PassHook(HookAgent agent);

}  // namespace ringfence::hooks

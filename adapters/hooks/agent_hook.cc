#include "adapters/hooks/agent_hook.h"

#include <nlohmann/json.hpp>

namespace ringfence::hooks {
namespace {

using nlohmann::json;

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n"; }

std::string StringField(const json& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : "";
}

std::string ClaudeAnswer(const char* decision, const std::string& reason) {
  return Dump({{"hookSpecificOutput",
                {{"hookEventName", "PreToolUse"},
                 {"permissionDecision", decision},
                 {"permissionDecisionReason", reason}}}});
}

}  // namespace

Result<HookAgent> ParseHookAgent(std::string_view name) {
  if (name == "claude-code") return HookAgent::kClaudeCode;
  if (name == "cursor") return HookAgent::kCursor;
  return Error::InvalidInput("unknown agent '" + std::string(name) + "' (claude-code, cursor)");
}

Result<HookRequest> ParseHookInput(HookAgent agent, std::string_view input) {
  if (input.size() > kMaxHookInput) return Error::InvalidInput("the hook input is larger than 4 MiB");
  json j = json::parse(input.begin(), input.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Error::InvalidInput("the hook input is not a JSON object");
  HookRequest r;
  r.cwd = StringField(j, "cwd");
  if (agent == HookAgent::kClaudeCode) {
    std::string event = StringField(j, "hook_event_name");
    if (!event.empty() && event != "PreToolUse")
      return Error::InvalidInput("hook_event_name is " + event + ", not PreToolUse");
    r.tool = StringField(j, "tool_name");
    if (r.tool.empty()) return Error::InvalidInput("the hook input has no tool_name");
    if (r.tool != "Bash") return r;
    auto in = j.find("tool_input");
    if (in == j.end() || !in->is_object()) return Error::InvalidInput("a Bash call without tool_input");
    auto cmd = in->find("command");
    if (cmd == in->end() || !cmd->is_string())
      return Error::InvalidInput("a Bash call without tool_input.command");
    r.command = cmd->get<std::string>();
    r.shell = true;
    return r;
  }
  std::string event = StringField(j, "hook_event_name");
  if (!event.empty() && event != "beforeShellExecution")
    return Error::InvalidInput("hook_event_name is " + event + ", not beforeShellExecution");
  auto cmd = j.find("command");
  if (cmd == j.end() || !cmd->is_string()) return Error::InvalidInput("the hook input has no command");
  r.tool = "beforeShellExecution";
  r.command = cmd->get<std::string>();
  r.shell = true;
  return r;
}

HookAnswer AnswerHook(HookAgent agent, Decision decision, const std::string& reason) {
  HookAnswer a;
  bool allowed = decision == Decision::kAllow || decision == Decision::kWarn;
  const char* verdict = allowed ? "allow" : decision == Decision::kDeny ? "deny" : "ask";
  if (agent == HookAgent::kClaudeCode) {
    // Allowed: no answer, so the agent's own permission settings still apply.
    if (!allowed) a.out = ClaudeAnswer(verdict, reason);
    return a;
  }
  json j = {{"permission", verdict}};
  if (!allowed) {
    j["user_message"] = reason;
    j["agent_message"] = reason;
  }
  a.out = Dump(j);
  return a;
}

HookAnswer RefuseHook(HookAgent agent, const std::string& why) {
  HookAnswer a;
  std::string reason = "ringfence guard cannot judge this call: " + why;
  if (agent == HookAgent::kClaudeCode) {
    a.err = reason + "\n";
    a.exit_code = 2;  // blocks the tool call; stderr is shown to the agent
    return a;
  }
  a.out = Dump({{"permission", "deny"}, {"user_message", reason}, {"agent_message", reason}});
  return a;
}

HookAnswer PassHook(HookAgent agent) {
  HookAnswer a;
  if (agent == HookAgent::kCursor) a.out = Dump({{"permission", "allow"}});
  return a;
}

}  // namespace ringfence::hooks

#include "engine/guard/exec_record.h"

#include <charconv>
#include <map>
#include <nlohmann/json.hpp>

#include "engine/core/hex.h"
#include "engine/core/json_fields.h"
#include "engine/core/utf8.h"

namespace ringfence {
namespace {

using nlohmann::json;

constexpr const char* kDecided = "exec_decided";
constexpr const char* kEnded = "exec_ended";

Error Bad(const JournalRecord& r, const std::string& what) {
  return Error::Io("guard journal record " + std::to_string(r.seq) + ": " + what);
}

std::string What(const JournalRecord& r) { return "guard journal record " + std::to_string(r.seq); }

Result<std::string> StringAt(const json& j, const char* key, const JournalRecord& r) {
  return JsonString(j, key, What(r));
}
Result<int64_t> IntAt(const json& j, const char* key, const JournalRecord& r) {
  return JsonInt(j, key, What(r));
}
Result<std::vector<std::string>> ListAt(const json& j, const char* key, const JournalRecord& r) {
  return JsonStrings(j, key, What(r));
}

std::optional<std::string> FromHex(std::string_view hex) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  if (hex.size() % 2) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

Result<ExecDecidedEvent> DecodeDecided(const json& j, const JournalRecord& r) {
  ExecDecidedEvent e;
  for (auto [key, out] :
       {std::pair{"exec_id", &e.exec_id}, {"cwd", &e.cwd}, {"actor", &e.actor}, {"reason", &e.reason}}) {
    auto v = StringAt(j, key, r);
    if (!v) return v.error();
    *out = std::move(*v);
  }
  for (auto [key, out] : {std::pair{"argv", &e.argv},
                          {"agents", &e.agents},
                          {"approved_by", &e.approved_by},
                          {"rules", &e.rules}}) {
    auto v = ListAt(j, key, r);
    if (!v) return v.error();
    *out = std::move(*v);
  }
  if (auto exact = j.find("argv_hex"); exact != j.end()) {
    if (!exact->is_object()) return Bad(r, "'argv_hex' is not a mapping");
    for (const auto& [index, hex] : exact->items()) {
      size_t i = 0;
      auto [end, ec] = std::from_chars(index.data(), index.data() + index.size(), i);
      if (ec != std::errc() || end != index.data() + index.size())
        return Bad(r, "'argv_hex' names no argument: " + index);
      auto bytes = hex.is_string() ? FromHex(hex.get<std::string>()) : std::nullopt;
      if (i >= e.argv.size() || !bytes) return Bad(r, "'argv_hex' " + index + " is not an argument's bytes");
      e.argv[i] = *bytes;
    }
  }
  auto decision = StringAt(j, "decision", r);
  if (!decision) return decision.error();
  auto named = DecisionNamed(*decision);
  if (!named) return Bad(r, "'" + *decision + "' is not a decision");
  e.decision = *named;
  return e;
}

Result<ExecEndedEvent> DecodeEnded(const json& j, const JournalRecord& r) {
  ExecEndedEvent e;
  auto id = StringAt(j, "exec_id", r);
  if (!id) return id.error();
  e.exec_id = *id;
  auto started = JsonBool(j, "started", What(r));
  if (!started) return started.error();
  e.started = *started;
  auto code = IntAt(j, "exit_code", r);
  if (!code) return code.error();
  auto signal = IntAt(j, "signal", r);
  if (!signal) return signal.error();
  auto duration = IntAt(j, "duration_ms", r);
  if (!duration) return duration.error();
  auto error = StringAt(j, "error", r);
  if (!error) return error.error();
  e.exit_code = static_cast<int>(*code);
  e.signal = static_cast<int>(*signal);
  e.duration_ms = *duration;
  e.error = *error;
  return e;
}

}  // namespace

JournalRecord EncodeExecRecord(const ExecEvent& event, int64_t at_unix_ms) {
  JournalRecord r;
  r.rollout_id = kGuardJournal;
  r.at_unix_ms = at_unix_ms;
  json evidence = {{"format", 1}};
  std::visit(
      [&](const auto& e) {
        using T = std::decay_t<decltype(e)>;
        evidence["exec_id"] = e.exec_id;
        if constexpr (std::is_same_v<T, ExecDecidedEvent>) {
          r.state = kDecided;
          evidence["argv"] = e.argv;
          // An argument that is not UTF-8 shows replaced in "argv"; its exact bytes are here.
          json exact = json::object();
          for (size_t i = 0; i < e.argv.size(); ++i) {
            if (FirstInvalidUtf8(e.argv[i])) exact[std::to_string(i)] = LowerHex(e.argv[i]);
          }
          if (!exact.empty()) evidence["argv_hex"] = exact;
          evidence["cwd"] = e.cwd;
          evidence["actor"] = e.actor;
          evidence["agents"] = e.agents;
          evidence["approved_by"] = e.approved_by;
          evidence["decision"] = ToString(e.decision);
          evidence["rules"] = e.rules;
          evidence["reason"] = e.reason;
        } else {
          r.state = kEnded;
          evidence["started"] = e.started;
          evidence["exit_code"] = e.exit_code;
          evidence["signal"] = e.signal;
          evidence["duration_ms"] = e.duration_ms;
          evidence["error"] = e.error;
        }
      },
      event);
  r.evidence_json = evidence.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

Result<ExecEvent> DecodeExecRecord(const JournalRecord& r) {
  json j = json::parse(r.evidence_json, nullptr, false);
  if (!j.is_object()) return Bad(r, "not a JSON object");
  auto format = IntAt(j, "format", r);
  if (!format) return format.error();
  if (*format != 1) return Bad(r, "format " + std::to_string(*format) + ", which this release does not read");
  if (r.state == kDecided) {
    auto e = DecodeDecided(j, r);
    if (!e) return e.error();
    return ExecEvent{std::move(*e)};
  }
  if (r.state == kEnded) {
    auto e = DecodeEnded(j, r);
    if (!e) return e.error();
    return ExecEvent{std::move(*e)};
  }
  return Bad(r, "unknown state '" + r.state + "'");
}

Result<std::vector<ExecEntry>> ExecsOf(const std::vector<JournalRecord>& records) {
  std::vector<ExecEntry> out;
  std::map<std::string, size_t> index;
  for (const auto& r : records) {
    auto event = DecodeExecRecord(r);
    if (!event) return event.error();
    if (auto* decided = std::get_if<ExecDecidedEvent>(&*event)) {
      if (!index.emplace(decided->exec_id, out.size()).second)
        return Bad(r, "exec " + decided->exec_id + " is decided twice");
      out.push_back({std::move(*decided), r.at_unix_ms, std::nullopt});
      continue;
    }
    auto& ended = std::get<ExecEndedEvent>(*event);
    auto it = index.find(ended.exec_id);
    if (it == index.end() || out[it->second].ended)
      return Bad(r, "an end of exec " + ended.exec_id + " without its decision");
    const ExecDecidedEvent& decision = out[it->second].decided;
    if (decision.decision != Decision::kAllow && decision.decision != Decision::kWarn)
      return Bad(r, "exec " + ended.exec_id + " has an end, but its decision (" +
                        ToString(decision.decision) + ") runs nothing");
    out[it->second].ended = std::move(ended);
  }
  return out;
}

}  // namespace ringfence

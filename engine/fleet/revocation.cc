#include "engine/fleet/revocation.h"

#include <nlohmann/json.hpp>

#include "engine/core/json_fields.h"

namespace ringfence {
namespace {

using nlohmann::json;

constexpr const char* kRevoked = "image_revoked";
constexpr const char* kCompleted = "revocation_completed";

std::string What(const JournalRecord& r) { return "fleet journal record " + std::to_string(r.seq); }
Result<std::string> StringAt(const json& j, const char* key, const JournalRecord& r) {
  return JsonString(j, key, What(r));
}
Result<int64_t> IntAt(const json& j, const char* key, const JournalRecord& r) {
  return JsonInt(j, key, What(r));
}

}  // namespace

JournalRecord EncodeFleetRecord(const FleetEvent& event, int64_t at_unix_ms) {
  JournalRecord r;
  r.rollout_id = kFleetJournal;
  r.at_unix_ms = at_unix_ms;
  json evidence = {{"format", 1}};
  std::visit(
      [&](const auto& e) {
        using T = std::decay_t<decltype(e)>;
        evidence["digest"] = e.digest;
        if constexpr (std::is_same_v<T, ImageRevokedEvent>) {
          r.state = kRevoked;
          evidence["reason"] = e.reason;
          evidence["by"] = e.by;
        } else {
          r.state = kCompleted;
          evidence["sessions_ended"] = e.sessions_ended;
          evidence["snapshots_deleted"] = e.snapshots_deleted;
          evidence["rollouts_stopped"] = e.rollouts_stopped;
        }
      },
      event);
  r.evidence_json = evidence.dump();
  return r;
}

Result<FleetEvent> DecodeFleetRecord(const JournalRecord& r) {
  json j = json::parse(r.evidence_json, nullptr, false);
  if (!j.is_object())
    return Error::Io("fleet journal record " + std::to_string(r.seq) + " is not a JSON object");
  auto format = IntAt(j, "format", r);
  if (!format) return format.error();
  if (*format != 1)
    return Error::Io("fleet journal record " + std::to_string(r.seq) + " has format " +
                     std::to_string(*format) + ", which this release does not read");
  auto digest = StringAt(j, "digest", r);
  if (!digest) return digest.error();
  if (!ValidImageDigest(*digest))
    return Error::Io("fleet journal record " + std::to_string(r.seq) + " names no image digest");
  if (r.state == kRevoked) {
    auto reason = StringAt(j, "reason", r);
    if (!reason) return reason.error();
    auto by = StringAt(j, "by", r);
    if (!by) return by.error();
    return FleetEvent{ImageRevokedEvent{*digest, *reason, *by}};
  }
  if (r.state == kCompleted) {
    RevocationCompletedEvent e{*digest, 0, 0, {}};
    auto ended = IntAt(j, "sessions_ended", r);
    if (!ended) return ended.error();
    auto deleted = IntAt(j, "snapshots_deleted", r);
    if (!deleted) return deleted.error();
    e.sessions_ended = *ended;
    e.snapshots_deleted = *deleted;
    auto stopped = JsonStrings(j, "rollouts_stopped", What(r));
    if (!stopped) return stopped.error();
    e.rollouts_stopped = std::move(*stopped);
    return FleetEvent{e};
  }
  return Error::Io("fleet journal record " + std::to_string(r.seq) + " has unknown state '" + r.state + "'");
}

Result<std::map<std::string, Revocation>> RevocationsOf(const std::vector<JournalRecord>& records) {
  std::map<std::string, Revocation> out;
  for (const auto& r : records) {
    auto event = DecodeFleetRecord(r);
    if (!event) return event.error();
    if (const auto* revoked = std::get_if<ImageRevokedEvent>(&*event)) {
      out.try_emplace(revoked->digest,
                      Revocation{revoked->digest, revoked->reason, revoked->by, r.at_unix_ms});
    } else {
      const auto& done = std::get<RevocationCompletedEvent>(*event);
      if (auto it = out.find(done.digest); it != out.end()) {
        it->second.completed = true;
        it->second.completed_unix_ms = r.at_unix_ms;
      }
    }
  }
  return out;
}

}  // namespace ringfence

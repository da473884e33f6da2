// What the fleet reads that others wrote: a fleet journal record (the state directory may be
// hostile), a session's /measurement reply, and a backend's session record. Never crash; a fleet
// record that does not decode is kIo.
#include <string>
#include <string_view>

#include "adapters/backends/session_registry.h"
#include "engine/fleet/revocation.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  ringfence::JournalRecord r;
  r.seq = 1;
  r.rollout_id = ringfence::kFleetJournal;
  r.state = size % 2 ? "image_revoked" : "revocation_completed";
  r.evidence_json = std::string(text);
  auto decoded = ringfence::DecodeFleetRecord(r);
  if (!decoded && decoded.error().kind != ringfence::ErrorKind::kIo) __builtin_trap();
  if (decoded) {  // what decodes encodes back to a record that decodes the same way
    auto again = ringfence::DecodeFleetRecord(ringfence::EncodeFleetRecord(*decoded, 0));
    if (!again || again->index() != decoded->index()) __builtin_trap();
  }
  (void)ringfence::RevocationsOf({r});
  (void)ringfence::backends::ParseMeasurement(text);
  auto record = nlohmann::json::parse(text, nullptr, false);
  if (record.is_object()) (void)ringfence::backends::ReadSessionFields(record);
  return 0;
}

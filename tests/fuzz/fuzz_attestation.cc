// DSSE envelopes and in-toto statements as an attacker may hand them over: never crash; a refused
// one names its source; base64 that decodes re-encodes to the same bytes.
#include <string>

#include "engine/attest/envelope_json.h"
#include "engine/attest/statement.h"
#include "engine/core/base64.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto envelope = ringfence::ParseEnvelopeJson(text, "e.json");
  if (!envelope && envelope.error().message.rfind("e.json", 0) != 0) __builtin_trap();
  if (envelope) {
    auto s = ringfence::ParseStatement(envelope->payload, "e.json");
    if (!s && s.error().message.rfind("e.json", 0) != 0) __builtin_trap();
  }
  auto statement = ringfence::ParseStatement(text, "s.json");
  if (!statement && statement.error().message.rfind("s.json", 0) != 0) __builtin_trap();
  if (auto bytes = ringfence::Base64Decode(text)) {
    auto again = ringfence::Base64Decode(ringfence::Base64Encode(*bytes));
    if (!again || *again != *bytes) __builtin_trap();
  }
  return 0;
}

#include "engine/attest/envelope_json.h"

#include <nlohmann/json.hpp>

#include "engine/core/base64.h"
#include "engine/core/text_position.h"

namespace ringfence {

using nlohmann::json;

std::string EnvelopeJson(const DsseEnvelope& e) {
  json sigs = json::array();
  for (const auto& s : e.signatures) sigs.push_back({{"keyid", s.keyid}, {"sig", Base64Encode(s.sig)}});
  return json{{"payload", Base64Encode(e.payload)}, {"payloadType", e.payload_type}, {"signatures", sigs}}
             .dump(2) +
         "\n";
}

Result<DsseEnvelope> ParseEnvelopeJson(std::string_view text, const std::string& source) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    return Error::InvalidInput(source + ":" + LineColumn(text, e.byte == 0 ? 0 : e.byte - 1) +
                               ": not JSON (a DSSE envelope)");
  } catch (const json::exception& e) {  // a number out of range, say
    return Error::InvalidInput(source + ": not a DSSE envelope (" + e.what() + ")");
  }
  auto bad = [&](const std::string& what) {
    return Error::InvalidInput(source + ": DSSE envelope: " + what);
  };
  if (!j.is_object()) return bad("not a JSON object");
  DsseEnvelope out;
  auto payload = j.find("payload");
  if (payload == j.end() || !payload->is_string()) return bad("'payload' is missing or not a string");
  auto decoded = Base64Decode(payload->get<std::string>());
  if (!decoded) return bad("'payload' is not base64");
  out.payload = std::move(*decoded);
  auto type = j.find("payloadType");
  if (type == j.end() || !type->is_string()) return bad("'payloadType' is missing or not a string");
  out.payload_type = type->get<std::string>();
  auto sigs = j.find("signatures");
  if (sigs == j.end() || !sigs->is_array()) return bad("'signatures' is missing or not an array");
  if (sigs->size() > 64) return bad("more than 64 signatures");
  for (size_t i = 0; i < sigs->size(); ++i) {
    const json& s = (*sigs)[i];
    std::string at = "signatures[" + std::to_string(i) + "]";
    if (!s.is_object()) return bad(at + " is not an object");
    auto sig = s.find("sig");
    if (sig == s.end() || !sig->is_string()) return bad(at + ".sig is missing or not a string");
    auto raw = Base64Decode(sig->get<std::string>());
    if (!raw) return bad(at + ".sig is not base64");
    std::string keyid;
    if (auto k = s.find("keyid"); k != s.end()) {
      if (!k->is_string()) return bad(at + ".keyid is not a string");
      keyid = k->get<std::string>();
    }
    out.signatures.push_back({std::move(keyid), std::move(*raw)});
  }
  return out;
}

}  // namespace ringfence

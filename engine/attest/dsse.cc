#include "engine/attest/dsse.h"

#include <set>

namespace ringfence {

std::string Pae(std::string_view payload_type, std::string_view body) {
  std::string out = "DSSEv1 ";
  out += std::to_string(payload_type.size());
  out += ' ';
  out += payload_type;
  out += ' ';
  out += std::to_string(body.size());
  out += ' ';
  out += body;
  return out;
}

Result<DsseEnvelope> SignEnvelope(std::string payload_type, std::string body, const SigningKey& key) {
  auto sig = key.Sign(Pae(payload_type, body));
  if (!sig) return sig.error();
  return DsseEnvelope{std::move(payload_type), std::move(body), {{key.KeyId(), std::move(*sig)}}};
}

Result<std::string> VerifyEnvelope(const DsseEnvelope& envelope,
                                   const std::vector<const VerifyingKey*>& trusted, size_t threshold,
                                   std::string_view expected_type) {
  if (threshold == 0) return Error::InvalidInput("a signature threshold of 0 would trust anything");
  const std::string message = Pae(envelope.payload_type, envelope.payload);
  std::set<std::string> accepted;  // distinct keys, by id: one key signing twice counts once
  for (const auto& s : envelope.signatures) {
    for (const VerifyingKey* key : trusted) {
      if (accepted.count(key->KeyId()) == 0 && key->Verify(message, s.sig)) {
        accepted.insert(key->KeyId());
        break;
      }
    }
  }
  if (accepted.size() < threshold) {
    return Error{ErrorKind::kIndeterminate,
                 std::to_string(accepted.size()) + " of " + std::to_string(envelope.signatures.size()) +
                     " signature(s) verify with a trusted key; " + std::to_string(threshold) + " needed"};
  }
  if (envelope.payload_type != expected_type)
    return Error{ErrorKind::kIndeterminate,
                 "payload type '" + envelope.payload_type + "' is not " + std::string(expected_type)};
  return envelope.payload;
}

}  // namespace ringfence

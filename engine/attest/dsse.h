// The DSSE protocol (../shared/specs/dsse/protocol.md): what is signed is PAE(type, body), never
// the body alone, so a signature cannot be replayed under another payload type.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.h"
#include "engine/model/attestation.h"
#include "engine/ports/signature_key.h"

namespace ringfence {

// "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body.
std::string Pae(std::string_view payload_type, std::string_view body);

// An envelope of `body` signed by `key` (keyid set to the key's id).
Result<DsseEnvelope> SignEnvelope(std::string payload_type, std::string body, const SigningKey& key);

// The payload, once signatures by at least `threshold` distinct trusted keys verify over it and its
// type is `expected_type`. The bytes returned are those verified: callers parse these, never the
// envelope again. kIndeterminate (a refusal with every reason) otherwise.
Result<std::string> VerifyEnvelope(const DsseEnvelope& envelope,
                                   const std::vector<const VerifyingKey*>& trusted, size_t threshold,
                                   std::string_view expected_type);

}  // namespace ringfence

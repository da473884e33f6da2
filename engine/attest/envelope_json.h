// The DSSE JSON envelope (../shared/specs/dsse/envelope.md): payload and signatures in base64
// (standard or URL-safe accepted, standard written), unknown fields ignored as the spec asks.
#pragma once

#include <string>
#include <string_view>

#include "engine/core/result.h"
#include "engine/model/attestation.h"

namespace ringfence {

std::string EnvelopeJson(const DsseEnvelope& envelope);
// `source` names the file in errors (with line:col for JSON that does not parse).
Result<DsseEnvelope> ParseEnvelopeJson(std::string_view text, const std::string& source);

}  // namespace ringfence

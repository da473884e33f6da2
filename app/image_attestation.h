// Signed build provenance for images (`ringfence image sign|verify`): an in-toto v1 statement
// whose subject is the image's digest and whose predicate is its SLSA v1 provenance, in a DSSE
// envelope signed with Ed25519. Verification trusts nothing it did not check: the signatures
// over the exact payload bytes, then the statement parsed from those bytes, then its subject
// against the digest of the image as it is on disk now.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/model/attestation.h"
#include "engine/ports/session_backend.h"
#include "engine/ports/signature_key.h"

namespace ringfence::app {

// The envelope's JSON.
Result<std::string> SignImageProvenance(const ImageRef& image, const std::string& name,
                                        BuildProvenance provenance, const SigningKey& key);

struct ImageVerification {
  bool verified = false;
  std::vector<std::string> reasons;  // why not, when not verified
  ProvenanceStatement statement;     // as signed, when verified
};

// kInvalidInput only when the envelope itself cannot be read; every failed check is a reason.
Result<ImageVerification> VerifyImageProvenance(const ImageRef& image, std::string_view envelope_json,
                                                const std::string& source,
                                                const std::vector<const VerifyingKey*>& trusted,
                                                size_t threshold);

}  // namespace ringfence::app

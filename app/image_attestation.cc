#include "app/image_attestation.h"

#include "engine/attest/dsse.h"
#include "engine/attest/envelope_json.h"
#include "engine/attest/statement.h"

namespace ringfence::app {
namespace {

// "sha256:abc..." -> "abc..."; "" for any other algorithm.
std::string Sha256Of(const std::string& digest) {
  const std::string prefix = "sha256:";
  return digest.compare(0, prefix.size(), prefix) == 0 ? digest.substr(prefix.size()) : "";
}

}  // namespace

Result<std::string> SignImageProvenance(const ImageRef& image, const std::string& name,
                                        BuildProvenance provenance, const SigningKey& key) {
  std::string sha = Sha256Of(image.digest);
  if (sha.empty()) return Error::InvalidInput("image " + image.location + " has no sha256 digest");
  ProvenanceStatement statement{{{name, sha}}, std::move(provenance)};
  auto envelope = SignEnvelope(kInTotoPayloadType, StatementJson(statement), key);
  if (!envelope) return envelope.error();
  return EnvelopeJson(*envelope);
}

Result<ImageVerification> VerifyImageProvenance(const ImageRef& image, std::string_view envelope_json,
                                                const std::string& source,
                                                const std::vector<const VerifyingKey*>& trusted,
                                                size_t threshold) {
  auto envelope = ParseEnvelopeJson(envelope_json, source);
  if (!envelope) return envelope.error();
  ImageVerification out;
  auto payload = VerifyEnvelope(*envelope, trusted, threshold, kInTotoPayloadType);
  if (!payload) {
    out.reasons.push_back(payload.error().message);
    return out;
  }
  auto statement = ParseStatement(*payload, source);  // the verified bytes, not the file again
  if (!statement) {
    out.reasons.push_back("signed, but " + statement.error().message);
    return out;
  }
  std::string sha = Sha256Of(image.digest);
  bool about_this_image = false;
  for (const auto& s : statement->subjects)
    about_this_image = about_this_image || (!sha.empty() && s.sha256 == sha);
  if (!about_this_image) {
    std::string subjects;
    for (const auto& s : statement->subjects)
      subjects += (subjects.empty() ? "sha256:" : ", sha256:") + s.sha256;
    out.reasons.push_back("the statement is about " + subjects + ", not this image (" + image.digest +
                          "): the image changed after it was signed, or the signature is another image's");
    return out;
  }
  out.verified = true;
  out.statement = std::move(*statement);
  return out;
}

}  // namespace ringfence::app

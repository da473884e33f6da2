// Signature keys through OpenSSL: Ed25519 keys sign and verify; ECDSA P-256 public keys verify
// (signatures DER-encoded or as raw r||s, as DSSE's test vector has them). Keys are PEM: PKCS#8
// for private keys (unencrypted), SubjectPublicKeyInfo for public ones. A key's id is the sha256
// of its DER SubjectPublicKeyInfo.
#pragma once

#include <memory>
#include <string>

#include "engine/ports/signature_key.h"

namespace ringfence::crypto {

// `source` names the key in errors.
Result<std::unique_ptr<VerifyingKey>> LoadPublicKey(const std::string& pem, const std::string& source);
Result<std::unique_ptr<SigningKey>> LoadPrivateKey(const std::string& pem, const std::string& source);

struct KeyPairPem {
  std::string private_pem, public_pem;
};
Result<KeyPairPem> GenerateEd25519();

}  // namespace ringfence::crypto

// Keys that sign and verify DSSE signatures (adapters/crypto implements them with OpenSSL).
#pragma once

#include <string>
#include <string_view>

#include "engine/core/result.h"

namespace ringfence {

class VerifyingKey {
 public:
  virtual ~VerifyingKey() = default;
  // A stable identifier of the public key (lowercase hex), the envelope's keyid hint.
  virtual std::string KeyId() const = 0;
  // True when `signature` is this key's signature of exactly `message`.
  virtual bool Verify(std::string_view message, std::string_view signature) const = 0;
};

class SigningKey : public VerifyingKey {
 public:
  virtual Result<std::string> Sign(std::string_view message) const = 0;
};

}  // namespace ringfence

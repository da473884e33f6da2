#include "adapters/crypto/openssl_keys.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "adapters/common/sha256.h"

namespace ringfence::crypto {
namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

enum class Kind { kEd25519, kEcdsaP256 };

// The key's kind, or an error naming what it is instead.
Result<Kind> KindOf(EVP_PKEY* key, const std::string& source) {
  if (EVP_PKEY_get_id(key) == EVP_PKEY_ED25519) return Kind::kEd25519;
  if (EVP_PKEY_get_id(key) == EVP_PKEY_EC) {
    char group[64] = {0};
    size_t len = 0;
    if (EVP_PKEY_get_utf8_string_param(key, "group", group, sizeof group, &len) == 1 &&
        std::string(group) == "prime256v1")
      return Kind::kEcdsaP256;
    return Error::InvalidInput(source + ": an EC key on curve '" + std::string(group) +
                               "'; only P-256 is supported");
  }
  return Error::InvalidInput(source + ": not an Ed25519 or ECDSA P-256 key");
}

std::string KeyIdOf(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  int n = i2d_PUBKEY(key, &der);
  std::string id =
      n > 0 ? Sha256Hex(std::string_view(reinterpret_cast<char*>(der), static_cast<size_t>(n))) : "";
  OPENSSL_free(der);
  return id;
}

// A raw 64-byte r||s ECDSA P-256 signature as DER; anything else unchanged.
std::string EcdsaDer(std::string_view sig) {
  if (sig.size() != 64) return std::string(sig);
  ECDSA_SIG* s = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(sig.data()), 32, nullptr);
  BIGNUM* t = BN_bin2bn(reinterpret_cast<const unsigned char*>(sig.data()) + 32, 32, nullptr);
  std::string out;
  if (s && r && t && ECDSA_SIG_set0(s, r, t) == 1) {
    r = t = nullptr;  // owned by s now
    unsigned char* der = nullptr;
    int n = i2d_ECDSA_SIG(s, &der);
    if (n > 0) out.assign(reinterpret_cast<char*>(der), static_cast<size_t>(n));
    OPENSSL_free(der);
  }
  BN_free(r);
  BN_free(t);
  ECDSA_SIG_free(s);
  return out;
}

class OpenSslKey : public SigningKey {
 public:
  OpenSslKey(Pkey key, Kind kind, bool can_sign)
      : key_(std::move(key)), kind_(kind), can_sign_(can_sign), id_(KeyIdOf(key_.get())) {}
  std::string KeyId() const override { return id_; }

  bool Verify(std::string_view message, std::string_view signature) const override {
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    const EVP_MD* md = kind_ == Kind::kEd25519 ? nullptr : EVP_sha256();
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, key_.get()) != 1) return false;
    std::string sig = kind_ == Kind::kEcdsaP256 ? EcdsaDer(signature) : std::string(signature);
    if (kind_ == Kind::kEd25519 && sig.size() != 64) return false;
    return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                            reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  }

  Result<std::string> Sign(std::string_view message) const override {
    if (!can_sign_ || kind_ != Kind::kEd25519) return Error::InvalidInput("only Ed25519 private keys sign");
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    size_t len = 0;
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) != 1)
      return Error::Internal("Ed25519 signing failed");
    std::string sig(len, '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1)
      return Error::Internal("Ed25519 signing failed");
    sig.resize(len);
    return sig;
  }

 private:
  Pkey key_;
  Kind kind_;
  bool can_sign_;
  std::string id_;
};

Pkey ReadPem(const std::string& pem, bool private_key) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (!bio) return nullptr;
  // An empty passphrase callback: an encrypted key is refused rather than prompted for.
  auto no_pass = [](char*, int, int, void*) { return 0; };
  EVP_PKEY* key = private_key ? PEM_read_bio_PrivateKey(bio, nullptr, no_pass, nullptr)
                              : PEM_read_bio_PUBKEY(bio, nullptr, no_pass, nullptr);
  BIO_free(bio);
  return Pkey(key);
}

std::string PemOf(EVP_PKEY* key, bool private_key) {
  BIO* bio = BIO_new(BIO_s_mem());
  int ok = private_key ? PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr)
                       : PEM_write_bio_PUBKEY(bio, key);
  std::string out;
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  if (ok == 1 && n > 0) out.assign(data, static_cast<size_t>(n));
  BIO_free(bio);
  return out;
}

}  // namespace

Result<std::unique_ptr<VerifyingKey>> LoadPublicKey(const std::string& pem, const std::string& source) {
  Pkey key = ReadPem(pem, false);
  if (!key) return Error::InvalidInput(source + ": not a PEM public key (SubjectPublicKeyInfo)");
  auto kind = KindOf(key.get(), source);
  if (!kind) return kind.error();
  return std::unique_ptr<VerifyingKey>(new OpenSslKey(std::move(key), *kind, false));
}

Result<std::unique_ptr<SigningKey>> LoadPrivateKey(const std::string& pem, const std::string& source) {
  Pkey key = ReadPem(pem, true);
  if (!key) return Error::InvalidInput(source + ": not an unencrypted PEM private key (PKCS#8)");
  auto kind = KindOf(key.get(), source);
  if (!kind) return kind.error();
  if (*kind != Kind::kEd25519) return Error::InvalidInput(source + ": only Ed25519 private keys sign");
  return std::unique_ptr<SigningKey>(new OpenSslKey(std::move(key), *kind, true));
}

Result<KeyPairPem> GenerateEd25519() {
  Pkey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  if (!key) return Error::Internal("Ed25519 key generation failed");
  KeyPairPem out{PemOf(key.get(), true), PemOf(key.get(), false)};
  if (out.private_pem.empty() || out.public_pem.empty())
    return Error::Internal("writing the Ed25519 key failed");
  return out;
}

}  // namespace ringfence::crypto

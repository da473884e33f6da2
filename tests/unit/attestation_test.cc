// DSSE (PAE, envelopes, verification with thresholds), base64 and the in-toto statement, on the
// specifications' own examples and on every way an envelope can be bent.
#include <catch2/catch.hpp>

#include "adapters/crypto/openssl_keys.h"
#include "engine/attest/dsse.h"
#include "engine/attest/envelope_json.h"
#include "engine/attest/statement.h"
#include "engine/core/base64.h"

using namespace ringfence;

namespace {

// The public key of DSSE's test vector (protocol.md: ECDSA P-256, X and Y as given there),
// written as SubjectPublicKeyInfo.
constexpr const char* kVectorKey =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEZ805D3eqNZywjCI19lInBJOp7YMr\n"
    "CrzAH3CVTAOQ0jgMeCvVTiaRJaRPRDOv8UMs6U4SvKc6pnrIDOoSYI3fdA==\n"
    "-----END PUBLIC KEY-----\n";
constexpr const char* kVectorEnvelope =
    R"({"payload": "aGVsbG8gd29ybGQ=", "payloadType": "http://example.com/HelloWorld", "signatures": )"
    R"([{"sig": "A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajabZKciJTfUiHqJPcIAriEGAHTVeCUjW2JIZA=="}]})";

std::unique_ptr<SigningKey> NewKey() {
  auto pair = crypto::GenerateEd25519();
  REQUIRE(pair);
  auto key = crypto::LoadPrivateKey(pair->private_pem, "k.pem");
  REQUIRE(key);
  return std::move(*key);
}

ProvenanceStatement Statement() {
  return {{{"img", std::string(64, 'a')}},
          {"urn:t:build",
           "urn:t:builder",
           "https://example.invalid/r",
           "abc",
           {{"deb:busybox", std::string(64, 'b')}},
           1764633600000}};
}

}  // namespace

TEST_CASE("dsse: PAE is the specification's example") {
  CHECK(Pae("http://example.com/HelloWorld", "hello world") ==
        "DSSEv1 29 http://example.com/HelloWorld 11 hello world");
  CHECK(Pae("", "") == "DSSEv1 0  0 ");
}

TEST_CASE("dsse: the specification's test vector verifies with its ECDSA P-256 key, and not once bent") {
  auto key = crypto::LoadPublicKey(kVectorKey, "vector.pub");
  REQUIRE(key);
  auto envelope = ParseEnvelopeJson(kVectorEnvelope, "vector.json");
  REQUIRE(envelope);
  auto payload = VerifyEnvelope(*envelope, {key->get()}, 1, "http://example.com/HelloWorld");
  REQUIRE(payload);
  CHECK(*payload == "hello world");
  auto other_type = *envelope;
  other_type.payload_type = "http://example.com/Other";
  CHECK_FALSE(VerifyEnvelope(other_type, {key->get()}, 1, "http://example.com/Other"));
  auto other_body = *envelope;
  other_body.payload = "hello World";
  CHECK_FALSE(VerifyEnvelope(other_body, {key->get()}, 1, "http://example.com/HelloWorld"));
  CHECK_FALSE(VerifyEnvelope(*envelope, {key->get()}, 1, kInTotoPayloadType));  // verified, wrong type
}

TEST_CASE("dsse: a threshold counts distinct trusted keys, never one key twice") {
  auto a = NewKey(), b = NewKey(), stranger = NewKey();
  auto envelope = SignEnvelope(kInTotoPayloadType, "body", *a);
  REQUIRE(envelope);
  CHECK(VerifyEnvelope(*envelope, {a.get()}, 1, kInTotoPayloadType));
  CHECK_FALSE(VerifyEnvelope(*envelope, {stranger.get()}, 1, kInTotoPayloadType));
  auto twice = *envelope;
  twice.signatures.push_back(twice.signatures.front());  // the same signature again
  auto r = VerifyEnvelope(twice, {a.get(), b.get()}, 2, kInTotoPayloadType);
  REQUIRE_FALSE(r);
  CHECK(r.error().message.find("1 of 2 signature(s)") != std::string::npos);
  auto by_b = SignEnvelope(kInTotoPayloadType, "body", *b);
  REQUIRE(by_b);
  twice.signatures.push_back(by_b->signatures.front());
  CHECK(VerifyEnvelope(twice, {a.get(), b.get()}, 2, kInTotoPayloadType));
  // A keyid is a hint: a signature claiming a trusted key's id still has to verify.
  auto forged = SignEnvelope(kInTotoPayloadType, "body", *stranger);
  REQUIRE(forged);
  forged->signatures.front().keyid = a->KeyId();
  CHECK_FALSE(VerifyEnvelope(*forged, {a.get()}, 1, kInTotoPayloadType));
  CHECK_FALSE(VerifyEnvelope(*envelope, {a.get()}, 0, kInTotoPayloadType));
}

TEST_CASE("dsse: the JSON envelope round-trips and refuses what is not one") {
  auto key = NewKey();
  auto envelope = SignEnvelope(kInTotoPayloadType, std::string("\0\xff payload", 10), *key);
  REQUIRE(envelope);
  auto back = ParseEnvelopeJson(EnvelopeJson(*envelope), "e.json");
  REQUIRE(back);
  CHECK(back->payload == envelope->payload);
  CHECK(back->signatures.front().sig == envelope->signatures.front().sig);
  CHECK(back->signatures.front().keyid == key->KeyId());
  for (const char* bad :
       {"", "[]", "{\"payload\": 1}", R"({"payload": "a$", "payloadType": "t", "signatures": []})",
        R"({"payload": "", "payloadType": "t"})", R"({"payload": "", "payloadType": "t", "signatures": [1]})",
        R"({"payload": "", "payloadType": "t", "signatures": [{"keyid": "k"}]})",
        "{\n  \"payload\": \"\",\n  oops\n}"}) {
    INFO(bad);
    auto r = ParseEnvelopeJson(bad, "e.json");
    REQUIRE_FALSE(r);
    CHECK(r.error().message.rfind("e.json", 0) == 0);
  }
  // A number JSON can write but a double cannot hold (found by fuzz_attestation) is refused too.
  CHECK_FALSE(ParseEnvelopeJson("9999999999999999e99999999999", "e.json"));
  CHECK_FALSE(ParseStatement("[9999999999999999e99999999999]", "s.json"));
  CHECK(ParseEnvelopeJson("{\n  \"payload\": \"\",\n  oops\n}", "e.json")
            .error()
            .message.rfind("e.json:3:", 0) == 0);
  // Unknown fields are ignored, as the specification asks.
  CHECK(ParseEnvelopeJson(R"({"payload": "", "payloadType": "t", "signatures": [], "x": 1})", "e.json"));
}

TEST_CASE("base64: standard and URL-safe, padded or not, strict about everything else") {
  for (std::string bytes : {std::string(""), std::string("f"), std::string("fo"), std::string("foo"),
                            std::string("\xfb\xff\xfe", 3), std::string(1000, '\x7f')}) {
    std::string text = Base64Encode(bytes);
    CHECK(Base64Decode(text) == bytes);
    std::string url = text;
    for (char& c : url) c = c == '+' ? '-' : c == '/' ? '_' : c;
    while (!url.empty() && url.back() == '=') url.pop_back();
    CHECK(Base64Decode(url) == bytes);
  }
  CHECK(Base64Encode("foobar") == "Zm9vYmFy");
  CHECK(Base64Encode(std::string("\xfb\xff", 2)) == "+/8=");
  for (const char* bad : {"Zm9v YmFy", "Zm9v\n", "Z", "Zm9vY", "Zg===", "Zg=x", "=Zm9", "Zh==", "Zm9=Zm9v"}) {
    INFO(bad);
    CHECK_FALSE(Base64Decode(bad));
  }
}

TEST_CASE("statement: ringfence's in-toto statement round-trips, and a bent one names its field") {
  auto back = ParseStatement(StatementJson(Statement()), "s.json");
  REQUIRE(back);
  CHECK(back->subjects.front().sha256 == std::string(64, 'a'));
  CHECK(back->provenance.builder_id == "urn:t:builder");
  CHECK(back->provenance.source_commit == "abc");
  CHECK(back->provenance.finished_ms == 1764633600000);  // runDetails.metadata.finishedOn, to the millisecond
  REQUIRE(back->provenance.inputs.size() == 1);
  CHECK(back->provenance.inputs.front().name == "deb:busybox");
  std::string good = StatementJson(Statement());
  auto replaced = [&](const std::string& from, const std::string& to) {
    std::string s = good;
    auto at = s.find(from);
    REQUIRE(at != std::string::npos);
    return s.replace(at, from.size(), to);
  };
  struct Case {
    std::string text, expected;
  };
  for (const auto& c : std::vector<Case>{
           {replaced("https://in-toto.io/Statement/v1", "https://in-toto.io/Statement/v0.1"),
            "statement._type"},
           {replaced(std::string(64, 'a'), "AA"), "statement.subject[0].digest.sha256"},
           {replaced("\"sha256\":\"" + std::string(64, 'a'), "\"sha512\":\"" + std::string(64, 'a')),
            "statement.subject[0].digest.sha256 is missing"},
           {replaced("https://slsa.dev/provenance/v1", "https://slsa.dev/provenance/v0.2"),
            "statement.predicateType"},
           {replaced("\"builder\":{\"id\":\"urn:t:builder\"}", "\"builder\":{}"),
            "statement.predicate.runDetails.builder.id is missing"},
           {"[]", "statement is not an object"},
           {"{", "not JSON"},
       }) {
    INFO(c.text);
    auto r = ParseStatement(c.text, "s.json");
    REQUIRE_FALSE(r);
    CHECK(r.error().message.rfind("s.json: ", 0) == 0);
    CHECK(r.error().message.find(c.expected) != std::string::npos);
  }
}

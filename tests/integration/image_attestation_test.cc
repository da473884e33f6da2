// `ringfence image keygen|sign|verify` on real image directories: the envelope verifies against
// its key and the image as it is; any change to the image, the payload, its type or the signature,
// another key or a missed threshold is refused (exit 1) with its reason; an unreadable envelope
// is bad input (exit 4). Signatures cross-verify both ways with Debian's securesystemslib.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "engine/core/base64.h"
#include "tests/support/git_fixture.h"
#include "tests/support/run_process.h"

using namespace ringfence::testing;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

struct Signed {
  TempDir tmp;
  std::string image = tmp.path() + "/shop-1.4";
  std::string envelope = image + ".intoto.json";
  std::string key = tmp.path() + "/signer.pem", pub = tmp.path() + "/signer.pub";
  Signed() {
    fs::copy(std::string(RINGFENCE_SOURCE_DIR) + "/examples/shop/rollout/images/shop-1.4", image,
             fs::copy_options::recursive);
    REQUIRE(RunRingfence({"image", "keygen", "--private", key, "--public", pub}).exit_code == 0);
    auto r =
        RunRingfence({"image", "sign", image, "--key", key, "--source-repo", "https://example.invalid/shop",
                      "--source-commit", "0123abc", "--input",
                      "pkg:deb/debian/busybox-static@1.35.0-4?arch=amd64=sha256:" + std::string(64, 'c')});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }
  ProcessResult Verify(std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {"image", "verify", image, "--key", pub};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunRingfence(args);
  }
  // The envelope with `edit` applied to its JSON, written to a new file.
  std::string Edited(const std::string& name, const std::function<void(json&)>& edit) const {
    json j = json::parse(Slurp(envelope));
    edit(j);
    std::string path = tmp.path() + "/" + name;
    std::ofstream(path) << j.dump();
    return path;
  }
};

std::string Flip(const std::string& b64, size_t at) {
  auto bytes = ringfence::Base64Decode(b64);
  REQUIRE(bytes);
  (*bytes)[at % bytes->size()] ^= 0x01;
  return ringfence::Base64Encode(*bytes);
}

}  // namespace

TEST_CASE(
    "image: a signed image verifies with its provenance, and every tampering is refused with its reason") {
  Signed s;
  CHECK((fs::status(s.key).permissions() & fs::perms::others_read) == fs::perms::none);
  auto ok = s.Verify({"--format", "json"});
  INFO(ok.out << ok.err);
  REQUIRE(ok.exit_code == 0);
  json report = json::parse(ok.out);
  CHECK(report["verified"] == true);
  CHECK(report["provenance"]["source_commit"] == "0123abc");
  CHECK(report["provenance"]["inputs"][0]["uri"] == "pkg:deb/debian/busybox-static@1.35.0-4?arch=amd64");
  // The image changes after signing: a file added.
  { std::ofstream(s.image + "/extra.sh") << "#!/bin/sh\n"; }
  auto changed = s.Verify();
  CHECK(changed.exit_code == 1);
  CHECK(changed.out.find("not this image") != std::string::npos);
  fs::remove(s.image + "/extra.sh");
  REQUIRE(s.Verify().exit_code == 0);
  // Another key, and a threshold the one signer cannot meet.
  std::string other = s.tmp.path() + "/other.pub";
  REQUIRE(RunRingfence({"image", "keygen", "--private", s.tmp.path() + "/other.pem", "--public", other})
              .exit_code == 0);
  CHECK(RunRingfence({"image", "verify", s.image, "--key", other}).exit_code == 1);
  auto two = s.Verify({"--key", other, "--threshold", "2"});
  CHECK(two.exit_code == 1);
  CHECK(two.out.find("2 needed") != std::string::npos);
  // Every byte that is signed: the payload, its type, the signature itself.
  for (size_t at : {0, 17, 200, 400}) {
    auto bent = s.Edited("payload.json", [&](json& j) { j["payload"] = Flip(j["payload"], at); });
    CHECK(s.Verify({"--signature", bent}).exit_code == 1);
  }
  auto type = s.Edited("type.json", [](json& j) { j["payloadType"] = "application/vnd.in-toto+json; v=2"; });
  CHECK(s.Verify({"--signature", type}).exit_code == 1);
  auto sig =
      s.Edited("sig.json", [](json& j) { j["signatures"][0]["sig"] = Flip(j["signatures"][0]["sig"], 5); });
  CHECK(s.Verify({"--signature", sig}).exit_code == 1);
  auto none = s.Edited("none.json", [](json& j) { j["signatures"] = json::array(); });
  CHECK(s.Verify({"--signature", none}).exit_code == 1);
  // Not an envelope, a symlink, a missing one: bad input, never a pass.
  std::string garbage = s.tmp.path() + "/garbage.json";
  std::ofstream(garbage) << "{\n  \"payload\": \n";
  auto g = s.Verify({"--signature", garbage});
  CHECK(g.exit_code == 4);
  CHECK(g.err.find("garbage.json:3:") != std::string::npos);
  std::string link = s.tmp.path() + "/link.json";
  fs::create_symlink(s.envelope, link);
  CHECK(s.Verify({"--signature", link}).exit_code == 4);
  CHECK(s.Verify({"--signature", s.tmp.path() + "/absent.json"}).exit_code != 0);
  // A key that is empty, not a key, or planted as a symlink: bad input, never a pass.
  std::string empty = s.tmp.path() + "/empty.pub";
  std::ofstream(empty) << "";
  CHECK(RunRingfence({"image", "verify", s.image, "--key", empty}).exit_code == 4);
  CHECK(RunRingfence({"image", "verify", s.image, "--key", s.envelope}).exit_code == 4);
  std::string key_link = s.tmp.path() + "/link.pub";
  fs::create_symlink(s.pub, key_link);
  CHECK(RunRingfence({"image", "verify", s.image, "--key", key_link}).exit_code == 4);
  std::string empty_envelope = s.tmp.path() + "/empty.json";
  std::ofstream(empty_envelope) << "";
  CHECK(s.Verify({"--signature", empty_envelope}).exit_code == 4);
  // A private key is not a public one, and a public key does not sign.
  CHECK(RunRingfence({"image", "verify", s.image, "--key", s.key}).exit_code == 4);
  CHECK(RunRingfence({"image", "sign", s.image, "--key", s.pub, "-o", s.tmp.path() + "/x.json"}).exit_code ==
        4);
  // keygen never replaces a key.
  CHECK(
      RunRingfence({"image", "keygen", "--private", s.key, "--public", s.tmp.path() + "/x.pub"}).exit_code ==
      4);
}

TEST_CASE(
    "image: ringfence's signature verifies with securesystemslib, and securesystemslib's with ringfence") {
  std::string tool = "/usr/bin/python3";
  // securesystemslib signs Ed25519 only with PyNaCl (python3-nacl, a Recommends of the package).
  if (RunProcess({tool, "-c", "import securesystemslib.signer, nacl.signing"}).exit_code != 0) {
    // scripts/install-deps.sh installs python3-securesystemslib; CI requires it.
    if (std::getenv("RINGFENCE_REQUIRE_VALIDATORS") != nullptr)
      FAIL("python3-securesystemslib or python3-nacl is not installed");
    WARN("skipped: python3-securesystemslib or python3-nacl is not installed");
    return;
  }
  Signed s;
  std::string script = std::string(RINGFENCE_SOURCE_DIR) + "/tests/support/dsse_securesystemslib.py";
  auto theirs = RunProcess({tool, script, "verify", s.envelope, s.pub});
  INFO(theirs.err);
  CHECK(theirs.out == "verified\n");
  auto bent = s.Edited("bent.json", [](json& j) { j["payload"] = Flip(j["payload"], 30); });
  CHECK(RunProcess({tool, script, "verify", bent, s.pub}).out.rfind("refused", 0) == 0);
  std::string their_envelope = s.tmp.path() + "/theirs.json", their_pub = s.tmp.path() + "/theirs.pub";
  REQUIRE(RunProcess({tool, script, "sign", s.envelope, their_envelope, their_pub}).exit_code == 0);
  auto ours = RunRingfence({"image", "verify", s.image, "--key", their_pub, "--signature", their_envelope});
  INFO(ours.out << ours.err);
  CHECK(ours.exit_code == 0);
  CHECK(RunRingfence({"image", "verify", s.image, "--key", s.pub, "--signature", their_envelope}).exit_code ==
        1);
  std::string their_bent = s.tmp.path() + "/theirs-bent.json";
  {
    json j = json::parse(Slurp(their_envelope));
    j["signatures"][0]["sig"] = Flip(j["signatures"][0]["sig"], 9);
    std::ofstream(their_bent) << j.dump();
  }
  CHECK(RunRingfence({"image", "verify", s.image, "--key", their_pub, "--signature", their_bent}).exit_code ==
        1);
  CHECK(RunProcess({tool, script, "verify", their_bent, their_pub}).out.rfind("refused", 0) == 0);
}

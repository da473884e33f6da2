// `ringfence image build|keygen|sign|verify`: a reproducible image with its SBOM, Ed25519 keys, signed build
// provenance for an image (a DSSE envelope of an in-toto v1 statement, written beside the image), and its
// verification against trusted public keys and the image as it is on disk. Exit 0 verified, 1 refused, 4 bad
// input.
#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "adapters/backends/image_loader.h"
#include "adapters/common/files.h"
#include "adapters/common/sha256.h"
#include "adapters/common/system_clock.h"
#include "adapters/crypto/openssl_keys.h"
#include "adapters/image/guest_image_builder.h"
#include "adapters/image/osv_database.h"
#include "app/image_attestation.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/fleet_command.h"
#include "cli/image_scan.h"
#include "cli/output_options.h"
#include "engine/core/ansi_style.h"
#include "engine/core/civil_time.h"
#include "engine/core/duration.h"
#include "engine/image/image_policy.h"
#include "engine/image/purl.h"
#include "engine/image/recipe.h"
#include "engine/image/sbom.h"
#include "engine/image/vulnerability_scan.h"

namespace ringfence::cli {
namespace {

struct ImageFlags {
  std::string image, key, private_out, public_out, output, signature, format = "text", name;
  std::string recipe, debs, cache, workload;
  std::vector<std::string> keys, inputs;
  size_t threshold = 1;
  BuildProvenance provenance{
      "urn:ringfence:image-build:v1", "urn:ringfence:builder:local", "", "", {}, std::nullopt};
};

// The image directory without a trailing slash, and where its envelope goes by default.
std::string Trimmed(std::string dir) {
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return dir;
}

// What "@workload" means for an image: the bundled workload built for guests (never sanitized).
std::string BundledGuestWorkload() {
  std::error_code ec;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  std::filesystem::path guest = self.parent_path() / "ringfence-workload-guest";
  return std::filesystem::exists(guest, ec) ? guest.string()
                                            : (self.parent_path() / "ringfence-workload").string();
}

std::string DefaultDebCache() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
    return std::string(xdg) + "/ringfence/debs";
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::string(home) + "/.cache/ringfence/debs";
  return "/tmp/ringfence-debs";
}

Result<int64_t> SourceDateEpoch() {
  const char* env = std::getenv("SOURCE_DATE_EPOCH");
  if (env == nullptr || *env == '\0') return int64_t{0};
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(env, &end, 10);
  if (*end != '\0' || errno != 0 || v < 0 || v > 253402300799LL)
    return Error::InvalidInput("SOURCE_DATE_EPOCH='" + std::string(env) +
                               "' is not a count of seconds since 1970");
  return static_cast<int64_t>(v);
}

int Build(const ImageFlags& f) {
  std::string dir = Trimmed(f.recipe);
  std::string recipe_path = dir + "/" + kImageRecipeName;
  auto text = ReadFileNoFollow(recipe_path);
  if (!text) return Fail("image", text.error());
  auto recipe = ParseImageRecipe(*text, recipe_path);
  if (!recipe) return Fail("image", recipe.error());
  auto epoch = SourceDateEpoch();
  if (!epoch) return Fail("image", epoch.error());
  image::GuestBuildOptions o;
  o.recipe_dir = dir;
  o.out_dir = Trimmed(f.output.empty() ? recipe->name + "-" + recipe->version : f.output);
  o.bundled_workload = f.workload.empty() ? BundledGuestWorkload() : f.workload;
  o.debs = {f.cache.empty() ? DefaultDebCache() : f.cache, f.debs};
  o.source_date_epoch = *epoch;
  auto contents = image::BuildGuestImage(*recipe, o);
  if (!contents) return Fail("image", contents.error());
  auto image = backends::LoadImage(o.out_dir);
  if (!image) return Fail("image", image.error());
  contents->digest = image->digest;
  std::string sbom = o.out_dir + ".spdx.json";
  if (auto st = WriteAtomically(sbom, SpdxJson(*contents)); !st) return Fail("image", st.error());
  ::chmod(sbom.c_str(), 0644);
  if (!Output().quiet) {
    std::cout << "built " << recipe->name << " " << recipe->version << ": " << image->digest << "\n  "
              << o.out_dir << " (" << contents->files.size() << " files from " << contents->packages.size()
              << " Debian packages)\n  SBOM " << sbom << "\n";
    if (std::getenv("SOURCE_DATE_EPOCH") == nullptr)
      std::cout
          << "  note: SOURCE_DATE_EPOCH is not set: timestamps are 1970-01-01 (set it to the source's commit "
             "time)\n";
  }
  return kExitOk;
}

// The digest a policy pins a vulnerability database by, and what it holds.
int Database(const ImageFlags& f) {
  auto db = image::LoadOsvDatabase(f.image);
  if (!db) return Fail("image", db.error());
  AdvisoryIndex index(std::move(db->records));
  if (f.format == "json") {
    std::cout << nlohmann::json({{"digest", db->digest},
                                 {"advisories", index.size()},
                                 {"newest", FormatRfc3339Ms(index.newest_modified_ms())}})
                     .dump(2)
              << "\n";
  } else {
    std::cout << db->digest << "  " << index.size() << " advisories, newest record "
              << FormatUtcSeconds(index.newest_modified_ms()) << "Z\n";
  }
  return kExitOk;
}

// The policy as the loader reads it: errors with positions, or what it requires.
int Policy(const ImageFlags& f) {
  auto text = ReadFileNoFollow(f.image);
  if (!text) return Fail("image", text.error());
  auto p = ParseImagePolicy(*text, f.image);
  if (!p) return Fail("image", p.error());
  if (!Output().quiet)
    std::cout << f.image << ": valid; " << p->threshold << " of " << p->signers.size()
              << " signer(s), database " << p->database_digest << ", fail on " << ToString(p->scan.fail_on)
              << ", max age " << (p->max_age_ms > 0 ? FormatDurationMs(p->max_age_ms) : std::string("none"))
              << ", " << p->egress.size() << " egress rule(s)\n";
  return kExitOk;
}

int Keygen(const ImageFlags& f) {
  std::error_code ec;
  for (const auto& path : {f.private_out, f.public_out}) {
    if (std::filesystem::symlink_status(path, ec).type() != std::filesystem::file_type::not_found)
      return Fail("image", Error::InvalidInput(path + " exists: not replaced"));
  }
  auto pair = crypto::GenerateEd25519();
  if (!pair) return Fail("image", pair.error());
  if (auto st = WriteAtomically(f.private_out, pair->private_pem); !st)
    return Fail("image", st.error());  // 0600
  if (auto st = WriteAtomically(f.public_out, pair->public_pem); !st) return Fail("image", st.error());
  ::chmod(f.public_out.c_str(), 0644);
  auto key = crypto::LoadPublicKey(pair->public_pem, f.public_out);
  if (!key) return Fail("image", key.error());
  std::cout << "Ed25519 key " << (*key)->KeyId() << ": private " << f.private_out << " (0600), public "
            << f.public_out << "\n";
  return kExitOk;
}

int Sign(ImageFlags& f) {
  auto image = backends::LoadImage(f.image);
  if (!image) return Fail("image", image.error());
  auto pem = ReadFileNoFollow(f.key);
  if (!pem) return Fail("image", pem.error());
  auto key = crypto::LoadPrivateKey(*pem, f.key);
  if (!key) return Fail("image", key.error());
  for (const auto& input : f.inputs) {  // URI=sha256:HEX
    auto eq = input.rfind("=sha256:");
    if (eq == std::string::npos || input.size() - eq - 8 != 64)
      return Fail("image", Error::InvalidInput("--input " + input + ": expected URI=sha256:<64 hex digits>"));
    f.provenance.inputs.push_back({input.substr(0, eq), input.substr(eq + 8)});
  }
  // A built image's SBOM beside it names the .debs it was made from: they are the build's inputs.
  std::string sbom_path = Trimmed(f.image) + ".spdx.json";
  if (auto sbom_text = ReadFileNoFollow(sbom_path)) {
    auto sbom = ReadSpdx(*sbom_text, sbom_path);
    if (!sbom) return Fail("image", sbom.error());
    if (sbom->digest != image->digest)
      return Fail("image", Error::InvalidInput(sbom_path + " describes " + sbom->digest +
                                               ", not this image (" + image->digest + "): rebuild it"));
    for (const auto& p : sbom->packages)
      if (!p.deb_sha256.empty()) f.provenance.inputs.push_back({DebianPurl(p), p.deb_sha256});
    f.provenance.inputs.push_back(
        {"file:" + std::filesystem::path(sbom_path).filename().string(), Sha256Hex(*sbom_text)});
  }
  f.provenance.finished_ms = UnixNowMs();  // signing ends the build: the image's age counts from here
  std::string name = f.name.empty() ? std::filesystem::path(Trimmed(f.image)).filename().string() : f.name;
  auto envelope = app::SignImageProvenance(*image, name, f.provenance, **key);
  if (!envelope) return Fail("image", envelope.error());
  std::string out = f.output.empty() ? Trimmed(f.image) + ".intoto.json" : f.output;
  if (auto st = WriteAtomically(out, *envelope); !st) return Fail("image", st.error());
  if (!Output().quiet)
    std::cout << "signed " << image->digest << " (" << name << ") with key " << (*key)->KeyId() << ": " << out
              << "\n";
  return kExitOk;
}

int Verify(const ImageFlags& f) {
  auto image = backends::LoadImage(f.image);
  if (!image) return Fail("image", image.error());
  std::vector<std::unique_ptr<VerifyingKey>> owned;
  std::vector<const VerifyingKey*> trusted;
  for (const auto& path : f.keys) {
    auto pem = ReadFileNoFollow(path);
    if (!pem) return Fail("image", pem.error());
    auto key = crypto::LoadPublicKey(*pem, path);
    if (!key) return Fail("image", key.error());
    trusted.push_back(key->get());
    owned.push_back(std::move(*key));
  }
  std::string source = f.signature.empty() ? Trimmed(f.image) + ".intoto.json" : f.signature;
  auto text = ReadFileNoFollow(source);
  if (!text) return Fail("image", text.error());
  auto v = app::VerifyImageProvenance(*image, *text, source, trusted, f.threshold);
  if (!v) return Fail("image", v.error());
  const auto& p = v->statement.provenance;
  if (f.format == "json") {
    nlohmann::json inputs = nlohmann::json::array();
    for (const auto& i : p.inputs) inputs.push_back({{"uri", i.name}, {"sha256", i.sha256}});
    nlohmann::json j = {{"image", image->location},
                        {"digest", image->digest},
                        {"verified", v->verified},
                        {"reasons", v->reasons}};
    if (v->verified) {
      j["provenance"] = {{"builder", p.builder_id},
                         {"build_type", p.build_type},
                         {"source_repo", p.source_repo},
                         {"source_commit", p.source_commit},
                         {"inputs", inputs}};
    }
    std::cout << j.dump(2) << "\n";
  } else if (v->verified) {
    std::cout << Paint("verified", Tone::kGood, Output().color_stdout) << ": " << image->digest
              << " signed by " << f.threshold << " trusted key(s); built by " << p.builder_id
              << (p.source_commit.empty() ? "" : " from " + p.source_repo + "@" + p.source_commit) << ", "
              << p.inputs.size() << " input(s)\n";
  } else {
    std::cout << Paint("REFUSED", Tone::kBad, Output().color_stdout) << ": " << image->digest << "\n";
    for (const auto& r : v->reasons) std::cout << "  " << r << "\n";
  }
  return v->verified ? kExitOk : kExitDenied;
}

}  // namespace

Runner SetupImage(CLI::App& app) {
  auto f = std::make_shared<ImageFlags>();
  app.require_subcommand(1);
  auto* build =
      app.add_subcommand("build", "Build a micro VM image reproducibly from DIR/image.yaml, with its SBOM");
  build->add_option("recipe", f->recipe, "Directory holding image.yaml")->required();
  build->add_option("-o,--output", f->output,
                    "Image directory to write (default: NAME-VERSION); the SBOM goes beside it");
  build->add_option("--debs", f->debs,
                    "Offline: take Debian packages from this directory only, never the network");
  build->add_option("--cache", f->cache,
                    "Where downloaded .debs are kept (default: ~/.cache/ringfence/debs)");
  build->add_option("--workload", f->workload, "What @workload means (default: the bundled guest workload)");
  auto [scan, run_scan] = AddImageScan(app);
  auto* database =
      app.add_subcommand("database", "Print a vulnerability database's digest (what a policy pins)");
  database->add_option("dir", f->image, "Directory of OSV records (*.json)")->required();
  database->add_option("--format", f->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  auto* policy = app.add_subcommand(
      "policy", "Check an image policy file (.ringfence/images.yaml) as admission reads it");
  policy->add_option("file", f->image, "The policy file")->required();
  auto* keygen =
      app.add_subcommand("keygen", "Make an Ed25519 key pair (PEM: PKCS#8 private 0600, SPKI public)");
  keygen->add_option("--private", f->private_out, "Private key file to write")->required();
  keygen->add_option("--public", f->public_out, "Public key file to write")->required();
  auto* sign = app.add_subcommand("sign", "Sign an image's build provenance (in-toto v1 + SLSA v1, in DSSE)");
  sign->add_option("image", f->image, "Image directory (manifest.yaml and its files)")->required();
  sign->add_option("--key", f->key, "Ed25519 private key (PEM)")->required();
  sign->add_option("--name", f->name, "The subject's name (default: the directory's name)");
  sign->add_option("--builder", f->provenance.builder_id, "Builder id (a URI)")->capture_default_str();
  sign->add_option("--source-repo", f->provenance.source_repo, "Source repository the image was built from");
  sign->add_option("--source-commit", f->provenance.source_commit, "Source commit the image was built from");
  sign->add_option("--input", f->inputs, "A build input, URI=sha256:HEX (repeatable)");
  sign->add_option("-o,--output", f->output, "Envelope file (default: IMAGE.intoto.json beside the image)");
  auto* verify = app.add_subcommand("verify", "Verify an image's signed provenance against trusted keys");
  verify->add_option("image", f->image, "Image directory")->required();
  verify->add_option("--key", f->keys, "A trusted public key (PEM), repeatable")->required();
  verify->add_option("--threshold", f->threshold, "Distinct trusted keys that must have signed")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  verify->add_option("--signature", f->signature, "Envelope file (default: IMAGE.intoto.json)");
  verify->add_option("--format", f->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  auto revoke_flags = std::make_shared<RevokeFlags>();
  auto* revoke = app.add_subcommand(
      "revoke", "Revoke an image: end its sessions, templates and rollouts; nothing starts on it again");
  AddRevokeFlags(*revoke, revoke_flags);
  return [f, build, scan = scan, run_scan = run_scan, database, policy, keygen, sign, verify, revoke,
          revoke_flags]() -> int {
    if (revoke->parsed()) return Revoke(*revoke_flags);
    if (build->parsed()) return Build(*f);
    if (policy->parsed()) return Policy(*f);
    if (database->parsed()) return Database(*f);
    if (scan->parsed()) return run_scan();
    if (keygen->parsed()) return Keygen(*f);
    if (sign->parsed()) return Sign(*f);
    if (verify->parsed()) return Verify(*f);
    return kExitInvalidInput;
  };
}

}  // namespace ringfence::cli

// Admission by `rollout start` on real images, keys and a real repository: the policy committed
// at the revision named is the one applied (an uncommitted edit loosens nothing); a signed,
// scanned image within policy is admitted and the admission is journaled and audited; every
// refusal (unsigned, SBOM changed after signing, a critical finding without VEX, a database that
// is not the pinned one or is stale, undeclared egress, a wrong builder) exits 9 with its
// reason before any session starts, and is journaled as not_admitted in an intact audit log. An
// unsafe baseline is reported, not refused.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/git_fixture.h"
#include "tests/support/image_fixture.h"
#include "tests/support/run_process.h"

using namespace ringfence::testing;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string kSourceRoot = RINGFENCE_SOURCE_DIR;
const std::string kOsvDatabase = kSourceRoot + "/examples/vulnerabilities/osv";

struct World {
  TempRepo repo;
  TempDir tmp;
  std::string images = tmp.path() + "/images", state = tmp.path() + "/state",
              key = tmp.path() + "/release.pem";
  std::string digest;

  World() {
    repo.Write("README.md", "shop\n");
    repo.Commit("shop: initial import");
    for (const char* v : {"1.4", "1.5", "1.6"})
      Build(v, v == std::string("1.6") ? "egress: [\"203.0.113.7:443\"]\n" : "");
    fs::create_directories(repo.Abs(".ringfence/keys"));
    REQUIRE(RunRingfence(
                {"image", "keygen", "--private", key, "--public", repo.Abs(".ringfence/keys/release.pub")})
                .exit_code == 0);
    for (const char* v : {"1.4", "1.5"}) Sign(v);
    auto db = RunRingfence({"image", "database", kOsvDatabase, "--format", "json"});
    REQUIRE(db.exit_code == 0);
    digest = json::parse(db.out)["digest"];
    repo.Write(".ringfence/vex/zlib.openvex.json",
               Slurp(kSourceRoot + "/examples/vulnerabilities/zlib-minizip.openvex.json"));
    repo.Write(".ringfence/images.yaml", Policy());
    repo.Commit("platform: image policy");
  }
  void Build(const std::string& v, const std::string& extra) {
    auto r = BuildImage(WriteShopRecipe(tmp.path(), v, extra), images + "/shop-" + v);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }
  void Sign(const std::string& v) {
    auto r = RunRingfence({"image", "sign", images + "/shop-" + v, "--key", key, "--source-repo",
                           "https://git.example.invalid/shop", "--source-commit", "abc123"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }
  std::string Policy(const std::string& fail_on = "high", const std::string& db_age = "3650d",
                     const std::string& pinned = "", bool vex = true) const {
    return "apiVersion: ringfence/v1\nkind: ImagePolicy\nsigners: [{name: release, key: "
           ".ringfence/keys/release.pub}]\n"
           "provenance: {builders: [\"urn:ringfence:builder:local\"], source_repositories: "
           "[\"https://git.example.invalid/shop\"]}\n"
           "scan:\n  database: {path: " +
           kOsvDatabase + ", digest: \"" + (pinned.empty() ? digest : pinned) + "\", max_age: " + db_age +
           "}\n  fail_on: " + fail_on + (vex ? "\n  vex: [.ringfence/vex/zlib.openvex.json]" : "") +
           "\nmax_age: 30d\negress: []\n";
  }
  // A plan whose candidate is `candidate`; one step at full weight, so an admitted rollout is short.
  std::string Plan(const std::string& candidate) const {
    std::string path = tmp.path() + "/plan-" + candidate + ".yaml";
    std::ofstream(path)
        << "apiVersion: ringfence/v1\nkind: RolloutPlan\nservice: shop\nbackend: process\n"
        << "baseline: {image: " << images << "/shop-1.4}\ncandidate: {image: " << images << "/shop-"
        << candidate << "}\nsessions: {min: 1, warm_window: 1s}\nsteps:\n  - {weight: 100, bake: 0s}\n"
        << "judgement: none\n"
        << "analysis:\n  interval: 200ms\n  metrics:\n    - {name: errors, judge: {type: threshold, "
           "absolute: 0.5}}\n";
    return path;
  }
  ProcessResult Start(const std::string& candidate, std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {"rollout",       "--state",       state,       "start",
                                     Plan(candidate), "--policy-repo", repo.path(), "--no-load"};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunRingfence(args);
  }
  json Status() const {
    return json::parse(RunRingfence({"rollout", "--state", state, "status", "--format", "json"}).out);
  }
  bool SessionsStarted() const {
    std::error_code ec;
    return fs::exists(state + "/sessions") && !fs::is_empty(state + "/sessions", ec);
  }
};

void CheckRefused(const World& w, const ProcessResult& r, const std::string& reason) {
  INFO(r.err);
  CHECK(r.exit_code == 9);
  CHECK(r.err.find("NOT ADMITTED: candidate") != std::string::npos);
  CHECK(r.err.find(reason) != std::string::npos);
  CHECK_FALSE(w.SessionsStarted());
  json status = w.Status();
  REQUIRE(status.size() >= 1);
  CHECK(status[0]["state"] == "not_admitted");
  auto audit = RunRingfence({"audit", "verify", "--state", w.state});
  INFO(audit.out << audit.err);
  CHECK(audit.exit_code == 0);
}

}  // namespace

TEST_CASE("admission: a signed image within policy is admitted, and the decision is journaled and audited") {
  World w;
  auto r = w.Start("1.5");
  INFO(r.err);
  CHECK(r.exit_code == 0);  // promoted: the policy admitted it and nothing failed
  CHECK(r.err.find("admitted: candidate 1.5") != std::string::npos);
  CHECK(r.err.find("admitted: baseline 1.4") != std::string::npos);
  std::string audit = Slurp(w.state + "/audit.log");
  CHECK(audit.find("admission") != std::string::npos);
  CHECK(audit.find(w.digest) != std::string::npos);  // the database it was scanned against
}

TEST_CASE("admission: unsigned, undeclared egress, and a changed SBOM are refused before any session") {
  World w;
  CheckRefused(w, w.Start("1.6"), "unsigned:");
  CHECK(w.Start("1.6").err.find("egress: the image declares 203.0.113.7:443") != std::string::npos);
  // The SBOM edited after signing (a vulnerable package taken out of it).
  std::string sbom = w.images + "/shop-1.5.spdx.json";
  std::string text = Slurp(sbom);
  auto at = text.find("zlib1g");
  REQUIRE(at != std::string::npos);
  text.replace(at, 6, "zlibXg");
  std::ofstream(sbom) << text;
  CheckRefused(w, w.Start("1.5"), "changed after it was signed");
}

TEST_CASE("admission: the scan policy, the database pin and its age are enforced") {
  World w;
  // Without the VEX statement the zlib finding (critical, no fix) fails the policy.
  w.repo.Write(".ringfence/images.yaml", w.Policy("high", "3650d", "", false));
  w.repo.Commit("policy: no VEX");
  CheckRefused(w, w.Start("1.5"), "DEBIAN-CVE-2023-45853 (critical 9.8) in zlib1g");
  w.repo.Write(".ringfence/images.yaml", w.Policy("high", "7d"));
  w.repo.Commit("policy: a fresh database");
  CheckRefused(w, w.Start("1.5"), "is stale");
  w.repo.Write(".ringfence/images.yaml", w.Policy("high", "3650d", "sha256:" + std::string(64, '0')));
  w.repo.Commit("policy: another pin");
  CheckRefused(w, w.Start("1.5"), "not the pinned");
}

TEST_CASE("admission: the committed policy applies, not the work tree, and a broken policy is bad input") {
  World w;
  // Loosened in the work tree only (no signer can be trusted less than the committed one): ignored.
  w.repo.Write(".ringfence/images.yaml", w.Policy("critical"));
  w.repo.Write(".ringfence/keys/release.pub",
               "-----BEGIN PUBLIC KEY-----\nbogus\n-----END PUBLIC KEY-----\n");
  auto r = w.Start("1.6");
  CHECK(r.exit_code == 9);
  w.repo.Git({"checkout", "--", "."});
  // A policy at another revision is read from there: HEAD~1 has none, and a policy the operator
  // named must be there (bad input, nothing started).
  auto before = w.Start("1.6", {"--policy-rev", "HEAD~1"});
  INFO(before.err);
  CHECK(before.exit_code == 4);
  CHECK(before.err.find("no .ringfence/images.yaml at HEAD~1") != std::string::npos);
  CHECK_FALSE(w.SessionsStarted());
  // A policy that does not parse stops the start as bad input (exit 4), naming the file.
  w.repo.Write(".ringfence/images.yaml", "apiVersion: ringfence/v1\nkind: ImagePolicy\nsigners: []\n");
  w.repo.Commit("policy: broken");
  auto broken = w.Start("1.5");
  CHECK(broken.exit_code == 4);
  CHECK(broken.err.find("HEAD:.ringfence/images.yaml:3:") != std::string::npos);
}

TEST_CASE("admission: an unsafe baseline is reported, and the candidate still judged on its own") {
  World w;
  fs::remove(w.images + "/shop-1.4.intoto.json");
  auto r = w.Start("1.5");
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("UNSAFE BASELINE: baseline 1.4") != std::string::npos);
  CHECK(r.err.find("a rollback would return to an image the policy does not admit") != std::string::npos);
}

TEST_CASE("admission: an envelope or SBOM beside the image that is a symlink is refused, not followed") {
  World w;
  // Planted links to files that would verify: read through, they would admit the image.
  for (const char* suffix : {".spdx.json", ".intoto.json"}) {
    std::string path = w.images + "/shop-1.5" + suffix;
    fs::rename(path, path + ".real");
    fs::create_symlink(path + ".real", path);
  }
  auto r = w.Start("1.5");
  CheckRefused(w, r, "symlink");
  CHECK(r.err.find("SBOM:") != std::string::npos);
  CHECK(r.err.find("unsigned:") != std::string::npos);
}

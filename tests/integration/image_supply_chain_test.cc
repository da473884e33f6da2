// The image supply chain on real components: `ringfence image build` run twice in different
// directories, umasks and environments gives the same bytes (and reprotest agrees); the SBOM
// validates against SPDX 2.3 and names every file with the digest it has on disk and every
// package as dpkg records it; a kernel comes from a real .deb offline; `image scan` decides every
// advisory of the fixture database as `dpkg --compare-versions` does, honours VEX, and writes
// SARIF the multitool accepts; `rollout start` admits a signed, scanned image and refuses,
// before any session, an unsigned one, one whose SBOM changed after signing, one scanned against
// a stale or unpinned database, one reaching undeclared egress, and reads the policy from the
// committed revision, never the work tree.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "adapters/common/sha256.h"
#include "adapters/debian/apt_versions.h"
#include "engine/image/purl.h"
#include "tests/support/git_fixture.h"
#include "tests/support/image_fixture.h"
#include "tests/support/required_tool.h"
#include "tests/support/run_process.h"
#include "tests/support/sanitizers.h"

using namespace ringfence::testing;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string kSource = RINGFENCE_SOURCE_DIR;
const std::string kDb = kSource + "/examples/vulnerabilities/osv";
const std::string kVex = kSource + "/examples/vulnerabilities/zlib-minizip.openvex.json";
const std::string kSpecs = kSource + "/../shared/specs";  // the published schemas, read in place

// The schema at `rel` under the specs, or "" (with a warning) where they are not beside the checkout.
std::string Spec(const std::string& rel) {
  std::string path = kSpecs + "/" + rel;
  if (fs::exists(path)) return path;
  WARN("skipped: " << path << " is missing (the published schemas live in ../shared/specs)");
  return "";
}
constexpr const char* kJudgedAt = "2026-12-01T00:00:00Z";  // the fixture's VEX holds until 2027-11-30

std::string Recipe(const TempDir& dir, const std::string& version, const std::string& extra = "") {
  return WriteShopRecipe(dir.path(), version, extra);
}

ProcessResult Build(const std::string& recipe, const std::string& out, std::vector<std::string> env = {},
                    const std::string& shell_prefix = "") {
  return BuildImage(recipe, out, std::move(env), shell_prefix);
}

std::string Field(const std::string& cmd_out) { return cmd_out.substr(0, cmd_out.find('\n')); }

}  // namespace

TEST_CASE(
    "image build: the same inputs give the same bytes anywhere, and the SBOM is valid SPDX 2.3 and true") {
  TempDir tmp;
  std::string recipe = Recipe(tmp, "1.5");
  auto a = Build(recipe, tmp.path() + "/a/shop");
  INFO(a.err);
  REQUIRE(a.exit_code == 0);
  // Another directory, umask, time zone, locale and an LD_PRELOAD-free but different PATH.
  auto b = Build(recipe, tmp.path() + "/elsewhere/deeper/shop", {"TZ=Pacific/Kiritimati", "LC_ALL=C.UTF-8"},
                 "umask 077; cd /; ");
  INFO(b.err);
  REQUIRE(b.exit_code == 0);
  for (const char* f : {"manifest.yaml", "initrd.cpio.gz", "bin/ringfence-workload"}) {
    INFO(f);
    CHECK(Slurp(tmp.path() + "/a/shop/" + f) == Slurp(tmp.path() + "/elsewhere/deeper/shop/" + f));
  }
  std::string sbom_path = tmp.path() + "/a/shop.spdx.json";
  CHECK(Slurp(sbom_path) == Slurp(tmp.path() + "/elsewhere/deeper/shop.spdx.json"));
  CHECK(Slurp(sbom_path).find(tmp.path()) == std::string::npos);  // no build path leaks

  if (std::string schema = Spec("spdx-2.3/spdx-schema.json"); !schema.empty()) {
    auto valid = RunProcess({RINGFENCE_PYTHON, "-c",
                             "import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[1])), "
                             "json.load(open(sys.argv[2])))",
                             sbom_path, schema});
    INFO(valid.err);
    CHECK(valid.exit_code == 0);
  }

  json sbom = json::parse(Slurp(sbom_path));
  std::map<std::string, std::string> sha;  // fileName -> sha256
  for (const auto& f : sbom["files"])
    for (const auto& c : f["checksums"])
      if (c["algorithm"] == "SHA256") sha[f["fileName"]] = c["checksumValue"];
  for (const char* f : {"manifest.yaml", "initrd.cpio.gz", "bin/ringfence-workload"}) {
    INFO(f);
    CHECK(sha["./" + std::string(f)] == ringfence::Sha256Hex(Slurp(tmp.path() + "/a/shop/" + f)));
  }
  // The initramfs holds exactly the files the SBOM lists inside it (cpio reads the archive).
  auto listing =
      RunProcess({"/bin/sh", "-c", "zcat " + tmp.path() + "/a/shop/initrd.cpio.gz | busybox cpio -t"});
  REQUIRE(listing.exit_code == 0);
  std::set<std::string> in_sbom, in_archive;
  for (const auto& [name, _] : sha)
    if (name.rfind("./initrd.cpio.gz!/", 0) == 0) in_sbom.insert(name.substr(18));
  std::string line;
  std::istringstream lines(listing.out);
  while (std::getline(lines, line))
    if (!line.empty()) in_archive.insert(line);
  for (const auto& f : in_sbom) CHECK(in_archive.count(f) == 1);
  CHECK(in_sbom.count("bin/busybox") == 1);
  CHECK(in_sbom.count("init") == 1);
  // Each package as dpkg records it, with its purl.
  std::map<std::string, std::string> purls;
  for (const auto& p : sbom["packages"])
    if (p.contains("externalRefs")) purls[p["name"]] = p["externalRefs"][0]["referenceLocator"];
  REQUIRE(purls.count("libc6") == 1);
  auto libc = RunProcess({"dpkg-query", "-W", "-f", "${Version}\n${source:Package}", "libc6"});
  auto pkg = ringfence::DebianPackageFromPurl(purls["libc6"]);
  REQUIRE(pkg);
  CHECK(pkg->version == Field(libc.out));
  CHECK(pkg->source == libc.out.substr(libc.out.find('\n') + 1));
  CHECK(purls.count("busybox-static") == 1);
}

TEST_CASE("image build: reprotest finds it reproducible under a varied environment") {
#if RINGFENCE_ASAN
  WARN("skipped under the sanitizers: reprotest's faked clock preloads a library ahead of ASan's runtime");
  return;
#endif
  if (!HaveTool("reprotest")) return;
  TempDir tmp;
  fs::create_directories(tmp.path() + "/src");
  std::string recipe = Recipe(tmp, "1.5");
  fs::copy(recipe + "/image.yaml", tmp.path() + "/src/image.yaml");
  std::string build =
      std::string(RINGFENCE_BINARY) + " image build . -o out/shop --workload " + RINGFENCE_WORKLOAD;
  // Varied: environment, build path, home, locales, time (faketime), time zone, umask, PATH,
  // number of CPUs. Not here: kernel, user/group, domain/host (need a container) and file
  // ordering (needs FUSE for disorderfs).
  auto r = RunProcess({"reprotest", "--vary=-user_group,-domain_host,-kernel,-fileordering", build,
                       "out/shop/* out/shop.spdx.json"},
                      tmp.path() + "/src", {"SOURCE_DATE_EPOCH=1764633600"});
  INFO(r.out.substr(r.out.size() > 4000 ? r.out.size() - 4000 : 0) << r.err.substr(0, 2000));
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("Reproduction successful") != std::string::npos);
}

TEST_CASE(
    "image build: a kernel from a directory of .debs, offline, with its modules and Built-Using source") {
  TempDir tmp;
  // A real .deb (dpkg-deb --build) holding an xz-compressed kernel payload behind a header, as a
  // bzImage does, and the virtio modules.
  std::string root = tmp.path() + "/pkg";
  fs::create_directories(root + "/DEBIAN");
  fs::create_directories(root + "/boot");
  std::ofstream(root + "/DEBIAN/control")
      << "Package: linux-image-9.9.9-1-amd64\nVersion: 9.9.9-1\nArchitecture: amd64\n"
         "Maintainer: t <t@example.invalid>\nBuilt-Using: linux (= 9.9.9-1)\n"
         "Source: linux-signed-amd64 (9.9.9+1)\nDescription: test kernel\n";
  std::string kernel_bytes(200000, '\0');
  for (size_t i = 0; i < kernel_bytes.size(); ++i) kernel_bytes[i] = static_cast<char>((i * 7919) % 251);
  std::ofstream(tmp.path() + "/vmlinux.raw", std::ios::binary) << kernel_bytes;
  REQUIRE(RunProcess({"xz", "-k", "-9", tmp.path() + "/vmlinux.raw"}).exit_code == 0);
  std::ofstream(root + "/boot/vmlinuz-9.9.9-1-amd64", std::ios::binary)
      << std::string("MZ bzImage setup header ...", 27) << Slurp(tmp.path() + "/vmlinux.raw.xz");
  for (const char* m : {"virtio_ring", "virtio", "virtio_mmio", "failover", "net_failover", "virtio_net"}) {
    std::string dir = root + "/lib/modules/9.9.9-1-amd64/kernel/drivers/" + m;
    fs::create_directories(dir);
    std::ofstream(dir + "/" + m + ".ko") << "module " << m;
  }
  fs::create_directories(tmp.path() + "/debs");
  auto deb = RunProcess({"dpkg-deb", "--root-owner-group", "--build", root, tmp.path() + "/debs/kernel.deb"});
  INFO(deb.err);
  REQUIRE(deb.exit_code == 0);
  std::string recipe = Recipe(tmp, "2.0", "kernel: \"linux-image-*-amd64\"\n");
  std::string cmd = std::string(RINGFENCE_BINARY) + " image build " + recipe + " -o " + tmp.path() +
                    "/guest --workload " + RINGFENCE_WORKLOAD + " --debs " + tmp.path() + "/debs";
  auto r = RunProcess({"/bin/sh", "-c", cmd}, "",
                      {"http_proxy=http://127.0.0.1:9", "https_proxy=http://127.0.0.1:9"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(Slurp(tmp.path() + "/guest/vmlinux") == kernel_bytes);  // the XZ payload, unpacked
  std::string sbom = Slurp(tmp.path() + "/guest.spdx.json");
  CHECK(sbom.find("pkg:deb/debian/"
                  "linux-image-9.9.9-1-amd64@9.9.9-1?arch=amd64&distro=debian-12&upstream=linux-signed-"
                  "amd64%409.9.9%2B1") != std::string::npos);
  CHECK(sbom.find("pkg:deb/debian/linux@9.9.9-1?arch=source&distro=debian-12") != std::string::npos);
  CHECK(sbom.find("./initrd.cpio.gz!/lib/modules/virtio_net.ko") != std::string::npos);
  CHECK(sbom.find(ringfence::Sha256Hex(Slurp(tmp.path() + "/debs/kernel.deb"))) != std::string::npos);
  // A recipe whose kernel lacks a module it asks for is refused, naming it.
  std::string missing = Recipe(tmp, "2.1", "kernel: \"linux-image-*-amd64\"\nmodules: [virtio_blk]\n");
  auto m = RunProcess({"/bin/sh", "-c",
                       std::string(RINGFENCE_BINARY) + " image build " + missing + " -o " + tmp.path() +
                           "/g2 --workload " + RINGFENCE_WORKLOAD + " --debs " + tmp.path() + "/debs"});
  CHECK(m.exit_code == 4);
  CHECK(m.err.find("has no module virtio_blk.ko") != std::string::npos);
  // An output directory holding anything a build does not write is never replaced.
  std::ofstream(tmp.path() + "/guest/notes.txt") << "mine";
  auto again = RunProcess({"/bin/sh", "-c", cmd});
  CHECK(again.exit_code == 4);
  CHECK(fs::exists(tmp.path() + "/guest/notes.txt"));
}

TEST_CASE("image scan: libapt-pkg's order is dpkg's (dpkg --compare-versions)") {
  std::vector<std::string> versions = {"0",
                                       "1.0",
                                       "1.0-1",
                                       "1.0-1+b1",
                                       "1.0-1~bpo1",
                                       "1.0~rc1-1",
                                       "1:0.1",
                                       "2:0",
                                       "1.0a-1",
                                       "1.0+dfsg-1",
                                       "1.0.1-1",
                                       "1.00-1",
                                       "1.0-10",
                                       "1.0-9",
                                       "2.36-9+deb12u3",
                                       "2.36-9+deb12u10",
                                       "3.0.11-1~deb12u2",
                                       "3.0.11-1",
                                       "1:1.2.13.dfsg-1",
                                       "1.2.13.dfsg-1",
                                       "7.88.1-10+deb12u4",
                                       "1.0-1.1"};
  ringfence::debian::AptVersionOrder order;
  int compared = 0;
  for (const auto& a : versions) {
    for (const auto& b : versions) {
      int ours = order.Compare(a, b);
      int dpkg_lt = RunProcess({"dpkg", "--compare-versions", a, "lt", b}).exit_code;
      int dpkg_eq = RunProcess({"dpkg", "--compare-versions", a, "eq", b}).exit_code;
      INFO(a << " vs " << b);
      CHECK((ours < 0) == (dpkg_lt == 0));
      CHECK((ours == 0) == (dpkg_eq == 0));
      ++compared;
    }
  }
  CHECK(compared == static_cast<int>(versions.size() * versions.size()));
}

TEST_CASE("image scan: every decision on the fixture database is dpkg's, with VEX, JSON and SARIF") {
  TempDir tmp;
  // An image of old package versions: which advisories hit is decided here by dpkg.
  struct Pkg {
    const char* name;
    const char* version;
    const char* source;
  } old[] = {{"libc6", "2.36-9+deb12u1", "glibc"},      {"libssl3", "3.0.11-1~deb12u1", "openssl"},
             {"zlib1g", "1:1.2.13.dfsg-1", "zlib"},     {"busybox-static", "1:1.35.0-4", "busybox"},
             {"libcurl4", "7.88.1-10+deb12u5", "curl"}, {"openssh-server", "1:9.2p1-2+deb12u3", "openssh"},
             {"libnghttp2-14", "1.52.0-1", "nghttp2"}};
  json packages = json::array(), rels = json::array();
  packages.push_back({{"SPDXID", "SPDXRef-Image"}, {"name", "old"}, {"downloadLocation", "NOASSERTION"}});
  rels.push_back({{"spdxElementId", "SPDXRef-DOCUMENT"},
                  {"relationshipType", "DESCRIBES"},
                  {"relatedSpdxElement", "SPDXRef-Image"}});
  int i = 0;
  for (const auto& p : old) {
    ringfence::DebianPackage d{p.name, p.version, "amd64", p.source, p.version, "", "debian-12", {}};
    packages.push_back({{"SPDXID", "SPDXRef-P" + std::to_string(i++)},
                        {"name", p.name},
                        {"downloadLocation", "NOASSERTION"},
                        {"externalRefs",
                         {{{"referenceCategory", "PACKAGE-MANAGER"},
                           {"referenceType", "purl"},
                           {"referenceLocator", ringfence::DebianPurl(d)}}}}});
  }
  json doc = {{"spdxVersion", "SPDX-2.3"},
              {"dataLicense", "CC0-1.0"},
              {"SPDXID", "SPDXRef-DOCUMENT"},
              {"name", "old"},
              {"documentNamespace", "urn:test:old"},
              {"creationInfo", {{"created", "2026-01-01T00:00:00Z"}, {"creators", {"Tool: test"}}}},
              {"packages", packages},
              {"relationships", rels}};
  std::string sbom = tmp.path() + "/old.spdx.json";
  std::ofstream(sbom) << doc.dump(2);

  std::set<std::string> expected;  // "ID package"
  for (const auto& entry : fs::directory_iterator(kDb)) {
    json rec = json::parse(Slurp(entry.path()));
    for (const auto& a : rec["affected"]) {
      if (a["package"]["ecosystem"] != "Debian:12") continue;
      for (const auto& p : old) {
        if (a["package"]["name"] != p.source) continue;
        bool affected = true;
        for (const auto& e : a["ranges"][0]["events"])
          if (e.contains("fixed"))
            affected = RunProcess({"dpkg", "--compare-versions", p.version, "lt", e["fixed"]}).exit_code == 0;
        if (affected) expected.insert(rec["id"].get<std::string>() + " " + p.name);
      }
    }
  }
  REQUIRE(expected.size() >= 6);
  // The fixture is valid OSV, as the published schema says.
  if (std::string schema = Spec("osv/schema.json"); !schema.empty()) {
    auto osv_valid = RunProcess({RINGFENCE_PYTHON, "-c",
                                 "import glob,json,sys,jsonschema\n"
                                 "s=json.load(open(sys.argv[1]))\n"
                                 "files=sorted(glob.glob(sys.argv[2]+'/*.json'))\n"
                                 "[jsonschema.validate(json.load(open(f)),s) for f in files]\n"
                                 "print(len(files))",
                                 schema, kDb});
    INFO(osv_valid.err);
    CHECK(osv_valid.exit_code == 0);
    CHECK(osv_valid.out == "12\n");
  }
  auto r = RunRingfence({"image", "scan", sbom, "--db", kDb, "--format", "json", "--now", kJudgedAt});
  INFO(r.err);
  CHECK(r.exit_code == 1);  // critical findings with no VEX
  json out = json::parse(r.out);
  std::set<std::string> found;
  for (const auto& f : out["findings"])
    found.insert(f["id"].get<std::string>() + " " + f["package"].get<std::string>());
  CHECK(found == expected);
  CHECK(out["database"]["digest"].get<std::string>().rfind("sha256:", 0) == 0);
  CHECK_FALSE(out["passed"].get<bool>());

  // VEX takes the zlib finding out of the gate, not out of the report.
  auto with_vex = RunRingfence({"image", "scan", sbom, "--db", kDb, "--vex", kVex, "--format", "json",
                                "--fixed-only", "--now", kJudgedAt});
  json v = json::parse(with_vex.out);
  bool zlib_reported = false;
  for (const auto& f : v["findings"]) {
    if (f["package"] == "zlib1g") {
      zlib_reported = true;
      CHECK(f["vex"] == "not_affected");
      CHECK_FALSE(f["fails"].get<bool>());
    }
  }
  CHECK(zlib_reported);
  // A pinned digest that is not the database's, or a database older than allowed, fails.
  auto pinned =
      RunRingfence({"image", "scan", sbom, "--db", kDb, "--db-digest", "sha256:" + std::string(64, '0'),
                    "--fail-on", "critical", "--vex", kVex, "--now", kJudgedAt});
  CHECK(pinned.exit_code == 1);
  CHECK(pinned.out.find("not the pinned") != std::string::npos);
  auto stale = RunRingfence({"image", "scan", sbom, "--db", kDb, "--max-db-age", "7d", "--now", kJudgedAt});
  CHECK(stale.exit_code == 1);
  CHECK(stale.out.find("is stale") != std::string::npos);
  // Bad input is exit 4, never a pass: a database with a broken record, an empty one, no SBOM.
  fs::create_directories(tmp.path() + "/bad-db");
  fs::copy(kDb + "/DSA-5514-1.json", tmp.path() + "/bad-db/DSA-5514-1.json");
  std::ofstream(tmp.path() + "/bad-db/broken.json") << R"({"id": "X", "modified": "never"})";
  auto broken = RunRingfence({"image", "scan", sbom, "--db", tmp.path() + "/bad-db"});
  CHECK(broken.exit_code == 4);
  CHECK(broken.err.find("broken.json") != std::string::npos);
  fs::create_directories(tmp.path() + "/empty-db");
  CHECK(RunRingfence({"image", "scan", sbom, "--db", tmp.path() + "/empty-db"}).exit_code == 4);
  CHECK(RunRingfence({"image", "scan", tmp.path() + "/none.spdx.json", "--db", kDb}).exit_code == 4);

  auto sarif = RunRingfence(
      {"image", "scan", sbom, "--db", kDb, "--vex", kVex, "--format", "sarif", "--now", kJudgedAt});
  json s = json::parse(sarif.out);
  REQUIRE(s["runs"][0]["results"].size() == expected.size());
  bool suppressed = false;
  for (const auto& res : s["runs"][0]["results"]) {
    CHECK(res["locations"][0]["physicalLocation"]["region"]["startLine"].get<int>() >
          1);  // the package's line
    suppressed = suppressed || res.contains("suppressions");
  }
  CHECK(suppressed);
  std::string tool = RINGFENCE_SARIF_MULTITOOL;
  if (HaveTool(tool)) {
    std::string in = tmp.path() + "/scan.sarif", log = tmp.path() + "/validation.sarif";
    std::ofstream(in) << sarif.out;
    auto check =
        RunProcess({tool, "validate", "--rule-kind", "Sarif;Gh", in, "-o", log, "--log", "ForceOverwrite"});
    INFO(check.out << check.err);
    json validation = json::parse(Slurp(log));
    for (const auto& res : validation["runs"][0]["results"]) {
      std::string level = res.value("level", "warning");
      INFO(res.dump());
      CHECK((level != "error" && level != "warning"));
    }
  }
}

TEST_CASE("check: an AI change adding a package to an image or moving its kernel needs approval") {
  TempRepo repo;
  TempDir tmp;
  repo.Write(".ringfence/rules/dependencies.yaml", Slurp(kSource + "/rules/dependencies.yaml"));
  repo.Write(".ringfence/rules/ai-bounds.yaml", Slurp(kSource + "/rules/ai-bounds.yaml"));
  repo.Write(".ringfence/components.yaml",
             "apiVersion: ringfence/v1\ncomponents:\n  - {name: images, paths: [images/]}\n"
             "  - {name: repo, paths: [.ringfence/]}\n");
  // A real SBOM, as image build writes it, and its recipe, at the base.
  std::string recipe = Recipe(tmp, "1.5");
  auto built = Build(recipe, tmp.path() + "/shop");
  REQUIRE(built.exit_code == 0);
  std::string sbom = Slurp(tmp.path() + "/shop.spdx.json");
  repo.Write("images/shop.spdx.json", sbom);
  repo.Write("images/shop/image.yaml",
             Slurp(recipe + "/image.yaml") + "kernel: \"linux-image-6.1.0-*-amd64\"\n");
  repo.Commit("base");
  repo.Git({"checkout", "-q", "-b", "feature"});
  auto check = [&] {
    return RunRingfence(
        {"check", "--repo", repo.path(), "--base", "main", "--head", "feature", "--format", "json"});
  };
  // The agent adds curl to the image (an SBOM package) and moves it to another kernel.
  json doc = json::parse(sbom);
  doc["packages"].push_back(
      {{"SPDXID", "SPDXRef-Package-deb-curl-99"},
       {"name", "curl"},
       {"versionInfo", "7.88.1-10+deb12u14"},
       {"downloadLocation", "NOASSERTION"},
       {"externalRefs",
        {{{"referenceCategory", "PACKAGE-MANAGER"},
          {"referenceType", "purl"},
          {"referenceLocator", "pkg:deb/debian/curl@7.88.1-10%2Bdeb12u14?arch=amd64&distro=debian-12"}}}}});
  repo.Write("images/shop.spdx.json", doc.dump(2));
  repo.Write("images/shop/image.yaml",
             Slurp(recipe + "/image.yaml") + "kernel: \"linux-image-6.12.0-*-amd64\"\n");
  repo.Git({"add", "-A"});
  repo.Git({"-c", "user.name=coding-agent[bot]", "-c", "user.email=agent@bots.example", "commit", "-q", "-m",
            "images: add curl\n\nAssisted-by: coding-agent v4"});
  auto r = check();
  INFO(r.out << r.err);
  CHECK(r.exit_code != 0);  // ai-bounds denies a change this size; the image rule asks for approval
  json verdict = json::parse(r.out);
  bool fired = false;
  std::string evidence;
  for (const auto& f : verdict["fired"]) {
    if (f["rule"] != "images.ai-supply-chain") continue;
    fired = true;
    evidence = f.dump();
  }
  CHECK(fired);
  CHECK(evidence.find("package added: curl") != std::string::npos);
  CHECK(evidence.find("base image changed: linux-image-6.12.0-*-amd64") != std::string::npos);
  // An SBOM the change leaves unreadable hides what it adds: uninspectable, never a pass.
  repo.Write("images/shop.spdx.json", "{\"spdxVersion\": \"SPDX-2.3\", \"packages\": [");
  repo.Git({"add", "-A"});
  repo.Git({"-c", "user.name=coding-agent[bot]", "-c", "user.email=agent@bots.example", "commit", "-q", "-m",
            "images: oops\n\nAssisted-by: coding-agent v4"});
  auto broken = check();
  INFO(broken.out);
  CHECK(broken.exit_code != 0);
  bool uninspectable = false;
  json broken_verdict = json::parse(broken.out);
  for (const auto& f : broken_verdict["fired"])
    uninspectable = uninspectable || (f["rule"] == "ai.uninspectable" &&
                                      f.dump().find("what it declares cannot be read") != std::string::npos);
  CHECK(uninspectable);
}

TEST_CASE("check: an SBOM with a critical finding under the base's image policy needs approval") {
  TempRepo repo;
  TempDir tmp;
  repo.Write(".ringfence/rules/dependencies.yaml", Slurp(kSource + "/rules/dependencies.yaml"));
  repo.Write(".ringfence/components.yaml",
             "apiVersion: ringfence/v1\ncomponents:\n  - {name: images, paths: [images/]}\n"
             "  - {name: repo, paths: [.ringfence/]}\n");
  auto db = RunRingfence({"image", "database", kDb, "--format", "json"});
  REQUIRE(db.exit_code == 0);
  repo.Write(".ringfence/images.yaml",
             "apiVersion: ringfence/v1\nkind: ImagePolicy\nsigners: [{name: r, key: k.pub}]\n"
             "scan:\n  database: {path: " +
                 kDb + ", digest: \"" + json::parse(db.out)["digest"].get<std::string>() + "\"}\n");
  std::string recipe = Recipe(tmp, "1.5");
  REQUIRE(Build(recipe, tmp.path() + "/shop").exit_code == 0);
  std::string sbom = Slurp(tmp.path() + "/shop.spdx.json");
  repo.Write("images/shop.spdx.json", sbom);
  repo.Commit("base");
  repo.Git({"checkout", "-q", "-b", "feature"});
  // A person adds curl at a version DSA-5523-1 (CVE-2023-38545, critical) was fixed after.
  json doc = json::parse(sbom);
  doc["packages"].push_back(
      {{"SPDXID", "SPDXRef-Package-deb-curl-99"},
       {"name", "libcurl4"},
       {"versionInfo", "7.88.1-10+deb12u3"},
       {"downloadLocation", "NOASSERTION"},
       {"externalRefs",
        {{{"referenceCategory", "PACKAGE-MANAGER"},
          {"referenceType", "purl"},
          {"referenceLocator",
           "pkg:deb/debian/libcurl4@7.88.1-10%2Bdeb12u3?arch=amd64&distro=debian-12&upstream=curl"}}}}});
  repo.Write("images/shop.spdx.json", doc.dump(2));
  repo.Commit("images: add libcurl4");
  auto r = RunRingfence(
      {"check", "--repo", repo.path(), "--base", "main", "--head", "feature", "--format", "json"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 2);
  std::string fired;
  json verdict = json::parse(r.out);
  for (const auto& f : verdict["fired"])
    if (f["rule"] == "images.cve-critical") fired = f.dump();
  CHECK(fired.find("vulnerability: DSA-5523-1 (critical 9.8 in libcurl4 7.88.1-10+deb12u3, fixed in "
                   "7.88.1-10+deb12u4)") != std::string::npos);
  // zlib's critical finding is there too, at the base already: with no VEX in this policy it counts.
  CHECK(fired.find("DEBIAN-CVE-2023-45853") != std::string::npos);
  // A base policy whose database is not the pinned one: the rule cannot decide (exit 3), whoever
  // wrote the change.
  repo.Git({"checkout", "-q", "main"});
  repo.Write(".ringfence/images.yaml",
             "apiVersion: ringfence/v1\nkind: ImagePolicy\nsigners: [{name: r, key: k.pub}]\n"
             "scan:\n  database: {path: " +
                 kDb + ", digest: \"sha256:" + std::string(64, '0') + "\"}\n");
  repo.Commit("policy: another pin");
  repo.Git({"checkout", "-q", "feature"});
  auto pinned = RunRingfence({"check", "--repo", repo.path(), "--base", "main", "--head", "feature"});
  INFO(pinned.out);
  CHECK(pinned.exit_code == 3);
  CHECK(pinned.out.find("cannot be scanned") != std::string::npos);
}

// The image scan at scale, next to the naive scan a hand-rolled checker does: an SBOM of 1,000
// Debian packages against 100,000 OSV advisories (the index looks each package up; the naive scan
// walks every advisory for every package, both deciding ranges with libapt-pkg's order), medians
// of REPEATS runs, and the latency admission adds to `rollout start` for an image with that SBOM
// (signature, SBOM, scan, manifest). Usage: bench_image_scan [REPEATS] [PACKAGES] [ADVISORIES]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "adapters/backends/image_loader.h"
#include "adapters/common/local_files.h"
#include "adapters/common/sha256.h"
#include "adapters/common/system_clock.h"
#include "adapters/crypto/openssl_keys.h"
#include "adapters/debian/apt_versions.h"
#include "app/image_admission.h"
#include "app/image_attestation.h"
#include "engine/image/sbom.h"
#include "engine/image/vulnerability_scan.h"

using namespace ringfence;
namespace fs = std::filesystem;

namespace {

double Ms(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

template <class F>
double Median(int repeats, F f) {
  std::vector<double> t;
  for (int i = 0; i < repeats; ++i) {
    auto start = std::chrono::steady_clock::now();
    f();
    t.push_back(Ms(std::chrono::steady_clock::now() - start));
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

// The scan a checker writes without an index: every advisory for every package.
size_t NaiveScan(const std::vector<DebianPackage>& packages, const std::vector<OsvRecord>& records,
                 const VersionOrder& order) {
  size_t found = 0;
  for (const auto& p : packages)
    for (const auto& r : records)
      for (const auto& a : r.affected) {
        if (a.ecosystem != "Debian:12" || a.name != p.source) continue;
        bool hit = false;
        for (const auto& range : a.ranges)
          hit = hit || InRange(range, p.source_version, order).value_or(true);
        found += hit;
      }
  return found;
}

}  // namespace

int main(int argc, char** argv) {
  int repeats = argc > 1 ? std::atoi(argv[1]) : 5;
  size_t n_packages = argc > 2 ? std::stoul(argv[2]) : 1000,
         n_advisories = argc > 3 ? std::stoul(argv[3]) : 100000;
  std::mt19937 rng(42);
  std::vector<DebianPackage> packages;
  for (size_t i = 0; i < n_packages; ++i) {
    std::string v =
        "1." + std::to_string(i % 50) + "-" + std::to_string(1 + i % 7) + "+deb12u" + std::to_string(i % 5);
    packages.push_back(
        {"lib" + std::to_string(i), v, "amd64", "src" + std::to_string(i), v, "", "debian-12", {}});
  }
  // Advisories over 20x as many sources as the image has, so most never match, as in a real feed.
  std::vector<OsvRecord> records;
  for (size_t i = 0; i < n_advisories; ++i) {
    OsvRecord r;
    r.id = "DEBIAN-CVE-" + std::to_string(2000 + i % 25) + "-" + std::to_string(i);
    r.modified_ms = 1'700'000'000'000;
    r.severity = {{"CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}};
    std::string fixed = "1." + std::to_string(rng() % 60) + "-" + std::to_string(1 + rng() % 7);
    r.affected = {{"Debian:12",
                   "src" + std::to_string(rng() % (n_packages * 20)),
                   {{"ECOSYSTEM", {{OsvEvent::Kind::kIntroduced, "0"}, {OsvEvent::Kind::kFixed, fixed}}}},
                   {},
                   {}}};
    records.push_back(std::move(r));
  }
  debian::AptVersionOrder order;
  std::unique_ptr<AdvisoryIndex> index;
  double build_ms = Median(repeats, [&] { index = std::make_unique<AdvisoryIndex>(records); });
  size_t findings = 0;
  double scan_ms = Median(repeats, [&] {
    findings = ScanPackages(packages, *index, order, {}, ScanPolicy{}, 0).findings.size();
  });
  size_t naive_findings = 0;
  double naive_ms =
      Median(std::max(1, repeats / 2), [&] { naive_findings = NaiveScan(packages, records, order); });
  std::printf("scan: %zu packages x %zu advisories: %zu findings (naive %zu)\n", n_packages, n_advisories,
              findings, naive_findings);
  std::printf(
      "  index build %.1f ms (once per database), scan %.2f ms median, naive scan %.1f ms median: %.0fx\n",
      build_ms, scan_ms, naive_ms, naive_ms / std::max(scan_ms, 0.001));

  // Admission of an image with this SBOM: a real directory, signature and files on disk.
  fs::path dir = fs::temp_directory_path() / ("ringfence-bench-admission-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "img");
  std::ofstream(dir / "img/manifest.yaml")
      << "apiVersion: ringfence/v1\nkind: Image\nversion: \"1\"\nentrypoint: [\"@workload\"]\n";
  auto image = backends::LoadImage((dir / "img").string());
  ImageContents contents;
  contents.name = "bench";
  contents.version = "1";
  contents.digest = image->digest;
  contents.packages = packages;
  std::string sbom = SpdxJson(contents);
  std::ofstream(dir / "img.spdx.json") << sbom;
  auto pair = crypto::GenerateEd25519();
  auto signing = crypto::LoadPrivateKey(pair->private_pem, "k.pem");
  auto verifying = crypto::LoadPublicKey(pair->public_pem, "k.pub");
  BuildProvenance prov{
      "urn:ringfence:image-build:v1", "urn:ringfence:builder:local", "", "", {}, UnixNowMs()};
  prov.inputs.push_back({"file:img.spdx.json", Sha256Hex(sbom)});
  std::ofstream(dir / "img.intoto.json") << *app::SignImageProvenance(*image, "bench", prov, **signing);
  ImagePolicy policy;
  policy.max_age_ms = 30LL * 86'400'000;
  LocalFiles files;
  app::AdmissionInputs in;
  in.policy = &policy;
  in.keys = {verifying->get()};
  in.database = index.get();
  in.database_digest = "sha256:bench";
  in.versions = &order;
  in.files = &files;
  in.sha256_hex = [](std::string_view d) { return Sha256Hex(d); };
  in.now_ms = UnixNowMs();
  ImageAdmission admitted;
  double admit_ms = Median(repeats, [&] {
    auto i = backends::LoadImage((dir / "img").string());  // as the backend resolves it
    admitted = app::AdmitImage(in, *i, "candidate");
  });
  std::printf(
      "admission: %.1f ms median per image (verify, SBOM of %zu packages, scan, manifest); %zu findings, "
      "admitted=%s\n",
      admit_ms, n_packages, admitted.findings, admitted.admitted ? "yes" : "no (findings fail the policy)");
  fs::remove_all(dir);
  return 0;
}

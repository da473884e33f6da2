#include "app/image_admission.h"

#include <algorithm>
#include <cstdio>

#include "app/image_attestation.h"
#include "engine/core/civil_time.h"
#include "engine/core/duration.h"
#include "engine/image/egress.h"
#include "engine/image/image_scan.h"
#include "engine/image/sbom.h"
#include "engine/rollout/image_manifest.h"

namespace ringfence::app {
namespace {

std::string Basename(const std::string& path) { return path.substr(path.rfind('/') + 1); }

bool Listed(const std::vector<std::string>& allowed, const std::string& value) {
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

void CheckProvenance(const AdmissionInputs& in, const ProvenanceStatement& s, const std::string& sbom_name,
                     const std::string& sbom_sha256, ImageAdmission& out) {
  const ImagePolicy& p = *in.policy;
  const BuildProvenance& prov = s.provenance;
  if (!Listed(p.source_repositories, prov.source_repo))
    out.reasons.push_back("provenance: source repository '" + prov.source_repo +
                          "' is not one the policy allows");
  if (!Listed(p.builders, prov.builder_id))
    out.reasons.push_back("provenance: builder '" + prov.builder_id + "' is not one the policy allows");
  if (p.max_age_ms > 0) {
    if (!prov.finished_ms) {
      out.reasons.push_back(
          "provenance: no build time (runDetails.metadata.finishedOn): the image's age is unknown");
    } else if (in.now_ms - *prov.finished_ms > p.max_age_ms) {
      out.reasons.push_back("age: built " + FormatUtcSeconds(*prov.finished_ms) + "Z, " +
                            FormatDurationMs(in.now_ms - *prov.finished_ms) +
                            " ago: older than the patch window (" + FormatDurationMs(p.max_age_ms) +
                            "); rebuild it");
    }
  }
  if (sbom_sha256.empty()) return;
  const std::string uri = "file:" + sbom_name;
  auto it =
      std::find_if(prov.inputs.begin(), prov.inputs.end(), [&](const auto& i) { return i.name == uri; });
  if (it == prov.inputs.end())
    out.reasons.push_back("SBOM: the signed provenance does not cover " + sbom_name +
                          " (sign after the build)");
  else if (it->sha256 != sbom_sha256)
    out.reasons.push_back("SBOM: " + sbom_name + " changed after it was signed");
}

void CheckScan(const AdmissionInputs& in, const SbomSummary& sbom, ImageAdmission& out) {
  const ImagePolicy& p = *in.policy;
  ImageScan scan =
      ScanImage(sbom, *in.database, in.database_digest, {p.database_digest, p.database_max_age_ms}, in.vex,
                p.scan, *in.versions, in.now_ms);
  for (const auto& f : scan.failures) out.reasons.push_back("scan: " + f);
  out.findings = scan.result.findings.size();
  for (const auto& f : scan.result.findings) {
    if (!f.fails) continue;
    ++out.failing;
    char score[16] = "";
    if (!f.vector.empty()) std::snprintf(score, sizeof score, " %.1f", f.score);
    out.reasons.push_back("scan: " + f.id + " (" + ToString(f.severity) + score + ") in " + f.package.name +
                          " " + f.package.version +
                          (f.fixed_version.empty() ? ", no fix yet" : ", fixed in " + f.fixed_version) +
                          ": " + f.why);
  }
}

void CheckEgress(const AdmissionInputs& in, const ImageManifest& m, ImageAdmission& out) {
  std::vector<EgressRule> allowed;
  for (const auto& a : in.policy->egress)
    if (auto r = ParseEgress(a)) allowed.push_back(*r);
  for (const auto& want : m.egress) {
    auto w = ParseEgress(want);
    if (!w) {
      out.reasons.push_back("egress: " + w.error().message);
      continue;
    }
    bool covered =
        std::any_of(allowed.begin(), allowed.end(), [&](const EgressRule& a) { return Covers(a, *w); });
    if (!covered)
      out.reasons.push_back("egress: the image declares " + want + ", which the policy does not allow");
  }
}

}  // namespace

ImageAdmission AdmitImage(const AdmissionInputs& in, const ImageRef& image, const std::string& role) {
  ImageAdmission out;
  out.role = role;
  out.version = image.version;
  out.digest = image.digest;
  if (image.location.empty() || image.digest.empty()) {
    out.reasons.push_back("the image is not a directory with a digest (" + image.version +
                          "): the image policy cannot verify it");
    return out;
  }
  const std::string envelope_path = image.location + ".intoto.json";
  const std::string sbom_path = image.location + ".spdx.json";
  // The SBOM first: its digest is what the signature must cover.
  std::string sbom_sha256;
  std::optional<SbomSummary> sbom;
  if (auto text = in.files->Read(sbom_path); !text) {
    out.reasons.push_back("SBOM: " + text.error().message + " (ringfence image build writes it)");
  } else if (auto parsed = ReadSpdx(*text, sbom_path); !parsed) {
    out.reasons.push_back("SBOM: " + parsed.error().message);
  } else if (parsed->digest != image.digest) {
    out.reasons.push_back("SBOM: " + sbom_path + " describes " +
                          (parsed->digest.empty() ? "no digest" : parsed->digest) + ", not this image");
  } else {
    sbom = *parsed;
    sbom_sha256 = in.sha256_hex(*text);
  }
  if (auto text = in.files->Read(envelope_path); !text) {
    out.reasons.push_back("unsigned: " + text.error().message);
  } else if (auto v = VerifyImageProvenance(image, *text, envelope_path, in.keys, in.policy->threshold); !v) {
    out.reasons.push_back("signature: " + v.error().message);
  } else if (!v->verified) {
    for (const auto& r : v->reasons) out.reasons.push_back("signature: " + r);
  } else {
    CheckProvenance(in, v->statement, Basename(sbom_path), sbom_sha256, out);
  }
  if (sbom) CheckScan(in, *sbom, out);
  const std::string manifest_path = image.location + "/" + kImageManifestName;
  if (auto text = in.files->Read(manifest_path); !text) {
    out.reasons.push_back("manifest: " + text.error().message);
  } else if (auto m = ParseImageManifest(*text, manifest_path); !m) {
    out.reasons.push_back("manifest: " + m.error().message);
  } else {
    CheckEgress(in, *m, out);
  }
  out.admitted = out.reasons.empty();
  return out;
}

AdmissionDecision AdmitImages(const AdmissionInputs& in, const ImageRef& baseline,
                              const ImageRef& candidate) {
  AdmissionDecision d;
  d.policy = in.policy_source;
  d.policy_digest = in.policy_digest;
  d.database_digest = in.database_digest;
  if (in.policy) d.max_session_age_ms = in.policy->max_session_age_ms;
  d.candidate = AdmitImage(in, candidate, "candidate");
  d.baseline = AdmitImage(in, baseline, "baseline");
  return d;
}

}  // namespace ringfence::app

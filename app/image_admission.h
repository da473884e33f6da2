// Admission of images by `rollout start`: each image verified against the image policy
// (engine/image/image_policy.h) before any session starts: its signed provenance (trusted keys,
// threshold, source repository, builder), the SBOM the signature covers, the scan within policy
// against the pinned database, the image's age within the patch window, and its declared egress
// within what the policy allows. Every failed check is a reason; none stops the others.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/image/image_policy.h"
#include "engine/image/vulnerability_scan.h"
#include "engine/model/admission.h"
#include "engine/ports/file_reader.h"
#include "engine/ports/session_backend.h"
#include "engine/ports/signature_key.h"
#include "engine/ports/version_order.h"

namespace ringfence::app {

struct AdmissionInputs {
  const ImagePolicy* policy = nullptr;
  std::string policy_source, policy_digest;
  std::vector<const VerifyingKey*> keys;  // the policy's signers
  const AdvisoryIndex* database = nullptr;
  std::string database_digest;
  std::vector<VexStatement> vex;
  const VersionOrder* versions = nullptr;
  const FileReader* files = nullptr;  // reads the envelope, SBOM and manifest beside each image
  std::function<std::string(std::string_view)> sha256_hex;  // to bind the SBOM to the signed provenance
  int64_t now_ms = 0;
};

ImageAdmission AdmitImage(const AdmissionInputs& in, const ImageRef& image, const std::string& role);
AdmissionDecision AdmitImages(const AdmissionInputs& in, const ImageRef& baseline, const ImageRef& candidate);

}  // namespace ringfence::app

// Admission: whether `rollout start` let an image run, and why not. Recorded in the journal (the
// rollout's first record) and so in the audit log.
#pragma once

#include <string>
#include <vector>

namespace ringfence {

struct ImageAdmission {
  std::string role;  // "candidate" or "baseline"
  std::string version, digest;
  bool admitted = false;
  std::vector<std::string> reasons;  // every check that failed; empty when admitted
  size_t findings = 0, failing = 0;  // the scan's findings, and those failing the policy
};

struct AdmissionDecision {
  std::string policy;         // where the policy was read: "HEAD:.ringfence/images.yaml"
  std::string policy_digest;  // sha256 of its text
  std::string database_digest;
  ImageAdmission candidate, baseline;
  int64_t max_session_age_ms = 0;  // the policy's max_session_age (0: none), applied by the rollout
  bool admitted() const { return candidate.admitted; }  // an unsafe baseline is reported, not refused
};

}  // namespace ringfence

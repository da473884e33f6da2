// The image policy, `.ringfence/images.yaml` (read from the base revision, like rules):
//
//   apiVersion: ringfence/v1
//   kind: ImagePolicy
//   signers:                          # trusted keys (PEM public keys, paths in the repository)
//     - {name: release, key: .ringfence/keys/release.pub}
//   threshold: 1                      # distinct signers needed (default 1)
//   provenance:                       # optional: what the signed provenance must say
//     source_repositories: [https://git.example.com/shop]
//     builders: [urn:ringfence:builder:local]
//   scan:
//     database: {path: /var/lib/osv/debian-12, digest: "sha256:...", max_age: 2d}
//     fail_on: high                   # low | medium | high | critical
//     unknown_as: high                # a finding without a usable CVSS vector counts as this
//     fixed_only: false
//     grace: 0d                       # advisories younger than this do not fail yet
//     vex: [.ringfence/vex/zlib.openvex.json]
//   max_age: 30d                      # the patch window: older images must be rebuilt
//   max_session_age: 8h               # warm and parked sessions older than this are recycled
//   egress: ["10.0.0.0/8:443", "api.example.com:443"]   # what images may declare they reach
//
// Validated with positions; docs/images.schema.json describes the same shape for editors.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.h"
#include "engine/image/vulnerability_scan.h"

namespace ringfence {

inline constexpr const char* kImagePolicyPath = ".ringfence/images.yaml";

struct ImagePolicy {
  struct Signer {
    std::string name, key;  // key: a path in the policy's source
  };
  std::vector<Signer> signers;
  size_t threshold = 1;
  std::vector<std::string> source_repositories, builders;  // empty: any
  std::string database_path, database_digest;
  int64_t database_max_age_ms = 0;
  ScanPolicy scan;
  std::vector<std::string> vex;
  int64_t max_age_ms = 0;          // 0: no limit
  int64_t max_session_age_ms = 0;  // 0: no limit; else above 0
  std::vector<std::string> egress;
};

Result<ImagePolicy> ParseImagePolicy(std::string_view text, const std::string& path);

}  // namespace ringfence

// Signed statements about images: a DSSE envelope (payload type, the exact bytes signed, and
// signatures), and the in-toto v1 statement with SLSA v1 build provenance it carries.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ringfence {

struct DsseSignature {
  std::string keyid;  // a hint only: never a reason to trust a signature
  std::string sig;    // raw signature bytes
};

struct DsseEnvelope {
  std::string payload_type;
  std::string payload;  // the serialized body, the bytes that were signed (decoded from base64)
  std::vector<DsseSignature> signatures;
};

inline constexpr const char* kInTotoPayloadType = "application/vnd.in-toto+json";
inline constexpr const char* kInTotoStatementType = "https://in-toto.io/Statement/v1";
inline constexpr const char* kSlsaProvenanceType = "https://slsa.dev/provenance/v1";

// A resource by name and sha256 (lowercase hex): a statement's subject, a build's input.
struct AttestedResource {
  std::string name;
  std::string sha256;
};

// The SLSA v1 provenance fields ringfence writes and checks.
struct BuildProvenance {
  std::string build_type;                // buildDefinition.buildType
  std::string builder_id;                // runDetails.builder.id
  std::string source_repo;               // buildDefinition.externalParameters.source.repository
  std::string source_commit;             // ... .source.commit
  std::vector<AttestedResource> inputs;  // buildDefinition.resolvedDependencies (uri, sha256)
  std::optional<int64_t> finished_ms;    // runDetails.metadata.finishedOn: when the image was built
};

struct ProvenanceStatement {
  std::vector<AttestedResource> subjects;
  BuildProvenance provenance;
};

}  // namespace ringfence

// The registry row of backend "lambda": `lambda: {function, alias, region, endpoint,
// allow_private_network}`; images are published versions of the function.
#include "adapters/backends/backend_registry.h"
#include "adapters/backends/lambda/lambda_backend.h"

namespace ringfence::backends {
namespace {

class LambdaSetup : public BackendSetup {
 public:
  explicit LambdaSetup(LambdaOptions o) : options_(std::move(o)) {}
  Result<std::unique_ptr<SessionBackend>> Make(const BackendContext&) const override {
    auto creds = CredentialsFromEnvironment();
    if (!creds) return creds.error();
    LambdaOptions o = options_;
    o.credentials = *creds;
    return std::unique_ptr<SessionBackend>(new LambdaBackend(o));
  }
  // An image is a published version of the function: "41", not a directory.
  Result<ImageRef> Image(const BackendContext&, const std::string& written) const override {
    return ImageRef{written, "", options_.function};
  }

 private:
  LambdaOptions options_;
};

Result<std::unique_ptr<BackendSetup>> Parse(const YamlDoc& doc, const YAML::Node& section,
                                            const YAML::Node& backend) {
  if (auto st = CheckSection(doc, section,
                             {"function", "alias", "region", "endpoint", "allow_private_network"}, "lambda");
      !st) {
    return st.error();
  }
  if (!section || !section["function"])
    return doc.ErrorAt(backend, "backend lambda needs lambda: {function: NAME}");
  LambdaOptions o;
  for (auto [key, into] : {std::pair<const char*, std::string*>{"function", &o.function},
                           {"alias", &o.alias},
                           {"region", &o.region},
                           {"endpoint", &o.endpoint}}) {
    if (!section[key]) continue;
    auto v = doc.String(section[key], key);
    if (!v) return v.error();
    *into = *v;
  }
  if (auto st = doc.Optional(section, "allow_private_network", o.allow_private_network); !st)
    return st.error();
  return std::unique_ptr<BackendSetup>(new LambdaSetup(o));
}

}  // namespace

BackendKind LambdaBackendKind() {
  return {"lambda", "AWS Lambda aliases, canaried by routing weights", Parse};
}

}  // namespace ringfence::backends

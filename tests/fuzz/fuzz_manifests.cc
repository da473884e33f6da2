// Dependency manifests (package.json, go.mod, Cargo.toml, requirements.txt) and commit trailers.
#include <string>

#include "adapters/git/message_trailers.h"
#include "engine/rules/author.h"
#include "engine/rules/dependency_bumps.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ringfence;
  std::string text(reinterpret_cast<const char*>(data), size);
  for (const char* path : {"package.json", "go.mod", "Cargo.toml", "requirements.txt"}) {
    auto deps = ParseManifest(path, text);
    if (!deps) {
      if (deps.error().message.rfind(std::string(path) + ":", 0) != 0) __builtin_trap();  // names its place
      continue;
    }
    for (const auto& [name, dep] : *deps) {
      (void)CompareVersions(dep.version, text.substr(0, 16));
      if (dep.line < 0) __builtin_trap();
    }
  }
  ChangeFacts facts;
  CommitInfo commit;
  commit.message = text;
  commit.author_name = text.substr(0, 32);
  commit.trailers = git::MessageTrailers(text);
  facts.scope.changes.commits.push_back(commit);
  ClassifyAuthor(facts, AuthorConfig::Defaults());
  (void)IntentFromTrailers(facts.scope.changes);
  return 0;
}

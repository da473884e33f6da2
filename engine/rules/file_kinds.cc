#include "engine/rules/file_kinds.h"

#include "engine/core/glob.h"
#include "engine/rules/change_facts.h"
#include "engine/scanners/file_scan.h"
#include "engine/scanners/repo_index.h"

namespace ringfence {
namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Globs compiled once per list (the lists are constants).
class GlobSet {
 public:
  GlobSet(std::initializer_list<const char*> globs) {
    for (const char* g : globs) {
      if (auto glob = PathGlob::Parse(g)) globs_.push_back(std::move(*glob));
    }
  }
  bool Matches(std::string_view path) const {
    for (const auto& g : globs_) {
      if (g.Matches(path)) return true;
    }
    return false;
  }

 private:
  std::vector<PathGlob> globs_;
};

}  // namespace

namespace {
constexpr const char* kKinds[] = {"code", "config", "lockfile", "generated", "ci",           "infrastructure",
                                  "docs", "test",   "binary",   "symlink",   "uninspectable"};
}  // namespace

KindMask KindBit(std::string_view kind) {
  for (size_t i = 0; i < std::size(kKinds); ++i) {
    if (kind == kKinds[i]) return KindMask{1} << i;
  }
  return 0;
}

KindMask KindMaskOf(const std::vector<std::string>& kinds) {
  KindMask m = 0;
  for (const auto& k : kinds) m |= KindBit(k);
  return m;
}

KindMask FileKindsOf(const ChangeFacts& facts, size_t i) {
  const auto& files = facts.scope.changes.files;
  if (facts.file_kinds_cache.size() != files.size()) {
    facts.file_kinds_cache.clear();
    for (const auto& f : files) {
      facts.file_kinds_cache.push_back(KindMaskOf(FileKinds(f.path)) | (f.binary ? KindBit("binary") : 0) |
                                       (f.IsSymlink() ? KindBit("symlink") : 0) |
                                       (f.uninspectable.empty() ? 0 : KindBit("uninspectable")));
    }
  }
  return facts.file_kinds_cache[i];
}

bool IsKnownFileKind(std::string_view kind) { return KindBit(kind) != 0; }

std::vector<std::string> FileKinds(std::string_view path) {
  std::vector<std::string> kinds;
  std::string_view name = BaseName(path);
  static const GlobSet kCi{".github/workflows/",  ".github/actions/",
                           ".gitlab-ci.yml",      ".circleci/",
                           "Jenkinsfile",         ".buildkite/",
                           "azure-pipelines.yml", ".ci/",
                           ".travis.yml",         "bitbucket-pipelines.yml"};
  static const GlobSet kInfrastructure{
      "*.tf",    "*.tfvars",    "*.hcl",      "Dockerfile", "*.dockerfile", "docker-compose*.yml",
      "k8s/",    "kubernetes/", "helm/",      "charts/",    "infra/",       "infrastructure/",
      "deploy/", "*.cfn.yaml",  "*.cfn.json", "terraform/", "ansible/"};
  static const GlobSet kGenerated{"generated/", "gen/",          "*.pb.go",       "*.pb.cc",  "*.pb.h",
                                  "*_pb2.py",   "*_pb2_grpc.py", "*.generated.*", "*.min.js", "*.min.css",
                                  "dist/",      "vendor/",       "third_party/"};
  static const GlobSet kTests{"test/",     "tests/",   "__tests__/", "testdata/",  "*_test.*",
                              "test_*.py", "*.test.*", "*.spec.*",   "*Test.java", "*Tests.java"};
  static const GlobSet kDocs{"*.md", "*.rst", "*.adoc", "docs/", "doc/", "LICENSE*", "NOTICE*"};
  static const GlobSet kOtherCode{"*.rs",    "*.rb",    "*.php", "*.cs",  "*.kt",
                                  "*.scala", "*.swift", "*.sh",  "*.sql", "*.lua"};

  static constexpr std::string_view kLocks[] = {
      "package-lock.json", "yarn.lock",     "pnpm-lock.yaml", "go.sum",    "Cargo.lock", "poetry.lock",
      "Pipfile.lock",      "composer.lock", "Gemfile.lock",   "bun.lockb", "uv.lock"};
  for (auto l : kLocks) {
    if (name == l) kinds.push_back("lockfile");
  }
  if (kCi.Matches(path)) {
    kinds.push_back("ci");
  }
  if (kInfrastructure.Matches(path)) {
    kinds.push_back("infrastructure");
  }
  if (kGenerated.Matches(path)) {
    kinds.push_back("generated");
  }
  if (kTests.Matches(path)) {
    kinds.push_back("test");
  }
  if (kDocs.Matches(path)) kinds.push_back("docs");
  bool lock = !kinds.empty() && kinds.front() == "lockfile";
  if (LanguageOf(path) != Language::kNone || kOtherCode.Matches(path)) {
    kinds.push_back("code");
  } else if (!lock && (EndsWith(name, ".yaml") || EndsWith(name, ".yml") || EndsWith(name, ".json") ||
                       EndsWith(name, ".toml") || EndsWith(name, ".ini") || EndsWith(name, ".conf") ||
                       EndsWith(name, ".cfg") || EndsWith(name, ".properties") || EndsWith(name, ".env") ||
                       name == "CODEOWNERS")) {
    kinds.push_back("config");
  }
  return kinds;
}

}  // namespace ringfence

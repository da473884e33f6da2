#include "cli/image_policy_source.h"

#include <filesystem>
#include <memory>

#include "adapters/common/files.h"
#include "adapters/common/local_files.h"
#include "adapters/common/sha256.h"
#include "adapters/common/system_clock.h"
#include "adapters/crypto/openssl_keys.h"
#include "adapters/debian/apt_versions.h"
#include "adapters/git/git_repository.h"
#include "adapters/image/osv_database.h"
#include "app/image_admission.h"
#include "engine/image/image_policy.h"
#include "engine/image/image_scan.h"

namespace ringfence::cli {
namespace {

namespace fs = std::filesystem;

// Everything an admission needs, loaded once per start.
struct LoadedPolicy {
  ImagePolicy policy;
  std::string source, digest;
  std::vector<std::unique_ptr<VerifyingKey>> keys;
  std::unique_ptr<AdvisoryIndex> database;
  std::string database_digest;
  std::vector<VexStatement> vex;
  debian::AptVersionOrder versions;
  LocalFiles files;
};

// Parses the policy and loads what it names: signer keys and VEX documents through `read`, the
// database from disk (relative to `base_dir`).
Status LoadPolicy(LoadedPolicy& into, const std::string& text,
                  const std::function<Result<std::string>(const std::string&)>& read,
                  const std::string& base_dir, bool load_keys = true) {
  into.digest = "sha256:" + Sha256Hex(text);
  auto policy = ParseImagePolicy(text, into.source);
  if (!policy) return policy.error();
  into.policy = *policy;
  for (const auto& signer : policy->signers) {
    if (!load_keys) break;  // a scan needs no signer
    auto pem = read(signer.key);
    if (!pem) return pem.error().Wrap(into.source + ": signer " + signer.name);
    auto key = crypto::LoadPublicKey(*pem, signer.key);
    if (!key) return key.error().Wrap(into.source + ": signer " + signer.name);
    into.keys.push_back(std::move(*key));
  }
  for (const auto& path : policy->vex) {
    auto doc = read(path);
    if (!doc) return doc.error().Wrap(into.source + ": vex");
    auto statements = ParseOpenVex(*doc, path);
    if (!statements) return statements.error();
    into.vex.insert(into.vex.end(), statements->begin(), statements->end());
  }
  std::string db_path = policy->database_path;
  if (!db_path.empty() && db_path[0] != '/' && !base_dir.empty()) db_path = base_dir + "/" + db_path;
  auto db = image::LoadOsvDatabase(db_path);
  if (!db) return db.error().Wrap(into.source + ": scan.database");
  into.database_digest = db->digest;
  into.database = std::make_unique<AdvisoryIndex>(std::move(db->records));
  return Status::Ok();
}

}  // namespace

Result<AdmitFunction> LoadImageAdmission(const std::string& repo_dir, const std::string& policy_file,
                                         const std::string& policy_rev, bool required) {
  auto loaded = std::make_shared<LoadedPolicy>();
  std::function<Result<std::string>(const std::string&)> read;  // a path the policy names
  std::string base_dir;                                         // where its database path is relative to
  std::string text;
  if (!policy_file.empty()) {
    auto t = ReadFileNoFollow(policy_file);
    if (!t) return t.error();
    text = *t;
    loaded->source = policy_file;
    base_dir = fs::path(policy_file).parent_path().string();
    read = [base_dir](const std::string& p) {
      return ReadFileNoFollow(p.empty() || p[0] == '/' || base_dir.empty() ? p : base_dir + "/" + p);
    };
  } else {
    auto repo = git::GitRepository::Open(repo_dir.empty() ? "." : repo_dir);
    if (!repo) {  // not in a repository: no committed policy to apply
      if (required) return repo.error().Wrap("--policy-repo " + repo_dir);
      return AdmitFunction(nullptr);
    }
    std::shared_ptr<SourceTree> tree;
    auto t = (*repo)->TreeAt(policy_rev);
    if (!t) return t.error().Wrap("--policy-rev " + policy_rev);
    tree = std::move(*t);
    auto committed = tree->ReadPath(kImagePolicyPath);
    if (!committed) {
      if (committed.error().kind == ErrorKind::kNotFound && !required) return AdmitFunction(nullptr);
      if (committed.error().kind == ErrorKind::kNotFound)
        return Error::NotFound(std::string("no ") + kImagePolicyPath + " at " + policy_rev + " of " +
                               (*repo)->Workdir() + ", which --policy-repo/--policy-rev name");
      return committed.error();
    }
    text = *committed;
    loaded->source = policy_rev + ":" + kImagePolicyPath;
    base_dir = (*repo)->Workdir();
    read = [tree](const std::string& p) { return tree->ReadPath(p); };
  }
  if (auto st = LoadPolicy(*loaded, text, read, base_dir); !st) return st.error();
  return AdmitFunction(
      [loaded](const ImageRef& baseline, const ImageRef& candidate) -> Result<AdmissionDecision> {
        app::AdmissionInputs in;
        in.policy = &loaded->policy;
        in.policy_source = loaded->source;
        in.policy_digest = loaded->digest;
        for (const auto& k : loaded->keys) in.keys.push_back(k.get());
        in.database = loaded->database.get();
        in.database_digest = loaded->database_digest;
        in.vex = loaded->vex;
        in.versions = &loaded->versions;
        in.files = &loaded->files;
        in.sha256_hex = [](std::string_view data) { return Sha256Hex(data); };
        in.now_ms = UnixNowMs();
        return app::AdmitImages(in, baseline, candidate);
      });
}

app::SbomScanner ScanSbomsWithBasePolicy(const std::string& workdir) {
  // One check, one base: the policy, its VEX and database are loaded at the first SBOM and reused.
  struct Cache {
    bool loaded = false;
    std::optional<Error> error;
    std::unique_ptr<LoadedPolicy> policy;  // null: the base has no policy
  };
  auto cache = std::make_shared<Cache>();
  return [workdir, cache](const SourceTree& base,
                          const SbomSummary& sbom) -> Result<std::optional<std::vector<Finding>>> {
    if (!cache->loaded) {
      cache->loaded = true;
      auto text = base.ReadPath(kImagePolicyPath);
      if (!text && text.error().kind != ErrorKind::kNotFound) cache->error = text.error();
      if (text) {
        auto loaded = std::make_unique<LoadedPolicy>();
        loaded->source = std::string("base:") + kImagePolicyPath;
        auto read = [&base](const std::string& p) { return base.ReadPath(p); };
        if (auto st = LoadPolicy(*loaded, *text, read, workdir, false); !st)
          cache->error = st.error();
        else
          cache->policy = std::move(loaded);
      }
    }
    if (cache->error) return *cache->error;
    if (!cache->policy) return std::optional<std::vector<Finding>>();
    const LoadedPolicy& p = *cache->policy;
    ImageScan scan = ScanImage(sbom, *p.database, p.database_digest,
                               {p.policy.database_digest, p.policy.database_max_age_ms}, p.vex, p.policy.scan,
                               p.versions, UnixNowMs());
    if (!scan.failures.empty()) return Error::Io(scan.failures.front());
    return std::optional<std::vector<Finding>>(std::move(scan.result.findings));
  };
}

}  // namespace ringfence::cli

#include "adapters/debian/apt_archive.h"

#include <apt-pkg/cachefile.h>
#include <apt-pkg/configuration.h>
#include <apt-pkg/debversion.h>
#include <apt-pkg/error.h>
#include <apt-pkg/hashes.h>
#include <apt-pkg/init.h>
#include <apt-pkg/pkgcache.h>
#include <apt-pkg/pkgrecords.h>
#include <apt-pkg/pkgsystem.h>
#include <apt-pkg/policy.h>
#include <fnmatch.h>

#include <filesystem>
#include <mutex>
#include <optional>

#include "adapters/common/files.h"
#include "adapters/common/run_tool.h"
#include "adapters/common/sha256.h"

namespace ringfence::debian {
namespace {

namespace fs = std::filesystem;

std::string AptErrors() {
  std::string all;
  while (!_error->empty()) {
    std::string msg;
    _error->PopMessage(msg);
    all += (all.empty() ? "" : "; ") + msg;
  }
  return all.empty() ? "unknown error" : all;
}

Status InitApt() {
  static std::once_flag once;
  static bool ok = false;
  std::call_once(once, [] { ok = pkgInitConfig(*_config) && pkgInitSystem(*_config, _system); });
  if (!ok) return Error::Io("libapt-pkg: " + AptErrors());
  return Status::Ok();
}

void SplitSpec(const std::string& spec, std::string& name, std::string& version) {
  auto eq = spec.find('=');
  name = spec.substr(0, eq);
  version = eq == std::string::npos ? "" : spec.substr(eq + 1);
}

bool NameMatches(const std::string& pattern, const std::string& name) {
  return ::fnmatch(pattern.c_str(), name.c_str(), 0) == 0;
}

// The candidate in apt's index: name, version, architecture, source and the .deb's sha256.
Result<DebianPackage> Candidate(const std::string& pattern, const std::string& pinned) {
  static std::mutex apt_mutex;  // libapt-pkg's globals are not thread-safe
  std::lock_guard lock(apt_mutex);
  if (auto st = InitApt(); !st) return st.error();
  pkgCacheFile file;
  pkgCache* cache = file.GetPkgCache();
  pkgPolicy* policy = file.GetPolicy();
  if (cache == nullptr || policy == nullptr)
    return Error::Io("libapt-pkg cannot open apt's cache: " + AptErrors());
  pkgRecords records(*cache);
  std::optional<DebianPackage> best;
  for (pkgCache::GrpIterator g = cache->GrpBegin(); !g.end(); ++g) {
    std::string name = g.Name();
    if (!NameMatches(pattern, name)) continue;
    pkgCache::PkgIterator p = g.FindPreferredPkg();
    if (p.end()) continue;
    pkgCache::VerIterator v;
    if (pinned.empty()) {
      v = policy->GetCandidateVer(p);
    } else {
      for (pkgCache::VerIterator it = p.VersionList(); !it.end(); ++it)
        if (pinned == it.VerStr()) v = it;
    }
    if (v.end() || v.FileList().end()) continue;
    if (best && debVS.CmpVersion(v.VerStr(), best->version) <= 0) continue;
    pkgRecords::Parser& parser = records.Lookup(v.FileList());
    DebianPackage d;
    d.name = name;
    d.version = v.VerStr();
    d.architecture = v.Arch();
    d.source = parser.SourcePkg().empty() ? name : parser.SourcePkg();
    d.source_version = parser.SourceVer().empty() ? d.version : parser.SourceVer();
    HashStringList hashes = parser.Hashes();
    const HashString* sha = hashes.find("SHA256");
    if (sha == nullptr) continue;  // an index without sha256 cannot pin what it names
    d.deb_sha256 = sha->HashValue();
    best = d;
  }
  if (!best)
    return Error::NotFound("no package " + pattern + (pinned.empty() ? "" : "=" + pinned) +
                           " in apt's index (run apt-get update, or build offline with --debs DIR)");
  return *best;
}

std::string ControlField(const std::string& out, const std::string& field) {
  size_t at = 0;
  while (at < out.size()) {
    size_t end = out.find('\n', at);
    std::string line = out.substr(at, end == std::string::npos ? std::string::npos : end - at);
    if (line.rfind(field + ": ", 0) == 0) return line.substr(field.size() + 2);
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return "";
}

}  // namespace

Result<DebFile> InspectDeb(const std::string& path) {
  auto bytes = ReadFileNoFollow(path);
  if (!bytes) return bytes.error();
  auto control =
      RunToolOk({"dpkg-deb", "-f", path, "Package", "Version", "Architecture", "Source", "Built-Using"},
                {CleanToolEnvironment(), "", 64 << 20});
  if (!control) return control.error();
  DebFile f;
  f.path = path;
  f.package.name = ControlField(*control, "Package");
  f.package.version = ControlField(*control, "Version");
  f.package.architecture = ControlField(*control, "Architecture");
  if (f.package.name.empty() || f.package.version.empty())
    return Error::InvalidInput(path + ": not a Debian package (no Package or Version field)");
  // "Source: NAME" or "Source: NAME (VERSION)" when the source version differs (binNMUs).
  std::string source = ControlField(*control, "Source");
  f.package.source = f.package.name;
  f.package.source_version = f.package.version;
  if (!source.empty()) {
    auto paren = source.find(" (");
    f.package.source = source.substr(0, paren);
    if (paren != std::string::npos && source.back() == ')')
      f.package.source_version = source.substr(paren + 2, source.size() - paren - 3);
  }
  // "Built-Using: linux (= 6.1.192-3), gcc-12 (= 12.2.0-14)"
  std::string built = ControlField(*control, "Built-Using");
  for (size_t at = 0; at < built.size();) {
    size_t comma = built.find(',', at);
    std::string item = built.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
    at = comma == std::string::npos ? built.size() : comma + 1;
    auto open = item.find("(= ");
    auto close = item.find(')', open == std::string::npos ? 0 : open);
    if (open == std::string::npos || close == std::string::npos) continue;
    std::string name = item.substr(0, open);
    name.erase(0, name.find_first_not_of(' '));
    name.erase(name.find_last_not_of(' ') + 1);
    if (!name.empty()) f.package.built_using.push_back({name, item.substr(open + 3, close - open - 3)});
  }
  f.package.deb_sha256 = Sha256Hex(*bytes);
  return f;
}

Result<DebFile> FetchDeb(const std::string& spec, const DebSource& source) {
  std::string pattern, pinned;
  SplitSpec(spec, pattern, pinned);
  if (!source.offline_dir.empty()) {
    auto names = ListFilesNoFollow(source.offline_dir);
    if (!names) return names.error();
    std::optional<DebFile> best;
    for (const auto& n : *names) {  // full paths
      if (n.size() < 5 || n.substr(n.size() - 4) != ".deb") continue;
      auto deb = InspectDeb(n);
      if (!deb) return deb.error();
      if (!NameMatches(pattern, deb->package.name) || (!pinned.empty() && deb->package.version != pinned))
        continue;
      if (best && debVS.CmpVersion(deb->package.version, best->package.version) <= 0) continue;
      best = *deb;
    }
    if (!best) return Error::NotFound("no .deb for " + spec + " in " + source.offline_dir);
    return *best;
  }
  auto want = Candidate(pattern, pinned);
  if (!want) return want.error();
  std::error_code ec;
  fs::create_directories(source.cache_dir, ec);
  if (ec) return Error::Io("cannot create " + source.cache_dir + ": " + ec.message());
  // apt-get download names the file NAME_VERSION_ARCH.deb, ':' of an epoch as %3a.
  std::string version = want->version;
  for (size_t at; (at = version.find(':')) != std::string::npos;) version.replace(at, 1, "%3a");
  std::string path = source.cache_dir + "/" + want->name + "_" + version + "_" + want->architecture + ".deb";
  auto cached = ReadFileNoFollow(path);
  if (!cached || Sha256Hex(*cached) != want->deb_sha256) {
    fs::remove(path, ec);
    auto got =
        RunToolOk({"apt-get", "download", "-q", want->name + "=" + want->version}, {{}, source.cache_dir});
    if (!got) return got.error();
  }
  auto deb = InspectDeb(path);
  if (!deb) return deb.error();
  if (deb->package.deb_sha256 != want->deb_sha256)
    return Error::Io(path + ": sha256 " + deb->package.deb_sha256 + " is not the index's " +
                     want->deb_sha256);
  deb->package.source = want->source;
  deb->package.source_version = want->source_version;
  return *deb;
}

}  // namespace ringfence::debian

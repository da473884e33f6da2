#include "adapters/cache/file_scan_cache.h"

#include <mutex>

#include "adapters/cache/binary_file.h"

namespace ringfence::cache {
namespace {

constexpr std::string_view kMagic = "RFSCACHE";
constexpr size_t kMaxEntries = 4'000'000;

}  // namespace

FileScanCache::FileScanCache(std::string path) : path_(std::move(path)) { Load(); }

void FileScanCache::Load() {
  auto data = ReadWholeFile(path_);
  if (!data) return;
  BinaryReader r(*data);
  uint32_t version = 0, count = 0;
  if (!r.Expect(kMagic) || !r.U32(version) || version != kFormatVersion || !r.U32(count) ||
      count > kMaxEntries) {
    return;
  }
  entries_.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    std::string key;
    FileScan s;
    uint8_t lang;
    uint32_t n;
    uint32_t macros = 0;
    if (!r.Str(key) || !r.U8(lang) || lang > static_cast<uint8_t>(Language::kJava) || !r.Str(s.package) ||
        !r.Str(s.build_constraint) || !r.U32(macros) || macros > r.left()) {
      entries_.clear();
      return;
    }
    s.platform_macros.resize(macros);
    for (auto& m : s.platform_macros) {
      if (!r.Str(m)) {
        entries_.clear();
        return;
      }
    }
    if (!r.U32(n) || n > r.left()) {
      entries_.clear();
      return;
    }
    s.language = static_cast<Language>(lang);
    s.imports.resize(n);
    for (auto& imp : s.imports) {
      if (!r.U32(imp.line) || !r.U8(imp.flags) || !r.Str(imp.spec) || !r.Str(imp.condition)) {
        entries_.clear();
        return;
      }
    }
    entries_.emplace(std::move(key), std::move(s));
  }
}

std::optional<FileScan> FileScanCache::Get(const std::string& blob) const {
  std::shared_lock lock(mu_);
  auto it = entries_.find(blob);
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

void FileScanCache::Put(const std::string& blob, const FileScan& scan) {
  std::unique_lock lock(mu_);
  if (entries_.size() >= kMaxEntries) return;
  entries_[blob] = scan;
  dirty_ = true;
}

Status FileScanCache::Save() {
  std::unique_lock lock(mu_);
  if (!dirty_ || path_.empty()) return Status::Ok();
  BinaryWriter w;
  w.Raw(kMagic);
  w.U32(kFormatVersion);
  w.U32(static_cast<uint32_t>(entries_.size()));
  for (const auto& [key, s] : entries_) {
    w.Str(key);
    w.U8(static_cast<uint8_t>(s.language));
    w.Str(s.package);
    w.Str(s.build_constraint);
    w.U32(static_cast<uint32_t>(s.platform_macros.size()));
    for (const auto& m : s.platform_macros) w.Str(m);
    w.U32(static_cast<uint32_t>(s.imports.size()));
    for (const auto& imp : s.imports) {
      w.U32(imp.line);
      w.U8(imp.flags);
      w.Str(imp.spec);
      w.Str(imp.condition);
    }
  }
  if (auto st = WriteAtomically(path_, w.data()); !st) return st;
  dirty_ = false;
  return Status::Ok();
}

}  // namespace ringfence::cache

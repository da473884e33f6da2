#include "adapters/cache/file_scan_cache.h"

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <unistd.h>

namespace ringfence::cache {
namespace {

constexpr char kMagic[8] = {'R', 'F', 'S', 'C', 'A', 'C', 'H', 'E'};
constexpr size_t kMaxEntries = 4'000'000;

class Reader {
 public:
  explicit Reader(const std::string& data) : d_(data) {}
  bool U32(uint32_t& v) { return Raw(&v, 4); }
  bool U8(uint8_t& v) { return Raw(&v, 1); }
  bool Str(std::string& s) {
    uint32_t n;
    if (!U32(n) || n > d_.size() - pos_) return false;
    s.assign(d_, pos_, n);
    pos_ += n;
    return true;
  }
  bool done() const { return pos_ == d_.size(); }

 private:
  bool Raw(void* p, size_t n) {
    if (d_.size() - pos_ < n) return false;
    std::memcpy(p, d_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  const std::string& d_;
  size_t pos_ = 0;
};

void PutU32(std::string& out, uint32_t v) { out.append(reinterpret_cast<const char*>(&v), 4); }
void PutStr(std::string& out, const std::string& s) {
  PutU32(out, static_cast<uint32_t>(s.size()));
  out += s;
}

}  // namespace

FileScanCache::FileScanCache(std::string path) : path_(std::move(path)) { Load(); }

void FileScanCache::Load() {
  std::ifstream in(path_, std::ios::binary);
  if (!in) return;
  std::stringstream ss;
  ss << in.rdbuf();
  std::string data = ss.str();
  if (data.size() < sizeof kMagic + 4 || std::memcmp(data.data(), kMagic, sizeof kMagic) != 0) return;
  Reader r(data);
  uint8_t skip;
  for (size_t i = 0; i < sizeof kMagic; ++i) r.U8(skip);
  uint32_t version = 0, count = 0;
  if (!r.U32(version) || version != kFormatVersion || !r.U32(count) || count > kMaxEntries) return;
  entries_.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    std::string key;
    FileScan s;
    uint8_t lang;
    uint32_t n;
    if (!r.Str(key) || !r.U8(lang) || lang > static_cast<uint8_t>(Language::kJava) || !r.Str(s.package) ||
        !r.U32(n) || n > data.size()) {
      entries_.clear();
      return;
    }
    s.language = static_cast<Language>(lang);
    s.imports.resize(n);
    for (auto& imp : s.imports) {
      if (!r.U32(imp.line) || !r.U8(imp.flags) || !r.Str(imp.spec)) {
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
  std::string out(kMagic, sizeof kMagic);
  PutU32(out, kFormatVersion);
  PutU32(out, static_cast<uint32_t>(entries_.size()));
  for (const auto& [key, s] : entries_) {
    PutStr(out, key);
    out += static_cast<char>(s.language);
    PutStr(out, s.package);
    PutU32(out, static_cast<uint32_t>(s.imports.size()));
    for (const auto& imp : s.imports) {
      PutU32(out, imp.line);
      out += static_cast<char>(imp.flags);
      PutStr(out, imp.spec);
    }
  }
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path_).parent_path(), ec);
  std::string tmp = path_ + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f.write(out.data(), static_cast<std::streamsize>(out.size()))) {
      return Error::Io("cannot write scan cache " + tmp);
    }
  }
  if (std::rename(tmp.c_str(), path_.c_str()) != 0) {
    std::remove(tmp.c_str());
    return Error::Io("cannot replace scan cache " + path_);
  }
  dirty_ = false;
  return Status::Ok();
}

}  // namespace ringfence::cache

// Little-endian binary records, shared by the cache files (written with WriteAtomically).
// A Reader never reads past its input: every getter reports failure instead.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "adapters/common/files.h"

namespace ringfence::cache {

class BinaryWriter {
 public:
  void U8(uint8_t v) { out_ += static_cast<char>(v); }
  void U32(uint32_t v) { out_.append(reinterpret_cast<const char*>(&v), 4); }
  void U64(uint64_t v) { out_.append(reinterpret_cast<const char*>(&v), 8); }
  void Str(std::string_view s) {
    U32(static_cast<uint32_t>(s.size()));
    out_.append(s);
  }
  void Raw(std::string_view s) { out_.append(s); }
  std::string& data() { return out_; }

 private:
  std::string out_;
};

class BinaryReader {
 public:
  explicit BinaryReader(std::string_view d) : d_(d) {}
  bool U8(uint8_t& v) { return Raw(&v, 1); }
  bool U32(uint32_t& v) { return Raw(&v, 4); }
  bool U64(uint64_t& v) { return Raw(&v, 8); }
  bool Str(std::string_view& s) {
    uint32_t n;
    if (!U32(n) || n > d_.size() - pos_) return false;
    s = d_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  bool Str(std::string& s) {
    std::string_view v;
    if (!Str(v)) return false;
    s.assign(v);
    return true;
  }
  // Consumes `magic` if the input starts with it.
  bool Expect(std::string_view magic) {
    if (d_.size() - pos_ < magic.size() || d_.compare(pos_, magic.size(), magic) != 0) return false;
    pos_ += magic.size();
    return true;
  }
  size_t left() const { return d_.size() - pos_; }

 private:
  bool Raw(void* p, size_t n) {
    if (d_.size() - pos_ < n) return false;
    std::memcpy(p, d_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  std::string_view d_;
  size_t pos_ = 0;
};

}  // namespace ringfence::cache

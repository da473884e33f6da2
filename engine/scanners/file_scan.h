// What a language scanner extracts from one file: its imports as written, with line numbers.
// Scanners never fail: text they cannot parse yields fewer imports, never an error.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model/file_scan.h"

namespace ringfence {

// Files larger than this are not scanned; they stay in the graph, and the scope says so.
inline constexpr size_t kMaxScanBytes = 16u << 20;

// Scans `content` as `lang`. Text in UTF-16/32, or with NUL bytes, is decoded first; content that
// is no text, or larger than kMaxScanBytes, yields no imports and says why in `unscanned`.
FileScan ScanFile(Language lang, std::string_view content);

// One function per language, in engine/scanners/<lang>_scanner.cc.
void ScanCpp(std::string_view content, FileScan& out);
void ScanPython(std::string_view content, FileScan& out);
void ScanJavaScript(std::string_view content, FileScan& out);
void ScanGo(std::string_view content, FileScan& out);
void ScanJava(std::string_view content, FileScan& out);

// Line splitting shared by the line-oriented scanners: calls fn(line, lineno) for each line.
template <class Fn>
void ForEachLine(std::string_view text, Fn fn) {
  uint32_t lineno = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    fn(line, ++lineno);
    pos = end + 1;
  }
}

// For a line inside a /* block comment */ (`in_comment`): the part after the comment closes, and
// false if it does not close on this line (nothing of the line is code).
inline bool LeaveBlockComment(std::string_view& line, bool& in_comment) {
  if (!in_comment) return true;
  size_t end = line.find("*/");
  if (end == std::string_view::npos) return false;
  line.remove_prefix(end + 2);
  in_comment = false;
  return true;
}

inline std::string_view TrimLeft(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return s.substr(i);
}

inline std::string_view Trim(std::string_view s) {
  s = TrimLeft(s);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// True if `s` starts with keyword `kw` followed by a non-identifier character or the end.
inline bool StartsWithWord(std::string_view s, std::string_view kw) {
  if (s.substr(0, kw.size()) != kw) return false;
  if (s.size() == kw.size()) return true;
  char c = s[kw.size()];
  return !(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
}

}  // namespace ringfence

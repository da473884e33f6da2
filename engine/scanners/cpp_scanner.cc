// C and C++: #include "x" / <x>, #include_next, Objective-C #import. Block comments are skipped.
#include "engine/scanners/file_scan.h"

namespace ringfence {

void ScanCpp(std::string_view content, FileScan& out) {
  bool in_comment = false;
  ForEachLine(content, [&](std::string_view line, uint32_t lineno) {
    std::string_view s = line;
    if (!LeaveBlockComment(s, in_comment)) return;
    std::string_view t = TrimLeft(s);
    if (!t.empty() && t[0] == '#') {
      t = TrimLeft(t.substr(1));
      std::string_view rest;
      if (StartsWithWord(t, "include_next"))
        rest = t.substr(12);
      else if (StartsWithWord(t, "include"))
        rest = t.substr(7);
      else if (StartsWithWord(t, "import"))
        rest = t.substr(6);
      else
        rest = {};
      rest = TrimLeft(rest);
      if (!rest.empty() && (rest[0] == '"' || rest[0] == '<')) {
        char close = rest[0] == '"' ? '"' : '>';
        size_t end = rest.find(close, 1);
        if (end != std::string_view::npos && end > 1) {
          ImportRef ref;
          ref.spec = std::string(rest.substr(1, end - 1));
          ref.line = lineno;
          ref.flags = close == '>' ? ImportRef::kAngle : 0;
          out.imports.push_back(std::move(ref));
        }
      }
    }
    // Track a block comment that opens on this line and stays open.
    size_t pos = 0;
    while (true) {
      size_t open = s.find("/*", pos);
      if (open == std::string_view::npos) break;
      size_t line_comment = s.find("//", pos);
      if (line_comment != std::string_view::npos && line_comment < open) break;
      size_t close = s.find("*/", open + 2);
      if (close == std::string_view::npos) {
        in_comment = true;
        break;
      }
      pos = close + 2;
    }
  });
}

}  // namespace ringfence

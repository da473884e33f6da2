// Go: `package x`, `import "p"`, `import alias "p"`, and import blocks `import ( ... )`.
#include "engine/scanners/file_scan.h"

namespace ringfence {
namespace {

// Extracts the quoted import path from `[alias] "path"` or a raw `path` string.
bool ImportPath(std::string_view s, std::string& path) {
  for (char q : {'"', '`'}) {
    size_t open = s.find(q);
    if (open == std::string_view::npos) continue;
    size_t close = s.find(q, open + 1);
    if (close == std::string_view::npos || close == open + 1) return false;
    path = std::string(s.substr(open + 1, close - open - 1));
    return true;
  }
  return false;
}

std::string_view StripLineComment(std::string_view s) {
  size_t c = s.find("//");
  return c == std::string_view::npos ? s : s.substr(0, c);
}

}  // namespace

void ScanGo(std::string_view content, FileScan& out) {
  bool in_block = false, in_comment = false, done = false;
  ForEachLine(content, [&](std::string_view line, uint32_t lineno) {
    if (done) return;
    std::string_view s = line;
    if (!LeaveBlockComment(s, in_comment)) return;
    size_t open = s.find("/*");
    if (open != std::string_view::npos && s.find("*/", open + 2) == std::string_view::npos &&
        StripLineComment(s).size() > open) {
      in_comment = true;
      s = s.substr(0, open);
    }
    std::string_view t = Trim(StripLineComment(s));
    if (t.empty()) return;
    std::string path;
    if (in_block) {
      if (t[0] == ')') {
        in_block = false;
        return;
      }
      if (ImportPath(t, path)) out.imports.push_back({path, lineno, 0});
      return;
    }
    if (StartsWithWord(t, "package")) {
      out.package = std::string(Trim(t.substr(7)));
    } else if (StartsWithWord(t, "import")) {
      std::string_view rest = TrimLeft(t.substr(6));
      if (!rest.empty() && rest[0] == '(') {
        in_block = true;
        rest = rest.substr(1);
        if (ImportPath(rest, path)) out.imports.push_back({path, lineno, 0});
        if (rest.find(')') != std::string_view::npos) in_block = false;
      } else if (ImportPath(rest, path)) {
        out.imports.push_back({path, lineno, 0});
      }
    } else if (StartsWithWord(t, "func") || StartsWithWord(t, "type") || StartsWithWord(t, "var") ||
               StartsWithWord(t, "const")) {
      done = true;  // imports precede all declarations
    }
  });
}

}  // namespace ringfence

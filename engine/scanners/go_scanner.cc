// Go: `package x`, `import "p"`, `import alias "p"`, import blocks `import ( ... )`, and the
// build constraint before the package clause (`//go:build`, else legacy `// +build` lines).
#include "engine/scanners/file_scan.h"
#include "engine/scanners/go_build_constraint.h"

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
  bool in_block = false, in_comment = false, done = false, seen_package = false;
  std::vector<std::string> plus_build;
  ForEachLine(content, [&](std::string_view line, uint32_t lineno) {
    if (done) return;
    std::string_view s = line;
    if (!LeaveBlockComment(s, in_comment)) return;
    if (!seen_package && !in_comment) {
      std::string_view c = Trim(s);
      if (c.substr(0, 10) == "//go:build" && (c.size() == 10 || c[10] == ' ' || c[10] == '\t')) {
        if (out.build_constraint.empty()) out.build_constraint = std::string(Trim(c.substr(10)));
        return;
      }
      if (c.substr(0, 2) == "//" && Trim(c.substr(2)).substr(0, 7) == "+build ") {
        plus_build.emplace_back(Trim(Trim(c.substr(2)).substr(7)));
        return;
      }
    }
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
      if (ImportPath(t, path)) out.imports.push_back({path, lineno, 0, {}});
      return;
    }
    if (StartsWithWord(t, "package")) {
      out.package = std::string(Trim(t.substr(7)));
      seen_package = true;
    } else if (StartsWithWord(t, "import")) {
      std::string_view rest = TrimLeft(t.substr(6));
      if (!rest.empty() && rest[0] == '(') {
        in_block = true;
        rest = rest.substr(1);
        if (ImportPath(rest, path)) out.imports.push_back({path, lineno, 0, {}});
        if (rest.find(')') != std::string_view::npos) in_block = false;
      } else if (ImportPath(rest, path)) {
        out.imports.push_back({path, lineno, 0, {}});
      }
    } else if (StartsWithWord(t, "func") || StartsWithWord(t, "type") || StartsWithWord(t, "var") ||
               StartsWithWord(t, "const")) {
      done = true;  // imports precede all declarations
    }
  });
  if (out.build_constraint.empty()) out.build_constraint = GoPlusBuildToExpression(plus_build);
}

}  // namespace ringfence

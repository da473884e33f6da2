// Java: `package a.b;`, `import a.b.C;`, `import static a.b.C.m;`, `import a.b.*;`.
#include "engine/scanners/file_scan.h"

namespace ringfence {

void ScanJava(std::string_view content, FileScan& out) {
  bool in_comment = false;
  ForEachLine(content, [&](std::string_view line, uint32_t lineno) {
    std::string_view s = line;
    if (!LeaveBlockComment(s, in_comment)) return;
    std::string_view t = Trim(s);
    if (t.substr(0, 2) == "/*") {
      size_t end = t.find("*/", 2);
      if (end == std::string_view::npos) {
        in_comment = true;
        return;
      }
      t = Trim(t.substr(end + 2));
    }
    bool is_package = StartsWithWord(t, "package");
    bool is_import = StartsWithWord(t, "import");
    if (!is_package && !is_import) return;
    std::string_view rest = TrimLeft(t.substr(is_package ? 7 : 6));
    if (is_import && StartsWithWord(rest, "static")) rest = TrimLeft(rest.substr(6));
    size_t semi = rest.find(';');
    if (semi == std::string_view::npos) return;
    std::string name;
    for (char c : rest.substr(0, semi)) {
      if (c != ' ' && c != '\t') name += c;
    }
    if (name.empty()) return;
    if (is_package)
      out.package = name;
    else
      out.imports.push_back({name, lineno, 0, {}});
  });
}

}  // namespace ringfence

#include "engine/graph/graph_reuse.h"

#include "engine/graph/codeowners.h"
#include "engine/graph/components_file.h"
#include "engine/graph/graph_builder.h"
#include "engine/scanners/repo_index.h"

namespace ringfence {

bool IsGraphConfiguration(const std::string& path) {
  if (path == kComponentsPath) return true;
  for (const char* loc : kCodeownersLocations) {
    if (path == loc) return true;
  }
  std::string_view name = BaseName(path);
  for (const char* m : kManifestNames) {
    if (name == m) return true;
  }
  return name == "tsconfig.json" || name == "jsconfig.json" || name == "compile_commands.json" ||
         name == "setup.cfg";
}

bool GraphUnchanged(const ChangeSet& changes, const ScanOf& scan_of) {
  for (const auto& f : changes.files) {
    if (f.status != ChangeStatus::kModified && f.status != ChangeStatus::kModeChanged) return false;
    if (IsGraphConfiguration(f.path)) return false;
    if (f.old_blob.empty() || f.new_blob.empty()) return false;
    if (LanguageOf(f.path) == Language::kNone) continue;  // not scanned: cannot change edges
    auto before = scan_of(f.path, f.old_blob);
    auto after = scan_of(f.path, f.new_blob);
    if (!before || !after) return false;
    if (before->package != after->package || before->imports.size() != after->imports.size()) return false;
    for (size_t i = 0; i < before->imports.size(); ++i) {
      const ImportRef &a = before->imports[i], &b = after->imports[i];
      // Line numbers are evidence on edges: a shifted import changes what the report cites.
      if (a.spec != b.spec || a.flags != b.flags || a.line != b.line) return false;
    }
  }
  return true;
}

}  // namespace ringfence

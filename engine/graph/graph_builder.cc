#include "engine/graph/graph_builder.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "engine/graph/codeowners.h"
#include "engine/graph/components_file.h"
#include "engine/scanners/repo_index.h"

namespace ringfence {
namespace {

using Vertex = DependencyGraph::Vertex;

bool IsScannable(const TreeEntry& e) {
  return (e.mode == 0100644 || e.mode == 0100755) && LanguageOf(e.path) != Language::kNone;
}

// Scans every scannable entry on `threads` workers. scans[i] belongs to paths[i].
Status ScanAll(const SourceTree& tree, const std::vector<TreeEntry>& entries,
               const GraphBuildOptions& options, std::vector<FileScan>& scans, BuiltGraph& out) {
  std::atomic<size_t> next{0}, scanned{0}, hits{0};
  std::mutex err_mu;
  std::optional<Error> first_error;
  auto work = [&] {
    while (true) {
      size_t i = next.fetch_add(1);
      if (i >= entries.size()) return;
      const TreeEntry& e = entries[i];
      if (!IsScannable(e)) continue;
      Language lang = LanguageOf(e.path);
      // The scan depends on the content and the language the file name selects.
      std::string key = e.blob.empty() ? "" : e.blob + ToString(lang);
      if (options.cache && !key.empty()) {
        if (auto hit = options.cache->Get(key)) {
          scans[i] = std::move(*hit);
          hits.fetch_add(1);
          continue;
        }
      }
      auto content = tree.Read(e);
      if (!content) {
        std::lock_guard<std::mutex> lock(err_mu);
        if (!first_error) first_error = content.error().Wrap("scanning " + e.path);
        return;
      }
      scans[i] = ScanFile(lang, *content);
      scanned.fetch_add(1);
      if (options.cache && !key.empty() && scans[i].unscanned.empty()) options.cache->Put(key, scans[i]);
    }
  };
  int n = options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  n = std::max(1, std::min(n, 16));
  std::vector<std::thread> pool;
  for (int t = 1; t < n; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  if (first_error) return *first_error;
  out.scanned = scanned;
  out.cache_hits = hits;
  return Status::Ok();
}

// Nearest enclosing directory holding a manifest, memoised per directory.
class ManifestLocator {
 public:
  explicit ManifestLocator(const RepoIndex& idx) : idx_(idx) {}
  // Returns the manifest path ("" if none) governing `dir`.
  const std::string& For(std::string_view dir) {
    auto it = memo_.find(std::string(dir));
    if (it != memo_.end()) return it->second;
    std::string found;
    if (const auto* files = idx_.FilesIn(dir)) {
      for (const char* m : kManifestNames) {
        for (int id : *files) {
          if (BaseName(idx_.path(id)) == m) {
            found = idx_.path(id);
            break;
          }
        }
        if (!found.empty()) break;
      }
    }
    if (found.empty() && !dir.empty()) found = For(DirName(dir));
    return memo_.emplace(std::string(dir), std::move(found)).first->second;
  }

 private:
  const RepoIndex& idx_;
  std::unordered_map<std::string, std::string> memo_;
};

}  // namespace

Result<BuiltGraph> BuildGraph(const SourceTree& tree, const std::vector<TreeEntry>& entries,
                              const GraphBuildOptions& options) {
  BuiltGraph out;
  auto mark = std::chrono::steady_clock::now();
  auto phase = [&](const char* name) {
    auto now = std::chrono::steady_clock::now();
    out.phases.emplace_back(name, std::chrono::duration<double>(now - mark).count());
    mark = now;
  };
  const SourceTree& config = options.config_tree ? *options.config_tree : tree;

  // Paths: the tree's files, then the deleted ones (no content, but importers may remain).
  std::vector<std::string> paths;
  paths.reserve(entries.size() + options.deleted_files.size());
  for (const auto& e : entries) paths.push_back(e.path);
  for (const auto& d : options.deleted_files) paths.push_back(d);
  std::vector<FileScan> scans(paths.size());
  if (auto st = ScanAll(tree, entries, options, scans, out); !st) return st.error();
  out.files = entries.size();
  for (size_t i = 0; i < entries.size(); ++i) {
    if (!scans[i].unscanned.empty()) out.unscanned.emplace_back(entries[i].path, scans[i].unscanned);
  }
  phase("scan");

  RepoIndex index(paths);
  RepoContext ctx;
  ctx.index = &index;
  ctx.scans = &scans;
  ctx.read = [&tree](const std::string& p) { return tree.ReadPath(p); };
  ctx.build = &options.build;
  DependencyGraph& g = out.graph;
  for (size_t i = 0; i < paths.size(); ++i) {
    auto v = g.AddNode(NodeKind::kFile, paths[i]);
    g.node(v).deleted = i >= entries.size();
  }

  phase("index");
  // Imports, per language, only for languages present.
  bool present[6] = {};
  for (const auto& s : scans) present[static_cast<int>(s.language)] = true;
  std::unique_ptr<ImportResolver> resolvers[6];
  if (present[static_cast<int>(Language::kCpp)])
    resolvers[static_cast<int>(Language::kCpp)] = MakeCppResolver(ctx);
  if (present[static_cast<int>(Language::kPython)])
    resolvers[static_cast<int>(Language::kPython)] = MakePythonResolver(ctx);
  if (present[static_cast<int>(Language::kJavaScript)])
    resolvers[static_cast<int>(Language::kJavaScript)] = MakeJavaScriptResolver(ctx);
  if (present[static_cast<int>(Language::kGo)])
    resolvers[static_cast<int>(Language::kGo)] = MakeGoResolver(ctx);
  if (present[static_cast<int>(Language::kJava)])
    resolvers[static_cast<int>(Language::kJava)] = MakeJavaResolver(ctx);
  // Submodules (gitlinks): their files are not in the tree, so an import that resolves to
  // nothing but points into one becomes an edge from the submodule's node.
  std::vector<std::string> submodules;
  for (const auto& e : entries) {
    if (e.mode == 0160000) submodules.push_back(e.path);
  }
  auto submodule_of = [&](int file, const ImportRef& ref) -> int {
    std::string spec = ref.spec, joined;
    if (scans[static_cast<size_t>(file)].language == Language::kPython &&
        spec.find('/') == std::string::npos) {
      for (char& c : spec) {
        if (c == '.') c = '/';
      }
    }
    for (const auto& sub : submodules) {
      std::string_view base = BaseName(sub);
      for (const std::string& dir : {std::string(DirName(paths[static_cast<size_t>(file)])), std::string()}) {
        if (!JoinPath(dir, spec, joined)) continue;
        if (joined.size() > sub.size() && joined.compare(0, sub.size(), sub) == 0 &&
            joined[sub.size()] == '/')
          return index.Find(sub);
      }
      // "zlib/zlib.h" for third_party/zlib, as an include directory above it would find it.
      if (spec.size() > base.size() && spec.compare(0, base.size(), base) == 0 && spec[base.size()] == '/')
        return index.Find(sub);
    }
    return -1;
  };
  std::vector<ResolvedImport> resolved;
  std::vector<ImplicitDependency> implicit;
  std::vector<bool> resolved_import;
  std::string quoted;
  for (size_t i = 0; i < entries.size(); ++i) {
    const FileScan& s = scans[i];
    const auto& r = resolvers[static_cast<int>(s.language)];
    if (!r) continue;
    int file = static_cast<int>(i);
    resolved.clear();
    r->Resolve(file, s, resolved);
    if (!submodules.empty()) {
      resolved_import.assign(s.imports.size(), false);
      for (const auto& ri : resolved) resolved_import[ri.import_index] = true;
      for (uint32_t i = 0; i < s.imports.size(); ++i) {
        int sub = resolved_import[i] ? -1 : submodule_of(file, s.imports[i]);
        if (sub >= 0) resolved.push_back({i, sub, {}, false});
      }
    }
    for (const auto& ri : resolved) {
      const ImportRef& ref = s.imports[ri.import_index];
      quoted.assign(1, '"').append(ref.spec).push_back('"');
      if (!ref.condition.empty()) quoted.append(" if ").append(ref.condition);
      auto from = ri.file >= 0 ? static_cast<DependencyGraph::Vertex>(ri.file)
                               : g.AddNode(NodeKind::kPackage, ri.package);
      g.AddEdge(from, Vertex(file), Relation::kImports, Vertex(file), ref.line, quoted, ri.heuristic);
    }
    std::string pkg = r->PackageOf(file, s);
    if (!pkg.empty()) {
      g.AddEdge(Vertex(file), g.AddNode(NodeKind::kPackage, pkg), Relation::kBelongsTo, Vertex(file), 0,
                "package declaration");
    }
    std::string tested = r->TestedPackageOf(file, s);
    if (!tested.empty()) {
      g.AddEdge(g.AddNode(NodeKind::kPackage, tested), Vertex(file), Relation::kImports, Vertex(file), 0,
                "a test of its package");
    }
    implicit.clear();
    r->ImplicitDependencies(file, s, implicit);
    for (const auto& d : implicit)
      g.AddEdge(Vertex(d.file), Vertex(file), Relation::kImports, Vertex(file), 0, d.why);
  }
  for (const auto& r : resolvers) {
    if (r) out.warnings.insert(out.warnings.end(), r->warnings.begin(), r->warnings.end());
  }

  phase("imports");
  // Packages and build targets: the nearest manifest above each file.
  ManifestLocator manifests(index);
  for (size_t i = 0; i < paths.size(); ++i) {
    const std::string& m = manifests.For(DirName(paths[i]));
    if (m.empty()) continue;
    std::string dir(DirName(m));
    g.AddEdge(Vertex(i), g.AddNode(NodeKind::kPackage, "pkg:" + (dir.empty() ? "." : dir)),
              Relation::kBelongsTo, Vertex(index.Find(m)), 0, "nearest manifest");
  }

  phase("packages");
  // The vertex a classification file's edges cite: its node, added (as absent) when the tree
  // being built lacks it because the classification comes from another tree.
  auto evidence_vertex = [&](const char* path) {
    int id = index.Find(path);
    if (id >= 0) return Vertex(id);
    auto v = g.AddNode(NodeKind::kFile, path);
    g.node(v).deleted = true;
    return v;
  };
  // Components.
  if (auto text = config.ReadPath(kComponentsPath); text || text.error().kind != ErrorKind::kNotFound) {
    if (!text) return text.error();
    auto comps = ComponentsFile::Parse(*text, kComponentsPath);
    if (!comps) return comps.error();
    out.has_components = true;
    Vertex file_v = evidence_vertex(kComponentsPath);
    std::vector<DependencyGraph::Vertex> cv;
    for (const auto& c : comps->components) {
      auto v = g.AddNode(NodeKind::kComponent, c.name);
      g.node(v).tier = c.tier;
      g.node(v).global_channel = c.global_channel;
      cv.push_back(v);
    }
    for (size_t ci = 0; ci < comps->components.size(); ++ci) {
      const Component& c = comps->components[ci];
      for (const auto& dep : c.depends_on) {
        const auto& dc = *std::find_if(comps->components.begin(), comps->components.end(),
                                       [&](const Component& x) { return x.name == dep; });
        g.AddEdge(cv[static_cast<size_t>(&dc - comps->components.data())], cv[ci], Relation::kDependsOn,
                  file_v, static_cast<uint32_t>(c.line), "depends_on");
      }
      for (const auto& o : c.owners) {
        g.AddEdge(cv[ci], g.AddNode(NodeKind::kOwner, o), Relation::kOwnedBy, file_v,
                  static_cast<uint32_t>(c.line), "owners");
      }
    }
    for (size_t i = 0; i < paths.size(); ++i) {
      for (const auto& m : comps->Match(paths[i])) {
        const Component& c = comps->components[static_cast<size_t>(m.component)];
        g.AddEdge(Vertex(i), cv[static_cast<size_t>(m.component)], Relation::kBelongsTo, file_v,
                  static_cast<uint32_t>(c.line),
                  "paths " + comps->globs.at(static_cast<size_t>(m.glob)).text());
      }
    }
  }

  phase("components");
  // Owners: CODEOWNERS, where GitHub looks for it (the first location that has one).
  for (const char* loc : kCodeownersLocations) {
    auto text = config.ReadPath(loc);
    if (!text && text.error().kind == ErrorKind::kNotFound) continue;
    if (!text) return text.error();
    auto co = Codeowners::Parse(*text, loc);
    if (!co) return co.error();
    out.has_codeowners = true;
    Vertex file_v = evidence_vertex(loc);
    for (size_t i = 0; i < paths.size(); ++i) {
      const CodeownersRule* rule = co->RuleFor(paths[i]);
      if (!rule) continue;
      for (const auto& o : rule->owners) {
        g.AddEdge(Vertex(i), g.AddNode(NodeKind::kOwner, o), Relation::kOwnedBy, file_v,
                  static_cast<uint32_t>(rule->line), rule->pattern);
      }
    }
    break;
  }
  out.graph.Freeze();
  phase("owners");
  return out;
}

}  // namespace ringfence

// Conditions on the changed files themselves: paths, status, kinds.
#include "engine/rules/file_kinds.h"
#include "engine/rules/matcher_registry.h"
#include "engine/rules/matchers/matcher_util.h"

namespace ringfence {
namespace {

using matchers::Globs;

// Matches when some changed file satisfies `pred`; every such file is evidence.
template <class Pred>
MatchResult AnyFile(const ChangeFacts& facts, Pred pred) {
  MatchResult r;
  const auto& files = facts.scope.changes.files;
  for (size_t i = 0; i < files.size(); ++i) {
    const FileChange& f = files[i];
    std::string why;
    if (pred(f, i, why)) {
      r.matched = true;
      r.evidence.push_back({f.path, 0, why});
    }
  }
  return r;
}

class PathsMatcher : public Matcher {
 public:
  explicit PathsMatcher(Globs g) : globs_(std::move(g)) {}
  MatchResult Evaluate(const ChangeFacts& facts) const override {
    const auto& hits = globs_.Hits(facts);
    return AnyFile(facts, [&](const FileChange& f, size_t i, std::string& why) {
      bool moved = f.status == ChangeStatus::kRenamed || f.status == ChangeStatus::kCopied;
      bool m = hits[i] || (moved && globs_.Matches(f.old_path));
      if (m) why = std::string(ToString(f.status)) + " file matches paths " + globs_.Describe();
      return m;
    });
  }
  std::string Describe() const override { return "paths " + globs_.Describe(); }
  std::optional<std::string> Impossible(const LintContext& ctx) const override {
    if (ctx.files.empty()) return std::nullopt;
    for (const auto& f : ctx.files) {
      if (globs_.Matches(f)) return std::nullopt;
    }
    // A path glob may name files yet to be added; still worth a look.
    return "paths " + globs_.Describe() + " match no file of the repository";
  }

 private:
  Globs globs_;
};

class StatusMatcher : public Matcher {
 public:
  explicit StatusMatcher(std::vector<std::string> s) : statuses_(std::move(s)) {}
  MatchResult Evaluate(const ChangeFacts& facts) const override {
    return AnyFile(facts, [&](const FileChange& f, size_t, std::string& why) {
      for (const auto& s : statuses_) {
        if (s == ToString(f.status)) {
          why = "status " + s;
          return true;
        }
        // A rename removes the file from its old path and adds it at the new one: a rule on
        // deletions (or additions) is not dodged by moving the file.
        if (f.status == ChangeStatus::kRenamed && (s == "deleted" || s == "added")) {
          why = "renamed from " + f.old_path + ": " +
                (s == "deleted" ? "removed from its old path" : "added at " + f.path);
          return true;
        }
      }
      return false;
    });
  }
  std::string Describe() const override { return "status [" + matchers::Join(statuses_) + "]"; }

 private:
  std::vector<std::string> statuses_;
};

class KindsMatcher : public Matcher {
 public:
  explicit KindsMatcher(std::vector<std::string> k) : kinds_(std::move(k)), mask_(KindMaskOf(kinds_)) {}
  MatchResult Evaluate(const ChangeFacts& facts) const override {
    return AnyFile(facts, [&](const FileChange&, size_t i, std::string& why) {
      KindMask hit = FileKindsOf(facts, i) & mask_;
      if (!hit) return false;
      for (const auto& k : kinds_) {
        if (hit & KindBit(k)) {
          why = "a " + k + " file";
          break;
        }
      }
      return true;
    });
  }
  std::string Describe() const override { return "kinds [" + matchers::Join(kinds_) + "]"; }

 private:
  std::vector<std::string> kinds_;
  KindMask mask_;
};

}  // namespace

Result<std::unique_ptr<Matcher>> ParsePaths(const YamlDoc& doc, const YAML::Node& v) {
  auto g = matchers::ParseGlobs(doc, v, "paths");
  if (!g) return g.error();
  return std::unique_ptr<Matcher>(new PathsMatcher(std::move(*g)));
}

Result<std::unique_ptr<Matcher>> ParseStatus(const YamlDoc& doc, const YAML::Node& v) {
  auto list = doc.StringList(v, "status");
  if (!list) return list.error();
  for (size_t i = 0; i < list->size(); ++i) {
    bool known = false;
    for (auto s :
         {ChangeStatus::kAdded, ChangeStatus::kModified, ChangeStatus::kDeleted, ChangeStatus::kRenamed,
          ChangeStatus::kCopied, ChangeStatus::kTypeChanged, ChangeStatus::kModeChanged}) {
      known = known || (*list)[i] == ToString(s);
    }
    if (!known) return doc.ErrorAt(v.IsSequence() ? v[i] : v, "unknown status '" + (*list)[i] + "'");
  }
  return std::unique_ptr<Matcher>(new StatusMatcher(std::move(*list)));
}

Result<std::unique_ptr<Matcher>> ParseKinds(const YamlDoc& doc, const YAML::Node& v) {
  auto list = doc.StringList(v, "kinds");
  if (!list) return list.error();
  for (size_t i = 0; i < list->size(); ++i) {
    if (!IsKnownFileKind((*list)[i])) {
      return doc.ErrorAt(v.IsSequence() ? v[i] : v,
                         "unknown file kind '" + (*list)[i] +
                             "' (code, config, lockfile, generated, ci, infrastructure, docs, test, binary, "
                             "symlink, uninspectable)");
    }
  }
  return std::unique_ptr<Matcher>(new KindsMatcher(std::move(*list)));
}

}  // namespace ringfence

// Conditions on the size of the change.
#include <algorithm>

#include "engine/rules/matcher_registry.h"
#include "engine/rules/matchers/matcher_util.h"

namespace ringfence {
namespace {

using matchers::NumberRange;

enum class Measure { kFiles, kAdded, kDeleted, kFileChanged };

class SizeMatcher : public Matcher {
 public:
  SizeMatcher(Measure m, NumberRange r) : measure_(m), range_(r) {}
  MatchResult Evaluate(const ChangeFacts& facts) const override {
    const ChangeSet& c = facts.scope.changes;
    MatchResult r;
    if (measure_ == Measure::kFileChanged) {
      for (const auto& f : c.files) {
        int n = f.added + f.deleted;
        if (range_.Contains(n)) {
          r.matched = true;
          r.evidence.push_back({f.path, 0, std::to_string(n) + " lines changed in this file"});
        }
      }
      return r;
    }
    double v = measure_ == Measure::kFiles   ? static_cast<double>(c.files.size())
               : measure_ == Measure::kAdded ? c.TotalAdded()
                                             : c.TotalDeleted();
    r.matched = range_.Contains(v);
    if (r.matched) r.evidence.push_back({"", 0, Name() + " = " + std::to_string(static_cast<long long>(v))});
    return r;
  }
  std::string Name() const {
    switch (measure_) {
      case Measure::kFiles:
        return "files_changed";
      case Measure::kAdded:
        return "lines_added";
      case Measure::kDeleted:
        return "lines_deleted";
      case Measure::kFileChanged:
        return "file_lines_changed";
    }
    return "";
  }
  std::string Describe() const override { return Name() + " " + range_.Describe(); }
  std::optional<std::string> Impossible(const LintContext&) const override {
    if (!range_.Satisfiable()) return Name() + " " + range_.Describe() + " is an empty range";
    if ((range_.lt && *range_.lt <= 0) || (range_.lte && *range_.lte < 0)) {
      return Name() + " " + range_.Describe() + " excludes every count";
    }
    return std::nullopt;
  }

 private:
  Measure measure_;
  NumberRange range_;
};

Result<std::unique_ptr<Matcher>> Parse(const YamlDoc& doc, const YAML::Node& v, Measure m, const char* what) {
  auto range = matchers::ParseRange(doc, v, what);
  if (!range) return range.error();
  return std::unique_ptr<Matcher>(new SizeMatcher(m, *range));
}

}  // namespace

Result<std::unique_ptr<Matcher>> ParseFilesChanged(const YamlDoc& d, const YAML::Node& v) {
  return Parse(d, v, Measure::kFiles, "files_changed");
}
Result<std::unique_ptr<Matcher>> ParseLinesAdded(const YamlDoc& d, const YAML::Node& v) {
  return Parse(d, v, Measure::kAdded, "lines_added");
}
Result<std::unique_ptr<Matcher>> ParseLinesDeleted(const YamlDoc& d, const YAML::Node& v) {
  return Parse(d, v, Measure::kDeleted, "lines_deleted");
}
Result<std::unique_ptr<Matcher>> ParseFileLinesChanged(const YamlDoc& d, const YAML::Node& v) {
  return Parse(d, v, Measure::kFileChanged, "file_lines_changed");
}

}  // namespace ringfence

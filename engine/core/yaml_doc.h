// Strict reading of YAML documents with positions: every error names path:line:col.
// Wraps yaml-cpp so that its exceptions never leave this module.
#pragma once

#include <cstdint>

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.h"

namespace ringfence {

// What one YAML file may expand to. Aliases count as the nodes they stand for, so a document
// of nested aliases ("billion laughs") is refused while it is read, in memory proportional to
// its text, before any node of it is built or walked.
struct YamlLimits {
  size_t max_bytes = 16u << 20;
  size_t max_nodes = 250000;  // scalars and collections, aliases expanded
  int max_depth = 64;         // nesting of collections, aliases expanded
};

class YamlDoc {
 public:
  // Parses a file of one YAML document. A syntax error, bytes that are not UTF-8, a document
  // beyond `limits` or a second document (`---`) is kInvalidInput at its position.
  static Result<YamlDoc> Parse(std::string_view text, std::string path, const YamlLimits& limits = {});
  // Every document of a file (Kubernetes manifests), `limits` counted over the whole file; an
  // empty file has none.
  static Result<std::vector<YamlDoc>> ParseAll(std::string_view text, const std::string& path,
                                               const YamlLimits& limits = {});

  // The root's `kind:` ("" when the file has none), read by parsing the file, never by a search
  // of its text. kInvalidInput for a file that does not parse or whose kind is not a string.
  static Result<std::string> KindOf(std::string_view text, const std::string& path);

  const YAML::Node& root() const { return root_; }
  const std::string& path() const { return path_; }

  // "path:line:col: " for a node (yaml-cpp marks are 0-based).
  std::string At(const YAML::Node& node) const;
  Error ErrorAt(const YAML::Node& node, const std::string& message) const;

  // Fails on any key of map `node` not in `allowed`, and on duplicate keys.
  Status CheckKeys(const YAML::Node& node, std::initializer_list<std::string_view> allowed,
                   std::string_view what) const;
  Status RequireMap(const YAML::Node& node, std::string_view what) const;
  // `apiVersion: ringfence/v1` and `kind: <kind>` at the root. With kind_optional, a missing kind
  // is accepted (rule and waiver files may omit it); a wrong one never is.
  Status CheckHeader(std::string_view kind, bool kind_optional = false) const;

  Result<std::string> String(const YAML::Node& node, std::string_view what) const;
  Result<long long> Integer(const YAML::Node& node, std::string_view what) const;
  Result<bool> Bool(const YAML::Node& node, std::string_view what) const;
  // A duration ("250ms", "30s", "5m", "2h", "14d"; "0") in milliseconds.
  Result<int64_t> DurationMs(const YAML::Node& node, std::string_view what) const;
  // A finite number in [lo, hi].
  Result<double> Number(const YAML::Node& node, std::string_view what, double lo, double hi) const;
  // A scalar or a sequence of scalars, as a list.
  Result<std::vector<std::string>> StringList(const YAML::Node& node, std::string_view what) const;

  // The optional fields of a map: reads `map[key]` into `into` when the key is there, as the
  // reader above of the same type would, and leaves `into` as it was when it is not.
  Status Optional(const YAML::Node& map, const char* key, std::string& into) const;
  Status Optional(const YAML::Node& map, const char* key, bool& into) const;
  Status Optional(const YAML::Node& map, const char* key, std::optional<bool>& into) const;
  Status Optional(const YAML::Node& map, const char* key, std::vector<std::string>& into) const;
  Status OptionalDurationMs(const YAML::Node& map, const char* key, int64_t& into) const;
  Status OptionalNumber(const YAML::Node& map, const char* key, double& into, double lo, double hi) const;
  Status OptionalNumber(const YAML::Node& map, const char* key, std::optional<double>& into, double lo,
                        double hi) const;

 private:
  static Result<std::vector<YamlDoc>> ParseDocuments(std::string_view text, const std::string& path,
                                                     const YamlLimits& limits, bool many);
  YAML::Node root_;
  std::string path_;
};

// Runs a loader and turns any yaml-cpp exception that escapes it (e.g. reading a node of the
// wrong shape) into kInvalidInput naming `path`: the exception edge of every YAML loader.
template <class F>
auto GuardYaml(const std::string& path, F&& load) -> decltype(load()) {
  try {
    return load();
  } catch (const YAML::Exception& e) {
    return Error::InvalidInput(
        Position(path, e.mark.is_null() ? 0 : e.mark.line + 1, e.mark.is_null() ? 0 : e.mark.column + 1) +
        e.msg);
  }
}

}  // namespace ringfence

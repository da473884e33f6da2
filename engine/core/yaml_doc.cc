#include "engine/core/yaml_doc.h"

#include "engine/core/duration.h"

#include <cmath>

#include <set>

namespace ringfence {

Result<YamlDoc> YamlDoc::Parse(std::string_view text, std::string path) {
  YamlDoc doc;
  doc.path_ = std::move(path);
  try {
    doc.root_ = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return Error::InvalidInput(Position(doc.path_, e.mark.line + 1, e.mark.column + 1) + e.msg);
  }
  return doc;
}

std::string YamlDoc::At(const YAML::Node& node) const {
  YAML::Mark m = node.Mark();
  if (m.is_null()) return Position(path_, 0);
  return Position(path_, m.line + 1, m.column + 1);
}

Error YamlDoc::ErrorAt(const YAML::Node& node, const std::string& message) const {
  return Error::InvalidInput(At(node) + message);
}

Status YamlDoc::RequireMap(const YAML::Node& node, std::string_view what) const {
  if (!node.IsMap()) return ErrorAt(node, std::string(what) + " must be a mapping");
  return Status::Ok();
}

Status YamlDoc::CheckKeys(const YAML::Node& node, std::initializer_list<std::string_view> allowed,
                          std::string_view what) const {
  if (auto st = RequireMap(node, what); !st) return st;
  std::set<std::string> seen;
  for (const auto& kv : node) {
    if (!kv.first.IsScalar()) return ErrorAt(kv.first, "keys of " + std::string(what) + " must be scalars");
    std::string key = kv.first.Scalar();
    bool known = false;
    for (auto a : allowed) known = known || key == a;
    if (!known) {
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      return ErrorAt(kv.first, "unknown key '" + key + "' in " + std::string(what) +
                                   " (expected one of: " + list + ")");
    }
    if (!seen.insert(key).second) return ErrorAt(kv.first, "duplicate key '" + key + "'");
  }
  return Status::Ok();
}

Status YamlDoc::CheckHeader(std::string_view kind, bool kind_optional) const {
  const YAML::Node v = root_["apiVersion"];
  if (!v || !v.IsScalar() || v.Scalar() != "ringfence/v1") {
    return ErrorAt(v ? v : root_, "apiVersion must be ringfence/v1");
  }
  const YAML::Node k = root_["kind"];
  if (!k && kind_optional) return Status::Ok();
  if (!k || !k.IsScalar() || k.Scalar() != kind) return ErrorAt(k ? k : root_, "kind must be " + std::string(kind));
  return Status::Ok();
}

Result<std::string> YamlDoc::String(const YAML::Node& node, std::string_view what) const {
  if (!node.IsScalar()) return ErrorAt(node, std::string(what) + " must be a string");
  return node.Scalar();
}

Result<long long> YamlDoc::Integer(const YAML::Node& node, std::string_view what) const {
  if (!node.IsScalar()) return ErrorAt(node, std::string(what) + " must be an integer");
  const std::string& s = node.Scalar();
  try {
    size_t used = 0;
    long long v = std::stoll(s, &used, 10);
    if (used == s.size()) return v;
  } catch (const std::exception&) {
  }
  return ErrorAt(node, std::string(what) + " must be an integer, not '" + s + "'");
}

Result<int64_t> YamlDoc::DurationMs(const YAML::Node& node, std::string_view what) const {
  auto s = String(node, what);
  if (!s) return s.error();
  if (*s == "0") return 0;
  auto v = ParseDurationMs(*s);
  if (!v) return ErrorAt(node, std::string(what) + " must be a duration like 500ms, 30s, 5m, 2h, not '" + *s + "'");
  return *v;
}

Result<double> YamlDoc::Number(const YAML::Node& node, std::string_view what, double lo, double hi) const {
  if (!node.IsScalar()) return ErrorAt(node, std::string(what) + " must be a number");
  try {
    size_t used = 0;
    double v = std::stod(node.Scalar(), &used);
    if (used == node.Scalar().size() && std::isfinite(v) && v >= lo && v <= hi) return v;
  } catch (const std::exception&) {
  }
  return ErrorAt(node, std::string(what) + " must be a number in [" + std::to_string(lo) + ", " + std::to_string(hi) +
                           "], not '" + node.Scalar() + "'");
}

Result<bool> YamlDoc::Bool(const YAML::Node& node, std::string_view what) const {
  if (node.IsScalar()) {
    const std::string& s = node.Scalar();
    if (s == "true") return true;
    if (s == "false") return false;
  }
  return ErrorAt(node, std::string(what) + " must be true or false");
}

Result<std::vector<std::string>> YamlDoc::StringList(const YAML::Node& node,
                                                     std::string_view what) const {
  std::vector<std::string> out;
  if (node.IsScalar()) {
    out.push_back(node.Scalar());
    return out;
  }
  if (!node.IsSequence()) return ErrorAt(node, std::string(what) + " must be a list of strings");
  for (const auto& item : node) {
    if (!item.IsScalar()) return ErrorAt(item, "items of " + std::string(what) + " must be strings");
    out.push_back(item.Scalar());
  }
  return out;
}

}  // namespace ringfence

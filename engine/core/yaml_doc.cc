#include "engine/core/yaml_doc.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include <charconv>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "engine/core/duration.h"
#include "engine/core/utf8.h"

namespace ringfence {
namespace {

// Thrown by the counting pass to stop at the first node past a limit.
struct LimitExceeded {
  YAML::Mark mark;
  std::string what;
};

// Counts the nodes a document stands for (aliases expanded) and its nesting, from the parser's
// events: the anchors' sizes are all it keeps.
class ExpansionCounter : public YAML::EventHandler {
 public:
  explicit ExpansionCounter(const YamlLimits& limits) : limits_(limits) {}

  void OnDocumentStart(const YAML::Mark& mark) override { document_start_ = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { Leaf(mark, anchor); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                const std::string&) override {
    Leaf(mark, anchor);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) return;  // the parser reports unknown aliases itself
    Add(mark, it->second.nodes);
    if (static_cast<int>(open_.size()) + it->second.depth > limits_.max_depth) {
      throw LimitExceeded{
          mark, "an alias nests the document deeper than " + std::to_string(limits_.max_depth) + " levels"};
    }
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Open(mark, anchor);
  }
  void OnSequenceEnd() override { Close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    Open(mark, anchor);
  }
  void OnMapEnd() override { Close(); }

 private:
  struct Frame {
    YAML::anchor_t anchor;
    size_t nodes_before;
    int deepest;  // levels below this collection, aliases expanded
  };
  struct Size {
    size_t nodes;
    int depth;
  };

  void Add(const YAML::Mark& mark, size_t n) {
    nodes_ += n;
    if (nodes_ > limits_.max_nodes) {
      throw LimitExceeded{mark, "the document expands to more than " + std::to_string(limits_.max_nodes) +
                                    " nodes (aliases count as what they repeat)"};
    }
  }
  void Leaf(const YAML::Mark& mark, YAML::anchor_t anchor) {
    Add(mark, 1);
    if (anchor) anchors_[anchor] = {1, 0};
  }
  void Open(const YAML::Mark& mark, YAML::anchor_t anchor) {
    Add(mark, 1);
    if (static_cast<int>(open_.size()) + 1 > limits_.max_depth) {
      throw LimitExceeded{mark,
                          "collections nest deeper than " + std::to_string(limits_.max_depth) + " levels"};
    }
    open_.push_back({anchor, nodes_ - 1, 1});
  }
  void Close() {
    if (open_.empty()) return;
    Frame f = open_.back();
    open_.pop_back();
    if (f.anchor) anchors_[f.anchor] = {nodes_ - f.nodes_before, f.deepest};
    if (!open_.empty()) open_.back().deepest = std::max(open_.back().deepest, f.deepest + 1);
  }

  const YamlLimits& limits_;
  size_t nodes_ = 0;

 public:
  YAML::Mark document_start_;  // of the last document begun

 private:
  std::vector<Frame> open_;
  std::map<YAML::anchor_t, Size> anchors_;
};

}  // namespace

Result<std::vector<YamlDoc>> YamlDoc::ParseDocuments(std::string_view text, const std::string& path,
                                                     const YamlLimits& limits, bool many) {
  if (text.size() > limits.max_bytes) {
    return Error::InvalidInput(Position(path, 0) + "the file has " + std::to_string(text.size()) +
                               " bytes, more than the " + std::to_string(limits.max_bytes) +
                               " a YAML file may have");
  }
  std::string_view body = text;
  if (body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);  // a UTF-8 byte order mark
  if (auto bad = FirstInvalidUtf8(body)) {
    TextPosition at = PositionOf(body, *bad);
    return Error::InvalidInput(Position(path, at.line, at.col) + "not UTF-8 (byte 0x" + [&] {
      char hex[3];
      std::snprintf(hex, sizeof hex, "%02x", static_cast<unsigned char>(body[*bad]));
      return std::string(hex);
    }() + "); YAML files are read as UTF-8");
  }
  std::vector<YamlDoc> docs;
  try {
    std::istringstream in{std::string(body)};
    YAML::Parser parser(in);
    ExpansionCounter counter(limits);  // the limits hold for the whole file
    size_t count = 0;
    while (parser.HandleNextDocument(counter)) {
      if (++count > 1 && !many) {
        return Error::InvalidInput(
            Position(path, counter.document_start_.line + 1, counter.document_start_.column + 1) +
            "a second YAML document: this file holds one (remove the `---` or split the file)");
      }
    }
    for (YAML::Node& node : YAML::LoadAll(std::string(body))) {
      YamlDoc doc;
      doc.path_ = path;
      doc.root_ = std::move(node);
      docs.push_back(std::move(doc));
    }
  } catch (const LimitExceeded& e) {
    return Error::InvalidInput(Position(path, e.mark.line + 1, e.mark.column + 1) + e.what);
  } catch (const YAML::Exception& e) {
    return Error::InvalidInput(
        Position(path, e.mark.is_null() ? 0 : e.mark.line + 1, e.mark.is_null() ? 0 : e.mark.column + 1) +
        e.msg);
  }
  return docs;
}

Result<YamlDoc> YamlDoc::Parse(std::string_view text, std::string path, const YamlLimits& limits) {
  auto docs = ParseDocuments(text, path, limits, /*many=*/false);
  if (!docs) return docs.error();
  if (docs->empty()) {  // an empty file: a null document, as YAML::Load reads it
    YamlDoc doc;
    doc.path_ = std::move(path);
    return doc;
  }
  return std::move(docs->front());
}

Result<std::vector<YamlDoc>> YamlDoc::ParseAll(std::string_view text, const std::string& path,
                                               const YamlLimits& limits) {
  return ParseDocuments(text, path, limits, /*many=*/true);
}

Result<std::string> YamlDoc::KindOf(std::string_view text, const std::string& path) {
  auto doc = Parse(text, path);
  if (!doc) return doc.error();
  const YAML::Node& root = doc->root();
  if (!root.IsMap()) return std::string();
  const YAML::Node kind = root["kind"];
  if (!kind) return std::string();
  if (!kind.IsScalar()) return doc->ErrorAt(kind, "kind must be a string");
  return kind.Scalar();
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
      return ErrorAt(
          kv.first, "unknown key '" + key + "' in " + std::string(what) + " (expected one of: " + list + ")");
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
  if (!k || !k.IsScalar() || k.Scalar() != kind)
    return ErrorAt(k ? k : root_, "kind must be " + std::string(kind));
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
  if (!v)
    return ErrorAt(node, std::string(what) + " must be a duration like 500ms, 30s, 5m, 2h, not '" + *s + "'");
  return *v;
}

Result<double> YamlDoc::Number(const YAML::Node& node, std::string_view what, double lo, double hi) const {
  if (!node.IsScalar()) return ErrorAt(node, std::string(what) + " must be a number");
  // Decimal only, whatever the locale: no hexadecimal floats, no inf or nan, nothing after it.
  const std::string& text = node.Scalar();
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v, std::chars_format::general);
  if (ec == std::errc() && end == text.data() + text.size() && std::isfinite(v) && v >= lo && v <= hi)
    return v;
  return ErrorAt(node, std::string(what) + " must be a number in [" + std::to_string(lo) + ", " +
                           std::to_string(hi) + "], not '" + node.Scalar() + "'");
}

Result<bool> YamlDoc::Bool(const YAML::Node& node, std::string_view what) const {
  if (node.IsScalar()) {
    const std::string& s = node.Scalar();
    if (s == "true") return true;
    if (s == "false") return false;
  }
  return ErrorAt(node, std::string(what) + " must be true or false");
}

Result<std::vector<std::string>> YamlDoc::StringList(const YAML::Node& node, std::string_view what) const {
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

namespace {

// Assigns what `read` returns for a present `key`; the error of the read otherwise.
template <class T, class Read>
Status AssignIfPresent(const YAML::Node& map, const char* key, T& into, Read read) {
  const YAML::Node node = map[key];
  if (!node) return Status::Ok();
  auto value = read(node);
  if (!value) return value.error();
  into = std::move(*value);
  return Status::Ok();
}

}  // namespace

Status YamlDoc::Optional(const YAML::Node& map, const char* key, std::string& into) const {
  return AssignIfPresent(map, key, into, [&](const YAML::Node& n) { return String(n, key); });
}

Status YamlDoc::Optional(const YAML::Node& map, const char* key, bool& into) const {
  return AssignIfPresent(map, key, into, [&](const YAML::Node& n) { return Bool(n, key); });
}

Status YamlDoc::Optional(const YAML::Node& map, const char* key, std::optional<bool>& into) const {
  return AssignIfPresent(map, key, into, [&](const YAML::Node& n) { return Bool(n, key); });
}

Status YamlDoc::Optional(const YAML::Node& map, const char* key, std::vector<std::string>& into) const {
  return AssignIfPresent(map, key, into, [&](const YAML::Node& n) { return StringList(n, key); });
}

Status YamlDoc::OptionalDurationMs(const YAML::Node& map, const char* key, int64_t& into) const {
  return AssignIfPresent(map, key, into, [&](const YAML::Node& n) { return DurationMs(n, key); });
}

Status YamlDoc::OptionalNumber(const YAML::Node& map, const char* key, double& into, double lo,
                               double hi) const {
  return AssignIfPresent(map, key, into, [&](const YAML::Node& n) { return Number(n, key, lo, hi); });
}

Status YamlDoc::OptionalNumber(const YAML::Node& map, const char* key, std::optional<double>& into, double lo,
                               double hi) const {
  return AssignIfPresent(map, key, into, [&](const YAML::Node& n) { return Number(n, key, lo, hi); });
}

}  // namespace ringfence

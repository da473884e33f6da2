#include "engine/rules/waivers.h"

#include "engine/core/civil_time.h"
#include "engine/core/yaml_doc.h"

namespace ringfence {
namespace {

Result<std::vector<Waiver>> Parse(const SourceFile& file) {
  auto doc = YamlDoc::Parse(file.text, file.path);
  if (!doc) return doc.error();
  std::vector<Waiver> out;
  const YAML::Node& root = doc->root();
  if (root.IsNull()) return out;
  if (auto st = doc->CheckKeys(root, {"apiVersion", "kind", "waivers"}, "a waivers file"); !st)
    return st.error();
  if (auto st = doc->CheckHeader("Waivers", true); !st) return st.error();
  const YAML::Node list = root["waivers"];
  if (!list) return out;
  if (!list.IsSequence()) return doc->ErrorAt(list, "waivers must be a list");
  for (const auto& item : list) {
    if (auto st =
            doc->CheckKeys(item, {"rule", "paths", "approver", "reason", "expires", "patch_id"}, "a waiver");
        !st) {
      return st.error();
    }
    Waiver w;
    w.file = file.path;
    w.line = item.Mark().line + 1;
    for (const char* required : {"rule", "approver", "reason", "expires"}) {
      if (!item[required]) return doc->ErrorAt(item, std::string("a waiver needs `") + required + "`");
    }
    auto get = [&](const char* k, std::string& into) -> Status {
      auto s = doc->String(item[k], k);
      if (!s) return s.error();
      into = *s;
      return Status::Ok();
    };
    for (auto [k, into] : {std::pair<const char*, std::string*>{"rule", &w.rule},
                           {"approver", &w.approver},
                           {"reason", &w.reason},
                           {"expires", &w.expires}}) {
      if (auto st = get(k, *into); !st) return st.error();
    }
    if (w.reason.size() < 3) return doc->ErrorAt(item["reason"], "a waiver needs a real reason");
    auto day = ParseDay(w.expires);
    if (!day)
      return doc->ErrorAt(item["expires"], "expires must be a date YYYY-MM-DD, not '" + w.expires + "'");
    w.expires_at = std::chrono::system_clock::time_point(*day + date::days(1));
    if (item["patch_id"]) {
      if (auto st = get("patch_id", w.patch_id); !st) return st.error();
      bool hex = w.patch_id.size() == 40;
      for (char c : w.patch_id) hex = hex && std::isxdigit(static_cast<unsigned char>(c));
      if (!hex)
        return doc->ErrorAt(item["patch_id"], "patch_id must be 40 hex digits (git patch-id --verbatim)");
    }
    if (item["paths"]) {
      auto paths = doc->StringList(item["paths"], "paths");
      if (!paths) return paths.error();
      for (size_t i = 0; i < paths->size(); ++i) {
        auto g = PathGlob::Parse((*paths)[i]);
        if (!g)
          return doc->ErrorAt(item["paths"].IsSequence() ? item["paths"][i] : item["paths"],
                              g.error().message);
      }
      w.paths = *paths;
    }
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace

Result<std::vector<Waiver>> LoadWaivers(const SourceFile& file) {
  return GuardYaml(file.path, [&] { return Parse(file); });
}

}  // namespace ringfence

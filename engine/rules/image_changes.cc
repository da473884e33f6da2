#include "engine/rules/image_changes.h"

#include <algorithm>
#include <map>

#include "engine/core/yaml_doc.h"
#include "engine/image/recipe.h"
#include "engine/image/sbom.h"

namespace ringfence {
namespace {

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

int LineOf(const std::string& text, const std::string& needle) {
  auto at = text.find(needle);
  if (at == std::string::npos) return 0;
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
}

void Recipe(const FileChange& f, const ReadSide& before, const ReadSide& after, ImageChanges& out) {
  auto head = after(f.path);
  if (!head) return;  // deleted
  auto kind = YamlDoc::KindOf(*head, f.path);
  if (!kind || *kind != "ImageBuild") return;  // another YAML file named image.yaml
  auto now = ParseImageRecipe(*head, f.path);
  if (!now) {
    out.unreadable.push_back({f.path, now.error().message});
    return;
  }
  ImageRecipe was;
  const std::string& old_path = f.old_path.empty() ? f.path : f.old_path;
  if (auto base = before(old_path)) {
    if (auto parsed = ParseImageRecipe(*base, old_path)) was = *parsed;
  }
  if (was.kernel != now->kernel)
    out.facts.push_back(
        {ImageFact::Kind::kBaseChanged, f.path, LineOf(*head, "kernel:"), now->kernel,
         (was.kernel.empty() ? "-" : was.kernel) + " -> " + (now->kernel.empty() ? "-" : now->kernel)});
  for (const auto& e : now->egress)
    if (std::find(was.egress.begin(), was.egress.end(), e) == was.egress.end())
      out.facts.push_back({ImageFact::Kind::kEgressAdded, f.path, LineOf(*head, e), e, "egress added"});
}

void Sbom(const FileChange& f, const ReadSide& before, const ReadSide& after, ImageChanges& out) {
  auto head = after(f.path);
  if (!head) return;
  auto now = ReadSpdx(*head, f.path);
  if (!now) {
    out.unreadable.push_back({f.path, now.error().message});
    return;
  }
  std::map<std::string, std::string> was;  // package -> version
  const std::string& old_path = f.old_path.empty() ? f.path : f.old_path;
  if (auto base = before(old_path)) {
    if (auto parsed = ReadSpdx(*base, old_path))
      for (const auto& p : parsed->packages) was[p.name + ":" + p.architecture] = p.version;
  }
  for (const auto& p : now->packages) {
    auto it = was.find(p.name + ":" + p.architecture);
    int line = LineOf(*head, "\"name\": \"" + p.name + "\"");
    if (it == was.end())
      out.facts.push_back({ImageFact::Kind::kPackageAdded, f.path, line, p.name, p.version + " added"});
    else if (it->second != p.version)
      out.facts.push_back(
          {ImageFact::Kind::kPackageChanged, f.path, line, p.name, it->second + " -> " + p.version});
  }
  out.sboms.push_back({f.path, std::move(*now)});
}

}  // namespace

const char* ToString(ImageFact::Kind kind) {
  switch (kind) {
    case ImageFact::Kind::kPackageAdded:
      return "package added";
    case ImageFact::Kind::kPackageChanged:
      return "package changed";
    case ImageFact::Kind::kBaseChanged:
      return "base image changed";
    case ImageFact::Kind::kEgressAdded:
      return "egress added";
    case ImageFact::Kind::kCve:
      return "vulnerability";
  }
  return "?";
}

ImageChanges FindImageChanges(const ChangeSet& changes, const ReadSide& before, const ReadSide& after) {
  ImageChanges out;
  for (const auto& f : changes.files) {
    if (f.status == ChangeStatus::kDeleted) continue;
    std::string name = f.path.substr(f.path.rfind('/') == std::string::npos ? 0 : f.path.rfind('/') + 1);
    if (name == kImageRecipeName)
      Recipe(f, before, after, out);
    else if (EndsWith(name, ".spdx.json"))
      Sbom(f, before, after, out);
  }
  return out;
}

}  // namespace ringfence

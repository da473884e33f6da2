#include "adapters/backends/backend_registry.h"

#include <filesystem>

#include "adapters/backends/image_loader.h"
#include "adapters/backends/recorded_inventory.h"

namespace ringfence::backends {

BackendKind ProcessBackendKind();
BackendKind QemuBackendKind();
BackendKind FirecrackerBackendKind();
BackendKind LambdaBackendKind();

const std::vector<BackendKind>& BackendKinds() {
  static const std::vector<BackendKind> kKinds = {ProcessBackendKind(), QemuBackendKind(),
                                                  FirecrackerBackendKind(), LambdaBackendKind()};
  return kKinds;
}

const std::vector<std::string>& BackendNames() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    for (const auto& k : BackendKinds()) names.emplace_back(k.name);
    return names;
  }();
  return kNames;
}

const std::vector<std::string>& BackendRegistry::Names() const { return BackendNames(); }

Result<std::unique_ptr<BackendSetup>> BackendRegistry::Setup(const YamlDoc& doc,
                                                             const std::string& backend) const {
  const YAML::Node& root = doc.root();
  const BackendKind* kind = nullptr;
  for (const auto& k : BackendKinds()) {
    if (backend == k.name) kind = &k;
  }
  if (!kind) {
    std::string known;
    for (const auto& n : BackendNames()) known += (known.empty() ? "" : ", ") + n;
    return doc.ErrorAt(root["backend"], "unknown backend '" + backend + "' (" + known + ")");
  }
  for (const auto& k : BackendKinds()) {
    if (k.name != backend && root[k.name]) {
      return doc.ErrorAt(root[k.name], std::string(k.name) + " settings need backend: " + k.name);
    }
  }
  return GuardYaml(doc.path(), [&] { return kind->parse(doc, root[backend], root["backend"]); });
}

Result<std::unique_ptr<BackendSetup>> SetupBackend(const RolloutPlan& plan) {
  if (!plan.doc) return Error::Internal("the plan has no document to read its backend's settings from");
  return BackendRegistry().Setup(*plan.doc, plan.backend);
}

Result<RolloutPlan> ParsePlanWithBackends(std::string_view text, const std::string& path) {
  auto plan = ParsePlan(text, path, BackendNames());
  if (!plan) return plan.error();
  auto setup = SetupBackend(*plan);
  if (!setup) return setup.error();
  return plan;
}

Status CheckSection(const YamlDoc& doc, const YAML::Node& section,
                    std::initializer_list<std::string_view> allowed, std::string_view backend) {
  if (!section) return Status::Ok();
  return doc.CheckKeys(section, allowed, std::string(backend) + " settings");
}

Result<ImageRef> ImageDirectory(const BackendContext& context, const std::string& written) {
  return LoadImage((std::filesystem::path(context.plan_dir) / written).lexically_normal().string());
}

Result<BackendInventory> DirectoryImageSetup::Inventory(const BackendContext& c, bool measure) const {
  return RecordedInventory(layout_.backend, c.state_dir + "/" + layout_.registry,
                           layout_.templates.empty() ? "" : c.state_dir + "/" + layout_.templates, measure);
}

Status DirectoryImageSetup::DeleteSnapshot(const BackendContext& c, const StoredSnapshot& snapshot) const {
  namespace fs = std::filesystem;
  if (layout_.templates.empty()) return BackendSetup::DeleteSnapshot(c, snapshot);
  const fs::path dir = fs::path(c.state_dir) / layout_.templates;
  const fs::path path = fs::path(snapshot.path).lexically_normal();
  if (path.parent_path() != dir.lexically_normal() || path.filename().empty()) {
    return Error::InvalidInput(snapshot.path + " is not a template of backend " + layout_.backend);
  }
  std::error_code ec;
  if (fs::is_symlink(fs::symlink_status(path, ec))) {
    return Error::InvalidInput(snapshot.path + " is a symlink; templates are regular files");
  }
  for (const fs::path& p : {path, fs::path(path.string() + ".json")}) {
    fs::remove(p, ec);
    if (ec) return Error::Io("cannot delete " + p.string() + ": " + ec.message());
  }
  return Status::Ok();
}

}  // namespace ringfence::backends

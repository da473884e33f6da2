// The session backends this build has, each a row of BackendKinds() owned by its adapter folder
// (adapters/backends/<name>/<name>_kind.cc): its name, the parser of its plan section (with
// positions), and what it makes. The engine and the CLI name no backend: a plan keeps its
// backend's section as written, and this registry validates it.
//
// Adding a backend: implement SessionBackend in adapters/backends/<name>/, write <name>_kind.cc
// with a BackendKind row (parse: the section into a BackendSetup), and list it in
// backend_registry.cc.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/yaml_doc.h"
#include "engine/ports/backend_catalog.h"
#include "engine/ports/session_backend.h"
#include "engine/rollout/plan.h"

namespace ringfence::backends {

using ringfence::BackendContext;
using ringfence::BackendSetup;

struct BackendKind {
  const char* name;
  const char* summary;
  // The plan's section named after the backend (a null node when the plan has none); errors at
  // the offending node, or at `backend_node` for a section that is missing.
  Result<std::unique_ptr<BackendSetup>> (*parse)(const YamlDoc& doc, const YAML::Node& section,
                                                 const YAML::Node& backend_node);
};

const std::vector<BackendKind>& BackendKinds();
// The names of BackendKinds(), for ParsePlan.
const std::vector<std::string>& BackendNames();

// The BackendCatalog port over BackendKinds().
class BackendRegistry : public BackendCatalog {
 public:
  const std::vector<std::string>& Names() const override;
  Result<std::unique_ptr<BackendSetup>> Setup(const YamlDoc& plan, const std::string& name) const override;
};

// The plan's backend, its section validated: an unknown backend, a section for another backend,
// or a bad setting is kInvalidInput at its position.
Result<std::unique_ptr<BackendSetup>> SetupBackend(const RolloutPlan& plan);

// ParsePlan with this build's backends, and the backend's section validated.
Result<RolloutPlan> ParsePlanWithBackends(std::string_view text, const std::string& path);

// The section's keys checked against `allowed` (a null section has none); kInvalidInput at the
// offending key. For BackendKind::parse.
Status CheckSection(const YamlDoc& doc, const YAML::Node& section,
                    std::initializer_list<std::string_view> allowed, std::string_view backend);

// An image directory (manifest + content digest), the default of every backend but lambda.
Result<ImageRef> ImageDirectory(const BackendContext& context, const std::string& written);

// The setup of a backend whose images are directories (ImageDirectory): `make` builds the backend
// for a run, its sessions under `<state>/sessions/<name>` by convention.
// Where a backend whose images are directories keeps its sessions, relative to the state
// directory: its SessionRegistry and its templates ("" for none).
struct RecordedLayout {
  std::string backend;
  std::string registry;   // e.g. "sessions/process/sessions"
  std::string templates;  // e.g. "sessions/qemu/templates"
};

// `make` builds the backend for a run; its inventory is read from `layout` (RecordedInventory)
// without a backend instance.
class DirectoryImageSetup : public BackendSetup {
 public:
  using Factory = std::function<std::unique_ptr<SessionBackend>(const BackendContext&)>;
  DirectoryImageSetup(Factory make, RecordedLayout layout)
      : make_(std::move(make)), layout_(std::move(layout)) {}
  Result<std::unique_ptr<SessionBackend>> Make(const BackendContext& c) const override { return make_(c); }
  Result<ImageRef> Image(const BackendContext& c, const std::string& written) const override {
    return ImageDirectory(c, written);
  }
  Result<BackendInventory> Inventory(const BackendContext& c, bool measure) const override;
  Status DeleteSnapshot(const BackendContext& c, const StoredSnapshot& snapshot) const override;

 private:
  Factory make_;
  RecordedLayout layout_;
};

}  // namespace ringfence::backends

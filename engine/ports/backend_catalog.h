// Port: the session backends a build has, looked up by the name a plan gives (`backend:`). Each
// validates its own section of the plan (positions from the plan's document) and makes the
// backend. Implementation: adapters/backends/backend_registry (one row per adapter folder), so the
// engine and the use cases name no backend.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/core/result.h"
#include "engine/core/yaml_doc.h"
#include "engine/model/fleet.h"
#include "engine/ports/session_backend.h"

namespace ringfence {

// Where a backend lives for one rollout.
struct BackendContext {
  std::string state_dir;        // the state directory; the backend keeps <state>/sessions/<name>/
  std::string plan_dir;         // images are named relative to the plan file
  std::string workload_binary;  // what "@workload" in an image's entrypoint means
};

// A backend's validated settings: what makes the backend and resolves the plan's images.
class BackendSetup {
 public:
  virtual ~BackendSetup() = default;
  virtual Result<std::unique_ptr<SessionBackend>> Make(const BackendContext& context) const = 0;
  // The image a plan's `baseline: {image: ...}` or `candidate:` names (as written).
  virtual Result<ImageRef> Image(const BackendContext& context, const std::string& written) const = 0;
  // What the backend holds in `context`, read without changing it (no record completed or dropped,
  // nothing signalled), each running session asked what it runs where it can say. By default the
  // sessions a fresh instance lists, unmeasured.
  virtual Result<BackendInventory> Inventory(const BackendContext& context, bool /*measure*/) const {
    auto backend = Make(context);
    if (!backend) return backend.error();
    auto listed = (*backend)->List();
    if (!listed) return listed.error();
    BackendInventory out;
    for (auto& s : *listed)
      out.sessions.push_back({"", std::move(s), std::nullopt, "not measured", "", "", ""});
    return out;
  }
  // Deletes a stored snapshot or template the inventory listed (`image revoke`); kInvalidInput
  // for one that is not the backend's own.
  virtual Status DeleteSnapshot(const BackendContext&, const StoredSnapshot& snapshot) const {
    return Error::InvalidInput("this backend keeps no snapshot " + snapshot.path);
  }
};

class BackendCatalog {
 public:
  virtual ~BackendCatalog() = default;
  virtual const std::vector<std::string>& Names() const = 0;
  // The settings of backend `name` from the plan document `plan` (its root's `name:` section);
  // an unknown backend, a section for another one, or a bad setting is kInvalidInput at its position.
  virtual Result<std::unique_ptr<BackendSetup>> Setup(const YamlDoc& plan, const std::string& name) const = 0;
};

}  // namespace ringfence

// The inventory of a backend that keeps its sessions in a SessionRegistry directory and its
// templates as snapshots with sidecars: read from disk without changing anything, every running
// session asked what it runs (GET /measurement). For BackendSetup::Inventory.
#pragma once

#include <string>

#include "engine/model/fleet.h"

namespace ringfence::backends {

// `templates_dir`: "" for a backend without templates. Without `measure`, no session is asked.
BackendInventory RecordedInventory(const std::string& backend, const std::string& registry_dir,
                                   const std::string& templates_dir, bool measure = true);

}  // namespace ringfence::backends

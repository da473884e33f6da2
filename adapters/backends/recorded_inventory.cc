#include "adapters/backends/recorded_inventory.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

#include "adapters/backends/session_registry.h"

namespace ringfence::backends {
namespace fs = std::filesystem;

namespace {
constexpr int kMeasureTimeoutMs = 2000;
constexpr size_t kMeasuringThreads = 16;  // sessions hash their own executable when asked

void Measure(FleetSession& fs) {
  auto measured = FetchMeasurement(fs.session.endpoint, kMeasureTimeoutMs);
  if (measured)
    fs.measurement = *measured;
  else
    fs.measurement_error = measured.error().message;
}
}  // namespace

BackendInventory RecordedInventory(const std::string& backend, const std::string& registry_dir,
                                   const std::string& templates_dir, bool measure) {
  BackendInventory out;
  for (auto& session : ReadRecordedSessions(registry_dir)) {
    FleetSession fs{backend, std::move(session), std::nullopt, "", "", "", ""};
    fs.measurement_error = fs.session.state != SessionState::kRunning ? "not running"
                           : measure                                  ? ""
                                                                      : "not asked";
    out.sessions.push_back(std::move(fs));
  }
  if (measure) {
    std::atomic<size_t> next{0};
    std::vector<std::thread> threads;
    for (size_t t = 0; t < std::min(kMeasuringThreads, out.sessions.size()); ++t) {
      threads.emplace_back([&] {
        for (size_t i; (i = next++) < out.sessions.size();) {
          if (out.sessions[i].session.state == SessionState::kRunning) Measure(out.sessions[i]);
        }
      });
    }
    for (auto& t : threads) t.join();
  }
  std::error_code ec;
  if (templates_dir.empty() || !fs::is_directory(fs::symlink_status(templates_dir, ec))) return out;
  for (const auto& e : fs::directory_iterator(templates_dir, ec)) {
    if (e.path().extension() != ".zst" || e.is_symlink(ec) || !e.is_regular_file(ec)) continue;
    auto sidecar = ReadSnapshotSidecar(e.path().string());
    if (!sidecar) continue;  // cut short: not a template
    out.snapshots.push_back({backend, "template", e.path().string(), sidecar->value("version", ""),
                             sidecar->value("image_digest", "")});
  }
  return out;
}

}  // namespace ringfence::backends

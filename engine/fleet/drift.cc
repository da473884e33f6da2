#include "engine/fleet/drift.h"

#include <algorithm>

namespace ringfence {
namespace {

std::string Minutes(int64_t ms) {
  int64_t minutes = ms / 60000;
  if (minutes < 120) return std::to_string(minutes) + " min";
  return std::to_string(minutes / 60) + " h " + std::to_string(minutes % 60) + " min";
}

bool IsCurrent(const ServiceImages& s, const std::string& version, const std::string& digest) {
  for (const auto& image : s.current) {
    if (image.version == version && (digest.empty() || image.digest.empty() || image.digest == digest))
      return true;
  }
  return false;
}

std::string CurrentText(const ServiceImages& s) {
  std::string out;
  for (const auto& image : s.current) out += (out.empty() ? "" : " or ") + image.version;
  return out.empty() ? "none" : out;
}

}  // namespace

const char* ToString(DriftReason r) {
  switch (r) {
    case DriftReason::kOtherVersion:
      return "other_version";
    case DriftReason::kRevoked:
      return "revoked";
    case DriftReason::kTooOld:
      return "too_old";
    case DriftReason::kMeasurementDiffers:
      return "measurement_differs";
    case DriftReason::kUnmeasured:
      return "unmeasured";
    case DriftReason::kNoRollout:
      return "no_rollout";
    case DriftReason::kStaleSnapshot:
      return "stale_snapshot";
  }
  return "unknown";
}

std::map<std::string, ServiceImages> CurrentImages(const std::vector<std::vector<TypedRecord>>& journals) {
  std::map<std::string, ServiceImages> out;
  for (const auto& journal : journals) {
    auto setup = SetupOf(journal);
    if (!setup) continue;
    std::string service = ServiceOf(*setup);
    if (out.count(service)) continue;  // an older rollout of a service already seen
    ServiceImages s{service, setup->id, {}, false};
    std::optional<RolloutState> last;
    for (auto it = journal.rbegin(); it != journal.rend(); ++it) {
      if (it->state() != RolloutState::kUnfrozen) {
        last = it->state();
        break;
      }
    }
    auto outcome = last ? OutcomeOf(*last) : std::nullopt;
    if (outcome == RolloutOutcome::kPromoted) {
      s.current = {setup->candidate};
    } else if (outcome && outcome != RolloutOutcome::kAwaitingHuman) {
      s.current = {setup->baseline};  // rolled back, escalated or not admitted
    } else {
      s.current = {setup->baseline, setup->candidate};
      s.rolling = true;
    }
    out.emplace(service, std::move(s));
  }
  return out;
}

void AttributeSessions(FleetInventory& fleet, const std::map<std::string, std::string>& service_of_rollout) {
  for (auto& fs : fleet.sessions) {
    const std::string& id = fs.session.id;
    size_t best = 0;
    for (const auto& [rollout, service] : service_of_rollout) {
      if (rollout.size() > best && id.size() > rollout.size() + 1 &&
          id.compare(0, rollout.size(), rollout) == 0 && id[rollout.size()] == '.') {
        best = rollout.size();
        fs.rollout_id = rollout;
        fs.service = service;
      }
    }
    if (best == 0) continue;
    size_t last = id.rfind('.');
    if (last > best + 1) fs.client = id.substr(best + 1, last - best - 1);
  }
}

DriftReport AssessDrift(const FleetInventory& fleet, const std::map<std::string, ServiceImages>& current,
                        const std::map<std::string, Revocation>& revocations, const DriftPolicy& policy,
                        int64_t now_unix_ms) {
  DriftReport report;
  auto add = [&](DriftedItem& item, DriftReason reason, std::string detail) {
    item.findings.push_back({reason, std::move(detail)});
  };
  auto revoked = [&](const std::string& digest) -> const Revocation* {
    auto it = digest.empty() ? revocations.end() : revocations.find(digest);
    return it == revocations.end() ? nullptr : &it->second;
  };
  for (size_t i = 0; i < fleet.sessions.size(); ++i) {
    const FleetSession& fs = fleet.sessions[i];
    const SessionInfo& s = fs.session;
    if (s.state == SessionState::kStopped || s.state == SessionState::kFailed) continue;
    ++report.sessions_checked;
    DriftedItem item{false, i, {}};
    auto service = current.find(fs.service);
    if (fs.rollout_id.empty() || service == current.end()) {
      add(item, DriftReason::kNoRollout, "no rollout in this state directory launched " + s.id);
    } else if (!IsCurrent(service->second, s.version, s.image_digest)) {
      add(item, DriftReason::kOtherVersion,
          "runs " + s.version + "; " + fs.service + " runs " + CurrentText(service->second));
    }
    if (const Revocation* r = revoked(s.image_digest))
      add(item, DriftReason::kRevoked, "image " + r->digest + " revoked by " + r->by + ": " + r->reason);
    int64_t max_age = policy.max_session_age_ms;
    if (auto own = policy.max_session_age_by_rollout.find(fs.rollout_id);
        own != policy.max_session_age_by_rollout.end() && own->second > 0)
      max_age = max_age > 0 ? std::min(max_age, own->second) : own->second;
    if (max_age > 0 && s.started_unix_ms > 0 && now_unix_ms - s.started_unix_ms > max_age) {
      add(item, DriftReason::kTooOld,
          "launched " + Minutes(now_unix_ms - s.started_unix_ms) + " ago; the limit is " + Minutes(max_age));
    }
    if (s.state == SessionState::kRunning) {
      if (!fs.measurement) {
        add(item, DriftReason::kUnmeasured, "cannot say what it runs: " + fs.measurement_error);
      } else {
        const Measurement& m = *fs.measurement;
        if (!s.executable_digest.empty() && m.executable != s.executable_digest) {
          add(item, DriftReason::kMeasurementDiffers,
              "runs executable " + m.executable + ", launched " + s.executable_digest);
        } else if (s.executable_digest.empty()) {
          add(item, DriftReason::kUnmeasured, "its backend recorded no executable digest to compare with");
        }
        if (!m.image_error.empty()) {
          add(item, DriftReason::kMeasurementDiffers, "its image cannot be measured: " + m.image_error);
        } else if (m.image.empty()) {
          // A session whose image is known but that says nothing of it cannot pass as unchanged.
          if (!s.content_digest.empty())
            add(item, DriftReason::kUnmeasured, "it reported no measurement of its image");
        } else if (s.content_digest.empty()) {
          add(item, DriftReason::kUnmeasured, "its backend recorded no image content digest to compare with");
        } else if (m.image != s.content_digest) {
          add(item, DriftReason::kMeasurementDiffers,
              "its image now measures " + m.image + ", launched with content " + s.content_digest +
                  (s.content_digest == s.image_digest ? "" : " (image " + s.image_digest + ")"));
        }
      }
    }
    if (!item.findings.empty()) report.drifted.push_back(std::move(item));
  }
  for (size_t i = 0; i < fleet.snapshots.size(); ++i) {
    const StoredSnapshot& snap = fleet.snapshots[i];
    ++report.snapshots_checked;
    DriftedItem item{true, i, {}};
    if (const Revocation* r = revoked(snap.image_digest)) {
      add(item, DriftReason::kRevoked, "image " + r->digest + " revoked by " + r->by + ": " + r->reason);
    }
    bool in_use = std::any_of(current.begin(), current.end(), [&](const auto& kv) {
      return IsCurrent(kv.second, snap.version, snap.image_digest);
    });
    if (!in_use) add(item, DriftReason::kStaleSnapshot, "no service runs " + snap.version + " now");
    if (!item.findings.empty()) report.drifted.push_back(std::move(item));
  }
  for (const auto& item : report.drifted) {
    std::set<DriftReason> seen;
    for (const auto& f : item.findings) {
      if (seen.insert(f.reason).second) ++report.by_reason[f.reason];
    }
  }
  for (const auto& [digest, r] : revocations) {
    if (!r.completed) report.pending_revocations.push_back(digest);
  }
  report.exceeds_policy =
      static_cast<int64_t>(report.drifted.size()) > policy.max_drifted || !report.pending_revocations.empty();
  return report;
}

}  // namespace ringfence

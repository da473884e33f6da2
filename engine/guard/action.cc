#include "engine/guard/action.h"

namespace ringfence {

const char* ToString(ActionKind kind) {
  switch (kind) {
    case ActionKind::kCommand:
      return "command";
    case ActionKind::kTerraform:
      return "terraform";
    case ActionKind::kSql:
      return "sql";
    case ActionKind::kKubernetes:
      return "kubernetes";
  }
  return "command";
}

const char* ToString(PlaceKind kind) {
  switch (kind) {
    case PlaceKind::kLocal:
      return "local";
    case PlaceKind::kHost:
      return "host";
    case PlaceKind::kKubeContext:
      return "kube_context";
    case PlaceKind::kCloudProfile:
      return "cloud_profile";
    case PlaceKind::kDatabaseHost:
      return "database_host";
    case PlaceKind::kUnknown:
      return "unknown";
  }
  return "local";
}

const char* ToString(Invariant invariant) {
  switch (invariant) {
    case Invariant::kDnsRecordSetEmptied:
      return "dns_record_set_emptied";
    case Invariant::kBelowCapacityFloor:
      return "below_capacity_floor";
    case Invariant::kProtectedRemoved:
      return "protected_removed";
    case Invariant::kStalePlan:
      return "stale_plan";
  }
  return "protected_removed";
}

std::optional<Invariant> ParseInvariant(std::string_view text) {
  for (Invariant i : {Invariant::kDnsRecordSetEmptied, Invariant::kBelowCapacityFloor,
                      Invariant::kProtectedRemoved, Invariant::kStalePlan}) {
    if (text == ToString(i)) return i;
  }
  return std::nullopt;
}

}  // namespace ringfence

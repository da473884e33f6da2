#include "engine/model/change_set.h"

namespace ringfence {

const char* ToString(ChangeStatus status) {
  switch (status) {
    case ChangeStatus::kAdded:
      return "added";
    case ChangeStatus::kModified:
      return "modified";
    case ChangeStatus::kDeleted:
      return "deleted";
    case ChangeStatus::kRenamed:
      return "renamed";
    case ChangeStatus::kCopied:
      return "copied";
    case ChangeStatus::kTypeChanged:
      return "type_changed";
    case ChangeStatus::kModeChanged:
      return "mode_changed";
  }
  return "unknown";
}

int ChangeSet::TotalAdded() const {
  int n = 0;
  for (const auto& f : files) n += f.added;
  return n;
}

int ChangeSet::TotalDeleted() const {
  int n = 0;
  for (const auto& f : files) n += f.deleted;
  return n;
}

}  // namespace ringfence

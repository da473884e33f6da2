// Port: telling people. A rollback, an escalation or a pause for a human is announced through it
// (adapters/notify: webhook JSON POST). Failing to notify is reported, never fatal to a rollback.
#pragma once

#include <string>

#include "engine/core/result.h"

namespace ringfence {

struct Notification {
  std::string rollout_id;
  std::string kind;     // "rollback", "escalation", "paused", "promoted"
  std::string summary;  // one line for people
  std::string details_json;
};

class Notifier {
 public:
  virtual ~Notifier() = default;
  virtual Status Notify(const Notification& n) = 0;
};

}  // namespace ringfence

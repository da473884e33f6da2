// Notifier that POSTs each notification as JSON to a webhook URL (libcurl). A receiver that is
// down or answers non-2xx is a kIo error naming the URL and the cause; the caller reports it and
// carries on (a rollback never waits on a notification).
#pragma once

#include <string>

#include "engine/ports/notifier.h"

namespace ringfence::notify {

class WebhookNotifier : public Notifier {
 public:
  // allow_private_network: the receiver may be on loopback or a private network (http_client.h).
  explicit WebhookNotifier(std::string url, long timeout_ms = 3000, bool allow_private_network = false)
      : url_(std::move(url)), timeout_ms_(timeout_ms), allow_private_(allow_private_network) {}
  Status Notify(const Notification& n) override;

 private:
  std::string url_;
  long timeout_ms_;
  bool allow_private_;
};

}  // namespace ringfence::notify

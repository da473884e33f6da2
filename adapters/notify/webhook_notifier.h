// Notifier that POSTs each notification as JSON to a webhook URL (libcurl). A receiver that is
// down or answers non-2xx is a kIo error naming the URL and the cause; the caller reports it and
// carries on (a rollback never waits on a notification).
//
// The payload is versioned (docs/notification.schema.json, "schema": "ringfence.notification/v1")
// and carries its delivery id, time and reason. With a secret, each body is signed as GitHub signs
// webhooks: header X-Ringfence-Signature-256: sha256=<hex HMAC-SHA256(secret, body)>; receivers
// compare it in constant time and refuse stale timestamps.
#pragma once

#include <string>

#include "engine/core/result.h"
#include "engine/ports/notifier.h"

namespace ringfence::notify {

struct WebhookOptions {
  std::string url;
  long timeout_ms = 3000;
  bool allow_private_network = false;  // the receiver may be on loopback or a private network
  std::string secret;                  // empty: unsigned
};

// The signing secret from a file (regular, not a symlink, at most 4 KiB, trailing newline
// dropped) or from an environment variable; kInvalidInput when it is missing or empty.
Result<std::string> LoadWebhookSecret(const std::string& file, const std::string& env);

class WebhookNotifier : public Notifier {
 public:
  explicit WebhookNotifier(WebhookOptions options) : o_(std::move(options)) {}
  Status Notify(const Notification& n) override;

 private:
  WebhookOptions o_;
};

}  // namespace ringfence::notify

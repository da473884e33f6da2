#include "adapters/notify/webhook_notifier.h"

#include <nlohmann/json.hpp>

#include "adapters/common/http_client.h"
#include "engine/core/redact.h"

namespace ringfence::notify {

Status WebhookNotifier::Notify(const Notification& n) {
  nlohmann::json details =
      nlohmann::json::parse(n.details_json.empty() ? "{}" : n.details_json, nullptr, false);
  if (details.is_discarded()) details = n.details_json;
  HttpRequest r;
  r.method = "POST";
  r.url = url_;
  r.headers = {"Content-Type: application/json"};
  r.body = nlohmann::json{{"source", "ringfence"},
                          {"rollout", n.rollout_id},
                          {"kind", n.kind},
                          {"summary", n.summary},
                          {"details", details}}
               .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  r.timeout_ms = timeout_ms_;
  r.allow_private_network = allow_private_;
  auto res = HttpExchange(r);
  if (!res) return Error::Io("webhook " + res.error().message);
  if (res->status < 200 || res->status >= 300) {
    return Error::Io("webhook " + RedactSecrets(url_) + " answered HTTP " + std::to_string(res->status));
  }
  return Status::Ok();
}

}  // namespace ringfence::notify

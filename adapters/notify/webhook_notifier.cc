#include "adapters/notify/webhook_notifier.h"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "adapters/common/http_client.h"
#include "adapters/common/sha256.h"
#include "adapters/common/system_clock.h"
#include "engine/core/civil_time.h"
#include "engine/core/redact.h"

namespace ringfence::notify {
namespace {

constexpr size_t kMaxSecretBytes = 4096;

// A delivery id unique to this process and instant: "<unix ms>-<pid>-<counter>".
std::string DeliveryId(int64_t now_ms) {
  static std::atomic<unsigned> counter{0};
  return std::to_string(now_ms) + "-" + std::to_string(getpid()) + "-" + std::to_string(++counter);
}

}  // namespace

Result<std::string> LoadWebhookSecret(const std::string& file, const std::string& env) {
  std::string secret;
  if (!env.empty()) {
    const char* value = std::getenv(env.c_str());
    if (value == nullptr || *value == '\0')
      return Error::InvalidInput("notify.secret_env: $" + env + " is not set or empty");
    secret = value;
  } else if (!file.empty()) {
    struct stat st {};
    if (lstat(file.c_str(), &st) != 0) return Error::InvalidInput("notify.secret_file: cannot read " + file);
    if (!S_ISREG(st.st_mode))
      return Error::InvalidInput("notify.secret_file: " + file +
                                 " is not a regular file (a symlink is refused)");
    if (static_cast<size_t>(st.st_size) > kMaxSecretBytes)
      return Error::InvalidInput("notify.secret_file: " + file + " is larger than 4 KiB");
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) return Error::InvalidInput("notify.secret_file: cannot read " + file);
    secret = text.str();
    while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
    if (secret.empty()) return Error::InvalidInput("notify.secret_file: " + file + " is empty");
  }
  return secret;
}

Status WebhookNotifier::Notify(const Notification& n) {
  nlohmann::json details =
      nlohmann::json::parse(n.details_json.empty() ? "{}" : n.details_json, nullptr, false);
  if (details.is_discarded()) details = n.details_json;
  int64_t now = UnixNowMs();
  std::string delivery = DeliveryId(now);
  HttpRequest r;
  r.method = "POST";
  r.url = o_.url;
  r.body = nlohmann::json{{"schema", "ringfence.notification/v1"},
                          {"delivery", delivery},
                          {"timestamp", FormatRfc3339Ms(now)},
                          {"source", "ringfence"},
                          {"rollout", n.rollout_id},
                          {"kind", n.kind},
                          {"reason", n.summary},
                          {"details", details}}
               .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  r.headers = {"Content-Type: application/json", "User-Agent: ringfence/" RINGFENCE_VERSION,
               "X-Ringfence-Event: " + n.kind, "X-Ringfence-Delivery: " + delivery};
  if (!o_.secret.empty())
    r.headers.push_back("X-Ringfence-Signature-256: sha256=" + HmacSha256Hex(o_.secret, r.body));
  r.timeout_ms = o_.timeout_ms;
  r.allow_private_network = o_.allow_private_network;
  auto res = HttpExchange(r);
  if (!res) return Error::Io("webhook " + res.error().message);
  if (res->status < 200 || res->status >= 300) {
    return Error::Io("webhook " + RedactSecrets(o_.url) + " answered HTTP " + std::to_string(res->status));
  }
  return Status::Ok();
}

}  // namespace ringfence::notify

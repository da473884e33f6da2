#include "adapters/notify/webhook_notifier.h"

#include <curl/curl.h>

#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>

namespace ringfence::notify {
namespace {

size_t Discard(char*, size_t size, size_t n, void*) { return size * n; }

}  // namespace

Status WebhookNotifier::Notify(const Notification& n) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  nlohmann::json details = nlohmann::json::parse(n.details_json.empty() ? "{}" : n.details_json, nullptr, false);
  if (details.is_discarded()) details = n.details_json;
  std::string body = nlohmann::json{{"source", "ringfence"}, {"rollout", n.rollout_id}, {"kind", n.kind},
                                    {"summary", n.summary}, {"details", details}}
                         .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return Error::Internal("curl_easy_init failed");
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> hold(headers, curl_slist_free_all);
  char err[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl.get(), CURLOPT_URL, url_.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, timeout_ms_);
  curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT_MS, timeout_ms_);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, err);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, Discard);
  curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl.get(), CURLOPT_SSL_VERIFYPEER, 1L);  // always verified
  CURLcode rc = curl_easy_perform(curl.get());
  if (rc != CURLE_OK) {
    return Error::Io("webhook " + url_ + ": " + (err[0] ? std::string(err) : curl_easy_strerror(rc)));
  }
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status >= 300) return Error::Io("webhook " + url_ + " answered HTTP " + std::to_string(status));
  return Status::Ok();
}

}  // namespace ringfence::notify

// QMP, QEMU's machine protocol: JSON objects, one a line, over a unix socket. The client reads
// the greeting, negotiates capabilities, and runs commands one at a time, skipping the
// asynchronous events in between. Every read and write is bounded by a deadline.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "engine/core/result.h"

namespace ringfence::backends {

enum class QmpKind { kGreeting, kReturn, kError, kEvent };

struct QmpMessage {
  QmpKind kind = QmpKind::kEvent;
  nlohmann::json body;  // "return" value, "error" object, "QMP" greeting, or the event
};

// One line from QEMU. kInvalidInput for anything that is not a QMP message.
Result<QmpMessage> ParseQmpMessage(std::string_view line);

class QmpClient {
 public:
  // Connects (retrying until `timeout_ms`: the socket appears ~0.25 s after launch), reads the
  // greeting and sends qmp_capabilities.
  static Result<QmpClient> Connect(const std::string& socket_path, int timeout_ms);
  QmpClient(QmpClient&& other) noexcept;
  QmpClient& operator=(QmpClient&& other) noexcept;
  QmpClient(const QmpClient&) = delete;
  ~QmpClient();

  // Runs `command` and returns its "return" value; a QMP error is kIo with QEMU's description.
  Result<nlohmann::json> Execute(const std::string& command, const nlohmann::json& arguments = nullptr,
                                 int timeout_ms = 5000);

 private:
  explicit QmpClient(int fd) : fd_(fd) {}
  Result<QmpMessage> Read(int timeout_ms);
  int fd_ = -1;
  std::string buffer_;
};

}  // namespace ringfence::backends

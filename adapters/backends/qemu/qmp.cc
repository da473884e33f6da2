#include "adapters/backends/qemu/qmp.h"

#include "adapters/common/poll.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

namespace ringfence::backends {

using nlohmann::json;

Result<QmpMessage> ParseQmpMessage(std::string_view line) {
  json j = json::parse(line, nullptr, false);
  if (!j.is_object())
    return Error::InvalidInput("QMP: not a JSON object: " + std::string(line.substr(0, 120)));
  if (j.contains("QMP")) return QmpMessage{QmpKind::kGreeting, j["QMP"]};
  if (j.contains("return")) return QmpMessage{QmpKind::kReturn, j["return"]};
  if (j.contains("error")) {
    if (!j["error"].is_object()) return Error::InvalidInput("QMP: a malformed error");
    return QmpMessage{QmpKind::kError, j["error"]};
  }
  if (j.contains("event") && j["event"].is_string()) return QmpMessage{QmpKind::kEvent, j};
  return Error::InvalidInput("QMP: neither a greeting, a return, an error nor an event");
}

Result<QmpClient> QmpClient::Connect(const std::string& path, int timeout_ms) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof(addr.sun_path)) return Error::InvalidInput("QMP socket path too long: " + path);
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  auto connected = PollFor(timeout_ms, 20, [&]() -> std::optional<Result<QmpClient>> {
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return Error::Io(std::string("QMP socket: ") + std::strerror(errno));
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      close(fd);
      return std::nullopt;
    }
    QmpClient c(fd);
    auto greeting = c.Read(timeout_ms);
    if (!greeting) return greeting.error();
    if (greeting->kind != QmpKind::kGreeting) return Error::Io("QMP: no greeting from " + path);
    if (auto r = c.Execute("qmp_capabilities"); !r) return r.error();
    return c;
  });
  if (!connected) return Error::Io("QMP: cannot connect to " + path);
  return std::move(*connected);
}

QmpClient::QmpClient(QmpClient&& o) noexcept : fd_(o.fd_), buffer_(std::move(o.buffer_)) { o.fd_ = -1; }
QmpClient& QmpClient::operator=(QmpClient&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) close(fd_);
    fd_ = o.fd_;
    buffer_ = std::move(o.buffer_);
    o.fd_ = -1;
  }
  return *this;
}
QmpClient::~QmpClient() {
  if (fd_ >= 0) close(fd_);
}

Result<QmpMessage> QmpClient::Read(int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    size_t nl = buffer_.find('\n');
    if (nl != std::string::npos) {
      std::string line = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      if (line.find_first_not_of(" \r\t") == std::string::npos) continue;
      return ParseQmpMessage(line);
    }
    int left = static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now())
            .count());
    if (left <= 0) return Error::Io("QMP: no answer within " + std::to_string(timeout_ms) + " ms");
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, left) <= 0) continue;
    char buf[4096];
    ssize_t n = read(fd_, buf, sizeof buf);
    if (n <= 0) return Error::Io("QMP: the connection closed");
    buffer_.append(buf, static_cast<size_t>(n));
    if (buffer_.size() > (1u << 20)) return Error::Io("QMP: a line longer than 1 MiB");
  }
}

Result<json> QmpClient::Execute(const std::string& command, const json& arguments, int timeout_ms) {
  json msg = {{"execute", command}};
  if (!arguments.is_null()) msg["arguments"] = arguments;
  std::string line = msg.dump() + "\n";
  if (write(fd_, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
    return Error::Io("QMP: cannot send " + command);
  }
  while (true) {
    auto m = Read(timeout_ms);
    if (!m) return m.error();
    if (m->kind == QmpKind::kEvent || m->kind == QmpKind::kGreeting) continue;
    if (m->kind == QmpKind::kError) {
      return Error::Io("QMP " + command + ": " + m->body.value("class", "Error") + ": " +
                       m->body.value("desc", ""));
    }
    return m->body;
  }
}

}  // namespace ringfence::backends

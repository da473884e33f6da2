#include "tests/support/loopback_receiver.h"

#include <chrono>
#include <stdexcept>

namespace ringfence::testing {

LoopbackReceiver::LoopbackReceiver() {
  server_.Post(".*", [this](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mu_);
    bodies_.push_back(req.body);
    headers_.push_back(req.headers);
    res.status = status_;
  });
  port_ = server_.bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("cannot bind a loopback port");
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  for (int i = 0; i < 5000 && !server_.is_running(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

LoopbackReceiver::~LoopbackReceiver() { Stop(); }

void LoopbackReceiver::Stop() {
  server_.stop();
  if (thread_.joinable()) thread_.join();
}

std::vector<std::string> LoopbackReceiver::bodies() const {
  std::lock_guard<std::mutex> lock(mu_);
  return bodies_;
}

std::vector<httplib::Headers> LoopbackReceiver::headers() const {
  std::lock_guard<std::mutex> lock(mu_);
  return headers_;
}

}  // namespace ringfence::testing

// A real HTTP server on 127.0.0.1 (cpp-httplib) that records the bodies POSTed to it: the receiving
// end of webhooks in tests.
#pragma once

#include <httplib.h>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ringfence::testing {

class LoopbackReceiver {
 public:
  LoopbackReceiver();
  ~LoopbackReceiver();
  std::string url(const std::string& path = "/hook") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  int port() const { return port_; }
  std::vector<std::string> bodies() const;
  std::vector<httplib::Headers> headers() const;  // of each POST, in order
  void set_status(int status) { status_ = status; }
  void Stop();

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<int> status_{200};
  mutable std::mutex mu_;
  std::vector<std::string> bodies_;
  std::vector<httplib::Headers> headers_;
};

}  // namespace ringfence::testing

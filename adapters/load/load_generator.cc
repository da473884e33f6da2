#include "adapters/load/load_generator.h"

#include <httplib.h>

#include <chrono>
#include <random>

namespace ringfence::load {

void LoadGenerator::Start() {
  stop_ = false;
  for (int w = 0; w < spec_.clients; ++w) threads_.emplace_back([this, w] { Client(w); });
}

void LoadGenerator::Stop() {
  stop_ = true;
  for (auto& t : threads_) t.join();
  threads_.clear();
}

LoadReport LoadGenerator::Report() const {
  std::lock_guard<std::mutex> lock(mu_);
  return report_;
}

void LoadGenerator::Client(int worker) {
  std::mt19937 rng(seed_ * 7919u + static_cast<uint32_t>(worker));
  std::vector<std::string> earlier;  // this thread's clients: only this thread drives them
  long next_client = 0;
  auto sleep = [&](int64_t ms) {
    auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (!stop_ && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
  };
  while (!stop_) {
    std::string client;
    if (!earlier.empty() && std::uniform_real_distribution<double>(0, 1)(rng) < spec_.returning) {
      client = earlier[std::uniform_int_distribution<size_t>(0, earlier.size() - 1)(rng)];
    } else {
      client = "w" + std::to_string(worker) + "c" + std::to_string(++next_client);
      earlier.push_back(client);
      if (earlier.size() > 8) earlier.erase(earlier.begin());
    }
    std::map<std::string, VersionTally> seen;
    bool hurt = false;
    std::string version;
    for (int i = 0; i < spec_.requests_per_session && !stop_; ++i) {
      auto session = router_.Route(client);
      if (!session) {
        std::lock_guard<std::mutex> lock(mu_);
        ++report_.route_failures;
        report_.last_route_error = session.error().message;
        sleep(spec_.think_ms + 50);
        break;
      }
      version = session->version;
      httplib::Client http(session->endpoint);
      http.set_connection_timeout(std::chrono::seconds(2));
      http.set_read_timeout(std::chrono::seconds(5));
      auto res = http.Get("/");
      router_.Touch(client);
      VersionTally& t = seen[version];
      ++t.requests;
      if (!res) {
        ++t.failures;
        hurt = true;
        router_.Unbind(client, session->id);  // crashed or ended: the next request gets a new session
      } else if (res->status >= 500) {
        ++t.errors;
        hurt = true;
      } else {
        ++t.ok;
      }
      sleep(spec_.think_ms);
    }
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [v, t] : seen) {
      VersionTally& total = report_.by_version[v];
      total.requests += t.requests;
      total.ok += t.ok;
      total.errors += t.errors;
      total.failures += t.failures;
    }
    if (!version.empty()) {
      ++report_.by_version[version].client_sessions;
      if (hurt) ++report_.by_version[version].clients_hurt;
    }
  }
}

}  // namespace ringfence::load

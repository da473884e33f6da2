// ringfence-workload: the bundled service that sessions run. It serves requests on loopback,
// exposes /healthz and Prometheus /metrics, and can be told per version to misbehave (error rate,
// added latency, crash after N requests or seconds, a slow memory leak), so that demos and tests
// have a real good version and a real bad one.
//
//   ringfence-workload --version 2.0 --port 0 [--host 127.0.0.1] --ready-file F [--error-rate 0.2]
//       [--latency-ms 50] [--crash-after-requests N] [--crash-after-seconds S]
//       [--leak-kb-per-request K] [--change-image-after-seconds S] [--seed N]
// With --port 0 it binds a free port and writes it to the ready file once it accepts connections.
// POST /reseed (body: a decimal seed) replaces the error draw's seed: sessions restored from one
// snapshot share its random state, so a backend that restores one reseeds each copy.
// GET /measurement: what this instance actually runs, measured when asked: sha256 of its own
// executable (/proc/self/exe) and, when $RINGFENCE_IMAGE_ROOT names the image directory it was
// started from, that directory's content digest (adapters/common/content_digest.h; mount points
// under it not entered, so a micro VM guest with RINGFENCE_IMAGE_ROOT=/ measures the root file
// system its initrd unpacked), with the measurement taken at boot or at the last restore (/reseed)
// beside it. JSON:
//   {"version", "executable", "image" | "image_error", "measured_at": "boot"|"restore", "at_boot": {...}}
#include <httplib.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <sys/resource.h>
#include <unistd.h>

#include "adapters/common/content_digest.h"

namespace {

struct Misbehaviour {
  double error_rate = 0;
  int latency_ms = 0;
  long crash_after_requests = 0;
  int crash_after_seconds = 0;
  int leak_kb_per_request = 0;
  int change_image_after_seconds = 0;  // adds a file to its image in place, as an unattended upgrade would
};

// Latency histogram buckets, seconds (Prometheus convention: cumulative, le="+Inf" last).
constexpr double kBuckets[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

struct Stats {
  std::mutex mu;
  long ok = 0, errors = 0;
  std::vector<long> bucket_counts = std::vector<long>(std::size(kBuckets), 0);
  double latency_sum = 0;
  std::vector<std::vector<char>> leaked;
};

// What this instance runs, measured now.
nlohmann::json MeasureSelf() {
  // Read again only when the file's identity or times changed (an edit in place changes its ctime).
  nlohmann::json m = {{"executable", ringfence::DigestFileMemoized("/proc/self/exe")}};
  if (const char* root = std::getenv("RINGFENCE_IMAGE_ROOT"); root && *root) {
    ringfence::ContentDigest image =
        ringfence::DigestDirectory(root, {/*one_file_system=*/true, /*memoized=*/true});
    if (image.digest.empty())
      m["image_error"] = image.error;
    else
      m["image"] = image.digest;
  }
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"ringfence-workload: the bundled session service"};
  std::string version = "1.0", ready_file, host = "127.0.0.1";
  int port = 0;
  unsigned seed = std::random_device{}();  // sessions of one version must not err in lockstep
  Misbehaviour bad;
  app.add_option("--version", version, "Version this instance reports");
  app.add_option("--port", port, "Port (0: any free port)");
  app.add_option("--host", host, "Address to listen on (a micro VM guest listens on 0.0.0.0)")
      ->capture_default_str();
  app.add_option("--ready-file", ready_file, "Write the bound port here once serving");
  app.add_option("--error-rate", bad.error_rate, "Share of requests answered 500")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--latency-ms", bad.latency_ms, "Added latency per request")->check(CLI::Range(0, 60000));
  app.add_option("--crash-after-requests", bad.crash_after_requests, "Exit after this many requests");
  app.add_option("--crash-after-seconds", bad.crash_after_seconds, "Exit after this many seconds");
  app.add_option("--leak-kb-per-request", bad.leak_kb_per_request, "Memory kept per request");
  app.add_option("--change-image-after-seconds", bad.change_image_after_seconds,
                 "Write a file into $RINGFENCE_IMAGE_ROOT after this many seconds (drift in place)");
  app.add_option("--seed", seed, "Seed of the error draw (default: random)");
  CLI11_PARSE(app, argc, argv);
  // The session backend's contract: the port goes to $RINGFENCE_READY_FILE unless a flag says.
  if (ready_file.empty()) {
    if (const char* env = std::getenv("RINGFENCE_READY_FILE")) ready_file = env;
  }

  Stats stats;
  std::atomic<long> requests{0};
  std::mt19937 rng(seed);
  std::mutex rng_mu;
  auto started = std::chrono::steady_clock::now();
  std::mutex measured_mu;
  nlohmann::json measured;  // at boot (taken once serving); replaced after a restore (/reseed)
  std::string measured_at = "boot";
  httplib::Server server;

  server.Get("/healthz", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok " + version + "\n", "text/plain");
  });
  server.Get("/", [&](const httplib::Request&, httplib::Response& res) {
    auto t0 = std::chrono::steady_clock::now();
    long n = ++requests;
    if (bad.crash_after_requests > 0 && n > bad.crash_after_requests) {
      std::fprintf(stderr, "workload %s: crashing after %ld requests\n", version.c_str(),
                   bad.crash_after_requests);
      std::fflush(stderr);
      std::_Exit(70);
    }
    if (bad.latency_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(bad.latency_ms));
    bool fail;
    {
      std::lock_guard<std::mutex> lock(rng_mu);
      fail = std::uniform_real_distribution<double>(0, 1)(rng) < bad.error_rate;
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    {
      std::lock_guard<std::mutex> lock(stats.mu);
      (fail ? stats.errors : stats.ok)++;
      stats.latency_sum += secs;
      for (size_t i = 0; i < std::size(kBuckets); ++i) {
        if (secs <= kBuckets[i]) stats.bucket_counts[i]++;
      }
      if (bad.leak_kb_per_request > 0)
        stats.leaked.emplace_back(static_cast<size_t>(bad.leak_kb_per_request) * 1024, 'x');
    }
    res.status = fail ? 500 : 200;
    res.set_header("X-Version", version);
    res.set_content(fail ? "error\n" : "hello from " + version + "\n", "text/plain");
  });
  server.Post("/reseed", [&](const httplib::Request& req, httplib::Response& res) {
    unsigned long long fresh = 0;
    try {
      fresh = std::stoull(req.body);
    } catch (const std::exception&) {
      res.status = 400;
      res.set_content("body must be a decimal seed\n", "text/plain");
      return;
    }
    {
      std::lock_guard<std::mutex> lock(rng_mu);
      rng.seed(static_cast<std::mt19937::result_type>(fresh));
    }
    nlohmann::json now = MeasureSelf();  // a restored copy measures itself again
    {
      std::lock_guard<std::mutex> lock(measured_mu);
      measured = std::move(now);
      measured_at = "restore";
    }
    res.set_content("reseeded\n", "text/plain");
  });
  server.Get("/measurement", [&](const httplib::Request&, httplib::Response& res) {
    nlohmann::json m = MeasureSelf();
    m["version"] = version;
    {
      std::lock_guard<std::mutex> lock(measured_mu);
      if (measured.is_null()) measured = m;  // asked before the boot measurement was taken
      m["measured_at"] = measured_at;
      m["at_boot"] = measured;
    }
    res.set_content(m.dump() + "\n", "application/json");
  });
  server.Get("/metrics", [&](const httplib::Request&, httplib::Response& res) {
    std::ostringstream m;
    std::lock_guard<std::mutex> lock(stats.mu);
    long total = stats.ok + stats.errors;
    m << "# TYPE workload_requests_total counter\n"
      << "workload_requests_total{code=\"200\"} " << stats.ok << "\n"
      << "workload_requests_total{code=\"500\"} " << stats.errors << "\n"
      << "# TYPE workload_request_duration_seconds histogram\n";
    for (size_t i = 0; i < std::size(kBuckets); ++i) {
      m << "workload_request_duration_seconds_bucket{le=\"" << kBuckets[i] << "\"} " << stats.bucket_counts[i]
        << "\n";
    }
    m << "workload_request_duration_seconds_bucket{le=\"+Inf\"} " << total << "\n"
      << "workload_request_duration_seconds_sum " << stats.latency_sum << "\n"
      << "workload_request_duration_seconds_count " << total << "\n"
      << "# TYPE workload_info gauge\nworkload_info{version=\"" << version << "\"} 1\n"
      << "# TYPE workload_uptime_seconds gauge\nworkload_uptime_seconds "
      << std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() << "\n";
    res.set_content(m.str(), "text/plain; version=0.0.4");
  });

  int bound = port == 0 ? server.bind_to_any_port(host) : (server.bind_to_port(host, port) ? port : -1);
  if (bound <= 0) {
    std::fprintf(stderr, "workload %s: cannot bind %s:%d\n", version.c_str(), host.c_str(), port);
    return 69;
  }
  if (bad.crash_after_seconds > 0) {
    std::thread([&, secs = bad.crash_after_seconds] {
      std::this_thread::sleep_for(std::chrono::seconds(secs));
      std::fprintf(stderr, "workload %s: crashing after %d s\n", version.c_str(), secs);
      std::_Exit(71);
    }).detach();
  }
  if (bad.change_image_after_seconds > 0) {
    std::thread([secs = bad.change_image_after_seconds] {
      std::this_thread::sleep_for(std::chrono::seconds(secs));
      const char* root = std::getenv("RINGFENCE_IMAGE_ROOT");
      if (!root || !*root) return;
      std::ofstream(std::string(root) + "/changed-in-place") << "written by the running workload\n";
    }).detach();
  }
  std::thread serve([&] { server.listen_after_bind(); });
  for (int i = 0; i < 5000 && !server.is_running(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (!ready_file.empty()) {
    std::string tmp = ready_file + ".tmp";
    std::ofstream(tmp) << bound << "\n";
    std::rename(tmp.c_str(), ready_file.c_str());  // readers never see a half-written port
  }
  // The boot measurement is taken once serving, on a thread of the lowest nice value, so that
  // hashing the executable and the image neither delays readiness nor takes much CPU from sessions
  // being launched. Nice, not SCHED_IDLE: an idle-class thread can be kept off a busy CPU for
  // seconds while it holds a lock /measurement needs (the digest memo's, or measured_mu).
  // /measurement asked earlier measures itself, and a restore (/reseed) that came first is kept.
  std::thread boot_measurement([&] {
    setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 19);  // Linux: nice applies per thread
    nlohmann::json boot = MeasureSelf();
    std::lock_guard<std::mutex> lock(measured_mu);
    if (measured.is_null()) measured = std::move(boot);
  });
  serve.join();
  boot_measurement.join();
  return 0;
}

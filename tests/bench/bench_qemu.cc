// Cold boot vs restore from a snapshot on the qemu backend (real micro VMs): launch to the first
// HTTP 200, medians of REPEATS, and the ratio. Run by tests/bench/qemu.sh.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "adapters/backends/qemu/qemu_backend.h"

using namespace ringfence;
namespace fs = std::filesystem;

namespace {

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: bench_qemu GUEST_DIR SCRATCH_DIR [REPEATS]\n");
    return 2;
  }
  std::string guest = argv[1], root = argv[2];
  int repeats = argc > 3 ? std::atoi(argv[3]) : 5;
  fs::remove_all(root);
  fs::create_directories(root + "/img");
  std::ofstream(root + "/img/manifest.yaml") << "apiVersion: ringfence/v1\nkind: Image\nversion: \"1.0\"\n"
                                                "entrypoint: [\"@workload\", \"--version\", \"1.0\"]\n";
  auto image = backends::LoadImage(root + "/img");
  if (!image) return std::fprintf(stderr, "%s\n", image.error().message.c_str()), 1;
  backends::QemuOptions o;
  o.state_dir = root + "/state";
  o.kernel = guest + "/vmlinux";
  o.initrd = guest + "/initrd.cpio.gz";
  backends::QemuBackend qemu(o);
  std::vector<double> cold, warm;
  auto seconds = [](auto t0) { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  std::string snap = root + "/warm.zst";
  for (int i = 0; i < repeats; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    auto s = qemu.Launch("cold" + std::to_string(i), *image);
    if (!s) return std::fprintf(stderr, "%s\n", s.error().message.c_str()), 1;
    cold.push_back(seconds(t0));
    if (i == 0 && !qemu.Snapshot("cold0", snap)) return std::fprintf(stderr, "snapshot failed\n"), 1;
    (void)qemu.Terminate("cold" + std::to_string(i));
  }
  for (int i = 0; i < repeats; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    auto s = qemu.Restore("warm" + std::to_string(i), snap);
    if (!s) return std::fprintf(stderr, "%s\n", s.error().message.c_str()), 1;
    warm.push_back(seconds(t0));
    (void)qemu.Terminate("warm" + std::to_string(i));
  }
  double c = Median(cold), w = Median(warm);
  std::printf("qemu microvm (TCG), launch to first HTTP 200, median of %d:\n", repeats);
  std::printf("  cold boot            %.2f s\n  restore from snapshot %.2f s (%.1f MB zstd)\n  ratio %.2fx (goal <= 0.2x)\n",
              c, w, static_cast<double>(fs::file_size(snap)) / 1e6, w / c);
  fs::remove_all(root);
  return 0;
}

// Cold boot vs warm starts on the qemu backend (real micro VMs): restore from a snapshot, launch
// from the image's template, park and unpark; launch to the first HTTP 200, medians of REPEATS,
// and ratios to the cold boot. Run by tests/bench/qemu.sh.
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
  o.launch_from_template = false;
  backends::QemuBackend qemu(o);
  std::vector<double> cold, warm, from_template, park, unpark;
  auto seconds = [](auto t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  };
  auto fail = [](const std::string& what) { return std::fprintf(stderr, "%s\n", what.c_str()), 1; };
  std::string snap = root + "/warm.zst";
  for (int i = 0; i < repeats; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    auto s = qemu.Launch("cold" + std::to_string(i), *image);
    if (!s) return fail(s.error().message);
    cold.push_back(seconds(t0));
    if (i == 0 && !qemu.Snapshot("cold0", snap)) return fail("snapshot failed");
    (void)qemu.Terminate("cold" + std::to_string(i));
  }
  for (int i = 0; i < repeats; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    auto s = qemu.Restore("warm" + std::to_string(i), snap);
    if (!s) return fail(s.error().message);
    warm.push_back(seconds(t0));
    (void)qemu.Terminate("warm" + std::to_string(i));
  }
  // Launches from the image's template (the default): the first boots cold and takes the template.
  o.launch_from_template = true;
  backends::QemuBackend templated(o);
  if (auto s = templated.Launch("first", *image); !s) return fail(s.error().message);
  (void)templated.Terminate("first");
  for (int i = 0; i < repeats; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    auto s = templated.Launch("tpl" + std::to_string(i), *image);
    if (!s) return fail(s.error().message);
    from_template.push_back(seconds(t0));
    (void)templated.Terminate("tpl" + std::to_string(i));
  }
  // Park an idle session (snapshot to disk, QEMU ended) and bring it back.
  if (auto s = templated.Launch("idle", *image); !s) return fail(s.error().message);
  for (int i = 0; i < repeats; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    if (auto st = templated.Park("idle"); !st) return fail(st.error().message);
    park.push_back(seconds(t0));
    t0 = std::chrono::steady_clock::now();
    if (auto s = templated.Unpark("idle"); !s) return fail(s.error().message);
    unpark.push_back(seconds(t0));
  }
  (void)templated.Terminate("idle");
  double c = Median(cold);
  std::printf("qemu microvm (TCG), launch to first HTTP 200, median of %d:\n", repeats);
  std::printf("  cold boot                    %.2f s\n", c);
  std::printf("  restore from a snapshot      %.2f s (%.1f MB zstd)  %.2fx of a cold boot (goal <= 0.2x)\n",
              Median(warm), static_cast<double>(fs::file_size(snap)) / 1e6, Median(warm) / c);
  std::printf("  launch from the template     %.2f s  %.2fx\n", Median(from_template),
              Median(from_template) / c);
  std::printf("  park an idle session         %.2f s\n", Median(park));
  std::printf("  unpark it (state intact)     %.2f s  %.2fx\n", Median(unpark), Median(unpark) / c);
  fs::remove_all(root);
  return 0;
}

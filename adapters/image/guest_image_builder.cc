#include "adapters/image/guest_image_builder.h"

#include <lzma.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "adapters/common/content_digest.h"
#include "adapters/common/files.h"
#include "adapters/common/run_tool.h"
#include "adapters/common/sha256.h"
#include "adapters/debian/installed_packages.h"
#include "adapters/image/initramfs.h"
#include "engine/rollout/image_manifest.h"

namespace ringfence::image {
namespace {

namespace fs = std::filesystem;

constexpr const char* kWorkloadPath = "bin/ringfence-workload";
constexpr const char* kInitrdName = "initrd.cpio.gz";
constexpr const char* kKernelName = "vmlinux";

// The shared libraries a dynamically linked program loads, as the dynamic loader resolves them
// here (ldd): the paths it asks for, which the guest must have at the same place.
Result<std::vector<std::string>> SharedLibraries(const std::string& program) {
  auto out = RunTool({"ldd", program}, {CleanToolEnvironment(), "", 64 << 20});
  if (!out) return out.error();
  std::vector<std::string> libs;
  if (out->exit_code != 0) {
    if (out->out.find("not a dynamic executable") != std::string::npos ||
        out->err.find("not a dynamic executable") != std::string::npos)
      return libs;  // static: nothing to add
    return Error::Io("ldd " + program + " failed: " + out->err.substr(0, out->err.find('\n')));
  }
  size_t at = 0;
  while (at < out->out.size()) {
    size_t end = out->out.find('\n', at);
    std::string line = out->out.substr(at, end == std::string::npos ? std::string::npos : end - at);
    at = end == std::string::npos ? out->out.size() : end + 1;
    if (line.find("not found") != std::string::npos)
      return Error::InvalidInput(program + " needs a library this machine lacks: " + line);
    auto arrow = line.find("=> ");
    size_t start = arrow == std::string::npos ? line.find('/') : arrow + 3;
    if (start == std::string::npos || start >= line.size() || line[start] != '/') continue;  // linux-vdso
    libs.push_back(line.substr(start, line.find(" (", start) - start));
  }
  std::sort(libs.begin(), libs.end());
  libs.erase(std::unique(libs.begin(), libs.end()), libs.end());
  return libs;
}

// The kernel inside a bzImage: its XZ payload, decompressed (liblzma).
Result<std::string> UnpackVmlinux(const std::string& bzimage, const std::string& what) {
  static const std::string kMagic(
      "\xfd"
      "7zXZ\x00",
      6);
  auto start = bzimage.find(kMagic);
  if (start == std::string::npos)
    return Error::InvalidInput(what + ": no XZ payload (not an xz-compressed bzImage)");
  lzma_stream z = LZMA_STREAM_INIT;
  if (lzma_stream_decoder(&z, UINT64_MAX, 0) != LZMA_OK) return Error::Internal("liblzma cannot start");
  std::string out;
  char buf[1 << 16];
  z.next_in = reinterpret_cast<const uint8_t*>(bzimage.data() + start);
  z.avail_in = bzimage.size() - start;
  lzma_ret rc = LZMA_OK;
  while (rc == LZMA_OK) {
    z.next_out = reinterpret_cast<uint8_t*>(buf);
    z.avail_out = sizeof buf;
    rc = lzma_code(&z, LZMA_FINISH);
    out.append(buf, sizeof buf - z.avail_out);
    if (out.size() > (1u << 30)) rc = LZMA_MEMLIMIT_ERROR;
  }
  lzma_end(&z);
  if (rc != LZMA_STREAM_END) return Error::InvalidInput(what + ": its XZ payload does not decompress");
  return out;
}

std::string InitScript(const std::vector<std::string>& modules) {
  std::string mods;
  for (const auto& m : modules) mods += (mods.empty() ? "" : " ") + m;
  // Nothing is written to the root file system the initrd unpacked: the applets' links and
  // scratch space live on tmpfs mounts, so the workload's /measurement of "/" (mount points not
  // entered) equals the image's guest_root digest until something changes the guest in place.
  return "#!/bin/busybox sh\n"
         "/bin/busybox mount -t tmpfs run /run; /bin/busybox mkdir /run/bin\n"
         "/bin/busybox --install -s /run/bin; export PATH=/run/bin\n"
         "mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev\n"
         "mount -t tmpfs tmp /tmp\n"
         "for m in " +
         mods +
         "; do insmod /lib/modules/$m.ko; done\n"
         "ip link set lo up; ip link set eth0 up; ip addr add 10.0.2.15/24 dev eth0; ip route add default "
         "via 10.0.2.2\n"
         "args=\"\"\n"
         "for w in $(cat /proc/cmdline); do case \"$w\" in rf.args=*) args=$(echo \"${w#rf.args=}\" | tr ',' "
         "' ');; "
         "esac; done\n"
         "echo \"RINGFENCE-GUEST-UP\"\n"
         "export RINGFENCE_IMAGE_ROOT=/\n"
         "exec /bin/ringfence-workload --host 0.0.0.0 --port 8080 $args\n";
}

// `guest_root`: the content digest of the root file system the initrd unpacks (its regular files).
std::string Manifest(const ImageRecipe& r, const std::string& guest_root) {
  nlohmann::json entry = nlohmann::json::array({kWorkloadPath});
  for (const auto& a : r.args) entry.push_back(a);
  std::string out = "# Built by `ringfence image build` from " + std::string(kImageRecipeName) +
                    ": the image digest covers this file.\napiVersion: ringfence/v1\nkind: Image\nversion: " +
                    nlohmann::json(r.version).dump() + "\nentrypoint: " + entry.dump() + "\n";
  if (!r.egress.empty()) out += "egress: " + nlohmann::json(r.egress).dump() + "\n";
  out += "guest_root: " + nlohmann::json(guest_root).dump() + "\n";
  return out;
}

// Packages of the image, each once, found by name.
class PackageSet {
 public:
  Result<size_t> Installed(const std::string& owner) {
    if (auto it = index_.find(owner); it != index_.end()) return it->second;
    auto p = debian::InstalledPackage(owner);
    if (!p) return p.error();
    return Add(owner, *p);
  }
  size_t Add(const std::string& key, DebianPackage p) {
    packages_.push_back(std::move(p));
    return index_[key] = packages_.size() - 1;
  }
  std::vector<DebianPackage>& packages() { return packages_; }

 private:
  std::map<std::string, size_t> index_;
  std::vector<DebianPackage> packages_;
};

Status WriteFile(const std::string& path, const std::string& data, unsigned mode) {
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  out.close();
  if (!out || ::chmod(path.c_str(), mode) != 0) return Error::Io("cannot write " + path);
  return Status::Ok();
}

// OUT may be replaced only when it is an earlier build: these files and nothing else.
Status CheckReplaceable(const std::string& out) {
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(out, ec))) return Status::Ok();
  if (fs::is_symlink(fs::symlink_status(out, ec)) || !fs::is_directory(out, ec))
    return Error::InvalidInput(out + " exists and is not an image directory: not replaced");
  static const std::set<std::string> kOurs = {kImageManifestName, "bin", kWorkloadPath, kInitrdName,
                                              kKernelName};
  for (const auto& e : fs::recursive_directory_iterator(out, ec)) {
    std::string rel = fs::relative(e.path(), out).string();
    if (!kOurs.count(rel))
      return Error::InvalidInput(out + " holds " + rel + ", which no build writes: not replaced");
  }
  return Status::Ok();
}

ImageFile FileOf(const std::string& path, const std::string& archive, const std::string& data, size_t package,
                 bool generated = false) {
  return {path, archive, Sha256Hex(data), Sha1Hex(data), package, generated};
}

}  // namespace

Result<ImageContents> BuildGuestImage(const ImageRecipe& recipe, const GuestBuildOptions& o) {
  if (auto st = CheckReplaceable(o.out_dir); !st) return st.error();
  std::string workload_path =
      recipe.workload == "@workload" ? o.bundled_workload : o.recipe_dir + "/" + recipe.workload;
  auto workload = ReadWholeFile(workload_path);
  if (!workload) return workload.error().Wrap("the workload");
  ImageContents c;
  c.name = recipe.name;
  c.version = recipe.version;
  c.created_epoch = o.source_date_epoch;
  PackageSet packages;
  std::vector<ArchiveEntry> entries;
  std::vector<std::pair<ArchiveEntry, size_t>> owned;  // entry, package (kNoPackage)

  auto libs = SharedLibraries(workload_path);
  if (!libs) return libs.error();
  std::vector<std::string> host_files = *libs;
  host_files.push_back("/bin/busybox");  // the guest's shell and tools (busybox-static)
  for (const auto& path : host_files) {
    auto data = ReadWholeFile(path);  // follows the loader's symlinks to the file itself
    if (!data) return data.error();
    auto owner = debian::PackageOwning(path);
    if (!owner) return owner.error().Wrap("the image's " + path);
    auto index = packages.Installed(*owner);
    if (!index) return index.error();
    owned.push_back({{path.substr(1), ArchiveEntry::Type::kFile, 0755, std::move(*data)}, *index});
  }
  owned.push_back({{"bin/ringfence-workload", ArchiveEntry::Type::kFile, 0755, *workload}, kNoPackage});
  owned.push_back({{"init", ArchiveEntry::Type::kFile, 0755, InitScript(recipe.modules)}, kNoPackage});
  for (const char* dir : {"proc", "sys", "dev", "tmp", "run"})
    owned.push_back({{dir, ArchiveEntry::Type::kDirectory, 0755, ""}, kNoPackage});

  std::string partial = o.out_dir + ".partial";
  std::error_code ec;
  fs::remove_all(partial, ec);
  if (fs::path parent = fs::path(o.out_dir).parent_path(); !parent.empty())
    fs::create_directories(parent, ec);
  std::string vmlinux;
  size_t kernel_package = kNoPackage;
  if (!recipe.kernel.empty()) {
    auto deb = debian::FetchDeb(recipe.kernel, o.debs);
    if (!deb) return deb.error();
    std::string unpacked = partial + ".kernel";
    fs::remove_all(unpacked, ec);
    auto x = RunToolOk({"dpkg-deb", "-x", deb->path, unpacked}, {CleanToolEnvironment(), "", 64 << 20});
    if (!x) return x.error();
    struct Cleanup {
      std::string dir;
      ~Cleanup() {
        std::error_code e;
        fs::remove_all(dir, e);
      }
    } cleanup{unpacked};
    kernel_package = packages.Add(deb->package.name, deb->package);
    std::string bzimage;
    std::map<std::string, std::string> module_files;  // name -> path
    for (const auto& e : fs::recursive_directory_iterator(unpacked, ec)) {
      if (!e.is_regular_file()) continue;
      std::string rel = fs::relative(e.path(), unpacked).string();
      std::string file = e.path().filename().string();
      if (rel.rfind("boot/vmlinuz-", 0) == 0) bzimage = e.path().string();
      if (rel.find("/kernel/") != std::string::npos && file.size() > 3 &&
          file.substr(file.size() - 3) == ".ko")
        module_files[file.substr(0, file.size() - 3)] = e.path().string();
    }
    if (bzimage.empty()) return Error::InvalidInput(deb->path + ": no boot/vmlinuz-* (not a kernel package)");
    auto image = ReadWholeFile(bzimage);
    if (!image) return image.error();
    auto unpacked_kernel = UnpackVmlinux(*image, deb->path);
    if (!unpacked_kernel) return unpacked_kernel.error();
    vmlinux = std::move(*unpacked_kernel);
    for (const auto& m : recipe.modules) {
      auto it = module_files.find(m);
      if (it == module_files.end())
        return Error::InvalidInput("the kernel package " + deb->package.name + " has no module " + m + ".ko");
      auto data = ReadWholeFile(it->second);
      if (!data) return data.error();
      owned.push_back(
          {{"lib/modules/" + m + ".ko", ArchiveEntry::Type::kFile, 0644, std::move(*data)}, kernel_package});
    }
  }

  std::vector<std::pair<std::string, std::string>> guest_files;  // what the guest measures
  for (const auto& [entry, package] : owned) {
    entries.push_back(entry);
    if (entry.type == ArchiveEntry::Type::kFile) {
      c.files.push_back(FileOf(entry.path, kInitrdName, entry.data, package));
      guest_files.emplace_back(entry.path, c.files.back().sha256);
    }
  }
  auto initrd = WriteInitramfs(std::move(entries), o.source_date_epoch);
  if (!initrd) return initrd.error();
  std::string manifest = Manifest(recipe, DigestOfFiles(std::move(guest_files)));
  c.files.push_back(FileOf(kImageManifestName, "", manifest, kNoPackage));
  c.files.push_back(FileOf(kWorkloadPath, "", *workload, kNoPackage));
  c.files.push_back(FileOf(kInitrdName, "", *initrd, kNoPackage));
  if (!vmlinux.empty()) c.files.push_back(FileOf(kKernelName, "", vmlinux, kernel_package, true));

  for (auto [name, data, mode] :
       {std::tuple{kImageManifestName, &manifest, 0644u}, std::tuple{kWorkloadPath, &*workload, 0755u},
        std::tuple{kInitrdName, &*initrd, 0644u}, std::tuple{kKernelName, &vmlinux, 0644u}}) {
    if (data->empty()) continue;
    if (auto st = WriteFile(partial + "/" + name, *data, mode); !st) return st.error();
  }
  fs::remove_all(o.out_dir, ec);
  fs::rename(partial, o.out_dir, ec);
  if (ec) return Error::Io("cannot move the image into " + o.out_dir + ": " + ec.message());

  // Packages by name, files by (archive, path): the SBOM's order never depends on the host's.
  std::vector<size_t> order(packages.packages().size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return packages.packages()[a].name < packages.packages()[b].name; });
  std::vector<size_t> new_index(order.size());
  for (size_t i = 0; i < order.size(); ++i) {
    new_index[order[i]] = i;
    c.packages.push_back(packages.packages()[order[i]]);
  }
  for (auto& f : c.files)
    if (f.package != kNoPackage) f.package = new_index[f.package];
  std::sort(c.files.begin(), c.files.end(), [](const ImageFile& a, const ImageFile& b) {
    return std::tie(a.archive, a.path) < std::tie(b.archive, b.path);
  });
  return c;
}

}  // namespace ringfence::image

// What an image is made of: the Debian packages it was built from and every file it holds, as the
// image build records them and the SBOM (engine/image/sbom.h) describes them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ringfence {

// A Debian binary package. Advisories are keyed by the source package and its version.
struct DebianPackage {
  std::string name, version, architecture;
  std::string source, source_version;  // equal to name/version when the package names none
  std::string deb_sha256;  // the .deb the files came from; "" when copied from the installed system
  std::string distro = "debian-12";
  // Sources compiled into it besides its own (the Built-Using field: a signed kernel's "linux").
  std::vector<std::pair<std::string, std::string>> built_using;  // source name, version
};

inline constexpr size_t kNoPackage = static_cast<size_t>(-1);

// A file of the image: a path of the image directory ("vmlinux"), or of an archive in it (the
// initramfs: archive "initrd.cpio.gz", path "bin/busybox"), with its digests and its package.
struct ImageFile {
  std::string path;
  std::string archive;  // "" for a file of the image directory
  std::string sha256, sha1;
  size_t package = kNoPackage;  // index into ImageContents::packages
  bool generated = false;       // derived from the package (a kernel unpacked), not copied from it
};

struct ImageContents {
  std::string name, version;
  std::string digest;         // "sha256:..." of the image directory (adapters/backends/image_loader.h)
  int64_t created_epoch = 0;  // SOURCE_DATE_EPOCH of the build
  std::vector<DebianPackage> packages;
  std::vector<ImageFile> files;
};

}  // namespace ringfence

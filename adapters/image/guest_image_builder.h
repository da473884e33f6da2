// `ringfence image build`: a micro VM guest image from a recipe (engine/image/recipe.h), built
// reproducibly from Debian packages and the workload binary:
//
//   OUT/manifest.yaml            the image manifest (entrypoint bin/ringfence-workload ARGS)
//   OUT/bin/ringfence-workload   the workload, for the process backend
//   OUT/initrd.cpio.gz           init (busybox sh), busybox, the kernel modules, the workload
//                                and every shared library it loads (from the installed packages)
//   OUT/vmlinux                  when the recipe names a kernel: unpacked from its .deb
//
// Nothing of the host reaches the bytes but the inputs: entries sorted, owned by root, stamped
// with SOURCE_DATE_EPOCH, no build paths; the same inputs give the same image digest.
#pragma once

#include <cstdint>
#include <string>

#include "adapters/debian/apt_archive.h"
#include "engine/image/recipe.h"
#include "engine/model/image_contents.h"

namespace ringfence::image {

struct GuestBuildOptions {
  std::string recipe_dir;        // where a workload path of the recipe is read from
  std::string out_dir;           // replaced only if it holds nothing but an earlier build's files
  std::string bundled_workload;  // what "@workload" means
  debian::DebSource debs;
  int64_t source_date_epoch = 0;
};

// The contents (packages and files with digests); the digest field is left to the caller, who
// loads the finished image (adapters/backends/image_loader.h).
Result<ImageContents> BuildGuestImage(const ImageRecipe& recipe, const GuestBuildOptions& options);

}  // namespace ringfence::image

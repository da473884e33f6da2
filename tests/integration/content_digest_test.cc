// The content digest an image builder computes from a file list, a backend verifies before launch
// and a session measures of itself must be one value: checked against sha256sum on a real tree,
// after an edit in place (memoized digests), and across a mount point (one_file_system).
#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>

#include <unistd.h>

#include "adapters/common/content_digest.h"
#include "tests/support/git_fixture.h"
#include "tests/support/run_process.h"

using namespace ringfence;
using namespace ringfence::testing;
namespace fs = std::filesystem;

namespace {

// (relative path, sha256 hex) of every regular file under `dir`, as sha256sum reads them.
std::vector<std::pair<std::string, std::string>> Sha256sums(const std::string& dir) {
  auto r = RunProcess({"sh", "-c", "cd '" + dir + "' && find . -type f -print0 | xargs -0 sha256sum"});
  REQUIRE(r.exit_code == 0);
  std::vector<std::pair<std::string, std::string>> out;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) {
    REQUIRE(line.size() > 68);
    out.emplace_back(line.substr(68), line.substr(0, 64));  // "<hex>  ./path"
  }
  return out;
}

}  // namespace

TEST_CASE("a directory's content digest equals the digest of its file list as sha256sum reads it") {
  TempDir tmp;
  const std::string root = tmp.path() + "/image";
  WriteFile(root + "/manifest.yaml", "version: 1\n");
  WriteFile(root + "/bin/tool", std::string(200'000, 'x'));
  WriteFile(root + "/lib/a/b/c.so", "library\n");
  fs::create_directories(root + "/empty");  // directories do not count, only files
  auto listed = Sha256sums(root);
  REQUIRE(listed.size() == 3);
  const ContentDigest whole = DigestDirectory(root);
  REQUIRE(whole.error.empty());
  CHECK(whole.digest == DigestOfFiles(listed));
  CHECK(DigestDirectory(root, {false, true}).digest == whole.digest);

  SECTION("an edit in place changes the memoized digest too") {
    WriteFile(root + "/lib/a/b/c.so", "library, patched\n");
    const ContentDigest memo = DigestDirectory(root, {false, true});
    CHECK(memo.digest != whole.digest);
    CHECK(memo.digest == DigestOfFiles(Sha256sums(root)));
  }
  SECTION("a link in the tree is an error, never followed") {
    fs::create_symlink("/etc/passwd", root + "/lib/passwd");
    CHECK(DigestDirectory(root).digest.empty());
    CHECK(DigestDirectory(root, {true, true}).error.find("symlink") != std::string::npos);
  }
  SECTION("a file system mounted in the tree is not entered with one_file_system") {
    fs::create_directories(root + "/tmp");
    if (geteuid() != 0 || RunProcess({"mount", "-t", "tmpfs", "rf-test", root + "/tmp"}).exit_code != 0) {
      WARN("skipped: cannot mount a tmpfs here (not root, or no mount permission)");
      return;
    }
    WriteFile(root + "/tmp/scratch", "written at run time\n");
    const ContentDigest guest = DigestDirectory(root, {true, false});
    const ContentDigest all = DigestDirectory(root);
    RunProcess({"umount", root + "/tmp"});
    CHECK(guest.digest == whole.digest);  // the mount's content is not the image's
    CHECK(all.digest != whole.digest);    // without the scope, it is read like any file
  }
}

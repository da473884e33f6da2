#include "tests/support/git_fixture.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/run_process.h"

namespace ringfence::testing {
namespace fs = std::filesystem;

TempDir::TempDir() {
  char tpl[] = "/tmp/ringfence-test-XXXXXX";
  char* p = mkdtemp(tpl);
  REQUIRE(p != nullptr);
  path_ = p;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

TempRepo::TempRepo() {
  char tpl[] = "/tmp/ringfence-repo-XXXXXX";
  char* p = mkdtemp(tpl);
  REQUIRE(p != nullptr);
  path_ = p;
  Git({"init", "-q", "-b", "main"});
  Git({"config", "user.name", "Test Author"});
  Git({"config", "user.email", "author@example.com"});
  Git({"config", "commit.gpgsign", "false"});
  Git({"config", "core.autocrlf", "false"});
}

TempRepo::~TempRepo() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

void WriteFile(const std::string& path, const std::string& content) {
  fs::path p(path);
  if (p.has_parent_path()) fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  REQUIRE(out.good());
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void TempRepo::Write(const std::string& rel, const std::string& content) const {
  WriteFile(path_ + "/" + rel, content);
}

void TempRepo::Remove(const std::string& rel) const { fs::remove_all(fs::path(path_) / rel); }

void TempRepo::Move(const std::string& from, const std::string& to) const {
  fs::path dst = fs::path(path_) / to;
  fs::create_directories(dst.parent_path());
  fs::rename(fs::path(path_) / from, dst);
}

void TempRepo::Symlink(const std::string& target, const std::string& rel) const {
  fs::path p = fs::path(path_) / rel;
  fs::create_directories(p.parent_path());
  fs::remove(p);
  fs::create_symlink(target, p);
}

void TempRepo::Chmod(const std::string& rel, unsigned mode) const {
  REQUIRE(::chmod((fs::path(path_) / rel).c_str(), mode) == 0);
}

std::string TempRepo::Git(const std::vector<std::string>& args) const {
  std::vector<std::string> argv{"git", "-C", path_};
  argv.insert(argv.end(), args.begin(), args.end());
  ProcessResult r = RunProcess(argv);
  INFO("git " << args.front() << ": " << r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

std::string TempRepo::Commit(const std::string& message) const {
  Git({"add", "-A"});
  Git({"commit", "-q", "--allow-empty", "-m", message});
  std::string sha = Git({"rev-parse", "HEAD"});
  while (!sha.empty() && sha.back() == '\n') sha.pop_back();
  return sha;
}

}  // namespace ringfence::testing

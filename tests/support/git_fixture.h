// TempRepo: a real git repository in a fresh temporary directory, driven by the git CLI.
// Removed with everything in it when the object goes away.
#pragma once

#include <string>
#include <vector>

namespace ringfence::testing {

class TempRepo {
 public:
  TempRepo();
  ~TempRepo();
  TempRepo(const TempRepo&) = delete;
  TempRepo& operator=(const TempRepo&) = delete;

  const std::string& path() const { return path_; }
  std::string Abs(const std::string& rel) const { return path_ + "/" + rel; }

  void Write(const std::string& rel, const std::string& content) const;
  void Remove(const std::string& rel) const;
  // Renames a file in the work tree, creating the target's directories.
  void Move(const std::string& from, const std::string& to) const;
  void Symlink(const std::string& target, const std::string& rel) const;
  void Chmod(const std::string& rel, unsigned mode) const;
  // Runs `git -C <repo> args...`; fails the test if git fails. Returns stdout.
  std::string Git(const std::vector<std::string>& args) const;
  // Stages everything and commits; returns the new commit id.
  std::string Commit(const std::string& message) const;

 private:
  std::string path_;
};

// Writes `content` to `path` (creating directories); fails the test if it cannot.
void WriteFile(const std::string& path, const std::string& content);
// The bytes of `path`; empty if it is missing or cannot be read.
std::string Slurp(const std::string& path);

// A fresh temporary directory, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace ringfence::testing

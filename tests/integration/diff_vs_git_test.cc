// Differential tests: the ChangeSet from libgit2 must equal what the git CLI reports for
// `git diff --numstat -M base...head` and `--name-status`, on repositories built here.
#include <catch2/catch.hpp>
#include <map>
#include <sstream>

#include "adapters/git/git_change_source.h"
#include "tests/support/git_fixture.h"

using namespace ringfence;
using namespace ringfence::testing;

namespace {

struct GitRow {
  std::string added, deleted, old_path;
  char status = '?';
};

// Parses `git diff -z --numstat` and `--name-status` into rows keyed by new path.
std::map<std::string, GitRow> GitDiff(const TempRepo& repo, const std::string& range) {
  std::map<std::string, GitRow> rows;
  std::string numstat = repo.Git({"diff", "-z", "--numstat", "-M", range});
  size_t pos = 0;
  auto next = [&](char delim) {
    size_t end = numstat.find(delim, pos);
    std::string s = numstat.substr(pos, end - pos);
    pos = end + 1;
    return s;
  };
  while (pos < numstat.size()) {
    GitRow row;
    row.added = next('\t');
    row.deleted = next('\t');
    std::string path = next('\0');
    if (path.empty()) {  // rename: "\0old\0new\0"
      row.old_path = next('\0');
      path = next('\0');
    } else {
      row.old_path = path;
    }
    rows[path] = row;
  }
  std::string names = repo.Git({"diff", "-z", "--name-status", "-M", range});
  pos = 0;
  auto field = [&]() {
    size_t end = names.find('\0', pos);
    std::string s = names.substr(pos, end - pos);
    pos = end + 1;
    return s;
  };
  while (pos < names.size()) {
    std::string st = field();
    std::string path = field();
    if (st[0] == 'R' || st[0] == 'C') path = field();
    rows[path].status = st[0];
  }
  return rows;
}

char GitLetter(ChangeStatus s) {
  switch (s) {
    case ChangeStatus::kAdded:
      return 'A';
    case ChangeStatus::kDeleted:
      return 'D';
    case ChangeStatus::kRenamed:
      return 'R';
    case ChangeStatus::kCopied:
      return 'C';
    case ChangeStatus::kTypeChanged:
      return 'T';
    case ChangeStatus::kModified:
    case ChangeStatus::kModeChanged:
      return 'M';
  }
  return '?';
}

void ExpectSameAsGit(const TempRepo& repo, const std::string& base, const std::string& head) {
  auto expected = GitDiff(repo, base + "..." + head);
  git::GitChangeSource source(repo.path());
  auto cs = source.Load({base, head, false, "", false});
  REQUIRE(cs.ok());
  std::map<std::string, const FileChange*> ours;
  for (const auto& f : cs->files) ours[f.path] = &f;
  CHECK(ours.size() == expected.size());
  for (const auto& [path, row] : expected) {
    INFO("path: " << path);
    REQUIRE(ours.count(path) == 1);
    const FileChange& f = *ours[path];
    CHECK(f.old_path == row.old_path);
    CHECK(GitLetter(f.status) == row.status);
    if (row.added == "-") {
      CHECK(f.binary);
    } else {
      CHECK_FALSE(f.binary);
      CHECK(std::to_string(f.added) == row.added);
      CHECK(std::to_string(f.deleted) == row.deleted);
    }
  }
}

std::string Lines(int n, const std::string& prefix) {
  std::ostringstream s;
  for (int i = 0; i < n; ++i) s << prefix << " line " << i << "\n";
  return s.str();
}

}  // namespace

TEST_CASE("diff equals git: renames, binaries, modes, symlinks, CRLF, odd names, deletions") {
  TempRepo repo;
  repo.Write("src/keep.c", Lines(40, "keep"));
  repo.Write("src/moved.c", Lines(60, "moved"));
  repo.Write("src/edited-and-moved.c", Lines(50, "edit"));
  repo.Write("bin/blob.bin", std::string("\x00\x01\x02 binary", 10) + Lines(5, "b"));
  repo.Write("bin/grows.bin", std::string("\x00\x7f", 2));
  repo.Write("scripts/run.sh", "#!/bin/sh\necho hi\n");
  repo.Write("crlf/win.txt", "one\r\ntwo\r\nthree\r\n");
  repo.Write("name with spaces.txt", "spaces\n");
  repo.Write(std::string("latin1-\xe9t\xe9.txt"), "non utf8 name\n");
  repo.Write("olddir/a.txt", "a\n");
  repo.Write("olddir/sub/b.txt", "b\n");
  repo.Write("typechange.txt", "was a file\n");
  repo.Symlink("src/keep.c", "link-to-keep");
  std::string base = repo.Commit("base");

  repo.Git({"checkout", "-q", "-b", "feature"});
  repo.Move("src/moved.c", "lib/moved.c");
  repo.Remove("src/edited-and-moved.c");
  std::string edited = Lines(50, "edit");
  edited.replace(0, 5, "EDITED");
  repo.Write("lib/edited-and-moved.c", edited + "extra line\n");
  repo.Write("src/keep.c", Lines(38, "keep") + "changed tail\n");
  repo.Write("bin/blob.bin", std::string("\x00\x01\x03 binary", 10));
  repo.Write("bin/grows.bin", std::string("\x00\x7f\x00\x7f", 4));
  repo.Chmod("scripts/run.sh", 0755);
  repo.Write("crlf/win.txt", "one\r\nTWO\r\nthree\r\nfour\r\n");
  repo.Write("name with spaces.txt", "spaces\nmore\n");
  repo.Write(std::string("latin1-\xe9t\xe9.txt"), "non utf8 name\nedited\n");
  repo.Write("new file.txt", Lines(3, "new"));
  repo.Remove("olddir");
  repo.Remove("typechange.txt");
  repo.Symlink("src/keep.c", "typechange.txt");
  repo.Symlink("lib/moved.c", "link-to-keep");
  std::string head = repo.Commit("feature");

  // Move main on after the fork: `...` must diff from the merge base, not from main's tip.
  repo.Git({"checkout", "-q", "main"});
  repo.Write("unrelated-on-main.txt", "main moved on\n");
  repo.Commit("main moves");

  ExpectSameAsGit(repo, "main", "feature");
  git::GitChangeSource source(repo.path());
  auto cs = source.Load({"main", "feature", false, "", false});
  REQUIRE(cs.ok());
  CHECK(cs->merge_base == base);
  bool saw_unrelated = false, saw_mode = false, saw_type = false;
  for (const auto& f : cs->files) {
    saw_unrelated |= f.path == "unrelated-on-main.txt";
    if (f.path == "scripts/run.sh") {
      saw_mode = f.status == ChangeStatus::kModeChanged && f.old_mode == 0100644 && f.new_mode == 0100755;
    }
    saw_type |= f.path == "typechange.txt" && f.status == ChangeStatus::kTypeChanged;
  }
  CHECK_FALSE(saw_unrelated);
  CHECK(saw_mode);
  CHECK(saw_type);
}

TEST_CASE("diff equals git: submodule pointer changes") {
  TempRepo repo;
  repo.Write("README", "x\n");
  repo.Commit("base");
  std::string sha1 = "1111111111111111111111111111111111111111";
  std::string sha2 = "2222222222222222222222222222222222222222";
  repo.Git({"update-index", "--add", "--cacheinfo", "160000," + sha1 + ",vendor/sub"});
  repo.Git({"commit", "-q", "-m", "add submodule"});
  repo.Git({"update-index", "--cacheinfo", "160000," + sha2 + ",vendor/sub"});
  repo.Git({"commit", "-q", "-m", "bump submodule"});
  ExpectSameAsGit(repo, "HEAD~2", "HEAD");
  ExpectSameAsGit(repo, "HEAD~1", "HEAD");
  git::GitChangeSource source(repo.path());
  auto cs = source.Load({"HEAD~1", "HEAD", false, "", false});
  REQUIRE(cs.ok());
  REQUIRE(cs->files.size() == 1);
  CHECK(cs->files[0].submodule);
}

TEST_CASE("diff equals git: many files, large edits, a deleted tree") {
  TempRepo repo;
  for (int i = 0; i < 60; ++i)
    repo.Write("pkg" + std::to_string(i % 6) + "/f" + std::to_string(i) + ".py",
               Lines(20 + i, "f" + std::to_string(i)));
  repo.Commit("base");
  for (int i = 0; i < 60; i += 3)
    repo.Write("pkg" + std::to_string(i % 6) + "/f" + std::to_string(i) + ".py",
               Lines(10 + i, "g" + std::to_string(i)));
  repo.Remove("pkg5");
  for (int i = 1; i < 60; i += 7) {
    std::string from = "pkg" + std::to_string(i % 6) + "/f" + std::to_string(i) + ".py";
    if (i % 6 == 5) continue;
    repo.Move(from, "moved/" + std::to_string(i) + ".py");
  }
  repo.Commit("churn");
  ExpectSameAsGit(repo, "HEAD~1", "HEAD");
}

TEST_CASE("added lines carry their new line numbers") {
  TempRepo repo;
  repo.Write("iam.json", "{\n  \"Effect\": \"Allow\"\n}\n");
  repo.Commit("base");
  repo.Write("iam.json", "{\n  \"Effect\": \"Allow\",\n  \"Action\": \"*\"\n}\n");
  repo.Commit("widen");
  git::GitChangeSource source(repo.path());
  auto cs = source.Load({"HEAD~1", "HEAD", false, "", true});
  REQUIRE(cs.ok());
  REQUIRE(cs->files.size() == 1);
  const auto& lines = cs->files[0].added_lines;
  REQUIRE(lines.size() == 2);
  CHECK(lines[1].line == 3);
  CHECK(lines[1].text == "  \"Action\": \"*\"");
}

TEST_CASE("worktree and patch sources see the same change as the commit") {
  TempRepo repo;
  repo.Write("a.py", "import b\n");
  repo.Write("b.py", "X = 1\n");
  repo.Commit("base");
  repo.Write("b.py", "X = 2\nY = 3\n");
  repo.Write("c.py", "import a\n");
  git::GitChangeSource source(repo.path());
  ChangeRequest wt{"HEAD", "", true, "", false};
  auto w = source.Load(wt);
  REQUIRE(w.ok());
  std::map<std::string, FileChange> by_path;
  for (auto& f : w->files) by_path[f.path] = f;
  REQUIRE(by_path.count("b.py"));
  CHECK(by_path["b.py"].added == 2);
  CHECK(by_path["b.py"].deleted == 1);
  REQUIRE(by_path.count("c.py"));
  CHECK(by_path["c.py"].status == ChangeStatus::kAdded);

  repo.Git({"add", "-A"});
  std::string patch = repo.Git({"diff", "--cached", "HEAD"});
  TempDir dir;
  std::string patch_path = dir.path() + "/change.patch";
  WriteFile(patch_path, patch);
  auto p = source.Load({"HEAD", "", false, patch_path, false});
  REQUIRE(p.ok());
  CHECK(p->files.size() == 2);
  for (const auto& f : p->files) {
    CHECK(f.added == by_path[f.path].added);
    CHECK(f.deleted == by_path[f.path].deleted);
  }
}

TEST_CASE("diff equals git: a change large enough to skip tree narrowing") {
  TempRepo repo;
  for (int i = 0; i < 900; ++i)
    repo.Write("d" + std::to_string(i % 30) + "/f" + std::to_string(i) + ".txt",
               Lines(8, "v" + std::to_string(i)));
  repo.Commit("base");
  for (int i = 0; i < 900; ++i) {
    std::string p = "d" + std::to_string(i % 30) + "/f" + std::to_string(i) + ".txt";
    if (i % 9 == 0)
      repo.Move(p, "moved/" + std::to_string(i) + ".txt");
    else
      repo.Write(p, Lines(8, "v" + std::to_string(i)) + "edit\n");
  }
  repo.Commit("big");
  ExpectSameAsGit(repo, "HEAD~1", "HEAD");
}

// Benchmark of the change-scope analyzer on a generated monorepo, next to git doing comparable
// work on the same repository:
//   bench_scope generate DIR FILES   writes a polyglot monorepo (C++, Python, TS, Go, Java) with
//                                    components.yaml and CODEOWNERS
//   bench_scope run RINGFENCE REPO   times, median of N runs each, as child processes:
//     cold graph build   `ringfence scope --no-cache` (one-file change)  vs  `git grep` of imports at HEAD
//     diff               `ringfence diff` of a 2,000-file change         vs  `git diff --numstat -M`
//     warm scope         `ringfence scope` of a one-file change with the scan cache warm
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

void WriteFile(const fs::path& p, const std::string& content) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << content;
}

// Deterministic pseudo-random numbers (no seeding from the clock: the repo is reproducible).
uint64_t Next(uint64_t& s) {
  s ^= s << 13;
  s ^= s >> 7;
  s ^= s << 17;
  return s;
}

std::string Body(int lines) {
  std::string b;
  for (int i = 0; i < lines; ++i) b += "// filler line " + std::to_string(i) + " of generated code\n";
  return b;
}

int Generate(const fs::path& root, int files) {
  const int per_module = 200;
  int modules = std::max(1, files / per_module);
  uint64_t seed = 0x9e3779b97f4a7c15ull;
  std::string components = "apiVersion: ringfence/v1\ncomponents:\n";
  std::string owners = "* @org/everyone\n";
  int written = 0;
  for (int m = 0; m < modules; ++m) {
    const char* langs[] = {"cpp", "py", "ts", "go", "java"};
    std::string lang = langs[m % 5];
    std::string mod = "m" + std::to_string(m);
    std::string dir = lang + "/" + mod;
    int count = std::min(per_module, files - written);
    if (count <= 0) break;
    if (m % 10 == 0) {
      int c = m / 10;
      components +=
          "  - name: comp" + std::to_string(c) + "\n    paths: [\"*/m" + std::to_string(m) + "*/\"]\n";
      if (c > 0) components += "    depends_on: [comp" + std::to_string(c - 1) + "]\n";
      owners += "/*/m" + std::to_string(m) + "*/ @org/team" + std::to_string(c) + "\n";
    }
    if (lang == "go") WriteFile(root / dir / "go.mod", "module example.com/" + mod + "\n\ngo 1.21\n");
    if (lang == "ts")
      WriteFile(root / dir / "package.json", "{\"name\": \"@gen/" + mod + "\", \"main\": \"f0.ts\"}\n");
    for (int f = 0; f < count; ++f, ++written) {
      std::string name = "f" + std::to_string(f);
      std::string text;
      int imports = 3 + static_cast<int>(Next(seed) % 3);
      for (int k = 0; k < imports; ++k) {
        int t = static_cast<int>(Next(seed) % per_module);
        int other = static_cast<int>(Next(seed) % modules);
        bool cross = k == 0 && other % 5 == m % 5;  // one import into another module of the same language
        std::string tm = cross ? "m" + std::to_string(other) : mod;
        std::string tn = "f" + std::to_string(t % per_module);
        if (lang == "cpp") text += "#include \"" + lang + "/" + tm + "/" + tn + ".h\"\n";
        if (lang == "py") text += "from py." + tm + " import " + tn + "\n";
        if (lang == "ts")
          text +=
              cross ? "import { x } from \"@gen/" + tm + "\";\n" : "import { x } from \"./" + tn + "\";\n";
        if (lang == "go" && k == 0)
          text += "import \"example.com/" + mod + "/p" + std::to_string(t % 10) + "\"\n";
        if (lang == "java") text += "import gen." + tm + "." + "F" + std::to_string(t % per_module) + ";\n";
      }
      std::string body = Body(20);
      if (lang == "cpp") {
        WriteFile(root / dir / (name + ".h"), "#pragma once\n" + text + body);
      } else if (lang == "py") {
        WriteFile(root / dir / (name + ".py"), text + body);
      } else if (lang == "ts") {
        WriteFile(root / dir / (name + ".ts"), text + body);
      } else if (lang == "go") {
        std::string pkg = "p" + std::to_string(f % 10);
        WriteFile(root / dir / pkg / (name + ".go"), "package " + pkg + "\n\n" + text + body);
      } else {
        WriteFile(root / dir / "gen" / mod / ("F" + std::to_string(f) + ".java"),
                  "package gen." + mod + ";\n" + text + body);
      }
    }
    if (lang == "py") WriteFile(root / "py" / mod / "__init__.py", "");
  }
  WriteFile(root / ".ringfence/components.yaml", components);
  WriteFile(root / "CODEOWNERS", owners);
  std::cout << "generated " << written << " source files in " << modules << " modules\n";
  return 0;
}

// Runs argv with output to /dev/null; returns wall seconds, or -1 on failure (exit codes in `ok`).
double Time(const std::vector<std::string>& argv, const std::vector<int>& ok = {0}) {
  auto start = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    FILE* null = std::fopen("/dev/null", "w");
    dup2(fileno(null), 1);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (std::find(ok.begin(), ok.end(), code) == ok.end()) {
    std::cerr << "command failed (" << code << "): " << argv[0] << " " << (argv.size() > 1 ? argv[1] : "")
              << "\n";
    return -1;
  }
  return secs;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double MedianOf(int n, const std::vector<std::string>& argv, const std::vector<int>& ok = {0},
                const std::vector<std::string>& before = {}) {
  std::vector<double> t;
  for (int i = 0; i < n; ++i) {
    if (!before.empty()) Time(before);
    t.push_back(Time(argv, ok));
  }
  return Median(t);
}

void Row(const char* what, double ours, const char* peer_name, double peer, double goal) {
  std::printf("%-34s %9.1f ms   %-28s %9.1f ms   ratio %5.2fx   (goal <= %.1fx)\n", what, ours * 1e3,
              peer_name, peer * 1e3, ours / peer, goal);
}

int Run(const std::string& rf, const std::string& repo) {
  const int n = 7;
  std::string cache = repo + "/.git/ringfence";
  std::vector<std::string> rm_cache = {"rm", "-rf", cache};
  auto scope = [&](const std::string& base, const std::string& head, bool cache_on,
                   const char* format = "json") {
    std::vector<std::string> a = {rf,   "scope",  "--repo", repo,       "--base",
                                  base, "--head", head,     "--format", format};
    if (!cache_on) a.push_back("--no-cache");
    return a;
  };
  // Cold: no cache, every file listed, read and scanned, the graph built.
  double cold = MedianOf(n, scope("pre", "one", false), {0, 3});
  double grep =
      MedianOf(n, {"git", "-C", repo, "grep", "-c", "-E", "^(#include|import|from|package) ", "one"}, {0, 1});
  Row("cold graph build + scope", cold, "git grep imports at HEAD", grep, 2.0);
  double diff = MedianOf(n, {rf, "diff", "--repo", repo, "--base", "big~1", "--head", "big"});
  double gdiff = MedianOf(n, {"git", "-C", repo, "diff", "--numstat", "-M", "big~1...big"});
  Row("diff of a 2,000-file change", diff, "git diff --numstat -M", gdiff, 1.5);
  double diff1 = MedianOf(n, {rf, "diff", "--repo", repo, "--base", "pre", "--head", "one"});
  double gdiff1 = MedianOf(n, {"git", "-C", repo, "diff", "--numstat", "-M", "pre...one"});
  Row("diff of a one-file change", diff1, "git diff --numstat -M", gdiff1, 1.5);
  // Warm: the graph of the base ("pre") is stored by an earlier scope; "one" edits one file's body.
  std::vector<double> first;
  for (int i = 0; i < 3; ++i) {
    Time(rm_cache);
    Time(scope("big", "pre", true), {0, 3});
    first.push_back(Time(scope("pre", "one", true), {0, 3}));
  }
  double again = MedianOf(n, scope("pre", "one", true), {0, 3});
  double again_text = MedianOf(n, scope("pre", "one", true, "text"), {0, 3});
  std::printf("%-34s %9.1f ms   first run on the new commit (base graph stored)\n",
              "warm one-file scope, json", Median(first) * 1e3);
  std::printf("%-34s %9.1f ms   repeated (head graph stored); text format: %.1f ms   (goal < 150 ms)\n", "",
              again * 1e3, again_text * 1e3);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> a(argv + 1, argv + argc);
  if (a.size() == 3 && a[0] == "generate") return Generate(a[1], std::stoi(a[2]));
  if (a.size() == 3 && a[0] == "run") return Run(a[1], a[2]);
  std::cerr << "usage: bench_scope generate DIR FILES | bench_scope run RINGFENCE REPO\n";
  return 2;
}

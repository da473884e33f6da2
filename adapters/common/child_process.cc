#include "adapters/common/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

extern char** environ;

namespace ringfence {

Result<int> SpawnInOwnGroup(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env,
                            const std::string& log_path) {
  if (argv.empty()) return Error::InvalidInput("nothing to start");
  std::vector<std::string> env_storage;
  for (char** e = environ; *e; ++e) env_storage.emplace_back(*e);
  env_storage.insert(env_storage.end(), extra_env.begin(), extra_env.end());
  std::vector<std::string> arg_storage = argv;
  std::vector<char*> envp, args;
  for (auto& s : env_storage) envp.push_back(s.data());
  envp.push_back(nullptr);
  for (auto& s : arg_storage) args.push_back(s.data());
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args[0], &actions, &attr, args.data(), envp.data());  // PATH for bare names
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) return Error::Io("cannot start " + argv[0] + ": " + std::strerror(rc));
  return static_cast<int>(pid);
}

bool ProcessEnded(int pid) {
  if (pid <= 0) return true;  // never waitpid(-1): that would reap someone else's child
  int status = 0;
  pid_t w = waitpid(pid, &status, WNOHANG);
  if (w == pid) return true;
  if (w == 0) return false;  // our child, still running
  if (kill(pid, 0) != 0) return true;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  size_t paren = line.rfind(')');
  return paren != std::string::npos && paren + 2 < line.size() && line[paren + 2] == 'Z';
}

namespace {

// Whether every thread of `pid` is stopped ('T' in /proc/<pid>/task/<tid>/stat).
bool AllThreadsStopped(int pid) {
  std::error_code ec;
  bool any = false;
  for (const auto& task : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
    std::ifstream stat(task.path() / "stat");
    std::string line;
    std::getline(stat, line);
    auto close = line.rfind(')');  // the command name may hold spaces and parentheses
    if (close == std::string::npos || close + 2 >= line.size()) continue;  // the thread just ended
    if (line[close + 2] != 'T' && line[close + 2] != 't') return false;
    any = true;
  }
  return any;
}

}  // namespace

Status StopProcessGroup(int pid, bool stop, int timeout_ms) {
  if (pid <= 0 || kill(-pid, stop ? SIGSTOP : SIGCONT) != 0) {
    return Error::Io(std::string("cannot ") + (stop ? "stop" : "continue") + " process group " + std::to_string(pid));
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (AllThreadsStopped(pid) != stop) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return Error::Io("process " + std::to_string(pid) + (stop ? " did not stop" : " did not continue") + " within " +
                       std::to_string(timeout_ms) + " ms");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return Status::Ok();
}

void EndProcessGroup(int pid, int grace_ms) {
  if (pid <= 0) return;
  if (kill(pid, 0) != 0) {
    waitpid(pid, nullptr, WNOHANG);  // reap if it was ours
    return;
  }
  kill(-pid, SIGCONT);
  kill(-pid, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(grace_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    if (ProcessEnded(pid)) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  kill(-pid, SIGKILL);
  waitpid(pid, nullptr, 0);  // returns at once for a process that is not our child
}

}  // namespace ringfence

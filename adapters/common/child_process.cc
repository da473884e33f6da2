#include "adapters/common/child_process.h"

#include "adapters/common/poll.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace ringfence {
namespace {

// Field 22 of /proc/<pid>/stat (start time in clock ticks since boot) and the state letter.
bool ReadStat(int pid, uint64_t& start_ticks, char& state) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return false;
  size_t close = line.rfind(')');  // the command name may hold spaces and parentheses
  if (close == std::string::npos || close + 2 >= line.size()) return false;
  std::istringstream rest(line.substr(close + 2));
  std::string field;
  state = line[close + 2];
  for (int i = 3; i <= 22; ++i) {
    if (!(rest >> field)) return false;
  }
  start_ticks = std::stoull(field);
  return true;
}

bool EnvironHas(int pid, const std::string& entry) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/environ", std::ios::binary);
  std::string e;
  while (std::getline(in, e, '\0')) {
    if (e == entry) return true;
  }
  return false;
}

// The executable argv[0] names: a path as given, else the first match on PATH.
std::string Resolve(const std::string& program, const std::vector<std::string>& env) {
  if (program.find('/') != std::string::npos) return program;
  std::string path = "/usr/local/bin:/usr/bin:/bin";
  for (const auto& e : env) {
    if (e.rfind("PATH=", 0) == 0) path = e.substr(5);
  }
  std::stringstream dirs(path);
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    std::string candidate = (dir.empty() ? "." : dir) + "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return program;
}

// Writes `n` in decimal with write(2) only (async-signal-safe, for the child before exec).
void WriteNumber(int fd, long n) {
  char buf[24];
  int i = sizeof buf;
  buf[--i] = '\n';
  do {
    buf[--i] = static_cast<char>('0' + n % 10);
    n /= 10;
  } while (n > 0 && i > 0);
  (void)!::write(fd, buf + i, sizeof buf - static_cast<size_t>(i));
}

}  // namespace

nlohmann::json ProcessHandle::ToJson() const {
  return {{"pid", pid}, {"start_ticks", start_ticks}, {"marker", marker}};
}

ProcessHandle ProcessHandle::FromJson(const nlohmann::json& j) {
  ProcessHandle h;
  if (!j.is_object()) return h;
  auto pid = j.find("pid");
  if (pid != j.end() && pid->is_number_integer()) h.pid = pid->get<int>();
  auto ticks = j.find("start_ticks");
  if (ticks != j.end() && ticks->is_number_unsigned()) h.start_ticks = ticks->get<uint64_t>();
  auto marker = j.find("marker");
  if (marker != j.end() && marker->is_string()) h.marker = marker->get<std::string>();
  return h;
}

std::vector<std::string> SessionEnvironment(const std::vector<std::string>& extra) {
  std::vector<std::string> out;
  for (char** e = environ; *e; ++e) {
    std::string entry(*e);
    std::string name = entry.substr(0, entry.find('='));
    bool allowed = name == "PATH" || name == "LANG" || name == "TZ" || name == "TMPDIR" ||
                   name.rfind("LC_", 0) == 0 || name == "ASAN_OPTIONS" || name == "UBSAN_OPTIONS" ||
                   name == "LSAN_OPTIONS";
    if (allowed) out.push_back(entry);
  }
  out.insert(out.end(), extra.begin(), extra.end());
  return out;
}

Result<ProcessHandle> Spawn(const SpawnOptions& o) {
  if (o.argv.empty()) return Error::InvalidInput("nothing to start");
  std::vector<std::string> env = o.env;
  if (!o.marker.empty()) env.push_back(o.marker);
  std::string program = Resolve(o.argv[0], env);
  // Everything the child needs is prepared here: after fork it only makes system calls.
  std::vector<std::string> arg_storage = o.argv;
  std::vector<char*> args, envp;
  for (auto& s : arg_storage) args.push_back(s.data());
  args.push_back(nullptr);
  for (auto& s : env) envp.push_back(s.data());
  envp.push_back(nullptr);
  int log = ::open(o.log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (log < 0) return Error::Io("cannot open the log " + o.log_path + ": " + std::strerror(errno));
  int pidf = -1;
  if (!o.pid_file.empty()) {
    pidf = ::open(o.pid_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (pidf < 0) {
      ::close(log);
      return Error::Io("cannot write " + o.pid_file + ": " + std::strerror(errno));
    }
  }
  int devnull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  int report[2];
  if (devnull < 0 || ::pipe2(report, O_CLOEXEC) != 0) {
    ::close(log);
    if (pidf >= 0) ::close(pidf);
    if (devnull >= 0) ::close(devnull);
    return Error::Io(std::string("cannot start ") + o.argv[0] + ": " + std::strerror(errno));
  }
  pid_t pid = ::fork();
  if (pid == 0) {
    ::setpgid(0, 0);
    if (pidf >= 0) WriteNumber(pidf, ::getpid());
    ::dup2(devnull, 0);
    ::dup2(log, 1);
    ::dup2(log, 2);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execve(program.c_str(), args.data(), envp.data());
    int err = errno;
    (void)!::write(report[1], &err, sizeof err);
    ::_exit(127);
  }
  int fork_errno = errno;
  ::close(report[1]);
  ::close(log);
  ::close(devnull);
  if (pidf >= 0) ::close(pidf);
  if (pid < 0) {
    ::close(report[0]);
    return Error::Io(std::string("cannot start ") + o.argv[0] + ": " + std::strerror(fork_errno));
  }
  ::setpgid(pid, pid);  // also here, so the group exists before we return whatever the scheduler did
  int child_errno = 0;
  ssize_t got;
  do {
    got = ::read(report[0], &child_errno, sizeof child_errno);
  } while (got < 0 && errno == EINTR);
  ::close(report[0]);
  if (got == static_cast<ssize_t>(sizeof child_errno)) {
    ::waitpid(pid, nullptr, 0);
    return Error::Io("cannot start " + o.argv[0] + ": " + std::strerror(child_errno));
  }
  ProcessHandle h;
  h.pid = static_cast<int>(pid);
  h.marker = o.marker;
  char state = 0;
  if (!ReadStat(h.pid, h.start_ticks, state)) h.start_ticks = 0;
  return h;
}

int ReadPidFile(const std::string& pid_file) {
  std::ifstream in(pid_file);
  long pid = -1;
  if (!(in >> pid) || pid <= 1 || pid > (1L << 22)) return -1;
  return static_cast<int>(pid);
}

bool IsSameProcess(const ProcessHandle& h) {
  if (h.pid <= 1) return false;
  uint64_t ticks = 0;
  char state = 0;
  if (!ReadStat(h.pid, ticks, state)) return false;
  if (h.start_ticks != 0 && ticks != h.start_ticks) return false;
  // A record can be forged with the right start time; the environment cannot.
  return h.marker.empty() ? h.start_ticks != 0 : EnvironHas(h.pid, h.marker);
}

bool Adopt(ProcessHandle& h) {
  if (h.pid <= 1 || h.marker.empty()) return false;
  uint64_t ticks = 0;
  char state = 0;
  if (!ReadStat(h.pid, ticks, state) || !EnvironHas(h.pid, h.marker)) return false;
  if (h.start_ticks != 0 && h.start_ticks != ticks) return false;
  h.start_ticks = ticks;
  return true;
}

bool ProcessEnded(const ProcessHandle& h) {
  if (h.pid <= 1) return true;  // never waitpid(-1) or signal init: that would reach someone else
  pid_t w = ::waitpid(h.pid, nullptr, WNOHANG);
  if (w == h.pid) return true;
  uint64_t ticks = 0;
  char state = 0;
  bool seen = ReadStat(h.pid, ticks, state);
  if (w == 0) {  // our child, not yet reapable a moment ago: its pid cannot have been reused
    if (!seen || state != 'Z') return false;
    ::waitpid(h.pid, nullptr, 0);  // a zombie now: reaped at once
    return true;
  }
  if (!seen || state == 'Z') return true;  // gone, or ended and waiting for a parent that is not us
  if (h.start_ticks != 0 && ticks != h.start_ticks) return true;  // the pid was reused: ours is gone
  return !IsSameProcess(h);
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
    auto close = line.rfind(')');
    if (close == std::string::npos || close + 2 >= line.size()) continue;  // the thread just ended
    if (line[close + 2] != 'T' && line[close + 2] != 't') return false;
    any = true;
  }
  return any;
}

}  // namespace

Status StopProcessGroup(const ProcessHandle& h, bool stop, int timeout_ms) {
  if (!IsSameProcess(h)) {
    return Error::InvalidInput("process " + std::to_string(h.pid) +
                               " is not the one this backend started; not signalled");
  }
  if (::kill(-h.pid, stop ? SIGSTOP : SIGCONT) != 0) {
    return Error::Io(std::string("cannot ") + (stop ? "stop" : "continue") + " process group " +
                     std::to_string(h.pid));
  }
  if (!PollFor(timeout_ms, 1,
               [&] { return AllThreadsStopped(h.pid) == stop ? std::optional(true) : std::nullopt; })) {
    return Error::Io("process " + std::to_string(h.pid) + (stop ? " did not stop" : " did not continue") +
                     " within " + std::to_string(timeout_ms) + " ms");
  }
  return Status::Ok();
}

void EndProcessGroup(const ProcessHandle& h, int grace_ms) {
  if (h.pid <= 1) return;
  if (!IsSameProcess(h)) {
    ::waitpid(h.pid, nullptr, WNOHANG);  // reap it if it was our child and has ended
    return;
  }
  ::kill(-h.pid, SIGCONT);
  ::kill(-h.pid, SIGTERM);
  if (PollFor(grace_ms, 2, [&] { return ProcessEnded(h) ? std::optional(true) : std::nullopt; })) return;
  if (IsSameProcess(h)) ::kill(-h.pid, SIGKILL);
  ::waitpid(h.pid, nullptr, 0);  // returns at once for a process that is not our child
}

}  // namespace ringfence

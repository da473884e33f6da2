#include "adapters/common/target_probe.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "adapters/common/http_client.h"

extern char** environ;

namespace ringfence {
namespace {

ProbeResult ProbeHttp(const HealthCheck& check, const StagedTarget& target) {
  HttpRequest req;
  req.url = Expand(check.url, target);
  req.timeout_ms = static_cast<long>(check.timeout_ms);
  req.allow_private_network = true;
  auto res = HttpExchange(req);
  if (!res) return {false, res.error().message};
  if (res->status < 200 || res->status > 299)
    return {false, req.url + " answered " + std::to_string(res->status)};
  return {true, ""};
}

ProbeResult ProbeCommand(const HealthCheck& check, const StagedTarget& target) {
  std::vector<std::string> argv = Expand(check.command, target);
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&files, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&files, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, args[0], &files, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&files);
  if (rc != 0) return {false, "cannot run " + argv[0] + ": " + std::strerror(rc)};
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(check.timeout_ms);
  int status = 0;
  while (true) {
    pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) return {false, std::string("lost the check: ") + std::strerror(errno)};
    if (std::chrono::steady_clock::now() >= deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return {false, argv[0] + " did not finish within " + std::to_string(check.timeout_ms) + " ms"};
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {true, ""};
  if (WIFSIGNALED(status))
    return {false, argv[0] + " was killed by signal " + std::to_string(WTERMSIG(status))};
  return {false, argv[0] + " exited " + std::to_string(WEXITSTATUS(status))};
}

}  // namespace

ProbeResult TargetProbe::Probe(const HealthCheck& check, const StagedTarget& target) {
  switch (check.kind) {
    case HealthCheckKind::kHttp:
      return ProbeHttp(check, target);
    case HealthCheckKind::kCommand:
      return ProbeCommand(check, target);
    case HealthCheckKind::kNone:
      break;
  }
  return {true, ""};
}

}  // namespace ringfence

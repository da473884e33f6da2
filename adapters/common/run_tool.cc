#include "adapters/common/run_tool.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace ringfence {
namespace {

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

std::vector<std::string> CleanToolEnvironment() {
  return {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C", "LANG=C"};
}

Result<ToolOutput> RunTool(const std::vector<std::string>& argv, const ToolOptions& options) {
  if (argv.empty()) return Error::InvalidInput("no tool to run");
  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) return Error::Io("pipe: " + std::string(std::strerror(errno)));
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    return Error::Io("pipe: " + std::string(std::strerror(errno)));
  }
  Fd out_r{out_pipe[0]}, out_w{out_pipe[1]}, err_r{err_pipe[0]}, err_w{err_pipe[1]};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_w.fd, 1);
  posix_spawn_file_actions_adddup2(&actions, err_w.fd, 2);
  if (!options.cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, options.cwd.c_str());
  std::vector<std::string> arg_storage = argv, env_storage = options.env;
  std::vector<char*> args, envp;
  for (auto& s : arg_storage) args.push_back(s.data());
  args.push_back(nullptr);
  for (auto& s : env_storage) envp.push_back(s.data());
  envp.push_back(nullptr);
  pid_t pid = -1;
  int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(),
                          options.env.empty() ? environ : envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return Error::Io("cannot run " + argv[0] + ": " + std::strerror(rc));
  ::close(out_w.fd);
  out_w.fd = -1;
  ::close(err_w.fd);
  err_w.fd = -1;

  ToolOutput result;
  bool too_much = false;
  pollfd fds[2] = {{out_r.fd, POLLIN, 0}, {err_r.fd, POLLIN, 0}};
  int open_fds = 2;
  char buf[65536];
  while (open_fds > 0) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        fds[i].fd = -1;
        --open_fds;
        continue;
      }
      std::string& sink = i == 0 ? result.out : result.err;
      size_t cap = i == 0 ? options.max_output : 1 << 20;
      if (sink.size() + static_cast<size_t>(n) > cap) {
        too_much = too_much || i == 0;
        continue;  // keep draining so the tool can finish
      }
      sink.append(buf, static_cast<size_t>(n));
    }
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (too_much)
    return Error::Io(argv[0] + " printed more than " + std::to_string(options.max_output) + " bytes");
  return result;
}

Result<std::string> RunToolOk(const std::vector<std::string>& argv, const ToolOptions& options) {
  auto r = RunTool(argv, options);
  if (!r) return r.error();
  if (r->exit_code != 0) {
    std::string first = r->err.substr(0, r->err.find('\n'));
    std::string cmd;
    for (const auto& a : argv) cmd += (cmd.empty() ? "" : " ") + a;
    return Error::Io(cmd + " failed (exit " + std::to_string(r->exit_code) + ")" +
                     (first.empty() ? "" : ": " + first));
  }
  return std::move(r->out);
}

}  // namespace ringfence

#include "engine/guard/command_action.h"

#include <set>

#include "engine/guard/command_tools.h"
#include "engine/guard/shell_words.h"

namespace ringfence {
namespace {

using guard_internal::Basename;
using guard_internal::CommandContext;
using guard_internal::NewAction;

constexpr int kMaxDepth = 8;  // sh -c 'ssh h "sudo sh -c ..."' nests; deeper is opaque

void ReadLine(std::string_view line, CommandContext ctx, int depth, std::vector<Action>& out);

std::string JoinWords(const std::vector<std::string>& words, size_t from) {
  std::string s;
  for (size_t i = from; i < words.size(); ++i) s += (s.empty() ? "" : " ") + words[i];
  return s;
}

void Opaque(const CommandContext& ctx, const std::string& tool, std::string why, std::vector<Action>& out) {
  Action a = NewAction(ctx, tool, "run");
  a.opaque = std::move(why);
  out.push_back(std::move(a));
}

bool IsAssignment(const std::string& w) {
  size_t eq = w.find('=');
  if (eq == 0 || eq == std::string::npos) return false;
  for (size_t i = 0; i < eq; ++i) {
    char c = w[i];
    bool ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

// Variables that move where a command lands.
// Variables that change which program runs, or what a program runs on its own.
bool ChangesProgram(const std::string& name) {
  static const char* kNames[] = {
      "PATH",         "LD_PRELOAD",      "LD_LIBRARY_PATH", "LD_AUDIT",       "BASH_ENV",  "ENV",
      "IFS",          "PYTHONPATH",      "PYTHONSTARTUP",   "PERL5OPT",       "PERL5LIB",  "RUBYOPT",
      "NODE_OPTIONS", "GIT_SSH_COMMAND", "GIT_SSH",         "GIT_EXEC_PATH",  "GIT_PAGER", "GIT_EDITOR",
      "PAGER",        "EDITOR",          "VISUAL",          "PROMPT_COMMAND", "SHELLOPTS", "BASHOPTS",
      "SUDO_ASKPASS"};
  for (const char* n : kNames) {
    if (name == n) return true;
  }
  return name.rfind("GIT_CONFIG", 0) == 0;
}

void ApplyAssignment(const std::string& w, CommandContext& ctx) {
  size_t eq = w.find('=');
  std::string name = w.substr(0, eq), value = w.substr(eq + 1);
  if (ChangesProgram(name)) {
    ctx.program_changed = true;
    if (ctx.dynamic.empty()) ctx.dynamic = name + "= changes which program runs, or what it runs";
  }
  if (name == "AWS_PROFILE" || name == "AWS_DEFAULT_PROFILE") ctx.defaults.cloud_profile = value;
  if (name == "PGHOST") ctx.defaults.database_host = value;
  if (name == "KUBECONFIG") ctx.defaults.kube_context = "";  // another kubeconfig: its context is unknown
  if (name == "CLOUDSDK_ACTIVE_CONFIG_NAME" || name == "CLOUDSDK_CORE_PROJECT")
    ctx.defaults.cloud_profile = value;
}

// Options of a wrapper that take a value (so its command starts after them).
bool TakesValue(const std::string& tool, const std::string& opt) {
  if (tool == "sudo" || tool == "doas")
    return opt == "-u" || opt == "-g" || opt == "-C" || opt == "-D" || opt == "-h" || opt == "-p" ||
           opt == "-r" || opt == "-t" || opt == "-U" || opt == "-T";
  if (tool == "env") return opt == "-u" || opt == "-C" || opt == "--unset" || opt == "--chdir";
  if (tool == "nice") return opt == "-n";
  if (tool == "ionice") return opt == "-c" || opt == "-n" || opt == "-p";
  if (tool == "timeout") return opt == "-s" || opt == "-k" || opt == "--signal" || opt == "--kill-after";
  if (tool == "chrt" || tool == "taskset") return false;
  if (tool == "ssh")
    return opt.size() == 2 && std::string("BbcDEeFIiJLlmOoPpQRSWw").find(opt[1]) != std::string::npos;
  return false;
}

// Where a wrapper's command starts: after its options (and their values), or npos when it has
// none. `sudo -s`/`-i` without a command is an interactive shell.
size_t SkipOptions(const std::vector<std::string>& w, size_t i, const std::string& tool) {
  while (i < w.size()) {
    const std::string& a = w[i];
    if (a == "--") return i + 1;
    if (a.size() < 2 || a[0] != '-') return i;
    if (a.find('=') == std::string::npos && TakesValue(tool, a)) {
      i += 2;
      continue;
    }
    ++i;
  }
  return std::string::npos;
}

// A program named without a slash is looked up in PATH (whose changes are opaque); one named by a
// path is the tool its name says only in a directory where the system's programs live. A script
// in the repository called `ls` is not ls.
bool InSystemDirectory(const std::string& program) {
  size_t slash = program.rfind('/');
  if (slash == std::string::npos) return true;
  std::string dir = program.substr(0, slash);
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  static const std::set<std::string> system = {"/bin",           "/sbin",           "/usr/bin", "/usr/sbin",
                                               "/usr/local/bin", "/usr/local/sbin", "/snap/bin"};
  return system.count(dir) > 0;
}

void ReadWords(std::vector<std::string> w, CommandContext ctx, int depth, std::vector<Action>& out) {
  size_t i = 0;
  while (i < w.size() && IsAssignment(w[i])) ApplyAssignment(w[i++], ctx);
  if (i >= w.size()) return;  // assignments only: no command
  w.erase(w.begin(), w.begin() + static_cast<long>(i));
  if (depth > kMaxDepth) return Opaque(ctx, Basename(w[0]), "commands nest deeper than the guard reads", out);
  const std::string tool = Basename(w[0]);
  if (tool.empty()) return Opaque(ctx, "sh", "the command's name is empty", out);
  if (!InSystemDirectory(w[0]))
    return Opaque(ctx, tool,
                  "runs " + w[0] +
                      ", a program named by a path outside the system's program directories: not the " +
                      tool + " the guard knows",
                  out);

  // Wrappers: the command they run is what is judged.
  if (tool == "sudo" || tool == "doas" || tool == "env" || tool == "nice" || tool == "nohup" ||
      tool == "time" || tool == "timeout" || tool == "command" || tool == "exec" || tool == "builtin" ||
      tool == "ionice" || tool == "stdbuf" || tool == "setsid" || tool == "chrt" || tool == "taskset" ||
      tool == "unbuffer") {
    if (tool == "sudo" || tool == "doas") ctx.privileged = true;
    for (const auto& a : w) {
      if ((tool == "sudo" && (a == "-s" || a == "-i" || a == "--shell" || a == "--login")) ||
          (tool == "env" && (a == "-S" || a.rfind("--split-string", 0) == 0)))
        return Opaque(ctx, tool, tool + " " + a + " runs a shell or a string the guard does not split", out);
    }
    size_t start = SkipOptions(w, 1, tool);
    if (tool == "timeout" && start != std::string::npos) ++start;  // its duration
    if (tool == "nice" && start != std::string::npos && start < w.size() && w[start].rfind("-", 0) == 0)
      ++start;
    if ((tool == "chrt" || tool == "taskset") && start != std::string::npos) ++start;  // priority or mask
    if (start == std::string::npos || start >= w.size()) {
      if (tool == "sudo" || tool == "doas") return Opaque(ctx, tool, tool + " without a command", out);
      if (tool == "env") return;  // prints the environment
      return Opaque(ctx, tool, tool + " without a command the guard can find", out);
    }
    std::vector<std::string> rest(w.begin() + static_cast<long>(start), w.end());
    if (tool == "env") {
      size_t j = 0;
      while (j < rest.size() && IsAssignment(rest[j])) ApplyAssignment(rest[j++], ctx);
      rest.erase(rest.begin(), rest.begin() + static_cast<long>(j));
      if (rest.empty()) return;
    }
    return ReadWords(std::move(rest), ctx, depth + 1, out);
  }

  // Shells: `sh -c SCRIPT` is read; a script file or standard input is not.
  if (tool == "sh" || tool == "bash" || tool == "dash" || tool == "zsh" || tool == "ksh" || tool == "ash" ||
      tool == "busybox") {
    size_t j = 1;
    if (tool == "busybox") {
      if (w.size() < 2) return Opaque(ctx, tool, "busybox without an applet", out);
      std::vector<std::string> applet(w.begin() + 1, w.end());
      return ReadWords(std::move(applet), ctx, depth + 1, out);
    }
    for (; j < w.size(); ++j) {
      const std::string& a = w[j];
      if (a == "-c" || (a.size() > 1 && a[0] == '-' && a[1] != '-' && a.find('c') != std::string::npos)) {
        if (j + 1 >= w.size()) return Opaque(ctx, tool, tool + " -c without a script", out);
        if (j + 2 < w.size())
          return Opaque(ctx, tool, tool + " -c with positional arguments: the script reads them as $0, $1...",
                        out);
        if (!ctx.program_changed)
          ctx.dynamic.clear();  // the script is split again: its expansions are found there
        return ReadLine(w[j + 1], ctx, depth + 1, out);
      }
      if (a.empty() || a[0] != '-') break;
    }
    return Opaque(ctx, tool,
                  j < w.size() ? tool + " runs the script " + w[j] + ", which the guard does not read"
                               : tool + " runs the commands of its standard input",
                  out);
  }

  if (tool == "ssh") {
    size_t start = SkipOptions(w, 1, "ssh");
    if (start == std::string::npos || start >= w.size()) return Opaque(ctx, tool, "ssh without a host", out);
    std::string host = w[start];
    if (size_t at = host.rfind('@'); at != std::string::npos) host = host.substr(at + 1);
    if (start + 1 >= w.size()) {
      CommandContext remote = ctx;
      remote.remote = host;
      return Opaque(remote, tool, "an interactive session on " + host, out);
    }
    CommandContext remote = ctx;
    remote.remote = host;
    remote.privileged = false;  // sudo on this host says nothing of the remote one
    remote.dynamic.clear();     // the remote shell splits the command again
    remote.program_changed = false;
    remote.cwd_unknown = false;
    for (size_t k = 1; k < start; ++k) {  // options that run a command here, before connecting
      std::string o = w[k] + (k + 1 < start ? "=" + w[k + 1] : "");
      for (const char* opt : {"ProxyCommand", "LocalCommand", "PermitLocalCommand", "KnownHostsCommand"}) {
        if (o.find(opt) != std::string::npos)
          return Opaque(ctx, tool, std::string("ssh -o ") + opt + " runs a local command", out);
      }
    }
    // ssh joins its remaining arguments with spaces and the remote shell splits them again.
    return ReadLine(JoinWords(w, start + 1), remote, depth + 1, out);
  }

  if (tool == "xargs" || tool == "parallel" || tool == "watch" || tool == "eval" || tool == "source" ||
      tool == "." || tool == "trap")
    return Opaque(ctx, tool, tool + " runs commands the guard cannot see from here", out);

  const size_t first = out.size();
  if (!ctx.dynamic.empty() && (tool.empty() || tool.find('$') != std::string::npos)) {
    Opaque(ctx, "sh", ctx.dynamic, out);  // the command itself is a value the guard does not know
    if (ctx.remote.empty()) out.back().place = {PlaceKind::kUnknown, ""};
    return;
  }
  if (ReadKnownTool(w, ctx, out)) {
    for (size_t k = first; k < out.size(); ++k) {
      Action& a = out[k];
      // A reader stays a reader whatever its arguments expand to, unless the program changed.
      bool harmless =
          a.verb == "read" && !a.removes && a.place.kind == PlaceKind::kLocal && !ctx.program_changed;
      if (!ctx.dynamic.empty() && !a.opaque && !harmless) a.opaque = ctx.dynamic;
    }
  } else {
    Action a = NewAction(ctx, tool, "run");
    for (size_t k = 1; k < w.size(); ++k) {
      if (!w[k].empty() && w[k][0] != '-') a.targets.push_back(w[k]);
    }
    a.opaque = "the guard does not know what " + tool + " does";
    out.push_back(std::move(a));
  }
}

void ReadLine(std::string_view line, CommandContext ctx, int depth, std::vector<Action>& out) {
  ShellScript script = SplitShell(line);
  ctx.text = std::string(line);
  if (script.opaque) {  // it may run anything, anywhere
    Opaque(ctx, "sh", *script.opaque, out);
    out.back().place = {PlaceKind::kUnknown, ""};
    return;
  }
  for (const auto& command : script.commands) {
    CommandContext one = ctx;
    std::vector<std::string> words;
    // A word the shell expands makes the command opaque, but it is still read through its
    // wrappers: `ssh prod-host "$CMD"` is an unknown command on prod-host, not here.
    for (const auto& w : command.words) {
      if (w.dynamic && one.dynamic.empty())
        one.dynamic = "the word " + w.text + " is expanded by the shell, to a value the guard does not know";
      one.any_pattern = one.any_pattern || w.pattern;
      words.push_back(w.text);
    }
    for (const auto& r : command.redirects) {
      if (r.target.dynamic)
        return Opaque(one, "sh", "a redirection's target " + r.target.text + " is expanded by the shell",
                      out);
      bool writes =
          r.op == ">" || r.op == ">|" || r.op == "&>" || r.op == "<>" || r.op == ">>" || r.op == "&>>";
      if (!writes || r.target.text == "/dev/null" || r.target.text == "/dev/stdout" ||
          r.target.text == "/dev/stderr")
        continue;
      bool append = r.op == ">>" || r.op == "&>>";
      Action a = NewAction(one, "sh", append ? "append" : "write");
      std::string file = r.target.text;
      if (!file.empty() && file[0] != '/' && file[0] != '~' && !one.defaults.cwd.empty() &&
          one.remote.empty())
        file = one.defaults.cwd + "/" + file;
      a.targets = {guard_internal::NormalizePath(file)};
      a.removes = !append;  // truncates what the file held
      a.pattern = r.target.pattern;
      a.unbounded = r.target.text.rfind("/dev/", 0) == 0;  // a device: the whole disk or terminal
      out.push_back(std::move(a));
    }
    // `cd` moves the relative paths of the commands after it (in a list; a pipeline's cd is in a
    // subshell, and reading it as moving too only makes paths more specific). A cd the guard
    // cannot follow makes later relative paths unknown.
    if (!words.empty() && (words[0] == "cd" || words[0] == "pushd" || words[0] == "popd")) {
      std::string to = words.size() > 1 ? words[1] : "~";
      bool dynamic = command.words.size() > 1 && command.words[1].dynamic;
      if (to == "-" || words[0] == "popd" || dynamic || (to.size() > 1 && to[0] == '-')) {
        ctx.defaults.cwd.clear();
        ctx.cwd_unknown = true;
      } else if (to[0] == '/' || to[0] == '~') {
        ctx.defaults.cwd = guard_internal::NormalizePath(to);
        ctx.cwd_unknown = false;
      } else if (!ctx.defaults.cwd.empty()) {
        ctx.defaults.cwd = guard_internal::NormalizePath(ctx.defaults.cwd + "/" + to);
      }
    }
    // What the shell keeps for the commands after it: variables that change which program runs
    // (`export PATH=...`, `LD_PRELOAD=x` alone), aliases.
    if (!words.empty()) {
      bool builtin = words[0] == "export" || words[0] == "declare" || words[0] == "typeset" ||
                     words[0] == "readonly" || words[0] == "local";
      bool only_assignments = true;
      for (size_t k = builtin ? 1 : 0; k < words.size(); ++k) {
        if (!IsAssignment(words[k])) {
          only_assignments = false;
          continue;
        }
        if (ChangesProgram(words[k].substr(0, words[k].find('=')))) {
          ctx.program_changed = true;
          ctx.dynamic =
              words[k].substr(0, words[k].find('=')) + "= changes which program the commands after it run";
        }
      }
      (void)only_assignments;
      if (words[0] == "alias" || words[0] == "enable" || words[0] == "hash") {
        ctx.program_changed = true;
        ctx.dynamic = words[0] + " changes what the commands after it run";
        one.dynamic = ctx.dynamic;
      }
    }
    one.program_changed = ctx.program_changed;
    if (one.dynamic.empty()) one.dynamic = ctx.dynamic;
    one.cwd_unknown = ctx.cwd_unknown;
    if (!words.empty()) ReadWords(std::move(words), one, depth, out);
  }
}

}  // namespace

std::vector<Action> ActionsOfCommandLine(std::string_view line, const CommandDefaults& defaults) {
  std::vector<Action> out;
  CommandContext ctx;
  ctx.defaults = defaults;
  ReadLine(line, ctx, 0, out);
  return out;
}

std::vector<Action> ActionsOfArgv(const std::vector<std::string>& argv, const CommandDefaults& defaults) {
  std::vector<Action> out;
  CommandContext ctx;
  ctx.defaults = defaults;
  for (const auto& a : argv) ctx.text += (ctx.text.empty() ? "" : " ") + a;
  ReadWords(argv, ctx, 0, out);
  return out;
}

}  // namespace ringfence

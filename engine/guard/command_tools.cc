#include "engine/guard/command_tools.h"

#include <algorithm>
#include <cstdlib>
#include <set>

#include "engine/guard/kubernetes_manifests.h"
#include "engine/guard/sql_statements.h"

namespace ringfence::guard_internal {
namespace {

// A tool's arguments: positionals, and options by name ("r", "recursive", "n") with their values.
// Short clusters split ("-rf" is r and f); an option in `valued` takes the next argument (or the
// rest of its cluster, or its =value).
struct Args {
  std::vector<std::string> positional;
  std::vector<std::pair<std::string, std::string>> options;
  bool Has(std::initializer_list<const char*> names) const {
    for (const auto& [k, v] : options)
      for (const char* n : names)
        if (k == n) return true;
    return false;
  }
  std::string Value(std::initializer_list<const char*> names) const {
    std::string out;
    for (const auto& [k, v] : options)
      for (const char* n : names)
        if (k == n) out = v;  // the last one wins, as for most tools
    return out;
  }
  std::vector<std::string> Values(std::initializer_list<const char*> names) const {
    std::vector<std::string> out;
    for (const auto& [k, v] : options)
      for (const char* n : names)
        if (k == n) out.push_back(v);
    return out;
  }
};

Args Parse(const std::vector<std::string>& argv, size_t from, const std::set<std::string>& valued) {
  Args a;
  for (size_t i = from; i < argv.size(); ++i) {
    const std::string& w = argv[i];
    if (w == "--") {
      a.positional.insert(a.positional.end(), argv.begin() + static_cast<long>(i) + 1, argv.end());
      break;
    }
    if (w.size() > 2 && w[0] == '-' && w[1] == '-') {
      size_t eq = w.find('=');
      std::string name = w.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
      if (eq != std::string::npos) {
        a.options.emplace_back(name, w.substr(eq + 1));
      } else if (valued.count(name) && i + 1 < argv.size()) {
        a.options.emplace_back(name, argv[++i]);
      } else {
        a.options.emplace_back(name, "");
      }
      continue;
    }
    if (w.size() > 1 && w[0] == '-' && !(w[1] >= '0' && w[1] <= '9')) {
      for (size_t k = 1; k < w.size(); ++k) {
        std::string name(1, w[k]);
        if (valued.count(name)) {
          if (k + 1 < w.size()) {
            a.options.emplace_back(name, w.substr(k + 1 + (w[k + 1] == '=' ? 1 : 0)));
          } else if (i + 1 < argv.size()) {
            a.options.emplace_back(name, argv[++i]);
          } else {
            a.options.emplace_back(name, "");
          }
          break;
        }
        a.options.emplace_back(name, "");
      }
      continue;
    }
    a.positional.push_back(w);
  }
  return a;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool StartsWith(const std::string& s, std::string_view p) { return s.rfind(p, 0) == 0; }

// A path that stands for everything below the root or a home directory.
bool SweepingPath(const std::string& p) {
  return p == "/" || p == "/*" || p == "~" || p == "~/" || p == "~/*" || p == "." || p == "./" || p == "*" ||
         p == ".." || p == "../";
}

}  // namespace

std::string NormalizePath(const std::string& p) {
  if (p.empty()) return p;
  bool absolute = p[0] == '/';
  std::vector<std::string> parts;
  size_t i = 0;
  while (i <= p.size()) {
    size_t j = p.find('/', i);
    if (j == std::string::npos) j = p.size();
    std::string seg = p.substr(i, j - i);
    if (seg == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
      } else if (!absolute) {
        parts.push_back(seg);
      }
    } else if (!seg.empty() && seg != ".") {
      parts.push_back(seg);
    }
    i = j + 1;
  }
  std::string out = absolute ? "/" : "";
  for (size_t k = 0; k < parts.size(); ++k) out += (k ? "/" : "") + parts[k];
  return out.empty() ? "." : out;
}

namespace {

void Files(const CommandContext& ctx, const std::string& tool, const std::string& verb, bool removes,
           bool recursive, const std::vector<std::string>& targets, std::vector<Action>& out) {
  Action a = NewAction(ctx, tool, verb);
  a.removes = removes;
  for (const auto& t : targets) {
    bool relative = !t.empty() && t[0] != '/' && t[0] != '~' && t.find("://") == std::string::npos;
    if (relative && ctx.cwd_unknown && ctx.remote.empty() && !a.opaque)
      a.opaque =
          "a cd before it went where the guard cannot follow: " + t + " is relative to an unknown directory";
    a.targets.push_back(NormalizePath(
        relative && !ctx.defaults.cwd.empty() && ctx.remote.empty() ? ctx.defaults.cwd + "/" + t : t));
  }
  a.unbounded = recursive || std::any_of(a.targets.begin(), a.targets.end(), SweepingPath);
  out.push_back(std::move(a));
}

void ReadRm(const std::vector<std::string>& argv, const CommandContext& ctx, std::vector<Action>& out) {
  Args a = Parse(argv, 1, {});
  bool recursive = a.Has({"r", "R", "recursive"});
  Files(ctx, "rm", "delete", true, recursive, a.positional, out);
  if (a.Has({"no-preserve-root"})) out.back().unbounded = true;
}

void ReadFind(const std::vector<std::string>& argv, const CommandContext& ctx, std::vector<Action>& out) {
  std::vector<std::string> roots;
  size_t i = 1;
  for (; i < argv.size() && !argv[i].empty() && argv[i][0] != '-' && argv[i] != "(" && argv[i] != "!"; ++i)
    roots.push_back(argv[i]);
  if (roots.empty()) roots.push_back(".");
  for (; i < argv.size(); ++i) {
    const std::string& w = argv[i];
    if (w == "-delete") return Files(ctx, "find", "delete", true, true, roots, out);
    if (w == "-exec" || w == "-execdir" || w == "-ok" || w == "-okdir") {
      std::vector<std::string> cmd;
      for (++i; i < argv.size() && argv[i] != ";" && argv[i] != "+"; ++i) cmd.push_back(argv[i]);
      if (cmd.empty()) continue;
      std::string t = Basename(cmd[0]);
      if (t == "rm" || t == "shred" || t == "unlink" || t == "rmdir") {
        Files(ctx, "find", "delete", true, true, roots, out);
        continue;
      }
      std::vector<Action> inner;
      if (ReadKnownTool(cmd, ctx, inner)) {
        bool removes = std::any_of(inner.begin(), inner.end(), [](const Action& x) { return x.removes; });
        if (!removes) continue;
      }
      Action o = NewAction(ctx, "find", "run");
      o.targets = roots;
      o.opaque = "find " + w + " runs " + t + " on every file it finds";
      out.push_back(std::move(o));
    }
  }
  Files(ctx, "find", "read", false, false, roots, out);
}

void ReadGit(const std::vector<std::string>& argv, const CommandContext& ctx, std::vector<Action>& out) {
  Args a = Parse(argv, 1,
                 {"C", "c", "git-dir", "work-tree", "m", "message", "o", "push-option", "u", "config-env"});
  if (a.positional.empty()) return Files(ctx, "git", "read", false, false, {}, out);
  // Configuration that makes git run a command of its own.
  for (const auto& c : a.Values({"c", "config-env"})) {
    std::string key = Lower(c.substr(0, c.find('=')));
    for (const char* runs : {"core.sshcommand", "core.pager", "core.editor", "core.fsmonitor",
                             "core.hookspath", "core.gitproxy", "core.askpass", "credential.helper",
                             "diff.external", "sequence.editor", "uploadpack.packobjectshook",
                             "protocol.ext.allow", "gpg.program", "pager.", "alias.", "filter.", "include"}) {
      if (StartsWith(key, runs)) {
        Action o = NewAction(ctx, "git", "run");
        o.opaque = "git -c " + key + " makes git run a command of its own";
        out.push_back(std::move(o));
        return;
      }
    }
  }
  const std::string sub = a.positional[0];
  std::vector<std::string> rest(a.positional.begin() + 1, a.positional.end());
  Action x = NewAction(ctx, "git", "run");
  x.targets = rest;
  if (sub == "push") {
    bool plus =
        std::any_of(rest.begin(), rest.end(), [](const std::string& r) { return StartsWith(r, "+"); });
    bool colon =
        std::any_of(rest.begin(), rest.end(), [](const std::string& r) { return StartsWith(r, ":"); });
    if (a.Has({"d", "delete"}) || colon) {
      x.verb = "delete";
      x.removes = true;
    } else if (a.Has({"f", "force", "force-with-lease", "force-if-includes", "mirror"}) || plus) {
      x.verb = "force-push";
      x.removes = true;
      x.unbounded = a.Has({"mirror", "all"});
    } else {
      x.verb = "push";
    }
  } else if (sub == "reset" && a.Has({"hard", "merge", "keep"})) {
    x.verb = "reset";
    x.removes = true;
  } else if (sub == "clean" && a.Has({"f", "force"})) {
    x.verb = "delete";
    x.removes = true;
    x.unbounded = true;
  } else if (sub == "branch" && a.Has({"D", "d", "delete"})) {
    x.verb = "delete";
    x.removes = true;
  } else if (sub == "stash" && !rest.empty() && (rest[0] == "drop" || rest[0] == "clear")) {
    x.verb = "delete";
    x.removes = true;
    x.unbounded = rest[0] == "clear";
  } else if (sub == "filter-branch" || sub == "filter-repo" ||
             (sub == "reflog" && !rest.empty() && rest[0] == "expire")) {
    x.verb = "rewrite";
    x.removes = true;
    x.unbounded = true;
  } else if (sub == "checkout" || sub == "restore" || sub == "switch") {
    x.verb = "write";
    x.removes = a.Has({"f", "force"}) || std::find(argv.begin(), argv.end(), "--") != argv.end() ||
                std::find(rest.begin(), rest.end(), ".") != rest.end();
  } else if (sub == "status" || sub == "log" || sub == "diff" || sub == "show" || sub == "fetch" ||
             sub == "grep" || sub == "blame" || sub == "ls-files" || sub == "rev-parse" ||
             sub == "describe" || sub == "ls-tree" || sub == "cat-file" || sub == "rev-list" ||
             sub == "shortlog" || sub == "show-ref" || sub == "version" || sub == "help" ||
             sub == "for-each-ref" || sub == "merge-base" || sub == "name-rev") {
    x.verb = "read";
  } else if (sub == "add" || sub == "commit" || sub == "merge" || sub == "pull" || sub == "rebase" ||
             sub == "cherry-pick" || sub == "revert" || sub == "tag" || sub == "stash" || sub == "mv" ||
             sub == "rm" || sub == "init" || sub == "clone" || sub == "remote" || sub == "config" ||
             sub == "worktree" || sub == "submodule" || sub == "am" || sub == "apply" || sub == "notes" ||
             sub == "gc" || sub == "bisect" || sub == "sparse-checkout" || sub == "format-patch" ||
             sub == "archive" || sub == "lfs" || sub == "fsck") {
    x.verb = sub == "rm" ? "delete" : "write";
    x.removes = sub == "rm";
  } else {
    x.opaque = "git " + sub + " is not a command git ships: an alias or an external git-" + sub +
               " may run anything";
  }
  out.push_back(std::move(x));
}

// kubectl and oc: verb, resources, namespace, context.
void ReadKubectl(const std::vector<std::string>& argv, const CommandContext& ctx, std::vector<Action>& out) {
  const std::string tool = Basename(argv[0]);
  Args a = Parse(argv, 1,
                 {"context",
                  "n",
                  "namespace",
                  "kubeconfig",
                  "l",
                  "selector",
                  "f",
                  "filename",
                  "o",
                  "output",
                  "replicas",
                  "field-selector",
                  "cluster",
                  "user",
                  "c",
                  "container",
                  "grace-period",
                  "timeout",
                  "s",
                  "server",
                  "token",
                  "as",
                  "type",
                  "image",
                  "k",
                  "kustomize",
                  "current-replicas",
                  "from"});
  Action x = NewAction(ctx, tool, "run");
  std::string context = a.Value({"context"});
  if (context.empty()) context = a.Has({"kubeconfig"}) ? "" : ctx.defaults.kube_context;
  if (ctx.remote.empty()) x.place = {PlaceKind::kKubeContext, context};
  std::string ns = a.Value({"n", "namespace"});
  if (a.positional.empty()) {
    x.verb = "read";
    out.push_back(std::move(x));
    return;
  }
  std::string sub = a.positional[0];
  std::vector<std::string> rest(a.positional.begin() + 1, a.positional.end());
  if (sub == "rollout" && !rest.empty()) {
    sub = "rollout-" + rest[0];
    rest.erase(rest.begin());
  }
  // Resources as "type/name" (the form `kubectl delete deployment web` is turned into).
  std::vector<std::string> resources;
  for (size_t i = 0; i < rest.size(); ++i) {
    if (rest[i].find('/') != std::string::npos || sub == "drain" || sub == "cordon" || sub == "uncordon") {
      resources.push_back(rest[i]);
    } else if (i + 1 < rest.size() && rest[i].find(',') == std::string::npos) {
      for (size_t j = i + 1; j < rest.size(); ++j) resources.push_back(rest[i] + "/" + rest[j]);
      break;
    } else {
      resources.push_back(rest[i]);  // a type alone: every resource of it (with --all or a selector)
    }
  }
  for (const auto& f : a.Values({"f", "filename"})) resources.push_back("file:" + f);
  if (!ns.empty())
    for (auto& r : resources) r = ns + ":" + r;
  x.targets = resources;
  bool everything = a.Has({"all", "A", "all-namespaces"}) || a.Has({"l", "selector", "field-selector"}) ||
                    (rest.size() == 1 && rest[0].find('/') == std::string::npos);
  if (sub == "delete") {
    x.verb = "delete";
    x.removes = true;
    x.unbounded = everything || std::any_of(rest.begin(), rest.end(), [](const std::string& r) {
                    return DeletionReachesEverything(r);
                  });
  } else if (sub == "scale") {
    x.verb = "scale";
    std::string n = a.Value({"replicas"});
    x.removes = n == "0";
    x.unbounded = everything;
    if (!n.empty()) x.text += "";  // replicas are in the text already
  } else if (sub == "drain") {
    x.verb = "drain";
    x.removes = true;
    x.unbounded = everything;
  } else if (sub == "cordon" || sub == "taint") {
    x.verb = "cordon";
    x.unbounded = everything;
  } else if (sub == "apply" || sub == "replace" || sub == "patch" || sub == "edit" || sub == "set" ||
             sub == "create" || sub == "label" || sub == "annotate" || sub == "rollout-undo" ||
             sub == "autoscale") {
    x.verb = sub == "create" ? "create" : "apply";
    x.removes = sub == "replace" || (sub == "apply" && a.Has({"prune", "force"}));
    x.unbounded = sub == "apply" && a.Has({"prune"});
  } else if (sub == "rollout-restart") {
    x.verb = "restart";
    x.unbounded = everything;
  } else if (sub == "exec" || sub == "run" || sub == "debug" || sub == "cp" || sub == "attach") {
    x.verb = "run";
    x.opaque = tool + " " + sub + " runs a command or writes files inside the cluster";
  } else if (sub == "port-forward" || sub == "proxy") {
    x.verb = "run";
  } else if (sub == "config" && !rest.empty() && (rest[0] == "use-context" || rest[0] == "set-context")) {
    x.verb = "configure";
  } else if (sub == "get" || sub == "describe" || sub == "logs" || sub == "top" || sub == "explain" ||
             sub == "version" || sub == "api-resources" || sub == "api-versions" || sub == "cluster-info" ||
             sub == "config" || sub == "auth" || sub == "diff" || sub == "wait" || sub == "events" ||
             sub == "rollout-status" || sub == "rollout-history" || sub == "completion" || sub == "help") {
    x.verb = "read";
  } else {
    x.verb = "run";
    x.opaque = tool + " " + sub + " is not a command " + tool + " ships: a plugin may run anything";
  }
  out.push_back(std::move(x));
}

void ReadHelm(const std::vector<std::string>& argv, const CommandContext& ctx, std::vector<Action>& out) {
  Args a =
      Parse(argv, 1, {"kube-context", "n", "namespace", "f", "values", "set", "version", "kubeconfig", "o"});
  Action x = NewAction(ctx, "helm", "read");
  std::string context = a.Value({"kube-context"});
  if (context.empty() && !a.Has({"kubeconfig"})) context = ctx.defaults.kube_context;
  if (ctx.remote.empty()) x.place = {PlaceKind::kKubeContext, context};
  std::string sub = a.positional.empty() ? "" : a.positional[0];
  if (a.positional.size() > 1) x.targets.assign(a.positional.begin() + 1, a.positional.begin() + 2);
  if (sub == "uninstall" || sub == "delete" || sub == "del" || sub == "un") {
    x.verb = "delete";
    x.removes = true;
  } else if (sub == "upgrade" || sub == "install" || sub == "rollback") {
    x.verb = "apply";
  }
  out.push_back(std::move(x));
}

void ReadTerraform(const std::vector<std::string>& argv, const CommandContext& ctx,
                   std::vector<Action>& out) {
  const std::string tool = Basename(argv[0]);
  std::vector<std::string> words;  // terraform's options are -name or -name=value
  for (size_t i = 1; i < argv.size(); ++i)
    if (!StartsWith(argv[i], "-")) words.push_back(argv[i]);
  std::string sub = words.empty() ? "" : words[0];
  Action x = NewAction(ctx, tool, "read");
  bool destroy = std::find(argv.begin(), argv.end(), "-destroy") != argv.end();
  if (sub == "destroy" || (sub == "apply" && destroy)) {
    x.verb = "delete";
    x.removes = true;
    x.unbounded =
        std::none_of(argv.begin(), argv.end(), [](const std::string& w) { return StartsWith(w, "-target"); });
  } else if (sub == "apply") {
    x.verb = "apply";
    if (words.size() > 1) {
      x.targets = {words[1]};
      x.opaque = "terraform apply of the saved plan " + words[1] +
                 ": judge the plan itself (`terraform show -json` into `ringfence guard plan terraform`)";
    } else {
      x.opaque = "terraform apply without a saved plan: what it changes is decided when it runs";
    }
  } else if (sub == "state" && words.size() > 1 &&
             (words[1] == "rm" || words[1] == "mv" || words[1] == "push")) {
    x.verb = words[1] == "rm" ? "delete" : "write";
    x.removes = true;
    x.targets.assign(words.begin() + 2, words.end());
  } else if (sub == "taint" || sub == "untaint") {
    x.verb = "replace";
    x.removes = sub == "taint";
    x.targets.assign(words.begin() + 1, words.end());
  } else if (sub == "workspace" && words.size() > 1 && words[1] == "delete") {
    x.verb = "delete";
    x.removes = true;
    x.unbounded = true;
    x.targets.assign(words.begin() + 2, words.end());
  } else if (sub == "import") {
    x.verb = "write";
  }
  out.push_back(std::move(x));
}

// Cloud CLIs: the operation's name says what it does.
std::string VerbOfOperation(const std::string& op, bool& removes) {
  static const char* kRemoving[] = {"delete", "terminate",    "remove", "deregister", "purge", "destroy",
                                    "detach", "disassociate", "revoke", "release",    "rb",    "rm",
                                    "mv"};
  static const char* kStopping[] = {"stop", "reboot", "restart", "shutdown", "suspend", "disable"};
  static const char* kWriting[] = {"put",  "update",  "modify", "set",    "replace", "change", "patch", "cp",
                                   "sync", "restore", "reset",  "attach", "apply",   "deploy", "upload"};
  static const char* kCreating[] = {"create", "run", "start", "launch", "allocate", "add", "import", "copy"};
  std::string first = op.substr(0, op.find('-'));
  removes = false;
  for (size_t at = op.find('-'); at != std::string::npos; at = op.find('-', at + 1)) {
    std::string part =
        op.substr(at + 1, op.find('-', at + 1) == std::string::npos ? std::string::npos
                                                                    : op.find('-', at + 1) - at - 1);
    if (part == "delete" || part == "terminate" || part == "destroy" || part == "purge" || part == "remove") {
      removes = true;
      return "delete";
    }
  }
  for (const char* p : kRemoving)
    if (first == p) {
      removes = true;
      return first == "terminate" || first == "purge" || first == "destroy" || first == "rb" || first == "rm"
                 ? "delete"
             : first == "mv" ? "move"
                             : first;
    }
  for (const char* p : kStopping)
    if (first == p) {
      removes = true;
      return "stop";
    }
  for (const char* p : kWriting)
    if (first == p) return "write";
  for (const char* p : kCreating)
    if (first == p) return "create";
  static const char* kReading[] = {"describe", "list",   "get",      "head",     "wait",     "help",
                                   "ls",       "lookup", "search",   "scan",     "query",    "batch",
                                   "select",   "filter", "test",     "validate", "estimate", "show",
                                   "info",     "view",   "print",    "version",  "preview",  "simulate",
                                   "check",    "verify", "download", "export"};
  for (const char* p : kReading)
    if (first == p) return "read";
  return op.empty() ? "read" : "run";
}

void ReadAws(const std::vector<std::string>& argv, const CommandContext& ctx, std::vector<Action>& out) {
  Args a = Parse(argv, 1,
                 {"profile",
                  "region",
                  "output",
                  "query",
                  "endpoint-url",
                  "cli-input-json",
                  "change-batch",
                  "instance-ids",
                  "bucket",
                  "key",
                  "db-instance-identifier",
                  "db-cluster-identifier",
                  "stack-name",
                  "function-name",
                  "hosted-zone-id",
                  "cluster",
                  "service",
                  "table-name",
                  "include",
                  "exclude",
                  "desired-count",
                  "color",
                  "ca-bundle",
                  "cli-read-timeout",
                  "cli-connect-timeout"});
  Action x = NewAction(ctx, "aws", "read");
  std::string profile = a.Value({"profile"});
  if (profile.empty()) profile = ctx.defaults.cloud_profile.empty() ? "default" : ctx.defaults.cloud_profile;
  if (ctx.remote.empty()) x.place = {PlaceKind::kCloudProfile, profile};
  std::string service = a.positional.size() > 0 ? a.positional[0] : "";
  std::string op = a.positional.size() > 1 ? a.positional[1] : "";
  x.verb = VerbOfOperation(op, x.removes);
  for (size_t i = 2; i < a.positional.size(); ++i) x.targets.push_back(a.positional[i]);
  for (const auto& [k, v] : a.options) {
    bool names_target =
        k == "bucket" || k == "key" || k == "stack-name" || k == "function-name" || k == "hosted-zone-id" ||
        k == "table-name" || k == "service" || k == "cluster" ||
        (k.size() > 3 && (k.substr(k.size() - 3) == "-id" || k.substr(k.size() - 4) == "-ids" ||
                          k.find("identifier") != std::string::npos || k.substr(k.size() - 4) == "-arn"));
    if (names_target && !v.empty()) x.targets.push_back(v);
  }
  if (service == "s3") {
    x.unbounded =
        a.Has({"recursive"}) || (op == "rb" && a.Has({"force"})) || (op == "sync" && a.Has({"delete"}));
    if (op == "sync" && a.Has({"delete"})) {
      x.verb = "delete";
      x.removes = true;
    }
  }
  if (op == "change-resource-record-sets") {
    x.verb = "write";
    std::string batch = a.Value({"change-batch"});
    if (StartsWith(batch, "file://") || StartsWith(batch, "fileb://") || batch.empty()) {
      x.opaque = "its DNS change batch is read from " + (batch.empty() ? std::string("its input") : batch) +
                 ": judge the plan that writes it";
    } else if (batch.find("\"DELETE\"") != std::string::npos ||
               batch.find("Action=DELETE") != std::string::npos) {
      x.verb = "delete";
      x.removes = true;
    } else if (batch.find("UPSERT") != std::string::npos) {
      x.removes = true;  // replaces the record set's values
    }
  }
  if (service == "ecs" && op == "update-service" && a.Value({"desired-count"}) == "0") x.removes = true;
  // Operations that run code on machines or functions the guard does not see.
  static const std::set<std::string> kRunsCode = {"ssm send-command", "ssm start-session",
                                                  "ssm start-automation-execution", "ecs execute-command",
                                                  "lambda invoke"};
  if (kRunsCode.count(service + " " + op))
    x.opaque = "aws " + service + " " + op + " runs code the guard does not see";
  out.push_back(std::move(x));
}

// gcloud and az: the operation is the first positional that names one.
void ReadGcloudLike(const std::vector<std::string>& argv, const CommandContext& ctx,
                    std::vector<Action>& out) {
  const std::string tool = Basename(argv[0]);
  Args a = Parse(argv, 1,
                 {"project", "configuration", "account", "zone", "region", "format", "subscription", "g",
                  "resource-group", "n", "name", "ids", "location", "filter"});
  Action x = NewAction(ctx, tool, "read");
  std::string profile = a.Value({"project", "configuration", "subscription"});
  if (profile.empty()) profile = ctx.defaults.cloud_profile;
  if (ctx.remote.empty()) x.place = {PlaceKind::kCloudProfile, profile};
  for (size_t i = 0; i < a.positional.size(); ++i) {
    bool removes = false;
    std::string verb = VerbOfOperation(a.positional[i], removes);
    if (verb == "run") {  // a group or resource name ("compute", "instances"), or an operation not known
      if (i + 1 == a.positional.size()) x.verb = "run";
      continue;
    }
    if (verb != "read") {
      x.verb = verb;
      x.removes = removes;
      x.targets.assign(a.positional.begin() + static_cast<long>(i) + 1, a.positional.end());
      x.unbounded = a.Has({"recursive", "r", "all"}) ||
                    (i > 0 && (a.positional[i - 1] == "group" || a.positional[i - 1] == "projects"));
      break;
    }
  }
  for (const auto& v : a.Values({"n", "name", "ids"})) x.targets.push_back(v);
  if (x.verb == "run" || std::find(a.positional.begin(), a.positional.end(), "ssh") != a.positional.end() ||
      a.Has({"command", "scripts"}))
    x.opaque = tool + " runs code the guard does not see";
  out.push_back(std::move(x));
}

void ReadGsutil(const std::vector<std::string>& argv, const CommandContext& ctx, std::vector<Action>& out) {
  Args a = Parse(argv, 1, {"h", "o", "u"});
  std::string sub = a.positional.empty() ? "" : a.positional[0];
  std::vector<std::string> rest(a.positional.begin() + (a.positional.empty() ? 0 : 1), a.positional.end());
  Action x = NewAction(ctx, "gsutil", "read");
  x.targets = rest;
  if (sub == "rm" || sub == "rb") {
    x.verb = "delete";
    x.removes = true;
    x.unbounded = a.Has({"r", "R", "a"}) || sub == "rb";
  } else if (sub == "rsync") {
    x.verb = a.Has({"d"}) ? "delete" : "write";
    x.removes = x.unbounded = a.Has({"d"});
  } else if (sub == "cp" || sub == "mv") {
    x.verb = sub == "mv" ? "move" : "write";
    x.removes = sub == "mv";
  }
  out.push_back(std::move(x));
}

// Database clients: their SQL is read statement by statement.
void ReadDatabaseClient(const std::vector<std::string>& argv, const CommandContext& ctx,
                        std::vector<Action>& out) {
  const std::string tool = Basename(argv[0]);
  Place place{PlaceKind::kDatabaseHost, ctx.defaults.database_host};
  std::string sql;
  bool has_sql = false;
  std::string file;
  if (tool == "psql") {
    Args a = Parse(argv, 1,
                   {"c", "command", "h", "host", "d", "dbname", "U", "username", "p", "port", "f", "file",
                    "v", "set", "o", "output"});
    std::string host = a.Value({"h", "host"});
    std::string db = a.Value({"d", "dbname"});
    if (db.empty() && !a.positional.empty()) db = a.positional[0];
    // A connection URI or key=value string names its host.
    if (size_t at = db.find("://"); at != std::string::npos) {
      std::string rest = db.substr(at + 3);
      if (size_t cred = rest.find('@'); cred != std::string::npos && cred < rest.find('/'))
        rest = rest.substr(cred + 1);
      host = rest.substr(0, rest.find_first_of(":/?"));
    } else if (size_t k = db.find("host="); k != std::string::npos) {
      host = db.substr(k + 5,
                       db.find(' ', k) == std::string::npos ? std::string::npos : db.find(' ', k) - k - 5);
    }
    if (!host.empty()) place.name = host;
    for (const auto& c : a.Values({"c", "command"})) {
      sql += c + ";\n";
      has_sql = true;
    }
    file = a.Value({"f", "file"});
  } else if (tool == "mysql" || tool == "mariadb") {
    Args a = Parse(argv, 1,
                   {"e", "execute", "h", "host", "D", "database", "u", "user", "P", "port", "S", "socket"});
    if (std::string h = a.Value({"h", "host"}); !h.empty()) place.name = h;
    if (place.name.empty()) place.name = "localhost";
    for (const auto& c : a.Values({"e", "execute"})) {
      sql += c + ";\n";
      has_sql = true;
    }
  } else {  // sqlite3 DB [SQL]
    Args a = Parse(argv, 1, {"cmd", "separator", "nullvalue"});
    place = {PlaceKind::kLocal, ""};
    if (a.positional.size() > 1) {
      sql = a.positional[1];
      has_sql = true;
    }
  }
  if (!ctx.remote.empty()) place = {PlaceKind::kHost, ctx.remote};
  if (!has_sql) {
    Action x = NewAction(ctx, tool, "run");
    x.kind = ActionKind::kSql;
    x.place = place;
    x.opaque = file.empty()
                   ? tool + " runs the SQL of its standard input"
                   : tool + " runs the SQL file " + file + " (judge it with `ringfence guard plan sql`)";
    out.push_back(std::move(x));
    return;
  }
  for (Action& s : ActionsOfSql(sql, tool, place, "")) {
    s.privileged = ctx.privileged;
    out.push_back(std::move(s));
  }
}

void ReadRedisCli(const std::vector<std::string>& argv, const CommandContext& ctx, std::vector<Action>& out) {
  Args a = Parse(argv, 1, {"h", "p", "a", "n", "u", "user", "pass"});
  Action x = NewAction(ctx, "redis-cli", "read");
  if (ctx.remote.empty())
    x.place = {PlaceKind::kDatabaseHost, a.Value({"h"}).empty() ? "localhost" : a.Value({"h"})};
  std::string cmd = a.positional.empty() ? "" : Lower(a.positional[0]);
  if (cmd.empty()) x.opaque = "redis-cli runs the commands of its input";
  if (cmd == "flushall" || cmd == "flushdb") {
    x.verb = "delete";
    x.removes = x.unbounded = true;
  } else if (cmd == "del" || cmd == "unlink") {
    x.verb = "delete";
    x.removes = true;
    x.targets.assign(a.positional.begin() + 1, a.positional.end());
  } else if (cmd == "shutdown") {
    x.verb = "stop";
    x.removes = true;
  } else if (cmd == "config" || cmd == "set" || cmd == "eval") {
    x.verb = "write";
  }
  out.push_back(std::move(x));
}

void ReadService(const std::vector<std::string>& argv, const CommandContext& ctx, std::vector<Action>& out) {
  const std::string tool = Basename(argv[0]);
  Args a = Parse(argv, 1, {"H", "host", "M", "machine", "s", "signal", "p", "t", "type"});
  Action x = NewAction(ctx, tool, "read");
  if (tool == "systemctl") {
    std::string sub = a.positional.empty() ? "" : a.positional[0];
    if (a.positional.size() > 1) x.targets.assign(a.positional.begin() + 1, a.positional.end());
    if (sub == "stop" || sub == "disable" || sub == "mask" || sub == "kill" || sub == "isolate") {
      x.verb = "stop";
      x.removes = true;
    } else if (sub == "restart" || sub == "reload" || sub == "try-restart") {
      x.verb = "restart";
    } else if (sub == "poweroff" || sub == "reboot" || sub == "halt" || sub == "kexec" || sub == "rescue" ||
               sub == "emergency") {
      x.verb = "reboot";
      x.removes = x.unbounded = true;
    } else if (sub == "start" || sub == "enable") {
      x.verb = "create";
    }
  } else if (tool == "service") {
    if (!a.positional.empty()) x.targets = {a.positional[0]};
    std::string sub = a.positional.size() > 1 ? a.positional[1] : "";
    x.verb = sub == "stop" ? "stop" : sub == "restart" ? "restart" : "read";
    x.removes = sub == "stop";
  } else if (tool == "kill" || tool == "pkill" || tool == "killall") {
    x.verb = "stop";
    x.removes = true;
    x.targets = a.positional;
    x.unbounded = std::find(a.positional.begin(), a.positional.end(), "-1") != a.positional.end() ||
                  (tool != "kill" && a.positional.empty());
  } else {  // shutdown, reboot, poweroff, halt, init
    x.verb = "reboot";
    x.removes = x.unbounded =
        tool != "init" || (!a.positional.empty() && (a.positional[0] == "0" || a.positional[0] == "6"));
    if (tool == "shutdown" && a.Has({"c"})) x.removes = x.unbounded = false;
  }
  out.push_back(std::move(x));
}

void ReadContainer(const std::vector<std::string>& argv, const CommandContext& ctx,
                   std::vector<Action>& out) {
  const std::string tool = Basename(argv[0]);
  Args a = Parse(argv, 1,
                 {"H", "host", "context", "f", "filter", "name", "e", "env", "v", "volume", "p", "w", "u"});
  Action x = NewAction(ctx, tool, "read");
  std::vector<std::string> pos = a.positional;
  std::string sub = pos.empty() ? "" : pos[0];
  std::string obj;
  if ((sub == "container" || sub == "image" || sub == "volume" || sub == "network" || sub == "system" ||
       sub == "builder") &&
      pos.size() > 1) {
    obj = sub;
    sub = pos[1];
    pos.erase(pos.begin());
  }
  if (!pos.empty()) x.targets.assign(pos.begin() + 1, pos.end());
  if (sub == "rm" || sub == "rmi" || sub == "prune" || sub == "kill" || sub == "stop" || sub == "down") {
    x.verb = sub == "kill" || sub == "stop" ? "stop" : "delete";
    x.removes = true;
    x.unbounded = sub == "prune" || a.Has({"a", "all"}) || (sub == "down" && a.Has({"v", "volumes"}));
  } else if (sub == "run" || sub == "exec" || sub == "up" || sub == "compose" || sub == "start" ||
             sub == "create") {
    x.verb = "run";
    if (a.Has({"privileged"})) x.privileged = true;
    x.opaque = tool + " " + sub + " runs a container's command, with what it mounts";
  } else if (sub == "push" || sub == "tag" || sub == "build") {
    x.verb = "write";
  }
  out.push_back(std::move(x));
}

void ReadHttpClient(const std::vector<std::string>& argv, const CommandContext& ctx,
                    std::vector<Action>& out) {
  const std::string tool = Basename(argv[0]);
  Args a = Parse(argv, 1, {"X",         "request",
                           "d",         "data",
                           "data-raw",  "data-binary",
                           "H",         "header",
                           "o",         "output",
                           "u",         "user",
                           "F",         "form",
                           "T",         "upload-file",
                           "method",    "body-data",
                           "post-data", "A",
                           "e",         "x",
                           "proxy",     "m",
                           "max-time",  "connect-timeout",
                           "w",         "write-out",
                           "cacert",    "cert",
                           "key",       "retry",
                           "O"});
  std::string method = Lower(a.Value({"X", "request", "method"}));
  if (method.empty() &&
      (a.Has({"d", "data", "data-raw", "data-binary", "F", "form", "post-data", "body-data"})))
    method = "post";
  if (method.empty() && a.Has({"T", "upload-file"})) method = "put";
  Action x = NewAction(ctx, tool,
                       method == "delete"                                      ? "delete"
                       : method.empty() || method == "get" || method == "head" ? "read"
                                                                               : "write");
  x.removes = method == "delete" || method == "put";
  for (const auto& p : a.positional) {
    x.targets.push_back(p);
    size_t s = p.find("://");
    std::string host = s == std::string::npos ? p : p.substr(s + 3);
    host = host.substr(0, host.find_first_of("/?#"));
    if (size_t at = host.rfind('@'); at != std::string::npos) host = host.substr(at + 1);
    if (host.size() > 1 && host[0] == '[') {
      host = host.substr(1, host.find(']') - 1);
    } else {
      host = host.substr(0, host.find(':'));
    }
    if (ctx.remote.empty() && !host.empty()) x.place = {PlaceKind::kHost, Lower(host)};
  }
  if (tool == "wget" && method.empty()) x.verb = "read";
  out.push_back(std::move(x));
}

// Everything else the guard reads by its name alone.
bool ReadSimple(const std::string& tool, const std::vector<std::string>& argv, const CommandContext& ctx,
                std::vector<Action>& out) {
  Args a = Parse(argv, 1, {"o", "of", "n", "s", "size", "m", "mode", "t", "target-directory"});
  if (tool == "rmdir" || tool == "unlink" || tool == "shred" || tool == "srm" || tool == "wipe") {
    Files(ctx, tool, "delete", true, a.Has({"r", "R", "recursive"}), a.positional, out);
    return true;
  }
  if (tool == "dd") {
    std::vector<std::string> of;
    for (const auto& w : argv)
      if (StartsWith(w, "of=")) of.push_back(w.substr(3));
    Files(ctx, "dd", of.empty() ? "read" : "write", !of.empty(), false, of, out);
    if (!of.empty() && StartsWith(of[0], "/dev/")) out.back().unbounded = true;
    return true;
  }
  if (StartsWith(tool, "mkfs") || tool == "wipefs" || tool == "mkswap" || tool == "blkdiscard" ||
      tool == "sgdisk" || tool == "fdisk" || tool == "parted" || tool == "sfdisk") {
    Files(ctx, tool, "write", true, true, a.positional, out);
    return true;
  }
  if (tool == "truncate") {
    Files(ctx, tool, "write", true, false, a.positional, out);
    return true;
  }
  if (tool == "mv") {
    Files(ctx, tool, "move", true, false, a.positional, out);
    return true;
  }
  if (tool == "cp" || tool == "install" || tool == "ln" || tool == "tee" || tool == "touch" ||
      tool == "mkdir") {
    Files(ctx, tool, tool == "mkdir" || tool == "touch" ? "create" : "write", false,
          a.Has({"r", "R", "recursive", "a"}), a.positional, out);
    return true;
  }
  if (tool == "chmod" || tool == "chown" || tool == "chgrp" || tool == "setfacl" || tool == "chattr") {
    std::vector<std::string> files(a.positional.begin() + (a.positional.empty() ? 0 : 1), a.positional.end());
    Files(ctx, tool, "permissions", false, a.Has({"R", "recursive"}), files, out);
    return true;
  }
  if (tool == "rsync" || tool == "scp") {
    bool del = false;
    for (const auto& [k, v] : a.options) del = del || StartsWith(k, "delete") || k == "remove-source-files";
    Files(ctx, tool, del ? "delete" : "write", del, del || a.Has({"r", "a", "recursive", "archive"}),
          a.positional, out);
    return true;
  }
  if (tool == "sed") {
    bool in_place = a.Has({"i", "in-place"});
    std::vector<std::string> files(a.positional.begin() + (a.positional.empty() || a.Has({"e", "f"}) ? 0 : 1),
                                   a.positional.end());
    Files(ctx, tool, in_place ? "write" : "read", false, false, in_place ? files : std::vector<std::string>{},
          out);
    return true;
  }
  if (tool == "crontab") {
    Files(ctx, tool, a.Has({"r"}) ? "delete" : "write", a.Has({"r"}), a.Has({"r"}), {}, out);
    return true;
  }
  if (tool == "iptables" || tool == "ip6tables" || tool == "nft" || tool == "ufw") {
    bool flush = a.Has({"F", "flush", "X", "delete-chain"}) ||
                 std::find(a.positional.begin(), a.positional.end(), "flush") != a.positional.end() ||
                 std::find(a.positional.begin(), a.positional.end(), "disable") != a.positional.end() ||
                 std::find(a.positional.begin(), a.positional.end(), "reset") != a.positional.end();
    Files(ctx, tool, flush ? "delete" : "write", flush, flush, {}, out);
    return true;
  }
  if (tool == "dropdb" || tool == "dropuser") {
    Args d = Parse(argv, 1, {"h", "host", "U", "username", "p", "port"});
    Action x = NewAction(ctx, tool, tool == "dropdb" ? "drop" : "delete");
    x.kind = ActionKind::kSql;
    if (ctx.remote.empty())
      x.place = {PlaceKind::kDatabaseHost,
                 d.Value({"h", "host"}).empty() ? ctx.defaults.database_host : d.Value({"h", "host"})};
    x.removes = true;
    x.unbounded = tool == "dropdb";
    x.targets = d.positional;
    out.push_back(std::move(x));
    return true;
  }
  static const std::set<std::string> kReaders = {
      "ls",    "cat",      "echo",    "printf",    "grep",   "egrep",    "fgrep",   "rg",         "head",
      "tail",  "wc",       "sort",    "uniq",      "cut",    "tr",       "pwd",     "cd",         "true",
      "false", "test",     "[",       "date",      "which",  "whoami",   "id",      "uname",      "hostname",
      "df",    "du",       "free",    "ps",        "top",    "uptime",   "stat",    "file",       "less",
      "more",  "diff",     "cmp",     "sha256sum", "md5sum", "basename", "dirname", "realpath",   "readlink",
      "env",   "printenv", "jq",      "yq",        "tree",   "git-lfs",  "sleep",   "nproc",      "lsblk",
      "mount", "ping",     "dig",     "nslookup",  "host",   "ss",       "netstat", "journalctl", "dmesg",
      "seq",   "yes",      "column",  "comm",      "join",   "paste",    "fold",    "nl",         "od",
      "xxd",   "hexdump",  "strings", "base64",    "type",   "export",   "set",     "unset",      "history",
      "man",   "help"};
  if (kReaders.count(tool)) {
    Files(ctx, tool,
          tool == "export" || tool == "set" || tool == "unset" || tool == "cd" ? "configure" : "read", false,
          false, {}, out);
    return true;
  }
  return false;
}

}  // namespace

std::string Basename(const std::string& path) {
  std::string p = path;
  while (p.size() > 1 && p.back() == '/') p.pop_back();  // "dir/" names dir
  size_t slash = p.rfind('/');
  std::string base = slash == std::string::npos ? p : p.substr(slash + 1);
  return base.empty() ? p : base;  // "/" and "" are themselves
}

Action NewAction(const CommandContext& ctx, const std::string& tool, const std::string& verb) {
  Action a;
  a.kind = ActionKind::kCommand;
  a.tool = tool;
  a.verb = verb;
  a.text = ctx.text;
  a.privileged = ctx.privileged;
  a.pattern = ctx.any_pattern;
  if (!ctx.remote.empty()) a.place = {PlaceKind::kHost, ctx.remote};
  return a;
}

bool ReadKnownTool(const std::vector<std::string>& argv, const CommandContext& ctx,
                   std::vector<Action>& out) {
  if (argv.empty()) return true;
  const std::string tool = Basename(argv[0]);
  if (tool == "rm") return ReadRm(argv, ctx, out), true;
  if (tool == "find") return ReadFind(argv, ctx, out), true;
  if (tool == "git") return ReadGit(argv, ctx, out), true;
  if (tool == "kubectl" || tool == "oc") return ReadKubectl(argv, ctx, out), true;
  if (tool == "helm") return ReadHelm(argv, ctx, out), true;
  if (tool == "terraform" || tool == "tofu") return ReadTerraform(argv, ctx, out), true;
  if (tool == "aws") return ReadAws(argv, ctx, out), true;
  if (tool == "gcloud" || tool == "az") return ReadGcloudLike(argv, ctx, out), true;
  if (tool == "gsutil") return ReadGsutil(argv, ctx, out), true;
  if (tool == "psql" || tool == "mysql" || tool == "mariadb" || tool == "sqlite3")
    return ReadDatabaseClient(argv, ctx, out), true;
  if (tool == "redis-cli") return ReadRedisCli(argv, ctx, out), true;
  if (tool == "systemctl" || tool == "service" || tool == "kill" || tool == "pkill" || tool == "killall" ||
      tool == "shutdown" || tool == "reboot" || tool == "poweroff" || tool == "halt" || tool == "init")
    return ReadService(argv, ctx, out), true;
  if (tool == "docker" || tool == "podman" || tool == "docker-compose" || tool == "nerdctl")
    return ReadContainer(argv, ctx, out), true;
  if (tool == "curl" || tool == "wget" || tool == "http" || tool == "xh")
    return ReadHttpClient(argv, ctx, out), true;
  return ReadSimple(tool, argv, ctx, out);
}

}  // namespace ringfence::guard_internal

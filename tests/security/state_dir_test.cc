// Class 7: the state directory and the session registry are not trusted blindly: a forged record
// cannot make ringfence signal someone else's process, planted symlinks are refused, and files
// are owner-only whatever the umask.
#include <signal.h>
#include <sys/stat.h>

#include "adapters/backends/process/process_backend.h"
#include "adapters/common/child_process.h"
#include "tests/security/security_fixture.h"

using namespace ringfence;
using namespace ringfence::testing;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

uint64_t StartTicks(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(in, line);
  std::istringstream rest(line.substr(line.rfind(')') + 2));
  std::string field;
  for (int i = 3; i <= 22; ++i) rest >> field;
  return std::stoull(field);
}

bool Alive(int pid) { return kill(pid, 0) == 0; }

}  // namespace

TEST_CASE("a forged registry record naming another process (even with its start time) leaves it alone") {
  TempDir tmp;
  BackgroundProcess victim({"sleep", "60"}, tmp.path() + "/victim.log");
  REQUIRE(victim.pid() > 1);
  std::string registry = tmp.path() + "/state/sessions";
  fs::create_directories(registry);
  json forged = {{"id", "forged"},
                 {"version", "1.0"},
                 {"endpoint", "http://127.0.0.1:1"},
                 {"started", 0},
                 {"process",
                  {{"pid", victim.pid()},
                   {"start_ticks", StartTicks(victim.pid())},
                   {"marker", "RINGFENCE_SESSION=" + registry + "/forged"}}}};
  WriteFile(registry + "/forged.json", forged.dump());
  json init = {{"id", "init"}, {"version", "1.0"}, {"process", {{"pid", 1}}}};
  WriteFile(registry + "/init.json", init.dump());
  json group = {{"id", "all"}, {"version", "1.0"}, {"process", {{"pid", -1}}}};  // would be kill(-1)
  WriteFile(registry + "/all.json", group.dump());
  {
    backends::ProcessBackend backend({tmp.path() + "/state", RINGFENCE_WORKLOAD});
    auto listed = backend.List();
    REQUIRE(listed.ok());
    CHECK(listed->empty());  // none of them is a session this registry started
    REQUIRE(backend.TerminateAll().ok());
  }
  CHECK(Alive(victim.pid()));
  CHECK_FALSE(fs::exists(registry + "/forged.json"));  // the forged record is dropped
  // The signalling primitives refuse too, whatever the caller passes.
  ProcessHandle handle{victim.pid(), StartTicks(victim.pid()), "RINGFENCE_SESSION=not-its-marker"};
  EndProcessGroup(handle, 100);
  CHECK_FALSE(StopProcessGroup(handle, true, 100).ok());
  EndProcessGroup(ProcessHandle{1, 0, ""}, 100);
  CHECK(Alive(victim.pid()));
}

TEST_CASE("symlinks planted in the state directory are refused and their targets untouched") {
  for (const char* planted :
       {"audit.log", "journal.db", "journal.db-wal", "logs/ringfence.log", "sessions/evil"}) {
    DYNAMIC_SECTION(planted) {
      TempDir tmp;
      std::string target = tmp.path() + "/precious";
      WriteFile(target, "do not touch\n");
      fs::create_directories(tmp.path() + "/state/logs");
      fs::create_directories(tmp.path() + "/state/sessions");
      fs::create_symlink(target, tmp.path() + "/state/" + planted);
      WriteFile(tmp.path() + "/plan.yaml", "not even read\n");
      auto r = RunRingfence({"rollout", "--state", tmp.path() + "/state", "unfreeze", "svc", "--by", "x"});
      INFO(r.err);
      CHECK(r.exit_code == kBadInput);
      CHECK(r.err.find("symlink") != std::string::npos);
      std::ifstream in(target);
      std::stringstream text;
      text << in.rdbuf();
      CHECK(text.str() == "do not touch\n");
    }
  }
}

TEST_CASE("state directories are 0700 and their files 0600, whatever the umask") {
  TempDir tmp;
  std::string state = tmp.path() + "/state";
  auto r = RunProcess({"sh", "-c",
                       "umask 000; exec '" + std::string(RINGFENCE_BINARY) + "' rollout --state '" + state +
                           "' unfreeze svc --by x"});
  CHECK(r.exit_code == kBadInput);  // svc is not frozen: but the directory was set up
  for (const char* dir : {"", "/logs", "/sessions", "/snapshots"}) {
    struct stat st;
    REQUIRE(stat((state + dir).c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
  }
  for (const char* file : {"/journal.db", "/audit.log"}) {
    struct stat st;
    REQUIRE(stat((state + file).c_str(), &st) == 0);
    CHECK((st.st_mode & 0077) == 0);
  }
}

TEST_CASE("read-only commands create nothing") {
  TempDir tmp;
  std::string state = tmp.path() + "/nothing-here";
  auto status = RunRingfence({"rollout", "--state", state, "status"});
  CHECK(status.exit_code == 0);
  auto verify = RunRingfence({"audit", "verify", "--state", state});
  CHECK(verify.exit_code == kBadInput);
  CHECK(verify.err.find("TAMPERED") == std::string::npos);
  CHECK(verify.err.find("no audit log") != std::string::npos);
  CHECK_FALSE(fs::exists(state));
}

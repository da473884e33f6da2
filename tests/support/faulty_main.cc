// ringfence-faulty: the ringfence command line with a fault injector in front of the journal, for
// crash tests only (never shipped). With RINGFENCE_KILL_AT=STATE it dies by SIGKILL right after the
// journal records STATE for the RINGFENCE_KILL_AT_COUNT-th time (default 1): the record is on disk,
// nothing after it has happened, not even its audit entry.
#include <signal.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "cli/cli_main.h"
#include "cli/rollout_runtime.h"

namespace {

using namespace ringfence;

class KillAfterAppend : public StateStore {
 public:
  KillAfterAppend(StateStore& inner, std::string state, int count)
      : inner_(inner), state_(std::move(state)), left_(count) {}
  Result<JournalRecord> Append(const JournalRecord& r, int64_t expected_seq) override {
    auto out = inner_.Append(r, expected_seq);
    if (out && r.state == state_ && --left_ == 0) raise(SIGKILL);
    return out;
  }
  Result<std::vector<JournalRecord>> Journal(const std::string& id) override { return inner_.Journal(id); }
  Result<std::optional<JournalRecord>> Last(const std::string& id) override { return inner_.Last(id); }
  Result<std::vector<RolloutSummary>> Rollouts() override { return inner_.Rollouts(); }
  Status SetFreeze(const Freeze& f) override { return inner_.SetFreeze(f); }
  Result<std::optional<Freeze>> FreezeOf(const std::string& s) override { return inner_.FreezeOf(s); }
  Status ClearFreeze(const std::string& s) override { return inner_.ClearFreeze(s); }
  Status TakeLease(const Lease& l, int64_t now) override { return inner_.TakeLease(l, now); }
  Status ReleaseLease(const std::string& s, const std::string& h) override {
    return inner_.ReleaseLease(s, h);
  }
  Result<std::optional<Lease>> LeaseOf(const std::string& s) override { return inner_.LeaseOf(s); }

 private:
  StateStore& inner_;
  std::string state_;
  int left_;
};

}  // namespace

int main(int argc, char** argv) {
  const char* state = std::getenv("RINGFENCE_KILL_AT");
  if (state && *state) {
    const char* count = std::getenv("RINGFENCE_KILL_AT_COUNT");
    int n = count ? std::atoi(count) : 1;
    std::string at = state;
    ringfence::cli::SetJournalDecorator([at, n](StateStore& inner) {
      return std::unique_ptr<StateStore>(new KillAfterAppend(inner, at, n));
    });
  }
  return ringfence::cli::RunCli(argc, argv);
}

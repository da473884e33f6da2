// Test helper: appends journal records forever (or N of them) to a SQLite journal, printing each
// committed sequence number, so that a test can kill it with SIGKILL at any instant.
//   journal_writer DB ROLLOUT [COUNT]
#include <cstdio>
#include <string>

#include "adapters/store/sqlite_state_store.h"

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  auto store = ringfence::store::SqliteStateStore::Open(argv[1]);
  if (!store) {
    std::fprintf(stderr, "%s\n", store.error().message.c_str());
    return 1;
  }
  long count = argc > 3 ? std::stol(argv[3]) : -1;
  auto last = (*store)->Last(argv[2]);
  if (!last) return 1;
  int64_t seq = *last ? (*last)->seq : 0;
  for (long i = 0; count < 0 || i < count; ++i) {
    ringfence::JournalRecord r;
    r.rollout_id = argv[2];
    r.state = "step:" + std::to_string(i);
    r.evidence_json = "{\"i\": " + std::to_string(i) + ", \"pad\": \"" + std::string(200, 'x') + "\"}";
    r.at_unix_ms = i;
    auto out = (*store)->Append(r, seq);
    if (!out) {
      std::fprintf(stderr, "%s\n", out.error().message.c_str());
      return 1;
    }
    seq = out->seq;
    std::printf("%lld\n", static_cast<long long>(out->seq));
    std::fflush(stdout);
  }
  return 0;
}

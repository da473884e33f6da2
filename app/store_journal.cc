#include "app/store_journal.h"

namespace ringfence::app {

Result<JournalRecord> AppendToStoreJournal(StateStore& store, AuditLog& audit, const JournalRecord& row) {
  for (int attempt = 0; attempt < 20; ++attempt) {
    auto last = store.Last(row.rollout_id);
    if (!last) return last.error();
    auto written = store.Append(row, *last ? (*last)->seq : 0);
    if (written) {
      if (auto st = audit.Record(*written); !st) return st.error();
      return *written;
    }
    if (written.error().kind != ErrorKind::kConflict) return written.error();
  }
  return Error::Conflict("the journal " + row.rollout_id + " kept changing under this writer");
}

}  // namespace ringfence::app

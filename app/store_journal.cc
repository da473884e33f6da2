#include "app/store_journal.h"

namespace ringfence::app {

Status AuditPending(StateStore& store, AuditLog& audit, const std::string& journal) {
  auto last = store.Last(journal);
  if (!last) return last.error();
  auto audited = audit.LastSeq(journal);
  if (!audited) return audited.error();
  if (!*last || (*last)->seq <= *audited) return Status::Ok();
  auto rows = store.Journal(journal);
  if (!rows) return rows.error();
  for (const auto& row : *rows) {
    if (row.seq <= *audited) continue;
    if (auto st = audit.Record(row); !st) return st;
  }
  return Status::Ok();
}

Result<JournalRecord> AppendToStoreJournal(StateStore& store, AuditLog& audit, const JournalRecord& row) {
  if (auto st = AuditPending(store, audit, row.rollout_id); !st) return st.error();
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

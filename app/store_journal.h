// Appending to a journal that is not a rollout's (IsStoreJournal: the fleet's, the guard's, the
// staged runs'), which any number of processes write at once: records a killed writer journaled but
// never audited are audited first, then the record is appended as a compare-and-set on the
// journal's last record (retried when another writer appended first) and audited.
#pragma once

#include <string>

#include "engine/ports/audit_log.h"
#include "engine/ports/state_store.h"

namespace ringfence::app {

// `row.rollout_id` names the journal; the record as written (its seq) once journaled and audited.
// kConflict when other writers kept winning; the store's and the log's errors as they are.
Result<JournalRecord> AppendToStoreJournal(StateStore& store, AuditLog& audit, const JournalRecord& row);

// Audits the records of `journal` after the last one the log holds (a writer killed between
// journaling and auditing); a read of the journal only when there are some.
Status AuditPending(StateStore& store, AuditLog& audit, const std::string& journal);

}  // namespace ringfence::app

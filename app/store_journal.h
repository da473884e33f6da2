// Appending to a journal that is not a rollout's (IsStoreJournal: the fleet's, the guard's), which
// any number of processes write at once: a compare-and-set on the journal's last record, retried
// when another writer appended first, then audited.
#pragma once

#include "engine/ports/audit_log.h"
#include "engine/ports/state_store.h"

namespace ringfence::app {

// `row.rollout_id` names the journal; the record as written (its seq) once journaled and audited.
// kConflict when other writers kept winning; the store's and the log's errors as they are.
Result<JournalRecord> AppendToStoreJournal(StateStore& store, AuditLog& audit, const JournalRecord& row);

}  // namespace ringfence::app

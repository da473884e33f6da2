// The audit log as a file of JSON lines, one decision a line, hash-chained:
//
//   {"at":..,"evidence":{..},"hash":H(n),"journal_seq":..,"n":n,"prev":H(n-1),"rollout":..,"state":..}
//
// where H(n) = sha256(H(n-1) + "\n" + the line's JSON without "hash" and "mac", keys sorted) and
// H(0) is 64 zeros. Editing, removing, inserting or reordering a line breaks the chain at that
// line; dropping lines from the end is caught by comparing with the journal
// (VerifyAuditAgainstJournal). Appends take an exclusive flock and fsync, so concurrent rollouts
// share one log.
//
// The chain alone proves integrity, not authorship: whoever can write the state directory can
// rewrite journal and log consistently. With a key (kept outside the state directory, see
// docs/rollout.md) every entry also carries "mac": HMAC-SHA256(key, H(n)), which nobody without
// the key can compute; a log is either authenticated from its first entry or not at all.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/ports/audit_log.h"

namespace ringfence::store {

class AuditFile : public AuditLog {
 public:
  // `key` empty: an unauthenticated log. A key for a log started without one, or none for a log
  // started with one, is kInvalidInput (its entries would not verify).
  static Result<std::unique_ptr<AuditFile>> Open(const std::string& path, const std::string& key = "");
  ~AuditFile() override;
  Status Record(const JournalRecord& record) override;
  Result<int64_t> LastSeq(const std::string& rollout_id) override;

 private:
  AuditFile(std::string path, int fd, std::string key)
      : path_(std::move(path)), fd_(fd), key_(std::move(key)) {}
  Status CatchUp();  // reads lines other writers appended since the last look (holding the lock)

  std::string path_;
  int fd_;
  std::string key_;
  int64_t read_to_ = 0;
  int64_t lines_ = 0;
  std::string last_hash_;
  std::map<std::string, int64_t> last_seq_;
};

struct AuditEntry {
  int64_t line = 0;
  std::string rollout_id, state, evidence_json;
  int64_t journal_seq = 0, at_unix_ms = 0;
};

struct AuditCheck {
  std::vector<AuditEntry> entries;
  bool authenticated = false;  // every entry's MAC verified with the key given
  bool keyed = false;          // the entries carry MACs (checked only with the key)
};

// Checks the chain of every line, and with a key every line's MAC. kInvalidInput naming
// path:line and what is wrong; kNotFound when there is no log.
Result<AuditCheck> VerifyAuditFile(const std::string& path, const std::string& key = "");
Result<AuditCheck> VerifyAuditText(const std::string& text, const std::string& path,
                                   const std::string& key = "");

// The log and the journal say the same, in both directions: every journal record has its audit
// entry with the same state, evidence and time (catches a log cut short at its end), and every
// audit entry has its journal record (catches a journal emptied, deleted or rewritten). Records
// after a rollout's last audited one are not tampering but pending (a run killed between
// journaling and auditing; resuming records them): their count is returned.
Result<int> VerifyAuditAgainstJournal(const std::string& audit_path, const std::vector<AuditEntry>& audit,
                                      const std::vector<JournalRecord>& journal);

}  // namespace ringfence::store

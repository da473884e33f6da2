// The audit log as a file of JSON lines, one decision a line, hash-chained:
//
//   {"at":..,"evidence":{..},"hash":H(n),"journal_seq":..,"n":n,"prev":H(n-1),"rollout":..,"state":..}
//
// where H(n) = sha256(H(n-1) + "\n" + the line's JSON without "hash", keys sorted) and H(0) is 64
// zeros. Editing, removing, inserting or reordering a line breaks the chain at that line;
// dropping lines from the end is caught by comparing with the journal (VerifyAuditAgainstJournal).
// Appends take an exclusive flock and fsync, so concurrent rollouts share one log.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/ports/audit_log.h"

namespace ringfence::store {

class AuditFile : public AuditLog {
 public:
  static Result<std::unique_ptr<AuditFile>> Open(const std::string& path);
  ~AuditFile() override;
  Status Record(const JournalRecord& record) override;
  Result<int64_t> LastSeq(const std::string& rollout_id) override;

 private:
  AuditFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  Status CatchUp();  // reads lines other writers appended since the last look (holding the lock)

  std::string path_;
  int fd_;
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

// Checks the chain of every line. kInvalidInput naming path:line and what is wrong.
Result<std::vector<AuditEntry>> VerifyAuditFile(const std::string& path);
Result<std::vector<AuditEntry>> VerifyAuditText(const std::string& text, const std::string& path);

// Every journal record has its audit entry with the same state and evidence: catches a log cut
// short at its end. Records after a rollout's last audited one are not tampering but pending (a run
// killed between journaling and auditing; resuming records them): their count is returned.
Result<int> VerifyAuditAgainstJournal(const std::string& audit_path, const std::vector<AuditEntry>& audit,
                                 const std::vector<JournalRecord>& journal);

}  // namespace ringfence::store

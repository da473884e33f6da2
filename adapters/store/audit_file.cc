#include "adapters/store/audit_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "adapters/common/files.h"
#include "adapters/common/sha256.h"

namespace ringfence::store {
namespace {

using nlohmann::json;
const std::string kGenesis(64, '0');

class FileLock {
 public:
  explicit FileLock(int fd) : fd_(fd) { ok_ = flock(fd_, LOCK_EX) == 0; }
  ~FileLock() {
    if (ok_) flock(fd_, LOCK_UN);
  }
  bool ok() const { return ok_; }

 private:
  int fd_;
  bool ok_;
};

std::string ChainHash(const std::string& prev, json entry) {
  entry.erase("hash");
  entry.erase("mac");
  return Sha256Hex(prev + "\n" + entry.dump());
}

// Parses and checks one line against the previous hash (and, with a key, its MAC); "" when it holds.
std::string CheckLine(const std::string& line, int64_t n, const std::string& prev, const std::string& key,
                      json& out) {
  out = json::parse(line, nullptr, false);
  if (!out.is_object()) return "not a JSON object";
  if (!out.contains("hash") || !out["hash"].is_string() || !out.contains("prev") ||
      !out["prev"].is_string()) {
    return "no hash chain fields";
  }
  for (const char* text_field : {"rollout", "state"}) {
    if (out.contains(text_field) && !out[text_field].is_string())
      return std::string("'") + text_field + "' is not a string";
  }
  for (const char* number_field : {"journal_seq", "at"}) {
    if (out.contains(number_field) && !out[number_field].is_number_integer())
      return std::string("'") + number_field + "' is not an integer";
  }
  auto number = out.find("n");
  if (number == out.end() || !number->is_number_integer() || number->get<int64_t>() != n)
    return "entry number " + (number == out.end() ? std::string("(none)") : number->dump()) + " where " +
           std::to_string(n) + " belongs (an entry was removed or inserted)";
  if (out["prev"].get<std::string>() != prev)
    return "it does not follow the entry before it (removed or reordered)";
  if (ChainHash(prev, out) != out["hash"].get<std::string>())
    return "its hash does not match its content (edited)";
  if (!key.empty()) {
    if (!out.contains("mac") || !out["mac"].is_string())
      return "it carries no MAC: not written by a holder of the key";
    if (!ConstantTimeEqual(out["mac"].get<std::string>(),
                           HmacSha256Hex(key, out["hash"].get<std::string>()))) {
      return "its MAC does not verify with the key (forged or rewritten without the key)";
    }
  }
  return "";
}

}  // namespace

Result<std::unique_ptr<AuditFile>> AuditFile::Open(const std::string& path, const std::string& key) {
  auto opened = OpenNoFollow(path, O_RDWR | O_CREAT | O_APPEND, 0600);
  if (!opened) return opened.error().Wrap("the audit log");
  int fd = *opened;
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return Error::InvalidInput("the audit log " + path + " is not a regular file");
  }
  std::unique_ptr<AuditFile> log(new AuditFile(path, fd, key));
  log->last_hash_ = kGenesis;
  FileLock lock(fd);
  if (!lock.ok()) return Error::Io("cannot lock the audit log " + path);
  if (key.empty()) {
    // Unkeyed writers must not extend an authenticated log: look at its first entry.
    std::string first(512, '\0');
    ssize_t got = pread(fd, first.data(), first.size(), 0);
    first.resize(got > 0 ? static_cast<size_t>(got) : 0);
    if (first.find("\"mac\":") != std::string::npos) {
      return Error::InvalidInput("the audit log " + path +
                                 " is authenticated; give its key (--audit-key FILE or " +
                                 "$RINGFENCE_AUDIT_KEY_FILE)");
    }
  }
  if (auto st = log->CatchUp(); !st) {
    if (!key.empty() && st.error().message.find("carries no MAC") != std::string::npos) {
      return Error::InvalidInput("the audit log " + path +
                                 " was started without a key; an authenticated log " +
                                 "starts empty (use a new state directory, or drop --audit-key)");
    }
    return st.error();
  }
  return log;
}

AuditFile::~AuditFile() { ::close(fd_); }

Status AuditFile::CatchUp() {
  struct stat st;
  if (fstat(fd_, &st) != 0) return Error::Io("cannot stat " + path_);
  if (st.st_size == read_to_) return Status::Ok();
  std::string text(static_cast<size_t>(st.st_size - read_to_), '\0');
  ssize_t got = pread(fd_, text.data(), text.size(), read_to_);
  if (got != static_cast<ssize_t>(text.size())) return Error::Io("cannot read " + path_);
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) {
      return Error::Io(path_ + ":" + std::to_string(lines_ + 1) +
                       ": the last entry is cut short; repair the log");
    }
    json entry;
    std::string bad = CheckLine(text.substr(pos, nl - pos), lines_ + 1, last_hash_, key_, entry);
    if (!bad.empty()) {
      return Error::Io(path_ + ":" + std::to_string(lines_ + 1) + ": " + bad +
                       "; refusing to extend a broken chain");
    }
    ++lines_;
    last_hash_ = entry["hash"].get<std::string>();
    int64_t& seq = last_seq_[entry.value("rollout", "")];
    seq = std::max(seq, entry.value("journal_seq", int64_t{0}));
    pos = nl + 1;
  }
  read_to_ = st.st_size;
  return Status::Ok();
}

Status AuditFile::Record(const JournalRecord& r) {
  FileLock lock(fd_);
  if (!lock.ok()) return Error::Io("cannot lock the audit log " + path_);
  if (auto st = CatchUp(); !st) return st;
  if (r.seq <= last_seq_[r.rollout_id]) return Status::Ok();  // recorded already
  json evidence = json::parse(r.evidence_json, nullptr, false);
  if (evidence.is_discarded()) evidence = r.evidence_json;
  json entry = {{"n", lines_ + 1},    {"rollout", r.rollout_id}, {"journal_seq", r.seq}, {"state", r.state},
                {"at", r.at_unix_ms}, {"evidence", evidence},    {"prev", last_hash_}};
  entry["hash"] = ChainHash(last_hash_, entry);
  if (!key_.empty()) entry["mac"] = HmacSha256Hex(key_, entry["hash"].get<std::string>());
  std::string line = entry.dump() + "\n";
  if (::write(fd_, line.data(), line.size()) != static_cast<ssize_t>(line.size()) || fsync(fd_) != 0) {
    return Error::Io("cannot append to the audit log " + path_ + ": " + std::strerror(errno));
  }
  return CatchUp();
}

Result<int64_t> AuditFile::LastSeq(const std::string& rollout_id) {
  FileLock lock(fd_);
  if (!lock.ok()) return Error::Io("cannot lock the audit log " + path_);
  if (auto st = CatchUp(); !st) return st.error();
  auto it = last_seq_.find(rollout_id);
  return it == last_seq_.end() ? 0 : it->second;
}

Result<AuditCheck> VerifyAuditFile(const std::string& path, const std::string& key) {
  auto text = ReadFileNoFollow(path);
  if (!text) return text.error();
  return VerifyAuditText(*text, path, key);
}

Result<AuditCheck> VerifyAuditText(const std::string& text, const std::string& path, const std::string& key) {
  AuditCheck out;
  std::string prev = kGenesis;
  size_t pos = 0;
  int64_t n = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    ++n;
    if (nl == std::string::npos)
      return Error::InvalidInput(path + ":" + std::to_string(n) + ": the entry is cut short");
    json entry;
    std::string bad = CheckLine(text.substr(pos, nl - pos), n, prev, key, entry);
    if (!bad.empty()) return Error::InvalidInput(path + ":" + std::to_string(n) + ": " + bad);
    prev = entry["hash"].get<std::string>();
    out.keyed = out.keyed || entry.contains("mac");
    const json& ev = entry["evidence"];
    out.entries.push_back({n, entry.value("rollout", ""), entry.value("state", ""),
                           ev.is_string() ? ev.get<std::string>() : ev.dump(),
                           entry.value("journal_seq", int64_t{0}), entry.value("at", int64_t{0})});
    pos = nl + 1;
  }
  out.authenticated = !key.empty();
  return out;
}

Result<int> VerifyAuditAgainstJournal(const std::string& audit_path, const std::vector<AuditEntry>& audit,
                                      const std::vector<JournalRecord>& journal) {
  std::map<std::pair<std::string, int64_t>, const AuditEntry*> by_key;
  std::map<std::string, int64_t> last_audited;
  for (const auto& e : audit) {
    by_key[{e.rollout_id, e.journal_seq}] = &e;
    last_audited[e.rollout_id] = std::max(last_audited[e.rollout_id], e.journal_seq);
  }
  // A killed run leaves at most its last record unaudited (it audits before acting on it).
  std::map<std::string, int64_t> last_journaled;
  for (const auto& r : journal) last_journaled[r.rollout_id] = std::max(last_journaled[r.rollout_id], r.seq);
  // Every audit entry has its record: a journal emptied, deleted or cut short is caught here.
  std::map<std::pair<std::string, int64_t>, const JournalRecord*> records;
  for (const auto& r : journal) records[{r.rollout_id, r.seq}] = &r;
  for (const auto& e : audit) {
    if (!records.count({e.rollout_id, e.journal_seq})) {
      return Error::InvalidInput(
          audit_path + ":" + std::to_string(e.line) + ": the journal has no record " + e.rollout_id + " #" +
          std::to_string(e.journal_seq) + " (" + e.state + ") that this entry audits: " +
          (journal.empty() ? "the journal is empty or missing" : "the journal was cut or rewritten"));
    }
  }
  int pending = 0;
  for (const auto& r : journal) {
    auto it = by_key.find({r.rollout_id, r.seq});
    if (it == by_key.end() && r.seq == last_journaled[r.rollout_id] &&
        r.seq == last_audited[r.rollout_id] + 1) {
      ++pending;
      continue;
    }
    if (it == by_key.end()) {
      return Error::InvalidInput(audit_path + ": no entry for " + r.rollout_id + " #" +
                                 std::to_string(r.seq) + " (" + r.state +
                                 ") of the journal: the log was cut short");
    }
    json journal_ev = json::parse(r.evidence_json, nullptr, false);
    std::string expect = journal_ev.is_discarded() ? r.evidence_json : journal_ev.dump();
    if (it->second->state != r.state || it->second->evidence_json != expect ||
        it->second->at_unix_ms != r.at_unix_ms) {
      return Error::InvalidInput(audit_path + ":" + std::to_string(it->second->line) +
                                 ": differs from the journal's " + r.rollout_id + " #" +
                                 std::to_string(r.seq));
    }
  }
  return pending;
}

}  // namespace ringfence::store

// What `guard log` and `guard run` read that others wrote: guard and staged-run journal records
// (the state directory may be hostile). Never crash; a record that does not decode is kIo; what decodes
// encodes back to a record that decodes to the same argv; pairing never crashes on any sequence.
#include <string>
#include <string_view>
#include <vector>

#include "engine/guard/exec_record.h"
#include "engine/guard/run_record.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<ringfence::JournalRecord> rows, runs;
  // Records separated by NUL, each the state's first letter ('d' decided, 'e' ended) then JSON.
  size_t start = 0;
  while (start <= text.size() && rows.size() < 16) {
    size_t end = text.find('\0', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view part = text.substr(start, end - start);
    ringfence::JournalRecord r;
    r.seq = static_cast<int64_t>(rows.size()) + 1;
    r.rollout_id = ringfence::kGuardJournal;
    r.state = !part.empty() && part[0] == 'e' ? "exec_ended" : "exec_decided";
    r.evidence_json = std::string(part.empty() ? part : part.substr(1));
    auto decoded = ringfence::DecodeExecRecord(r);
    if (!decoded && decoded.error().kind != ringfence::ErrorKind::kIo) __builtin_trap();
    if (decoded) {
      auto again = ringfence::DecodeExecRecord(ringfence::EncodeExecRecord(*decoded, 0));
      if (!again || again->index() != decoded->index()) __builtin_trap();
      if (auto* d = std::get_if<ringfence::ExecDecidedEvent>(&*decoded)) {
        if (std::get<ringfence::ExecDecidedEvent>(*again).argv != d->argv) __builtin_trap();
      }
    }
    ringfence::JournalRecord run = r;
    run.rollout_id = ringfence::kGuardRunJournal;
    static const char* kRunStates[] = {"run_started", "wave_started", "target_ran", "wave_checked",
                                       "run_ended"};
    run.state = kRunStates[part.empty() ? 0 : static_cast<unsigned char>(part[0]) % 5];
    auto event = ringfence::DecodeRunRecord(run);
    if (!event && event.error().kind != ringfence::ErrorKind::kIo) __builtin_trap();
    if (event && !ringfence::DecodeRunRecord(ringfence::EncodeRunRecord(*event, 0))) __builtin_trap();
    runs.push_back(std::move(run));
    rows.push_back(std::move(r));
    start = end + 1;
  }
  (void)ringfence::ExecsOf(rows);
  (void)ringfence::RunsOf(runs);
  return 0;
}

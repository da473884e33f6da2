#include "engine/guard/run_record.h"

#include <map>
#include <nlohmann/json.hpp>

#include "engine/core/json_fields.h"

namespace ringfence {
namespace {

using nlohmann::json;

constexpr const char* kRunStarted = "run_started";
constexpr const char* kWaveStarted = "wave_started";
constexpr const char* kTargetRan = "target_ran";
constexpr const char* kWaveChecked = "wave_checked";
constexpr const char* kRunEnded = "run_ended";

std::string What(const JournalRecord& r) { return "staged-run journal record " + std::to_string(r.seq); }

// Reads the fields named, in order, into the outputs given.
template <class T>
Status Read(const json& j, const JournalRecord& r, std::initializer_list<std::pair<const char*, T*>> fields) {
  for (const auto& field : fields) {
    const char* key = field.first;  // not a structured binding: lambdas capture it (clang 14)
    T* out = field.second;
    Result<T> v = [&]() -> Result<T> {
      if constexpr (std::is_same_v<T, std::string>) return JsonString(j, key, What(r));
      if constexpr (std::is_same_v<T, int64_t>) return JsonInt(j, key, What(r));
      if constexpr (std::is_same_v<T, std::vector<std::string>>) return JsonStrings(j, key, What(r));
      if constexpr (std::is_same_v<T, std::vector<int64_t>>) return JsonInts(j, key, What(r));
    }();
    if (!v) return v.error();
    *out = std::move(*v);
  }
  return Status::Ok();
}

Result<RunEvent> Decode(const json& j, const JournalRecord& r) {
  std::string run_id;
  if (auto st = Read<std::string>(j, r, {{"run_id", &run_id}}); !st) return st.error();
  if (r.state == kRunStarted) {
    RunStartedEvent e;
    e.run_id = run_id;
    std::string decision;
    if (auto st = Read<std::string>(j, r,
                                    {{"name", &e.name},
                                     {"path", &e.path},
                                     {"plan", &e.plan},
                                     {"decision", &decision},
                                     {"actor", &e.actor}});
        !st)
      return st.error();
    if (auto st = Read<std::vector<std::string>>(j, r, {{"targets", &e.targets}, {"rules", &e.rules}}); !st)
      return st.error();
    if (auto st = Read<std::vector<int64_t>>(j, r, {{"waves", &e.waves}}); !st) return st.error();
    if (auto st = Read<int64_t>(j, r, {{"bake_ms", &e.bake_ms}}); !st) return st.error();
    auto d = DecisionNamed(decision);
    if (!d) return Error::Io(What(r) + ": '" + decision + "' is not a decision");
    e.decision = *d;
    return RunEvent{std::move(e)};
  }
  if (r.state == kWaveStarted) {
    WaveStartedEvent e{run_id, 0};
    if (auto st = Read<int64_t>(j, r, {{"wave", &e.wave}}); !st) return st.error();
    return RunEvent{e};
  }
  if (r.state == kTargetRan) {
    TargetRanEvent e;
    e.run_id = run_id;
    int64_t code = 0, signal = 0;
    if (auto st = Read<std::string>(j, r, {{"target", &e.target}, {"error", &e.error}}); !st)
      return st.error();
    if (auto st = Read<int64_t>(j, r, {{"wave", &e.wave}, {"exit_code", &code}, {"signal", &signal}}); !st)
      return st.error();
    auto started = JsonBool(j, "started", What(r));
    if (!started) return started.error();
    e.started = *started;
    e.exit_code = static_cast<int>(code);
    e.signal = static_cast<int>(signal);
    return RunEvent{std::move(e)};
  }
  if (r.state == kWaveChecked) {
    WaveCheckedEvent e;
    e.run_id = run_id;
    if (auto st = Read<int64_t>(j, r, {{"wave", &e.wave}}); !st) return st.error();
    if (auto st = Read<std::vector<std::string>>(j, r, {{"unhealthy", &e.unhealthy}}); !st) return st.error();
    auto passed = JsonBool(j, "passed", What(r));
    if (!passed) return passed.error();
    e.passed = *passed;
    return RunEvent{std::move(e)};
  }
  if (r.state == kRunEnded) {
    RunEndedEvent e;
    e.run_id = run_id;
    std::string outcome;
    if (auto st = Read<std::string>(j, r, {{"outcome", &outcome}, {"detail", &e.detail}}); !st)
      return st.error();
    bool known = false;
    for (RunOutcome o :
         {RunOutcome::kCompleted, RunOutcome::kStopped, RunOutcome::kRefused, RunOutcome::kAbandoned}) {
      if (outcome == ToString(o)) e.outcome = o, known = true;
    }
    if (!known) return Error::Io(What(r) + ": '" + outcome + "' is not an outcome of a run");
    return RunEvent{std::move(e)};
  }
  return Error::Io(What(r) + ": unknown state '" + r.state + "'");
}

}  // namespace

const char* ToString(RunOutcome outcome) {
  switch (outcome) {
    case RunOutcome::kCompleted:
      return "completed";
    case RunOutcome::kStopped:
      return "stopped";
    case RunOutcome::kRefused:
      return "refused";
    case RunOutcome::kAbandoned:
      return "abandoned";
  }
  return "stopped";
}

JournalRecord EncodeRunRecord(const RunEvent& event, int64_t at_unix_ms) {
  JournalRecord r;
  r.rollout_id = kGuardRunJournal;
  r.at_unix_ms = at_unix_ms;
  json j = {{"format", 1}};
  std::visit(
      [&](const auto& e) {
        using T = std::decay_t<decltype(e)>;
        j["run_id"] = e.run_id;
        if constexpr (std::is_same_v<T, RunStartedEvent>) {
          r.state = kRunStarted;
          j.update({{"name", e.name},
                    {"path", e.path},
                    {"plan", e.plan},
                    {"targets", e.targets},
                    {"waves", e.waves},
                    {"bake_ms", e.bake_ms},
                    {"decision", ToString(e.decision)},
                    {"rules", e.rules},
                    {"actor", e.actor}});
        } else if constexpr (std::is_same_v<T, WaveStartedEvent>) {
          r.state = kWaveStarted;
          j["wave"] = e.wave;
        } else if constexpr (std::is_same_v<T, TargetRanEvent>) {
          r.state = kTargetRan;
          j.update({{"target", e.target},
                    {"wave", e.wave},
                    {"started", e.started},
                    {"exit_code", e.exit_code},
                    {"signal", e.signal},
                    {"error", e.error}});
        } else if constexpr (std::is_same_v<T, WaveCheckedEvent>) {
          r.state = kWaveChecked;
          j.update({{"wave", e.wave}, {"passed", e.passed}, {"unhealthy", e.unhealthy}});
        } else {
          static_assert(std::is_same_v<T, RunEndedEvent>);
          r.state = kRunEnded;
          j.update({{"outcome", ToString(e.outcome)}, {"detail", e.detail}});
        }
      },
      event);
  r.evidence_json = j.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

Result<RunEvent> DecodeRunRecord(const JournalRecord& r) {
  json j = json::parse(r.evidence_json, nullptr, false);
  if (!j.is_object()) return Error::Io(What(r) + ": not a JSON object");
  auto format = JsonInt(j, "format", What(r));
  if (!format) return format.error();
  if (*format != 1)
    return Error::Io(What(r) + ": format " + std::to_string(*format) + ", which this release does not read");
  return Decode(j, r);
}

Result<std::vector<RunHistory>> RunsOf(const std::vector<JournalRecord>& records) {
  std::vector<RunHistory> runs;
  std::map<std::string, size_t> index;
  for (const auto& r : records) {
    auto event = DecodeRunRecord(r);
    if (!event) return event.error();
    if (auto* started = std::get_if<RunStartedEvent>(&*event)) {
      if (!index.emplace(started->run_id, runs.size()).second)
        return Error::Io(What(r) + ": run " + started->run_id + " is started twice");
      runs.push_back({std::move(*started), {}, {}, 0, std::nullopt});
      continue;
    }
    std::string id = std::visit([](const auto& e) { return e.run_id; }, *event);
    auto it = index.find(id);
    if (it == index.end()) return Error::Io(What(r) + ": run " + id + " was never started");
    RunHistory& run = runs[it->second];
    if (run.ended) return Error::Io(What(r) + ": a record of run " + id + " after its end");
    const int64_t waves = static_cast<int64_t>(run.started.waves.size());
    if (auto* w = std::get_if<WaveStartedEvent>(&*event)) {
      if (w->wave != run.waves_started || w->wave >= waves)
        return Error::Io(What(r) + ": wave " + std::to_string(w->wave) + " of run " + id + " out of order");
      ++run.waves_started;
    } else if (auto* t = std::get_if<TargetRanEvent>(&*event)) {
      if (t->wave != run.waves_started - 1)
        return Error::Io(What(r) + ": target " + t->target + " of run " + id + " ran outside its wave");
      run.ran.push_back(std::move(*t));
    } else if (auto* c = std::get_if<WaveCheckedEvent>(&*event)) {
      if (c->wave != run.waves_started - 1 || static_cast<int64_t>(run.checked.size()) != c->wave)
        return Error::Io(What(r) + ": a check of wave " + std::to_string(c->wave) + " of run " + id +
                         " out of order");
      run.checked.push_back(std::move(*c));
    } else {
      run.ended = std::get<RunEndedEvent>(*event);
    }
  }
  return runs;
}

}  // namespace ringfence

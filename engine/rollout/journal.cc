#include "engine/rollout/journal.h"

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "engine/rules/constraints_json.h"

namespace ringfence {
namespace {

using nlohmann::json;

constexpr struct {
  RolloutState state;
  const char* name;
} kStates[] = {
    {RolloutState::kNotAdmitted, "not_admitted"},
    {RolloutState::kStarted, "started"},
    {RolloutState::kStep, "step"},
    {RolloutState::kJudged, "judged"},
    {RolloutState::kAwaitingHuman, "awaiting_human"},
    {RolloutState::kApproved, "approved"},
    {RolloutState::kRollback, "rollback"},
    {RolloutState::kRollbackSessions, "rollback_sessions"},
    {RolloutState::kVerifying, "verifying"},
    {RolloutState::kRolledBack, "rolled_back"},
    {RolloutState::kEscalated, "escalated"},
    {RolloutState::kPromoted, "promoted"},
    {RolloutState::kUnfrozen, "unfrozen"},
};

// Reads the fields of one record's evidence; the first problem is kept and names the field.
class Fields {
 public:
  Fields(const json& j, std::string where) : j_(j), where_(std::move(where)) {}

  std::string Str(const char* key) {
    const json* v = Find(key, true);
    if (!v) return "";
    if (!v->is_string()) return Bad(key, "a string"), "";
    return v->get<std::string>();
  }
  std::string OptStr(const char* key) {
    const json* v = Find(key, false);
    if (!v) return "";
    if (!v->is_string()) return Bad(key, "a string"), "";
    return v->get<std::string>();
  }
  bool Bool(const char* key) {
    const json* v = Find(key, true);
    if (!v) return false;
    if (!v->is_boolean()) return Bad(key, "true or false"), false;
    return v->get<bool>();
  }
  bool Has(const char* key) const { return j_.contains(key); }
  int64_t Int(const char* key) {
    const json* v = Find(key, true);
    if (!v) return 0;
    if (!v->is_number_integer()) return Bad(key, "an integer"), 0;
    return v->get<int64_t>();
  }
  std::optional<int64_t> OptInt(const char* key) {
    const json* v = Find(key, false);
    if (!v) return std::nullopt;
    if (!v->is_number_integer()) return Bad(key, "an integer"), std::nullopt;
    return v->get<int64_t>();
  }
  double Num(const char* key, bool null_is_nan = false) {
    const json* v = Find(key, true);
    if (!v) return 0;
    if (null_is_nan && v->is_null()) return std::numeric_limits<double>::quiet_NaN();  // JSON has no NaN
    if (!v->is_number()) return Bad(key, "a number"), 0;
    return v->get<double>();
  }
  const json* Obj(const char* key) {
    const json* v = Find(key, true);
    if (v && !v->is_object()) return Bad(key, "an object"), nullptr;
    return v;
  }
  const json* Arr(const char* key) {
    const json* v = Find(key, true);
    if (v && !v->is_array()) return Bad(key, "a list"), nullptr;
    return v;
  }
  void Bad(const std::string& key, const std::string& what) {
    if (!error_) error_ = Error::Io(where_ + ": field '" + key + "' must be " + what);
  }
  const std::optional<Error>& error() const { return error_; }
  const std::string& where() const { return where_; }

 private:
  const json* Find(const char* key, bool required) {
    auto it = j_.find(key);
    if (it == j_.end()) {
      if (required && !error_) error_ = Error::Io(where_ + ": field '" + std::string(key) + "' is missing");
      return nullptr;
    }
    return &*it;
  }
  const json& j_;
  std::string where_;
  std::optional<Error> error_;
};

json ImageJson(const ImageRef& i) {
  return {{"version", i.version}, {"digest", i.digest}, {"location", i.location}};
}

ImageRef ImageOf(Fields& parent, const char* key) {
  const json* j = parent.Obj(key);
  if (!j) return {};
  Fields f(*j, parent.where() + "." + key);
  ImageRef out{f.Str("version"), f.Str("digest"), f.Str("location")};
  if (f.error()) parent.Bad(key, "an image {version, digest, location}: " + f.error()->message);
  return out;
}

std::optional<JudgeOutcome> ParseOutcome(const std::string& s) {
  for (auto o :
       {JudgeOutcome::kPass, JudgeOutcome::kFail, JudgeOutcome::kNoData, JudgeOutcome::kInconclusive}) {
    if (s == ToString(o)) return o;
  }
  return std::nullopt;
}

std::optional<RollbackSessions> ParseMode(const std::string& s) {
  for (auto m : {RollbackSessions::kDrain, RollbackSessions::kTerminate, RollbackSessions::kRestore}) {
    if (s == ToString(m)) return m;
  }
  return std::nullopt;
}

json AdmissionJson(const AdmissionDecision& a) {
  auto image = [](const ImageAdmission& i) {
    return json{{"role", i.role},         {"version", i.version}, {"digest", i.digest},
                {"admitted", i.admitted}, {"reasons", i.reasons}, {"findings", i.findings},
                {"failing", i.failing}};
  };
  json out = {{"policy", a.policy},
              {"policy_digest", a.policy_digest},
              {"database_digest", a.database_digest},
              {"candidate", image(a.candidate)},
              {"baseline", image(a.baseline)}};
  if (a.max_session_age_ms > 0) out["max_session_age_ms"] = a.max_session_age_ms;  // absent: no limit
  return out;
}

ImageAdmission ImageAdmissionOf(Fields& parent, const char* key) {
  ImageAdmission out;
  const json* j = parent.Obj(key);
  if (!j) return out;
  Fields f(*j, parent.where() + "." + key);
  out.role = f.Str("role");
  out.version = f.Str("version");
  out.digest = f.Str("digest");
  out.admitted = f.Bool("admitted");
  out.findings = static_cast<size_t>(f.Int("findings"));
  out.failing = static_cast<size_t>(f.Int("failing"));
  if (const json* reasons = f.Arr("reasons")) {
    for (const auto& r : *reasons) {
      if (!r.is_string())
        f.Bad("reasons", "a list of strings");
      else
        out.reasons.push_back(r.get<std::string>());
    }
  }
  if (f.error()) parent.Bad(key, "an image admission: " + f.error()->message);
  return out;
}

json SetupJson(const RolloutSetup& s) {
  json out = {{"rollout", s.id},
              {"plan_path", s.plan_path},
              {"plan_text", s.plan_text},
              {"baseline", ImageJson(s.baseline)},
              {"candidate", ImageJson(s.candidate)},
              {"gate_constraints", ConstraintsJson(s.gate_constraints)}};
  if (!s.service.empty()) out["service"] = s.service;  // absent in journals before it was recorded
  if (s.admission) out["admission"] = AdmissionJson(*s.admission);
  return out;
}

Result<RolloutSetup> SetupFrom(Fields& f) {
  RolloutSetup s;
  s.id = f.Str("rollout");
  s.service = f.OptStr("service");
  s.plan_path = f.Str("plan_path");
  s.plan_text = f.Str("plan_text");
  s.baseline = ImageOf(f, "baseline");
  s.candidate = ImageOf(f, "candidate");
  if (const json* c = f.Obj("gate_constraints")) {
    auto constraints = ConstraintsFromJson(*c, f.where() + ".gate_constraints");
    if (!constraints) return Error::Io(constraints.error().message);
    s.gate_constraints = *constraints;
  }
  if (f.Has("admission")) {
    const json* a = f.Obj("admission");
    if (a) {
      Fields af(*a, f.where() + ".admission");
      AdmissionDecision d;
      d.policy = af.Str("policy");
      d.policy_digest = af.Str("policy_digest");
      d.database_digest = af.Str("database_digest");
      d.candidate = ImageAdmissionOf(af, "candidate");
      d.baseline = ImageAdmissionOf(af, "baseline");
      d.max_session_age_ms = af.OptInt("max_session_age_ms").value_or(0);
      if (d.max_session_age_ms < 0) af.Bad("max_session_age_ms", "above 0");
      if (af.error()) return *af.error();
      s.admission = d;
    }
  }
  return s;
}

json EvidenceOf(const RolloutEvent& event) {
  json j = std::visit(
      [](const auto& e) -> json {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, StartedEvent> || std::is_same_v<E, NotAdmittedEvent>) {
          return SetupJson(e.setup);
        } else if constexpr (std::is_same_v<E, StepEvent>) {
          return {{"step", e.step}, {"weight", e.weight}, {"bake_ms", e.bake_ms}};
        } else if constexpr (std::is_same_v<E, JudgedEvent>) {
          json verdicts = json::array();
          for (const auto& v : e.verdicts) {
            verdicts.push_back({{"metric", v.metric},
                                {"judge", v.judge},
                                {"outcome", ToString(v.outcome)},
                                {"reason", v.reason},
                                {"p_value", v.p_value},
                                {"effect", v.effect}});
          }
          json out = {{"step", e.step},
                      {"weight", e.weight},
                      {"verdicts", verdicts},
                      {"window_ms", e.window_ms},
                      {"canary_sessions", e.canary_sessions},
                      {"baseline_sessions", e.baseline_sessions},
                      {"parked_sessions", e.parked_sessions},
                      {"decision", ToString(e.decision)}};
          if (e.unclear_action) {
            out["unclear_action"] = ToString(*e.unclear_action);
            out["unclear_reason"] = e.unclear_reason;
          }
          return out;
        } else if constexpr (std::is_same_v<E, AwaitingHumanEvent>) {
          return {{"step", e.step}, {"reason", e.reason}};
        } else if constexpr (std::is_same_v<E, ApprovedEvent>) {
          return {{"step", e.step}, {"by", e.by}};
        } else if constexpr (std::is_same_v<E, RollbackEvent>) {
          json out = {{"reason", e.reason}};
          if (e.step) out["step"] = *e.step;
          if (!e.by.empty()) out["by"] = e.by;
          return out;
        } else if constexpr (std::is_same_v<E, RollbackSessionsEvent>) {
          return {{"mode", ToString(e.mode)},
                  {"canary_sessions", e.canary_sessions},
                  {"drain_timeout_ms", e.drain_timeout_ms}};
        } else if constexpr (std::is_same_v<E, VerifyingEvent>) {
          json out = {{"terminated", e.terminated}};
          if (e.drained_by_ms) out["drained_by_ms"] = *e.drained_by_ms;
          if (e.restored) out["restored"] = *e.restored;
          return out;
        } else if constexpr (std::is_same_v<E, RolledBackEvent>) {
          return {{"checks", e.checks}, {"rollback_ms", e.rollback_ms}};
        } else if constexpr (std::is_same_v<E, EscalatedEvent>) {
          return {{"reason", e.reason}};
        } else if constexpr (std::is_same_v<E, PromotedEvent>) {
          json out = {{"weight", 100}};
          if (!e.by.empty()) out["by"] = e.by;
          return out;
        } else {
          static_assert(std::is_same_v<E, UnfrozenEvent>, "every RolloutEvent has its encoding");
          return {{"service", e.service}, {"by", e.by}, {"reason", e.reason}, {"frozen_by", e.frozen_by}};
        }
      },
      event);
  j["format"] = kJournalFormat;
  return j;
}

Result<RolloutEvent> Decode(RolloutState state, Fields& f) {
  switch (state) {
    case RolloutState::kStarted:
    case RolloutState::kNotAdmitted: {
      auto setup = SetupFrom(f);
      if (!setup) return setup.error();
      if (state == RolloutState::kNotAdmitted) {
        if (!setup->admission) return Error::Io(f.where() + ": field 'admission' is missing");
        return RolloutEvent(NotAdmittedEvent{*setup});
      }
      return RolloutEvent(StartedEvent{*setup});
    }
    case RolloutState::kStep:
      return RolloutEvent(StepEvent{static_cast<int>(f.Int("step")), f.Num("weight"), f.Int("bake_ms")});
    case RolloutState::kJudged: {
      JudgedEvent e;
      e.step = static_cast<int>(f.Int("step"));
      e.weight = f.Num("weight");
      e.window_ms = f.Int("window_ms");
      e.canary_sessions = static_cast<int>(f.Int("canary_sessions"));
      e.baseline_sessions = static_cast<int>(f.Int("baseline_sessions"));
      e.parked_sessions = static_cast<int>(f.Int("parked_sessions"));
      std::string decision = f.Str("decision");
      if (decision == "pass")
        e.decision = JudgedDecision::kPass;
      else if (decision == "fail")
        e.decision = JudgedDecision::kFail;
      else if (decision == "unclear")
        e.decision = JudgedDecision::kUnclear;
      else
        f.Bad("decision", "pass, fail or unclear");
      std::string action = f.OptStr("unclear_action");
      if (action == "pause")
        e.unclear_action = UnclearAction::kPause;
      else if (action == "rollback")
        e.unclear_action = UnclearAction::kRollback;
      else if (!action.empty())
        f.Bad("unclear_action", "pause or rollback");
      if (e.decision == JudgedDecision::kUnclear && !e.unclear_action)
        f.Bad("unclear_action", "given when unclear");
      e.unclear_reason = f.OptStr("unclear_reason");
      if (const json* list = f.Arr("verdicts")) {
        for (size_t i = 0; i < list->size(); ++i) {
          const json& v = (*list)[i];
          std::string at = f.where() + ".verdicts[" + std::to_string(i) + "]";
          if (!v.is_object()) return Error::Io(at + ": not an object");
          Fields g(v, at);
          MetricVerdictRecord m;
          m.metric = g.Str("metric");
          m.judge = g.Str("judge");
          auto outcome = ParseOutcome(g.Str("outcome"));
          if (!outcome) g.Bad("outcome", "pass, fail, no_data or inconclusive");
          m.outcome = outcome.value_or(JudgeOutcome::kNoData);
          m.reason = g.Str("reason");
          m.p_value = g.Num("p_value", true);
          m.effect = g.Num("effect", true);
          if (g.error()) return *g.error();
          e.verdicts.push_back(std::move(m));
        }
      }
      return RolloutEvent(e);
    }
    case RolloutState::kAwaitingHuman:
      return RolloutEvent(AwaitingHumanEvent{static_cast<int>(f.Int("step")), f.Str("reason")});
    case RolloutState::kApproved:
      return RolloutEvent(ApprovedEvent{static_cast<int>(f.Int("step")), f.Str("by")});
    case RolloutState::kRollback: {
      RollbackEvent e;
      e.reason = f.Str("reason");
      if (auto step = f.OptInt("step")) e.step = static_cast<int>(*step);
      e.by = f.OptStr("by");
      return RolloutEvent(e);
    }
    case RolloutState::kRollbackSessions: {
      RollbackSessionsEvent e;
      auto mode = ParseMode(f.Str("mode"));
      if (!mode) f.Bad("mode", "drain, terminate or restore");
      e.mode = mode.value_or(RollbackSessions::kDrain);
      e.canary_sessions = static_cast<int>(f.Int("canary_sessions"));
      e.drain_timeout_ms = f.Int("drain_timeout_ms");
      return RolloutEvent(e);
    }
    case RolloutState::kVerifying: {
      VerifyingEvent e;
      e.terminated = f.Int("terminated");
      e.drained_by_ms = f.OptInt("drained_by_ms");
      if (auto restored = f.OptInt("restored")) e.restored = static_cast<int>(*restored);
      return RolloutEvent(e);
    }
    case RolloutState::kRolledBack:
      return RolloutEvent(RolledBackEvent{static_cast<int>(f.Int("checks")), f.Int("rollback_ms")});
    case RolloutState::kEscalated:
      return RolloutEvent(EscalatedEvent{f.Str("reason")});
    case RolloutState::kPromoted:
      return RolloutEvent(PromotedEvent{f.OptStr("by")});
    case RolloutState::kUnfrozen:
      return RolloutEvent(UnfrozenEvent{f.Str("service"), f.Str("by"), f.Str("reason"), f.Str("frozen_by")});
  }
  return Error::Internal("unknown rollout state");
}

}  // namespace

const char* ToString(RolloutState s) {
  for (const auto& k : kStates) {
    if (k.state == s) return k.name;
  }
  return "?";
}

std::optional<RolloutState> ParseRolloutState(std::string_view s) {
  for (const auto& k : kStates) {
    if (s == k.name) return k.state;
  }
  return std::nullopt;
}

bool IsTerminal(RolloutState s) {
  return s == RolloutState::kNotAdmitted || s == RolloutState::kRolledBack || s == RolloutState::kEscalated ||
         s == RolloutState::kPromoted;
}

bool IsRollbackState(RolloutState s) {
  return s == RolloutState::kRollback || s == RolloutState::kRollbackSessions ||
         s == RolloutState::kVerifying || s == RolloutState::kRolledBack || s == RolloutState::kEscalated;
}

const char* ToString(RolloutOutcome o) {
  switch (o) {
    case RolloutOutcome::kPromoted:
      return "promoted";
    case RolloutOutcome::kRolledBack:
      return "rolled back";
    case RolloutOutcome::kAwaitingHuman:
      return "awaiting a human";
    case RolloutOutcome::kEscalated:
      return "escalated";
    case RolloutOutcome::kNotAdmitted:
      return "not admitted";
  }
  return "?";
}

std::optional<RolloutOutcome> OutcomeOf(RolloutState s) {
  switch (s) {
    case RolloutState::kPromoted:
      return RolloutOutcome::kPromoted;
    case RolloutState::kRolledBack:
      return RolloutOutcome::kRolledBack;
    case RolloutState::kEscalated:
      return RolloutOutcome::kEscalated;
    case RolloutState::kAwaitingHuman:
      return RolloutOutcome::kAwaitingHuman;
    case RolloutState::kNotAdmitted:
      return RolloutOutcome::kNotAdmitted;
    default:
      return std::nullopt;
  }
}

const char* ToString(JudgedDecision d) {
  switch (d) {
    case JudgedDecision::kPass:
      return "pass";
    case JudgedDecision::kFail:
      return "fail";
    case JudgedDecision::kUnclear:
      return "unclear";
  }
  return "?";
}

const char* ToString(UnclearAction a) { return a == UnclearAction::kPause ? "pause" : "rollback"; }

RolloutState StateOf(const RolloutEvent& e) {
  return std::visit(
      [](const auto& ev) {
        using E = std::decay_t<decltype(ev)>;
        if constexpr (std::is_same_v<E, NotAdmittedEvent>)
          return RolloutState::kNotAdmitted;
        else if constexpr (std::is_same_v<E, StartedEvent>)
          return RolloutState::kStarted;
        else if constexpr (std::is_same_v<E, StepEvent>)
          return RolloutState::kStep;
        else if constexpr (std::is_same_v<E, JudgedEvent>)
          return RolloutState::kJudged;
        else if constexpr (std::is_same_v<E, AwaitingHumanEvent>)
          return RolloutState::kAwaitingHuman;
        else if constexpr (std::is_same_v<E, ApprovedEvent>)
          return RolloutState::kApproved;
        else if constexpr (std::is_same_v<E, RollbackEvent>)
          return RolloutState::kRollback;
        else if constexpr (std::is_same_v<E, RollbackSessionsEvent>)
          return RolloutState::kRollbackSessions;
        else if constexpr (std::is_same_v<E, VerifyingEvent>)
          return RolloutState::kVerifying;
        else if constexpr (std::is_same_v<E, RolledBackEvent>)
          return RolloutState::kRolledBack;
        else if constexpr (std::is_same_v<E, EscalatedEvent>)
          return RolloutState::kEscalated;
        else if constexpr (std::is_same_v<E, PromotedEvent>)
          return RolloutState::kPromoted;
        else {
          static_assert(std::is_same_v<E, UnfrozenEvent>, "every RolloutEvent has its state");
          return RolloutState::kUnfrozen;
        }
      },
      e);
}

std::string EvidenceJson(const RolloutEvent& event) {
  return EvidenceOf(event).dump(-1, ' ', false, json::error_handler_t::replace);
}

JournalRecord EncodeRecord(const std::string& rollout_id, const RolloutEvent& event, int64_t at_unix_ms) {
  return {0, rollout_id, ToString(StateOf(event)), EvidenceJson(event), at_unix_ms};
}

Result<TypedRecord> DecodeRecord(const JournalRecord& r) {
  std::string where = "journal record " + r.rollout_id + " #" + std::to_string(r.seq) + " (" + r.state + ")";
  auto state = ParseRolloutState(r.state);
  if (!state) return Error::Io(where + ": unknown state '" + r.state + "'");
  json j = json::parse(r.evidence_json, nullptr, false);
  if (!j.is_object()) return Error::Io(where + ": its evidence is not a JSON object");
  if (auto format = j.find("format");
      format != j.end() && (!format->is_number_integer() || *format != kJournalFormat)) {
    return Error::Io(where + ": journal format " + format->dump() + " is not one this release reads (" +
                     std::to_string(kJournalFormat) + ")");
  }
  Fields f(j, where);
  auto event = Decode(*state, f);
  if (!event) return event.error();
  if (f.error()) return *f.error();
  return TypedRecord{r.seq, r.rollout_id, r.at_unix_ms, std::move(*event)};
}

Result<std::vector<TypedRecord>> DecodeJournal(const std::vector<JournalRecord>& journal) {
  std::vector<TypedRecord> out;
  out.reserve(journal.size());
  for (const auto& r : journal) {
    auto t = DecodeRecord(r);
    if (!t) return t.error();
    out.push_back(std::move(*t));
  }
  return out;
}

Result<RolloutSetup> SetupOf(const std::vector<TypedRecord>& journal) {
  if (journal.empty()) return Error::NotFound("the journal has no record for this rollout");
  if (const auto* refused = std::get_if<NotAdmittedEvent>(&journal.front().event)) return refused->setup;
  const auto* started = std::get_if<StartedEvent>(&journal.front().event);
  if (!started)
    return Error::Io("the first record of rollout " + journal.front().rollout_id + " is not its start");
  return started->setup;
}

std::string ServiceOf(const RolloutSetup& setup) {
  if (!setup.service.empty()) return setup.service;
  auto plan = ParsePlan(setup.plan_text, setup.plan_path);
  return plan ? plan->service : "";
}

}  // namespace ringfence

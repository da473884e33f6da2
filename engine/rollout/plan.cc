#include "engine/rollout/plan.h"

#include "engine/core/network_address.h"
#include "engine/core/redact.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <set>

#include "engine/core/duration.h"
#include "engine/core/yaml_doc.h"
#include "engine/rules/rule_loader.h"

namespace ringfence {
namespace {

// An outbound URL of the plan: a literal non-public address (or localhost) needs
// allow_private_network in its section; names are checked again when connecting.
Status CheckOutboundUrl(const YamlDoc& doc, const YAML::Node& node, const std::string& url, bool allowed,
                        const char* section) {
  if (allowed) return Status::Ok();
  std::string why = NonPublicAddress(UrlHost(url));
  if (why.empty()) return Status::Ok();
  return doc.ErrorAt(node, "'" + RedactSecrets(url) + "' is a " + why +
                               " address: outbound calls there need `" + section +
                               ": {allow_private_network: true}`");
}

Result<OnUnclear> Unclear(const YamlDoc& doc, const YAML::Node& n, const char* what) {
  auto s = doc.String(n, what);
  if (!s) return s.error();
  if (*s == "pause") return OnUnclear::kPause;
  if (*s == "fail") return OnUnclear::kFail;
  return doc.ErrorAt(n, std::string(what) + " must be pause or fail");
}

Result<BadDirection> Direction(const YamlDoc& doc, const YAML::Node& n) {
  auto s = doc.String(n, "direction");
  if (!s) return s.error();
  if (*s == "increase") return BadDirection::kIncrease;
  if (*s == "decrease") return BadDirection::kDecrease;
  if (*s == "either") return BadDirection::kEither;
  return doc.ErrorAt(n, "direction must be increase, decrease or either (which way is bad)");
}

Result<MetricSpec> ParseMetric(const YamlDoc& doc, const YAML::Node& n) {
  if (auto st = doc.CheckKeys(n, {"name", "source", "query", "exposure", "judge"}, "a metric"); !st)
    return st.error();
  MetricSpec m;
  m.line = n.Mark().line + 1;
  if (!n["name"]) return doc.ErrorAt(n, "a metric needs a name");
  auto name = doc.String(n["name"], "name");
  if (!name) return name.error();
  m.name = *name;
  if (n["source"]) {
    auto s = doc.String(n["source"], "source");
    if (!s) return s.error();
    if (*s == "prometheus")
      m.source = MetricSourceKind::kPrometheus;
    else if (*s != "sessions")
      return doc.ErrorAt(n["source"], "source must be sessions or prometheus");
  }
  if (auto st = doc.Optional(n, "query", m.query); !st) return st.error();
  if (auto st = doc.Optional(n, "exposure", m.exposure); !st) return st.error();
  if (m.source == MetricSourceKind::kPrometheus && m.query.empty()) {
    return doc.ErrorAt(n, "a prometheus metric needs a query (PromQL)");
  }
  if (m.source == MetricSourceKind::kSessions && (!m.query.empty() || !m.exposure.empty())) {
    return doc.ErrorAt(
        n, "query and exposure are for source: prometheus; the sessions source knows errors and latency");
  }
  if (m.source == MetricSourceKind::kSessions && m.name != "errors" && m.name != "latency") {
    return doc.ErrorAt(
        n["name"],
        "the sessions source has the metrics errors (counts) and latency (samples), not '" + m.name + "'");
  }
  const YAML::Node j = n["judge"];
  if (!j) return doc.ErrorAt(n, "metric '" + m.name + "' needs a judge");
  if (!j["type"]) return doc.ErrorAt(j, "a judge needs a type: threshold, mann_whitney, count or sequential");
  auto type = doc.String(j["type"], "type");
  if (!type) return type.error();
  auto get = [&](const char* k, double lo, double hi, double& into) -> Status {
    if (!j[k]) return Status::Ok();
    auto v = doc.Number(j[k], k, lo, hi);
    if (!v) return v.error();
    into = *v;
    return Status::Ok();
  };
  if (*type == "threshold") {
    if (auto st = doc.CheckKeys(j, {"type", "absolute", "relative", "direction", "min_samples"},
                                "a threshold judge");
        !st) {
      return st.error();
    }
    ThresholdJudge t;
    double v = 0;
    if (j["absolute"]) {
      if (auto st = get("absolute", -1e300, 1e300, v); !st) return st.error();
      t.absolute = v;
    }
    if (j["relative"]) {
      if (auto st = get("relative", 0, 100, v); !st) return st.error();
      t.relative = v;
    }
    if (!t.absolute && !t.relative) return doc.ErrorAt(j, "a threshold judge needs absolute or relative");
    if (j["direction"]) {
      auto d = Direction(doc, j["direction"]);
      if (!d) return d.error();
      t.bad = *d;
    }
    double ms = 1;
    if (auto st = get("min_samples", 1, 1e9, ms); !st) return st.error();
    t.min_samples = static_cast<size_t>(ms);
    m.judge = t;
  } else if (*type == "mann_whitney") {
    if (auto st = doc.CheckKeys(j, {"type", "confidence", "tolerance", "direction", "min_samples"},
                                "a mann_whitney judge");
        !st) {
      return st.error();
    }
    MannWhitneyJudge w;
    double ms = static_cast<double>(w.min_samples);
    if (auto st = get("confidence", 0.5, 0.9999, w.confidence); !st) return st.error();
    if (auto st = get("tolerance", 0, 100, w.tolerance); !st) return st.error();
    if (auto st = get("min_samples", 2, 1e9, ms); !st) return st.error();
    w.min_samples = static_cast<size_t>(ms);
    if (j["direction"]) {
      auto d = Direction(doc, j["direction"]);
      if (!d) return d.error();
      w.bad = *d;
    }
    m.judge = w;
  } else if (*type == "count") {
    if (auto st = doc.CheckKeys(j, {"type", "confidence", "tolerance", "min_events"}, "a count judge"); !st) {
      return st.error();
    }
    CountJudge c;
    double me = static_cast<double>(c.min_events);
    if (auto st = get("confidence", 0.5, 0.9999, c.confidence); !st) return st.error();
    if (auto st = get("tolerance", 0, 100, c.tolerance); !st) return st.error();
    if (auto st = get("min_events", 1, 1e9, me); !st) return st.error();
    c.min_events = static_cast<long>(me);
    m.judge = c;
    if (m.source == MetricSourceKind::kPrometheus && m.exposure.empty()) {
      return doc.ErrorAt(n, "a count judge on prometheus needs exposure (PromQL of all events)");
    }
  } else if (*type == "sequential") {
    if (auto st = doc.CheckKeys(j, {"type", "alpha", "min_events"}, "a sequential judge"); !st)
      return st.error();
    SequentialJudge q;
    double me = static_cast<double>(q.min_events);
    if (auto st = get("alpha", 1e-6, 0.5, q.alpha); !st) return st.error();
    if (auto st = get("min_events", 1, 1e9, me); !st) return st.error();
    q.min_events = static_cast<long>(me);
    m.judge = q;
    if (m.source == MetricSourceKind::kPrometheus && m.exposure.empty()) {
      return doc.ErrorAt(n, "a sequential judge on prometheus needs exposure (PromQL of all events)");
    }
  } else {
    return doc.ErrorAt(j["type"],
                       "unknown judge '" + *type + "' (threshold, mann_whitney, count, sequential)");
  }
  return m;
}

constexpr const char* kPlanKeys[] = {"apiVersion",  "kind",     "service", "backend",    "baseline",
                                     "candidate",   "sessions", "steps",   "analysis",   "rollback",
                                     "constraints", "notify",   "load",    "prometheus", "judgement"};

// The plan's own keys, and one section per backend the caller knows (validated by the backend).
Status CheckPlanKeys(const YamlDoc& doc, const std::vector<std::string>& backend_sections) {
  const YAML::Node& root = doc.root();
  if (auto st = doc.RequireMap(root, "a rollout plan"); !st) return st;
  std::set<std::string> seen;
  for (const auto& kv : root) {
    if (!kv.first.IsScalar()) return doc.ErrorAt(kv.first, "keys of a rollout plan must be scalars");
    const std::string& key = kv.first.Scalar();
    bool known = std::find(std::begin(kPlanKeys), std::end(kPlanKeys), key) != std::end(kPlanKeys) ||
                 std::find(backend_sections.begin(), backend_sections.end(), key) != backend_sections.end();
    if (!known) {
      std::string list;
      for (const char* k : kPlanKeys) list += (list.empty() ? "" : ", ") + std::string(k);
      for (const auto& b : backend_sections) list += ", " + b;
      return doc.ErrorAt(kv.first,
                         "unknown key '" + key + "' in a rollout plan (expected one of: " + list + ")");
    }
    if (!seen.insert(key).second) return doc.ErrorAt(kv.first, "duplicate key '" + key + "'");
  }
  return Status::Ok();
}

Result<RolloutPlan> Parse(std::string_view text, const std::string& path,
                          const std::vector<std::string>& backends) {
  auto parsed = YamlDoc::Parse(text, path);
  if (!parsed) return parsed.error();
  auto doc = std::make_shared<const YamlDoc>(std::move(*parsed));
  const YAML::Node& root = doc->root();
  if (auto st = CheckPlanKeys(*doc, backends); !st) return st.error();
  if (auto st = doc->CheckHeader("RolloutPlan"); !st) return st.error();
  RolloutPlan p;
  p.path = path;
  p.doc = doc;
  for (const char* required : {"service", "backend", "baseline", "candidate", "steps", "analysis"}) {
    if (!root[required]) return doc->ErrorAt(root, std::string("a rollout plan needs `") + required + "`");
  }
  auto service = doc->String(root["service"], "service");
  if (!service) return service.error();
  p.service = *service;
  auto backend = doc->String(root["backend"], "backend");
  if (!backend) return backend.error();
  if (!backends.empty() && std::find(backends.begin(), backends.end(), *backend) == backends.end()) {
    std::string list;
    for (const auto& b : backends) list += (list.empty() ? "" : ", ") + b;
    return doc->ErrorAt(root["backend"], "unknown backend '" + *backend + "' (" + list + ")");
  }
  p.backend = *backend;
  for (auto [key, into] : {std::pair<const char*, std::string*>{"baseline", &p.baseline_image},
                           {"candidate", &p.candidate_image}}) {
    const YAML::Node n = root[key];
    if (auto st = doc->CheckKeys(n, {"image"}, key); !st) return st.error();
    if (!n["image"])
      return doc->ErrorAt(n, std::string(key) + " needs an image (a directory with manifest.yaml)");
    auto img = doc->String(n["image"], "image");
    if (!img) return img.error();
    *into = *img;
  }
  if (const YAML::Node s = root["sessions"]) {
    if (auto st = doc->CheckKeys(s, {"min", "warm_window", "park_after", "max_age"}, "sessions"); !st)
      return st.error();
    if (s["min"]) {
      auto n = doc->Integer(s["min"], "min");
      if (!n) return n.error();
      if (*n < 1 || *n > 10000) return doc->ErrorAt(s["min"], "sessions.min must be 1..10000");
      p.min_sessions = static_cast<int>(*n);
    }
    if (auto st = doc->OptionalDurationMs(s, "warm_window", p.warm_window_ms); !st) return st.error();
    if (s["park_after"]) {
      auto w = doc->DurationMs(s["park_after"], "park_after");
      if (!w) return w.error();
      if (*w <= 0 || *w >= p.warm_window_ms) {
        return doc->ErrorAt(s["park_after"], "sessions.park_after must be above 0 and below warm_window (" +
                                                 std::to_string(p.warm_window_ms) + " ms)");
      }
      p.park_after_ms = *w;
    }
    if (s["max_age"]) {
      auto age = doc->DurationMs(s["max_age"], "max_age");
      if (!age) return age.error();
      if (*age <= 0)
        return doc->ErrorAt(s["max_age"], "sessions.max_age must be above 0 (leave it out for no limit)");
      p.max_session_age_ms = *age;
    }
  }
  if (!root["steps"].IsSequence() || root["steps"].size() == 0)
    return doc->ErrorAt(root["steps"], "steps must be a non-empty list");
  double last = 0;
  for (const auto& s : root["steps"]) {
    if (auto st = doc->CheckKeys(s, {"weight", "bake"}, "a step"); !st) return st.error();
    if (!s["weight"] || !s["bake"]) return doc->ErrorAt(s, "a step needs weight and bake");
    auto w = doc->Number(s["weight"], "weight", 0, 100);
    if (!w) return w.error();
    if (*w <= last) return doc->ErrorAt(s["weight"], "step weights must increase");
    last = *w;
    auto bake = doc->DurationMs(s["bake"], "bake");
    if (!bake) return bake.error();
    p.steps.push_back({*w, *bake, false, s.Mark().line + 1});
  }
  if (const YAML::Node l = root["load"]) {
    if (auto st = doc->CheckKeys(l, {"clients", "requests_per_session", "think", "returning"}, "load"); !st) {
      return st.error();
    }
    if (!l["clients"]) return doc->ErrorAt(l, "load needs clients (concurrent clients, 1..64)");
    auto c = doc->Integer(l["clients"], "clients");
    if (!c) return c.error();
    if (*c < 1 || *c > 64) return doc->ErrorAt(l["clients"], "load.clients must be 1..64");
    p.load.clients = static_cast<int>(*c);
    if (l["requests_per_session"]) {
      auto r = doc->Integer(l["requests_per_session"], "requests_per_session");
      if (!r) return r.error();
      if (*r < 1 || *r > 100000)
        return doc->ErrorAt(l["requests_per_session"], "requests_per_session must be 1..100000");
      p.load.requests_per_session = static_cast<int>(*r);
    }
    if (auto st = doc->OptionalDurationMs(l, "think", p.load.think_ms); !st) return st.error();
    if (auto st = doc->OptionalNumber(l, "returning", p.load.returning, 0, 1); !st) return st.error();
  }
  if (const YAML::Node pr = root["prometheus"]) {
    if (auto st = doc->CheckKeys(pr, {"url", "targets_file", "allow_private_network"}, "prometheus"); !st)
      return st.error();
    if (auto st = doc->Optional(pr, "allow_private_network", p.prometheus_allow_private); !st)
      return st.error();
    if (!pr["url"]) return doc->ErrorAt(pr, "prometheus needs url");
    auto u = doc->String(pr["url"], "url");
    if (!u) return u.error();
    if (u->rfind("http://", 0) != 0 && u->rfind("https://", 0) != 0) {
      return doc->ErrorAt(pr["url"], "prometheus.url must be an http:// or https:// URL");
    }
    if (auto st = CheckOutboundUrl(*doc, pr["url"], *u, p.prometheus_allow_private, "prometheus"); !st)
      return st.error();
    p.prometheus_url = *u;
    if (auto st = doc->Optional(pr, "targets_file", p.prometheus_targets_file); !st) return st.error();
  }
  if (last != 100) return doc->ErrorAt(root["steps"], "the last step must reach weight 100");
  // No data is never a pass: a plan in which no step bakes promotes without a single judgement,
  // and must say so.
  bool judged =
      std::any_of(p.steps.begin(), p.steps.end(), [](const RolloutStep& s) { return s.bake_ms > 0; });
  if (const YAML::Node j = root["judgement"]) {
    if (!j.IsScalar() || j.Scalar() != "none")
      return doc->ErrorAt(j, "judgement takes one value, none: the plan promotes without judging");
    if (judged)
      return doc->ErrorAt(j, "judgement: none, but a step bakes and would be judged: drop one or the other");
    p.unjudged = true;
  } else if (!judged) {
    return doc->ErrorAt(root["steps"],
                        "no step bakes, so the candidate would be promoted without a single "
                        "judgement: give a step a bake, or say `judgement: none`");
  }
  const YAML::Node a = root["analysis"];
  if (auto st = doc->CheckKeys(a, {"interval", "on_no_data", "on_inconclusive", "metrics"}, "analysis"); !st)
    return st.error();
  if (a["interval"]) {
    auto i = doc->DurationMs(a["interval"], "interval");
    if (!i) return i.error();
    if (*i < 50) return doc->ErrorAt(a["interval"], "interval must be at least 50ms");
    p.interval_ms = *i;
  }
  for (auto [key, into] : {std::pair<const char*, OnUnclear*>{"on_no_data", &p.on_no_data},
                           {"on_inconclusive", &p.on_inconclusive}}) {
    if (!a[key]) continue;
    auto u = Unclear(*doc, a[key], key);
    if (!u) return u.error();
    *into = *u;
  }
  if (!a["metrics"] || !a["metrics"].IsSequence() || a["metrics"].size() == 0) {
    return doc->ErrorAt(a, "analysis needs a non-empty list of metrics");
  }
  for (const auto& m : a["metrics"]) {
    auto spec = ParseMetric(*doc, m);
    if (!spec) return spec.error();
    for (const auto& other : p.metrics) {
      if (other.name == spec->name) return doc->ErrorAt(m["name"], "duplicate metric '" + spec->name + "'");
    }
    p.metrics.push_back(std::move(*spec));
  }
  if (const YAML::Node r = root["rollback"]) {
    if (auto st = doc->CheckKeys(r, {"sessions", "drain_timeout", "verify_for"}, "rollback"); !st)
      return st.error();
    if (auto st = doc->OptionalDurationMs(r, "drain_timeout", p.drain_timeout_ms); !st) return st.error();
    if (r["sessions"]) {
      auto s = doc->String(r["sessions"], "sessions");
      if (!s) return s.error();
      if (*s == "drain")
        p.rollback_sessions = RollbackSessions::kDrain;
      else if (*s == "terminate")
        p.rollback_sessions = RollbackSessions::kTerminate;
      else if (*s == "restore")
        p.rollback_sessions = RollbackSessions::kRestore;
      else
        return doc->ErrorAt(r["sessions"], "rollback.sessions must be drain, terminate or restore");
    }
    if (auto st = doc->OptionalDurationMs(r, "verify_for", p.verify_ms); !st) return st.error();
  }
  if (const YAML::Node c = root["constraints"]) {
    if (auto st = doc->CheckKeys(c, {"max_canary_weight", "min_bake", "human_promotion"}, "constraints");
        !st) {
      return st.error();
    }
    if (auto st = doc->OptionalNumber(c, "max_canary_weight", p.constraints.max_canary_weight, 0.001, 100);
        !st)
      return st.error();
    if (c["min_bake"]) {
      auto b = doc->DurationMs(c["min_bake"], "min_bake");
      if (!b) return b.error();
      if (*b % 1000)
        return doc->ErrorAt(c["min_bake"], "min_bake is in whole seconds, like the gate's constraints");
      p.constraints.min_bake_seconds = static_cast<int>(*b / 1000);
    }
    if (auto st = doc->Optional(c, "human_promotion", p.constraints.human_promotion); !st) return st.error();
  }
  if (const YAML::Node n = root["notify"]) {
    if (auto st =
            doc->CheckKeys(n, {"webhook", "allow_private_network", "secret_file", "secret_env"}, "notify");
        !st)
      return st.error();
    if (n["secret_file"] && n["secret_env"])
      return doc->ErrorAt(n["secret_env"], "notify takes secret_file or secret_env, not both");
    if (n["secret_file"]) {
      auto f = doc->String(n["secret_file"], "secret_file");
      if (!f) return f.error();
      if (f->empty() || f->front() != '/')
        return doc->ErrorAt(n["secret_file"], "secret_file must be an absolute path");
      p.webhook_secret_file = *f;
    }
    if (n["secret_env"]) {
      auto e = doc->String(n["secret_env"], "secret_env");
      if (!e) return e.error();
      if (e->empty()) return doc->ErrorAt(n["secret_env"], "secret_env names an environment variable");
      p.webhook_secret_env = *e;
    }
    if (auto st = doc->Optional(n, "allow_private_network", p.webhook_allow_private); !st) return st.error();
    auto w = doc->String(n["webhook"], "webhook");
    if (!w) return w.error();
    if (w->rfind("http://", 0) != 0 && w->rfind("https://", 0) != 0) {
      return doc->ErrorAt(n["webhook"], "webhook must be an http:// or https:// URL");
    }
    if (auto st = CheckOutboundUrl(*doc, n["webhook"], *w, p.webhook_allow_private, "notify"); !st)
      return st.error();
    p.webhook = *w;
  }
  for (const auto& m : p.metrics) {
    if (m.source == MetricSourceKind::kPrometheus && p.prometheus_url.empty()) {
      return doc->ErrorAt(root,
                          "metric '" + m.name + "' reads prometheus: the plan needs prometheus: {url: ...}");
    }
  }
  ApplyConstraints(p, p.constraints);
  return p;
}

}  // namespace

const char* ToString(RollbackSessions s) {
  switch (s) {
    case RollbackSessions::kDrain:
      return "drain";
    case RollbackSessions::kTerminate:
      return "terminate";
    case RollbackSessions::kRestore:
      return "restore";
  }
  return "?";
}

Result<RolloutPlan> ParsePlan(std::string_view text, const std::string& path,
                              const std::vector<std::string>& backend_sections) {
  return GuardYaml(path, [&] { return Parse(text, path, backend_sections); });
}

void ApplyConstraints(RolloutPlan& plan, const RolloutConstraints& constraints) {
  plan.constraints.Merge(constraints);
  const RolloutConstraints& c = plan.constraints;
  // Staged rings: every stage the constraints name becomes a step (baking like the next step).
  for (double stage : c.stages) {
    auto at = std::find_if(plan.steps.begin(), plan.steps.end(),
                           [&](const RolloutStep& s) { return s.weight >= stage; });
    if (at != plan.steps.end() && at->weight == stage) continue;
    RolloutStep step;
    step.weight = stage;
    step.bake_ms = at != plan.steps.end() ? at->bake_ms : 0;
    plan.steps.insert(at, step);
  }
  for (auto& step : plan.steps) {
    if (c.max_canary_weight && step.weight > *c.max_canary_weight) step.needs_human = true;
    if (c.min_bake_seconds && step.weight < 100)
      step.bake_ms = std::max<int64_t>(step.bake_ms, *c.min_bake_seconds * 1000LL);
  }
  if (c.human_promotion && !plan.steps.empty()) plan.steps.back().needs_human = true;
}

}  // namespace ringfence

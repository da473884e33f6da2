#include "simulations/sim/tune.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <sstream>

#include "engine/core/duration.h"
#include "simulations/sim/chart.h"
#include "simulations/sim/replay_report.h"

namespace ringfence::sim {
namespace {

const char* kParams[] = {"weight",     "bake",       "interval",  "alpha",
                         "min_events", "confidence", "tolerance", "errors_judge"};

Result<double> Num(const std::string& name, const std::string& v, double lo, double hi) {
  try {
    size_t used = 0;
    double d = std::stod(v, &used);
    if (used == v.size() && d >= lo && d <= hi) return d;
  } catch (const std::exception&) {
  }
  return Error::InvalidInput(name + "=" + v + ": must be a number in [" + std::to_string(lo) + ", " +
                             std::to_string(hi) + "]");
}

Result<int64_t> Ms(const std::string& name, const std::string& v) {
  auto ms = ParseDurationMs(v);
  if (!ms) return Error::InvalidInput(name + "=" + v + ": must be a duration like 30s, 5m");
  return *ms;
}

double Value(double v) { return v < 0 ? 1e18 : v; }  // "none" sorts last

// a is at least as good as b everywhere and better somewhere.
bool Dominates(const ReplaySummary& a, const ReplaySummary& b) {
  double av[] = {double(-a.caught), double(a.false_alarms), a.median_hurt,
                 Value(a.median_healthy_rollout_ms)};
  double bv[] = {double(-b.caught), double(b.false_alarms), b.median_hurt,
                 Value(b.median_healthy_rollout_ms)};
  bool better = false;
  for (int i = 0; i < 4; ++i) {
    if (av[i] > bv[i]) return false;
    better = better || av[i] < bv[i];
  }
  return better;
}

}  // namespace

Result<SweepParam> ParseSweep(const std::string& arg) {
  size_t eq = arg.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == arg.size()) {
    return Error::InvalidInput("--sweep " + arg + ": expected NAME=V1,V2,...");
  }
  SweepParam p;
  p.name = arg.substr(0, eq);
  if (std::find(std::begin(kParams), std::end(kParams), p.name) == std::end(kParams)) {
    return Error::InvalidInput(
        "--sweep " + arg + ": unknown parameter '" + p.name +
        "' (weight, bake, interval, alpha, min_events, confidence, tolerance, errors_judge)");
  }
  std::stringstream ss(arg.substr(eq + 1));
  for (std::string v; std::getline(ss, v, ',');) {
    if (v.empty()) return Error::InvalidInput("--sweep " + arg + ": an empty value");
    RolloutPlan probe;
    probe.steps = {{1, 60000, false, 0}, {100, 0, false, 0}};
    MetricSpec m;
    m.name = "errors";
    m.judge = SequentialJudge{};
    probe.metrics = {m};
    if (auto st = ApplyParam(probe, p.name, v); !st) return st.error();
    p.values.push_back(v);
  }
  return p;
}

Status ApplyParam(RolloutPlan& plan, const std::string& name, const std::string& value) {
  if (name == "weight") {
    double next = plan.steps.size() > 1 ? plan.steps[1].weight : 100;
    auto w = Num(name, value, 0.001, 100);
    if (!w) return w.error();
    if (*w >= next) {
      char at[32];
      std::snprintf(at, sizeof at, "%g%%", next);
      return Error::InvalidInput("weight=" + value + ": the first step must stay below the second (" + at +
                                 " in the plan)");
    }
    plan.steps.front().weight = *w;
  } else if (name == "bake") {
    auto ms = Ms(name, value);
    if (!ms) return ms.error();
    if (*ms <= 0 && !plan.unjudged && plan.steps.back().bake_ms <= 0)
      return Error::InvalidInput("bake=" + value +
                                 ": no step would bake, so nothing would be judged (no data is "
                                 "never a pass)");
    for (size_t i = 0; i + 1 < plan.steps.size(); ++i) plan.steps[i].bake_ms = *ms;
  } else if (name == "interval") {
    auto ms = Ms(name, value);
    if (!ms) return ms.error();
    if (*ms < 1000) return Error::InvalidInput("interval=" + value + ": at least 1s");
    plan.interval_ms = *ms;
  } else if (name == "errors_judge") {
    if (value != "sequential" && value != "count")
      return Error::InvalidInput("errors_judge=" + value + ": sequential or count");
    for (auto& m : plan.metrics) {
      if (m.name != "errors") continue;
      if (value == "count")
        m.judge = CountJudge{};
      else
        m.judge = SequentialJudge{};
    }
  } else {
    double lo = name == "alpha" ? 1e-6 : name == "min_events" ? 1 : name == "confidence" ? 0.5 : 0;
    double hi = name == "alpha" ? 0.5 : name == "min_events" ? 1e6 : name == "confidence" ? 0.9999 : 10;
    auto v = Num(name, value, lo, hi);
    if (!v) return v.error();
    for (auto& m : plan.metrics) {
      std::visit(
          [&](auto& j) {
            using J = std::decay_t<decltype(j)>;
            if constexpr (std::is_same_v<J, SequentialJudge>) {
              if (name == "alpha") j.alpha = *v;
              if (name == "min_events") j.min_events = static_cast<long>(*v);
            } else if constexpr (std::is_same_v<J, CountJudge>) {
              if (name == "confidence") j.confidence = *v;
              if (name == "min_events") j.min_events = static_cast<long>(*v);
            } else if constexpr (std::is_same_v<J, MannWhitneyJudge>) {
              if (name == "confidence") j.confidence = *v;
              if (name == "tolerance") j.tolerance = *v;
            }
          },
          m.judge);
    }
  }
  return Status::Ok();
}

Result<std::vector<TuneRow>> Tune(const std::vector<Scenario>& scenarios, const ReplayConfig& config,
                                  const std::vector<SweepParam>& sweeps, const TuneProgress& progress) {
  auto run = [&](const ReplayConfig& c) { return Summarize(ReplayAll(scenarios, c)); };
  size_t combinations = sweeps.empty() ? 0 : 1;
  for (const auto& s : sweeps) combinations *= s.values.size();
  const size_t total = 1 + combinations;  // the plan as given, then every combination
  std::vector<TuneRow> rows;
  rows.push_back({{}, run(config), false});
  if (progress) progress(rows.size(), total, rows.back());
  std::vector<size_t> index(sweeps.size(), 0);
  while (!sweeps.empty()) {
    ReplayConfig c = config;
    TuneRow row;
    for (size_t i = 0; i < sweeps.size(); ++i) {
      const std::string& v = sweeps[i].values[index[i]];
      if (auto st = ApplyParam(c.plan, sweeps[i].name, v); !st) return st.error();
      row.settings.emplace_back(sweeps[i].name, v);
    }
    row.summary = run(c);
    rows.push_back(std::move(row));
    if (progress) progress(rows.size(), total, rows.back());
    size_t k = 0;
    while (k < sweeps.size() && ++index[k] == sweeps[k].values.size()) index[k++] = 0;
    if (k == sweeps.size()) break;
  }
  for (auto& r : rows) {
    r.pareto = std::none_of(rows.begin(), rows.end(),
                            [&](const TuneRow& o) { return Dominates(o.summary, r.summary); });
  }
  return rows;
}

int BetterThanDefault(const std::vector<TuneRow>& rows) {
  int best = -1;
  const ReplaySummary& d = rows.front().summary;
  for (size_t i = 1; i < rows.size(); ++i) {
    const ReplaySummary& s = rows[i].summary;
    if (s.caught <= d.caught || s.false_alarms > d.false_alarms) continue;
    if (best < 0) {
      best = static_cast<int>(i);
      continue;
    }
    const ReplaySummary& b = rows[best].summary;
    auto key = [](const ReplaySummary& x) {
      return std::make_tuple(-x.caught, x.false_alarms, x.median_hurt, Value(x.median_healthy_rollout_ms));
    };
    if (key(s) < key(b)) best = static_cast<int>(i);
  }
  return best;
}

std::string SettingsText(const TuneRow& row) {
  if (row.settings.empty()) return "(plan as given)";
  std::string s;
  for (const auto& [k, v] : row.settings) s += (s.empty() ? "" : " ") + k + "=" + v;
  return s;
}

void WriteTuneText(const std::vector<TuneRow>& rows, const std::vector<ScenarioResult>& defaults,
                   std::ostream& out) {
  char line[256];
  std::snprintf(line, sizeof line, "%-40s %8s %12s %12s %12s %8s\n", "settings", "caught", "false alarms",
                "hurt (med)", "rollout (med)", "pareto");
  out << line;
  for (const auto& r : rows) {
    std::snprintf(line, sizeof line, "%-40s %4d/%-3d %6d/%-5d %12.0f %12s %8s\n", SettingsText(r).c_str(),
                  r.summary.caught, r.summary.incidents, r.summary.false_alarms, r.summary.healthy,
                  r.summary.median_hurt,
                  FormatMinutes(static_cast<int64_t>(r.summary.median_healthy_rollout_ms)).c_str(),
                  r.pareto ? "*" : "");
    out << line;
  }
  const ReplaySummary& d = rows.front().summary;
  if (d.healthy == 0) {
    out << "\nno healthy rollout among the scenarios: false alarms cannot be measured (0 of 0), so no "
           "setting is recommended; add healthy scenarios beside the incidents\n";
    return;
  }
  int best = BetterThanDefault(rows);
  if (best >= 0) {
    out << "\nbetter than the plan as given: " << SettingsText(rows[best]) << " catches "
        << rows[best].summary.caught << " of " << d.incidents << " incidents (the plan as given: " << d.caught
        << ") with " << rows[best].summary.false_alarms << " false alarms (" << d.false_alarms << ")\n";
    return;
  }
  out << "\nno setting swept catches more incidents than the plan as given (" << d.caught << " of "
      << d.incidents
      << ") without more false alarms. What the plan as given misses, and why no canary setting changes "
         "it:\n";
  for (const auto& r : defaults) {
    if (r.type == "healthy" || r.caught) continue;
    std::string why = !r.canary_applies ? "the canary does not apply (" + r.canary_why + ")"
                      : r.fault_after_promotion
                          ? "the fault strikes only after promotion (latent or data-triggered)"
                      : r.fault_onset_ms < 0 ? "the fault never reaches a canary session"
                                             : "the canary saw the fault and did not reject it";
    out << "  " << r.id << ": " << why << "\n";
  }
}

namespace {

// A CSV number as spreadsheets read it: never in exponent notation ("2400000", "2.5").
std::string CsvNumber(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

}  // namespace

void WriteTuneCsv(const std::vector<TuneRow>& rows, std::ostream& out) {
  out << "settings,caught,incidents,false_alarms,healthy,median_hurt,median_healthy_rollout_ms,median_detect_"
         "ms,pareto\n";
  for (const auto& r : rows) {
    out << '"' << SettingsText(r) << "\"," << r.summary.caught << "," << r.summary.incidents << ","
        << r.summary.false_alarms << "," << r.summary.healthy << "," << CsvNumber(r.summary.median_hurt)
        << "," << CsvNumber(r.summary.median_healthy_rollout_ms) << ","
        << CsvNumber(r.summary.median_detect_ms) << "," << (r.pareto ? 1 : 0) << "\n";
  }
}

std::string TuneSvg(const std::vector<TuneRow>& rows) {
  double max_x = 1, max_hurt = 1;
  int incidents = 1;
  for (const auto& r : rows) {
    max_x = std::max(max_x, r.summary.median_healthy_rollout_ms / 60000.0);
    max_hurt = std::max(max_hurt, r.summary.median_hurt);
    incidents = std::max(incidents, r.summary.incidents);
  }
  chart::Axis x{"median healthy rollout (min)", 0, chart::NiceCeiling(max_x * 1.05, 1)};
  // Two groups of points per panel: settings without false alarms, settings with some.
  auto panel = [&](std::string title, chart::Axis y, const std::function<double(const TuneRow&)>& value) {
    chart::Panel p;
    p.title = std::move(title);
    p.x = x;
    p.y = std::move(y);
    chart::Series clean{"no false alarms", "#1f77b4", chart::SeriesStyle::kPoints, false, false, 1.5, {}};
    chart::Series alarming{
        "with false alarms", "#d62728", chart::SeriesStyle::kPoints, false, false, 1.5, {}};
    for (size_t i = 0; i < rows.size(); ++i) {
      const auto& r = rows[i];
      std::string tip = SettingsText(r) + ": " + std::to_string(r.summary.caught) + " of " +
                        std::to_string(r.summary.incidents) + " caught, " +
                        std::to_string(r.summary.false_alarms) + " false alarms, median " +
                        CsvNumber(r.summary.median_hurt) + " sessions hurt" +
                        (r.pareto ? " (Pareto-best)" : "");
      chart::Point point{std::max(0.0, r.summary.median_healthy_rollout_ms / 60000.0), value(r), tip,
                         r.pareto, i == 0};
      (r.summary.false_alarms ? alarming : clean).points.push_back(point);
    }
    p.series = {clean, alarming};
    return p;
  };
  chart::Figure figure;
  figure.title = "tune: " + std::to_string(rows.size()) + " plan settings swept";
  figure.subtitle =
      "each point one setting; up and left is better on the first panel, down and left on the second";
  figure.legend = {{"filled: Pareto-best", "#555", chart::SeriesStyle::kPoints, true},
                   {"hollow: dominated by another setting", "#555", chart::SeriesStyle::kPoints, false},
                   {"ringed: the plan as given", "#222", chart::SeriesStyle::kPoints, false}};
  figure.panels.push_back(
      panel("incidents caught",
            {"incidents caught (of " + std::to_string(incidents) + ")", 0, double(incidents), true},
            [](const TuneRow& r) { return double(r.summary.caught); }));
  figure.panels.push_back(
      panel("client sessions hurt",
            {"median sessions hurt per incident", 0, chart::NiceCeiling(max_hurt * 1.05, 1)},
            [](const TuneRow& r) { return r.summary.median_hurt; }));
  return chart::RenderSvg(figure);
}

}  // namespace ringfence::sim

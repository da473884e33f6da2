#include "engine/rollout/judge.h"

#include <cmath>
#include <sstream>

#include "engine/rollout/statistics.h"

namespace ringfence {
namespace {

std::string Fmt(double v) {
  std::ostringstream s;
  s.precision(4);
  s << v;
  return s.str();
}

}  // namespace

const char* ToString(JudgeOutcome o) {
  switch (o) {
    case JudgeOutcome::kPass:
      return "pass";
    case JudgeOutcome::kFail:
      return "fail";
    case JudgeOutcome::kNoData:
      return "no_data";
    case JudgeOutcome::kInconclusive:
      return "inconclusive";
  }
  return "unknown";
}

JudgeVerdict ThresholdJudge::Judge(const MetricSamples& s) const {
  JudgeVerdict v;
  if (s.canary.size() < min_samples || (relative && s.baseline.size() < min_samples)) {
    v.reason = "canary " + std::to_string(s.canary.size()) + " / baseline " +
               std::to_string(s.baseline.size()) + " samples, need " + std::to_string(min_samples);
    return v;
  }
  double canary = stats::Median(s.canary);
  double base = s.baseline.empty() ? 0 : stats::Median(s.baseline);
  v.effect = canary - base;
  auto beyond = [&](double bound, bool upper) { return upper ? canary > bound : canary < bound; };
  bool up = bad != BadDirection::kDecrease, down = bad != BadDirection::kIncrease;
  std::string why;
  if (absolute && ((up && beyond(*absolute, true)) || (down && beyond(*absolute, false) && !up))) {
    why = "canary median " + Fmt(canary) + " beyond the limit " + Fmt(*absolute);
  }
  if (relative) {
    double hi = base * (1 + *relative), lo = base * (1 - *relative);
    if ((up && canary > hi) || (down && canary < lo)) {
      why = "canary median " + Fmt(canary) + " vs baseline " + Fmt(base) + " (allowed " +
            Fmt(*relative * 100) + "%)";
    }
  }
  v.outcome = why.empty() ? JudgeOutcome::kPass : JudgeOutcome::kFail;
  v.reason = why.empty() ? "canary median " + Fmt(canary) + " within bounds" : why;
  return v;
}

JudgeVerdict MannWhitneyJudge::Judge(const MetricSamples& s) const {
  JudgeVerdict v;
  if (s.canary.size() < min_samples || s.baseline.size() < min_samples) {
    v.reason = "canary " + std::to_string(s.canary.size()) + " / baseline " +
               std::to_string(s.baseline.size()) + " samples, need " + std::to_string(min_samples) + " each";
    return v;
  }
  double alpha = 1 - confidence;
  double base_median = stats::Median(s.baseline);
  double allowed = tolerance * std::abs(base_median);
  v.effect = stats::HodgesLehmannShift(s.canary, s.baseline);
  auto side = [&](stats::Alternative alt) { return stats::MannWhitneyU(s.canary, s.baseline, alt).p; };
  double p_up = bad != BadDirection::kDecrease ? side(stats::Alternative::kGreater) : 1.0;
  double p_down = bad != BadDirection::kIncrease ? side(stats::Alternative::kLess) : 1.0;
  // Bonferroni for the two-sided case keeps the family error at alpha.
  double level = bad == BadDirection::kEither ? alpha / 2 : alpha;
  bool worse_up = p_up < level && v.effect > allowed;
  bool worse_down = p_down < level && v.effect < -allowed;
  v.p_value = std::min(p_up, p_down);
  std::string numbers = "shift " + Fmt(v.effect) + " (allowed " + Fmt(allowed) + "), p " + Fmt(v.p_value) +
                        ", n " + std::to_string(s.canary.size()) + "/" + std::to_string(s.baseline.size());
  if (worse_up || worse_down) {
    v.outcome = JudgeOutcome::kFail;
    v.reason = "canary significantly worse: " + numbers;
  } else if ((bad != BadDirection::kDecrease && v.effect > allowed) ||
             (bad != BadDirection::kIncrease && v.effect < -allowed)) {
    v.outcome = JudgeOutcome::kInconclusive;
    v.reason = "shift beyond tolerance but not significant: " + numbers;
  } else {
    v.outcome = JudgeOutcome::kPass;
    v.reason = "no significant harmful shift: " + numbers;
  }
  return v;
}

JudgeVerdict CountJudge::Judge(const MetricCounts& c) const {
  JudgeVerdict v;
  long total = c.canary_events + c.baseline_events;
  if (total < min_events || c.canary_exposure <= 0 || c.baseline_exposure <= 0) {
    v.reason = std::to_string(total) + " events in total, need " + std::to_string(min_events);
    return v;
  }
  // Under H0 the canary's rate is at most (1 + tolerance) x the baseline's.
  double wc = c.canary_exposure * (1 + tolerance), wb = c.baseline_exposure;
  double p0 = wc / (wc + wb);
  v.p_value = stats::BinomialGreater(c.canary_events, total, p0);
  double rate_c = c.canary_events / c.canary_exposure, rate_b = c.baseline_events / c.baseline_exposure;
  v.effect = rate_c - rate_b;
  std::string numbers = "canary " + std::to_string(c.canary_events) + "/" + Fmt(c.canary_exposure) +
                        ", baseline " + std::to_string(c.baseline_events) + "/" + Fmt(c.baseline_exposure) +
                        ", p " + Fmt(v.p_value);
  v.outcome = v.p_value < 1 - confidence ? JudgeOutcome::kFail : JudgeOutcome::kPass;
  v.reason =
      (v.outcome == JudgeOutcome::kFail ? "canary error rate higher: " : "rates compatible: ") + numbers;
  return v;
}

JudgeVerdict SequentialJudge::Judge(const MetricCounts& c) const {
  JudgeVerdict v;
  long total = c.canary_events + c.baseline_events;
  double e =
      stats::BetaBinomialEValue(c.canary_events, c.baseline_events, c.canary_exposure, c.baseline_exposure);
  double share = c.canary_exposure / (c.canary_exposure + c.baseline_exposure);
  v.effect = e;
  v.p_value = std::min(1.0, 1 / e);  // an anytime-valid p-value
  std::string numbers = "e-value " + Fmt(e) + " (threshold " + Fmt(1 / alpha) + "), canary " +
                        std::to_string(c.canary_events) + " of " + std::to_string(total) +
                        " events at exposure share " + Fmt(share);
  bool canary_heavier =
      total > 0 && static_cast<double>(c.canary_events) / static_cast<double>(total) > share;
  if (e >= 1 / alpha && canary_heavier) {
    v.outcome = JudgeOutcome::kFail;
    v.reason = "canary errors exceed its share: " + numbers;
  } else if (total < min_events) {
    v.outcome = JudgeOutcome::kNoData;
    v.reason = "too few events yet: " + numbers;
  } else {
    v.outcome = JudgeOutcome::kPass;
    v.reason = "no evidence against the canary so far: " + numbers;
  }
  return v;
}

}  // namespace ringfence

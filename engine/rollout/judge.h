// Judges compare a metric of the canary cohort with the same metric of a baseline cohort running
// at the same time. "No data" and "inconclusive" are outcomes of their own, never a pass: the
// rollout plan says what they do (pause for a human, or fail).
#pragma once

#include "engine/model/metric.h"

#include <optional>
#include <string>
#include <vector>

namespace ringfence {

enum class JudgeOutcome { kPass, kFail, kNoData, kInconclusive };
const char* ToString(JudgeOutcome o);

// Which way is bad for this metric.
enum class BadDirection { kIncrease, kDecrease, kEither };

// One interval's observations of one metric.

struct JudgeVerdict {
  JudgeOutcome outcome = JudgeOutcome::kNoData;
  std::string reason;  // for people: the numbers behind the outcome
  double p_value = 1;
  double effect = 0;  // canary - baseline, in the metric's unit (or the e-value, for sequential)
};

// Threshold: the canary's median against a bound, absolute or relative to the baseline's median.
struct ThresholdJudge {
  BadDirection bad = BadDirection::kIncrease;
  std::optional<double> absolute;  // fail beyond this value
  std::optional<double> relative;  // fail beyond baseline * (1 + relative) (or * (1 - relative))
  size_t min_samples = 1;
  JudgeVerdict Judge(const MetricSamples& s) const;
};

// Mann-Whitney U, as Kayenta's judge: fail when the canary is significantly worse (one-sided, at
// `confidence`) AND the Hodges-Lehmann shift exceeds `tolerance` x |baseline median|; pass when it
// is not significantly worse and the shift is tolerable; inconclusive when the estimate exceeds
// the tolerance without significance (too few samples to tell).
struct MannWhitneyJudge {
  BadDirection bad = BadDirection::kIncrease;
  double confidence = 0.95;
  double tolerance = 0.1;
  size_t min_samples = 20;
  JudgeVerdict Judge(const MetricSamples& s) const;
};

// Count test for sparse errors (where Mann-Whitney passes mostly-zero data): exact conditional
// binomial test that the canary's event rate exceeds the baseline's.
struct CountJudge {
  double confidence = 0.99;
  double tolerance = 0.0;  // relative rate increase that is acceptable
  long min_events = 1;     // fewer events in total: no data
  JudgeVerdict Judge(const MetricCounts& c) const;
};

// Anytime-valid sequential test on event counts accumulated since the canary started; may be
// checked after every interval. Fails once the e-value reaches 1/alpha with the canary's share
// above its exposure share; never passes before `min_events` events.
struct SequentialJudge {
  double alpha = 0.01;
  long min_events = 10;
  JudgeVerdict Judge(const MetricCounts& cumulative) const;
};

}  // namespace ringfence

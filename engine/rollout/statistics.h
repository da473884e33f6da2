// Statistics for judging a canary against a baseline running at the same time.
// Distributions come from Boost.Math; results match scipy.stats and R for the same inputs
// (tests/unit/statistics_test.cc quotes the reference values).
#pragma once

#include <vector>

namespace ringfence::stats {

enum class Alternative { kTwoSided, kGreater, kLess };  // "x tends to be greater than y", ...

struct MannWhitney {
  double u = 0;  // U statistic of x (pairs where x > y, ties counting 1/2)
  double z = 0;  // normal approximation with tie correction and continuity correction
  double p = 1;  // p-value for the requested alternative
};

// Mann-Whitney U test of x against y: normal approximation with tie and continuity corrections,
// as scipy.stats.mannwhitneyu(method="asymptotic") and R's wilcox.test(exact = FALSE).
// REQUIRES: x and y non-empty.
MannWhitney MannWhitneyU(const std::vector<double>& x, const std::vector<double>& y, Alternative alt);

// Hodges-Lehmann estimate of the shift x - y: the median of all pairwise differences.
double HodgesLehmannShift(const std::vector<double>& x, const std::vector<double>& y);

double Median(std::vector<double> v);

// Exact binomial test: P(X >= k) for X ~ Binomial(n, p0) (alternative "greater"), as
// scipy.stats.binomtest(k, n, p0, alternative="greater").
double BinomialGreater(long k, long n, double p0);

// Anytime-valid evidence that a canary's event rate exceeds the baseline's. Given the events of
// both cohorts and their exposures, conditions on the total number of events: under H0 the
// canary's share is Binomial(total, w) with w its share of exposure. Mixing the alternative
// share over Beta(a, b) gives an e-value (a nonnegative martingale under H0), so by Ville's
// inequality P(ever E >= 1/alpha) <= alpha: it may be checked after every interval without
// inflating false alarms.
double BetaBinomialEValue(long canary_events, long baseline_events, double canary_exposure,
                          double baseline_exposure, double a = 1, double b = 1);

}  // namespace ringfence::stats

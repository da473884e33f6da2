// Judges' statistics against reference values. Sources: R's documentation of wilcox.test
// (Hollander & Wolfe's example: W = 35), and scipy 1.10.1 (stats.mannwhitneyu with
// method="asymptotic", use_continuity=True; stats.binomtest), printed to full precision.
#include <catch2/catch.hpp>
#include <random>

#include "engine/rollout/judge.h"
#include "engine/rollout/statistics.h"

using namespace ringfence;
using namespace ringfence::stats;

namespace {
const std::vector<double> kX = {0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46};
const std::vector<double> kY = {1.15, 0.88, 0.90, 0.74, 1.21};
}  // namespace

TEST_CASE("Mann-Whitney U matches R's documented example and scipy's p-values") {
  auto two = MannWhitneyU(kX, kY, Alternative::kTwoSided);
  CHECK(two.u == 35.0);  // R: W = 35
  CHECK(two.p == Approx(0.24462360512698333).epsilon(1e-12));
  CHECK(MannWhitneyU(kX, kY, Alternative::kGreater).p == Approx(0.12231180256349167).epsilon(1e-12));
  CHECK(MannWhitneyU(kX, kY, Alternative::kLess).p == Approx(0.9007753482039937).epsilon(1e-12));
}

TEST_CASE("Mann-Whitney U corrects for ties as scipy does") {
  std::vector<double> a = {1, 2, 2, 3, 3, 3, 4, 5, 5, 6};
  std::vector<double> b = {3, 4, 4, 5, 6, 6, 7, 7, 8, 9, 9};
  auto two = MannWhitneyU(b, a, Alternative::kTwoSided);
  CHECK(two.u == 94.5);
  CHECK(two.p == Approx(0.005625214779700691).epsilon(1e-12));
  CHECK(MannWhitneyU(b, a, Alternative::kGreater).p == Approx(0.0028126073898503455).epsilon(1e-12));
  CHECK(MannWhitneyU(b, a, Alternative::kLess).p == Approx(0.9977433352257312).epsilon(1e-12));
  CHECK(MannWhitneyU({1, 1, 1}, {1, 1}, Alternative::kTwoSided).p == 1.0);  // all ties: no evidence
}

TEST_CASE("Hodges-Lehmann shift and the exact binomial tail") {
  CHECK(HodgesLehmannShift(kY, kX) == Approx(-0.305));
  CHECK(HodgesLehmannShift({3, 4, 4, 5, 6, 6, 7, 7, 8, 9, 9}, {1, 2, 2, 3, 3, 3, 4, 5, 5, 6}) == Approx(3.0));
  CHECK(BinomialGreater(12, 20, 0.25) == Approx(0.000935391579332645).epsilon(1e-10));
  CHECK(BinomialGreater(3, 40, 0.5) == Approx(0.9999999992533048).epsilon(1e-12));
  CHECK(BinomialGreater(7, 7, 0.1) == Approx(1e-7).epsilon(1e-9));
  CHECK(BinomialGreater(0, 7, 0.1) == 1.0);
}

TEST_CASE("the sequential e-value keeps false alarms under alpha however often it is checked") {
  // Null: canary and baseline share one error rate; check after every event, 400 events per run.
  std::mt19937_64 rng(7);
  const double alpha = 0.05;
  int alarms = 0;
  const int runs = 2000;
  for (int r = 0; r < runs; ++r) {
    long c = 0, b = 0;
    std::bernoulli_distribution canary_share(0.1);  // 10% of traffic, 10% of errors
    for (int e = 0; e < 400; ++e) {
      (canary_share(rng) ? c : b)++;
      if (BetaBinomialEValue(c, b, 0.1, 0.9) >= 1 / alpha) {
        ++alarms;
        break;
      }
    }
  }
  CHECK(static_cast<double>(alarms) / runs <= alpha);  // Ville's inequality
  // A canary with 3x the error rate is caught.
  SequentialJudge judge{0.01, 10};
  auto counts = [](long canary, long baseline) {
    return MetricCounts{.baseline_events = baseline,
                        .canary_events = canary,
                        .baseline_exposure = 0.9,
                        .canary_exposure = 0.1};
  };
  auto v = judge.Judge(counts(60, 180));  // canary: 25% of errors on 10% of traffic
  CHECK(v.outcome == JudgeOutcome::kFail);
  CHECK(judge.Judge(counts(2, 18)).outcome == JudgeOutcome::kPass);
  CHECK(judge.Judge(counts(1, 2)).outcome == JudgeOutcome::kNoData);
}

TEST_CASE("judges: fail, pass, inconclusive and no data are distinct") {
  std::mt19937_64 rng(11);
  std::normal_distribution<double> base(100, 10), slow(130, 10), same(100, 10);
  MetricSamples bad, good, few;
  for (int i = 0; i < 200; ++i) {
    bad.baseline.push_back(base(rng));
    bad.canary.push_back(slow(rng));
    good.baseline.push_back(base(rng));
    good.canary.push_back(same(rng));
  }
  for (int i = 0; i < 2; ++i) {
    few.baseline.push_back(100 + i);
    few.canary.push_back(200 + i);
  }
  MannWhitneyJudge mw;
  CHECK(mw.Judge(bad).outcome == JudgeOutcome::kFail);
  CHECK(mw.Judge(good).outcome == JudgeOutcome::kPass);
  CHECK(mw.Judge(few).outcome == JudgeOutcome::kNoData);
  mw.min_samples = 2;
  CHECK(mw.Judge(few).outcome == JudgeOutcome::kInconclusive);  // 2x slower, but 2 samples prove nothing

  ThresholdJudge th;
  th.relative = 0.2;
  CHECK(th.Judge(bad).outcome == JudgeOutcome::kFail);
  CHECK(th.Judge(good).outcome == JudgeOutcome::kPass);
  CHECK(ThresholdJudge{BadDirection::kIncrease, 120.0, std::nullopt, 1}.Judge(bad).outcome ==
        JudgeOutcome::kFail);

  CountJudge count;
  auto errors = [](long canary, long baseline) {
    return MetricCounts{.baseline_events = baseline,
                        .canary_events = canary,
                        .baseline_exposure = 9000,
                        .canary_exposure = 1000};
  };
  CHECK(count.Judge(errors(0, 0)).outcome == JudgeOutcome::kNoData);
  CHECK(count.Judge(errors(12, 8)).outcome == JudgeOutcome::kFail);  // 12 where ~2 were expected
  CHECK(count.Judge(errors(1, 9)).outcome == JudgeOutcome::kPass);
}

TEST_CASE(
    "statistics: the Hodges-Lehmann shift of large cohorts equals the median of every pairwise difference") {
  // Sizes past the direct method's limit, with ties (values rounded) and both parities of n*m.
  for (auto [n, m] : std::vector<std::pair<int, int>>{{101, 83}, {120, 60}, {500, 9}}) {
    std::vector<double> x, y;
    unsigned state = 12345u + static_cast<unsigned>(n);
    auto next = [&] {
      state = state * 1103515245u + 12345u;
      return static_cast<double>((state >> 8) % 1000) / 10.0;
    };
    for (int i = 0; i < n; ++i) x.push_back(std::round(next()) + 3);
    for (int j = 0; j < m; ++j) y.push_back(next());
    std::vector<double> d;
    for (double a : x) {
      for (double b : y) d.push_back(a - b);
    }
    std::sort(d.begin(), d.end());
    double expected = d.size() % 2 ? d[d.size() / 2] : (d[d.size() / 2 - 1] + d[d.size() / 2]) / 2;
    INFO(n << " x " << m);
    CHECK(HodgesLehmannShift(x, y) == expected);
  }
}

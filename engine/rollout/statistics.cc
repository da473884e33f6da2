#include "engine/rollout/statistics.h"

#include <algorithm>
#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <cmath>
#include <utility>

namespace ringfence::stats {

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<long>(mid), v.end());
  double hi = v[mid];
  if (v.size() % 2) return hi;
  double lo = *std::max_element(v.begin(), v.begin() + static_cast<long>(mid));
  return (lo + hi) / 2;
}

MannWhitney MannWhitneyU(const std::vector<double>& x, const std::vector<double>& y, Alternative alt) {
  const double n1 = static_cast<double>(x.size()), n2 = static_cast<double>(y.size());
  // Ranks of the pooled sample, ties getting their average rank.
  std::vector<std::pair<double, int>> pooled;
  pooled.reserve(x.size() + y.size());
  for (double v : x) pooled.emplace_back(v, 0);
  for (double v : y) pooled.emplace_back(v, 1);
  std::sort(pooled.begin(), pooled.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  double rank_sum_x = 0, tie_term = 0;
  for (size_t i = 0; i < pooled.size();) {
    size_t j = i;
    while (j < pooled.size() && pooled[j].first == pooled[i].first) ++j;
    double avg_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
    double t = static_cast<double>(j - i);
    tie_term += t * t * t - t;
    for (size_t k = i; k < j; ++k) {
      if (pooled[k].second == 0) rank_sum_x += avg_rank;
    }
    i = j;
  }
  MannWhitney r;
  r.u = rank_sum_x - n1 * (n1 + 1) / 2;
  const double n = n1 + n2;
  const double mu = n1 * n2 / 2;
  const double sigma = std::sqrt(n1 * n2 / 12.0 * ((n + 1) - tie_term / (n * (n - 1))));
  if (sigma == 0) {  // every value equal: no evidence either way
    r.p = 1;
    return r;
  }
  boost::math::normal_distribution<double> normal;
  double d = r.u - mu;
  switch (alt) {
    case Alternative::kGreater:
      r.z = (d - 0.5) / sigma;
      r.p = boost::math::cdf(boost::math::complement(normal, r.z));
      break;
    case Alternative::kLess:
      r.z = (d + 0.5) / sigma;
      r.p = boost::math::cdf(normal, r.z);
      break;
    case Alternative::kTwoSided:
      r.z = (std::abs(d) - 0.5) / sigma;
      r.p = std::min(1.0, 2 * boost::math::cdf(boost::math::complement(normal, r.z)));
      break;
  }
  return r;
}

namespace {

// The k-th smallest (1-based) of all differences x_i - y_j, both sorted ascending, in
// O((n + m) log range) time and O(1) extra space: bisection on the value, counting the
// differences at or below it with two pointers, then the largest actual difference at or below
// the bound (so the result is exactly one of the differences).
double KthDifference(const std::vector<double>& x, const std::vector<double>& y, size_t k) {
  auto count_le = [&](double t) {
    size_t count = 0, j = 0;  // j: first y with y_j >= x_i - t; x_i - t grows with i
    for (double a : x) {
      while (j < y.size() && y[j] < a - t) ++j;
      count += y.size() - j;
    }
    return count;
  };
  double lo = x.front() - y.back(), hi = x.back() - y.front();
  if (count_le(lo) >= k) return lo;
  for (int i = 0; i < 200 && hi > lo; ++i) {
    double mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) break;
    (count_le(mid) >= k ? hi : lo) = mid;
  }
  double best = lo;
  size_t j = 0;
  for (double a : x) {
    while (j < y.size() && y[j] < a - hi) ++j;
    if (j < y.size()) best = std::max(best, a - y[j]);
  }
  return best;
}

}  // namespace

double HodgesLehmannShift(const std::vector<double>& x, const std::vector<double>& y) {
  if (x.empty() || y.empty()) return 0;
  if (x.size() * y.size() <= 4096) {
    std::vector<double> d;
    d.reserve(x.size() * y.size());
    for (double a : x) {
      for (double b : y) d.push_back(a - b);
    }
    return Median(std::move(d));
  }
  // Large cohorts: the median without materialising n*m differences.
  std::vector<double> xs = x, ys = y;
  std::sort(xs.begin(), xs.end());
  std::sort(ys.begin(), ys.end());
  size_t n = xs.size() * ys.size();
  double hi = KthDifference(xs, ys, n / 2 + 1);
  if (n % 2) return hi;
  return (KthDifference(xs, ys, n / 2) + hi) / 2;
}

double BinomialGreater(long k, long n, double p0) {
  if (k <= 0) return 1;
  if (k > n) return 0;
  boost::math::binomial_distribution<double> bin(static_cast<double>(n), p0);
  return boost::math::cdf(boost::math::complement(bin, static_cast<double>(k - 1)));
}

double BetaBinomialEValue(long canary_events, long baseline_events, double canary_exposure,
                          double baseline_exposure, double a, double b) {
  long k = canary_events, m = canary_events + baseline_events;
  if (m == 0 || canary_exposure <= 0 || baseline_exposure <= 0) return 1;
  double w = canary_exposure / (canary_exposure + baseline_exposure);
  // log E = log B(a + k, b + m - k) - log B(a, b) - k log w - (m - k) log(1 - w)
  double log_mix = std::lgamma(a + static_cast<double>(k)) + std::lgamma(b + static_cast<double>(m - k)) -
                   std::lgamma(a + b + static_cast<double>(m)) -
                   (std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b));
  double log_null = static_cast<double>(k) * std::log(w) + static_cast<double>(m - k) * std::log1p(-w);
  return std::exp(log_mix - log_null);
}

}  // namespace ringfence::stats

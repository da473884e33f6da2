// A seeded random source whose draws are the same on every platform and standard library
// (xoshiro256** seeded by splitmix64; distributions written out here), so that a replay with the
// same seed gives byte-identical output everywhere.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace ringfence::sim {

class Random {
 public:
  explicit Random(uint64_t seed) {
    for (auto& s : s_) {
      seed += 0x9e3779b97f4a7c15ULL;
      uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      s = z ^ (z >> 31);
    }
  }
  uint64_t Next() {
    uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  // In [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Bernoulli(double p) { return Uniform() < p; }
  double Exponential(double mean) { return -mean * std::log(1.0 - Uniform()); }
  double Normal() {  // Box-Muller, one of the pair
    double u1 = 1.0 - Uniform(), u2 = Uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  long Poisson(double lambda) {
    if (lambda <= 0) return 0;
    if (lambda < 30) {  // Knuth
      double l = std::exp(-lambda), p = 1;
      long k = 0;
      do {
        ++k;
        p *= Uniform();
      } while (p > l);
      return k - 1;
    }
    return std::max(0L, std::lround(lambda + std::sqrt(lambda) * Normal()));
  }
  long Binomial(long n, double p) {
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    if (n <= 64) {
      long k = 0;
      for (long i = 0; i < n; ++i) k += Bernoulli(p);
      return k;
    }
    double mean = n * p, sd = std::sqrt(n * p * (1 - p));
    if (mean < 20) return std::min(n, Poisson(mean));
    return std::clamp(std::lround(mean + sd * Normal()), 0L, n);
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace ringfence::sim

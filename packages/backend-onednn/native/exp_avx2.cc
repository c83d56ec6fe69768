// Eight-lane AVX2 versions of elementwise.cc's fastExp4-based kernels; see exp_avx2.h. Compiled for AVX2
// function by function (target attribute), and called only when the CPU reports AVX2.

#include "exp_avx2.h"

#include <immintrin.h>
#include <omp.h>

#include <limits>

#include "addon_support.h"

#define QAD_AVX2 __attribute__((target("avx2")))

namespace qad {
namespace {

// fastExp4 of elementwise.cc on eight lanes: Cody–Waite reduction by ln 2, Cephes' degree-6 polynomial,
// scaling by 2ⁿ in two normal factors; saturates like exp, NaN stays NaN.
QAD_AVX2 inline __m256 fastExp8(__m256 x) {
  const __m256 hi = _mm256_set1_ps(88.72283f), lo = _mm256_set1_ps(-87.33654f);
  const __m256 c = _mm256_min_ps(_mm256_max_ps(x, lo), hi);
  const __m256 magic = _mm256_set1_ps(12582912.f);
  const __m256 n =
      _mm256_sub_ps(_mm256_add_ps(_mm256_mul_ps(c, _mm256_set1_ps(1.44269504088896341f)), magic), magic);
  __m256 r = _mm256_sub_ps(c, _mm256_mul_ps(n, _mm256_set1_ps(0.693359375f)));
  r = _mm256_sub_ps(r, _mm256_mul_ps(n, _mm256_set1_ps(-2.12194440e-4f)));
  const __m256 z = _mm256_mul_ps(r, r);
  __m256 y = _mm256_set1_ps(1.9875691500e-4f);
  y = _mm256_add_ps(_mm256_mul_ps(y, r), _mm256_set1_ps(1.3981999507e-3f));
  y = _mm256_add_ps(_mm256_mul_ps(y, r), _mm256_set1_ps(8.3334519073e-3f));
  y = _mm256_add_ps(_mm256_mul_ps(y, r), _mm256_set1_ps(4.1665795894e-2f));
  y = _mm256_add_ps(_mm256_mul_ps(y, r), _mm256_set1_ps(1.6666665459e-1f));
  y = _mm256_add_ps(_mm256_mul_ps(y, r), _mm256_set1_ps(5.0000001201e-1f));
  y = _mm256_add_ps(_mm256_add_ps(_mm256_mul_ps(y, z), r), _mm256_set1_ps(1.f));
  const __m256i k = _mm256_cvttps_epi32(n);
  const __m256i k1 = _mm256_srai_epi32(k, 1);
  const __m256i k2 = _mm256_sub_epi32(k, k1);
  const __m256i bias = _mm256_set1_epi32(127);
  const __m256 f1 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(k1, bias), 23));
  const __m256 f2 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(k2, bias), 23));
  __m256 e = _mm256_mul_ps(_mm256_mul_ps(y, f1), f2);
  const __m256 over = _mm256_cmp_ps(x, hi, _CMP_GT_OQ), under = _mm256_cmp_ps(x, lo, _CMP_LT_OQ);
  const __m256 nan = _mm256_cmp_ps(x, x, _CMP_UNORD_Q);
  e = _mm256_or_ps(_mm256_andnot_ps(over, e),
                   _mm256_and_ps(over, _mm256_set1_ps(std::numeric_limits<float>::infinity())));
  e = _mm256_andnot_ps(under, e);
  return _mm256_or_ps(_mm256_andnot_ps(nan, e), _mm256_and_ps(nan, x));
}

QAD_AVX2 inline __m256 sigmoid8(__m256 x) {
  const __m256 one = _mm256_set1_ps(1.f);
  return _mm256_div_ps(one, _mm256_add_ps(one, fastExp8(_mm256_sub_ps(_mm256_setzero_ps(), x))));
}

bool hasAvx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2");
}

bool allowed = true;
bool wide = hasAvx2();

}  // namespace

bool wideVectors() { return wide; }
void setWideVectors(bool on) { wide = on && allowed && hasAvx2(); }
void allowWideVectors(bool allow) {
  allowed = allow;
  wide = wide && allow;
}

QAD_AVX2 int64_t expAvx2(const float* x, float* o, int64_t n) {
  const int64_t blocks = n / 8;
#pragma omp parallel for if (n >= kParallelGrain) schedule(static)
  for (int64_t b = 0; b < blocks; b++) _mm256_storeu_ps(o + 8 * b, fastExp8(_mm256_loadu_ps(x + 8 * b)));
  return 8 * blocks;
}

QAD_AVX2 int64_t sigmoidAvx2(const float* x, float* o, int64_t n) {
  const int64_t blocks = n / 8;
#pragma omp parallel for if (n >= kParallelGrain) schedule(static)
  for (int64_t b = 0; b < blocks; b++) _mm256_storeu_ps(o + 8 * b, sigmoid8(_mm256_loadu_ps(x + 8 * b)));
  return 8 * blocks;
}

QAD_AVX2 int64_t swishAvx2(const float* x, float* o, int64_t n) {
  const int64_t blocks = n / 8;
#pragma omp parallel for if (n >= kParallelGrain) schedule(static)
  for (int64_t b = 0; b < blocks; b++) {
    const __m256 v = _mm256_loadu_ps(x + 8 * b);
    _mm256_storeu_ps(o + 8 * b, _mm256_mul_ps(sigmoid8(v), v));
  }
  return 8 * blocks;
}

QAD_AVX2 int64_t swishGradAvx2(const float* dy, const float* x, float* o, int64_t n) {
  const int64_t blocks = n / 8;
#pragma omp parallel for if (n >= kParallelGrain) schedule(static)
  for (int64_t b = 0; b < blocks; b++) {
    const __m256 v = _mm256_loadu_ps(x + 8 * b), s = sigmoid8(v), one = _mm256_set1_ps(1.f);
    const __m256 g = _mm256_mul_ps(s, _mm256_add_ps(one, _mm256_mul_ps(v, _mm256_sub_ps(one, s))));
    _mm256_storeu_ps(o + 8 * b, _mm256_mul_ps(_mm256_loadu_ps(dy + 8 * b), g));
  }
  return 8 * blocks;
}

}  // namespace qad

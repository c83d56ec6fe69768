// Batch norm in training mode over NHWC's channel axis, seen as x[R, C], as two kernels that each make the
// passes it needs (forward: mean, variance, normalise; backward: the two channel sums, then dx) instead of
// one tfjs kernel per elementary op. Each intermediate is rounded to float32 where @qad/backbones' chain of
// ops rounds it, so both paths give the same bits on this backend.

#include <omp.h>

#include <cmath>
#include <vector>

#include "addon_support.h"
#include "channel_affine.h"
#include "kernels.h"

namespace qad {
namespace {

/**
 * Per-channel double sums of `term(r, k)` over the rows, split across threads by rows and combined in
 * thread order (same bits for a given thread count), into `out[k]` for `sums` separate terms.
 */
template <int kSums, class Term>
void channelSums(int64_t rows, int64_t c, Term term, std::vector<double> (&out)[kSums]) {
  const int threads = rows * c >= kParallelGrain ? omp_get_max_threads() : 1;
  std::vector<std::vector<double>> partial(static_cast<size_t>(threads) * kSums, std::vector<double>(c, 0.0));
#pragma omp parallel num_threads(threads)
  {
    const int t = omp_get_thread_num(), n = omp_get_num_threads();
    const int64_t chunk = (rows + n - 1) / n;
    const int64_t r0 = std::min(rows, t * chunk), r1 = std::min(rows, r0 + chunk);
    double* acc[kSums];
    for (int s = 0; s < kSums; s++) acc[s] = partial[t * kSums + s].data();
    for (int64_t r = r0; r < r1; r++) term(r, acc);
  }
  for (int s = 0; s < kSums; s++) {
    out[s].assign(c, 0.0);
    for (int t = 0; t < threads; t++)
      for (int64_t k = 0; k < c; k++) out[s][k] += partial[t * kSums + s][k];
  }
}

float rsqrtOf(float varianceEps) { return static_cast<float>(1.0 / std::sqrt(static_cast<double>(varianceEps))); }

}  // namespace

// batchNormTrainForward(x, gamma, beta, y, mean, variance, epsilon): x is [R, C] with C = gamma's length;
// writes y, and the batch mean and biased variance.
napi_value BatchNormTrainForward(napi_env env, napi_callback_info info) {
  Args args(env, info, 7);
  F32 x = float32Arg(env, args[0], "x");
  F32 gamma = float32Arg(env, args[1], "gamma");
  F32 beta = float32Arg(env, args[2], "beta");
  F32 y = float32Arg(env, args[3], "y");
  F32 mean = float32Arg(env, args[4], "mean");
  F32 variance = float32Arg(env, args[5], "variance");
  const double eps = doubleArg(env, args[6], "epsilon");
  const int64_t c = static_cast<int64_t>(gamma.length);
  if (c < 1 || x.length == 0 || x.length % c != 0)
    throw JsError("x's size must be a positive multiple of gamma's length (the channels)");
  for (const auto& [a, name] : {std::pair<const F32&, const char*>{beta, "beta"}, {mean, "mean"}, {variance, "variance"}})
    requireLength(a, c, name);
  requireLength(y, static_cast<int64_t>(x.length), "y");
  const int64_t rows = static_cast<int64_t>(x.length) / c;
  const float* xs = x.data;
  const float count = static_cast<float>(rows);
  std::vector<double> sums[1];
  channelSums<1>(rows, c, [&](int64_t r, double** acc) {
    const float* row = xs + r * c;
    for (int64_t k = 0; k < c; k++) acc[0][k] += row[k];
  }, sums);
  for (int64_t k = 0; k < c; k++) mean.data[k] = static_cast<float>(sums[0][k]) / count;
  const float* ms = mean.data;
  std::vector<double> squares[1];
  channelSums<1>(rows, c, [&](int64_t r, double** acc) {
    const float* row = xs + r * c;
    for (int64_t k = 0; k < c; k++) {
      const double d = static_cast<double>(row[k]) - ms[k];
      acc[0][k] += static_cast<float>(d * d);
    }
  }, squares);
  for (int64_t k = 0; k < c; k++) variance.data[k] = static_cast<float>(squares[0][k]) / count;
  std::vector<float> mul(c);
  for (int64_t k = 0; k < c; k++)
    mul[k] = static_cast<float>(gamma.data[k] / std::sqrt(static_cast<double>(variance.data[k]) + eps));
  channelAffine(xs, ms, mul.data(), beta.data, rows, c, y.data);
  return nullptr;
}

// batchNormTrainBackward(dy, x, mean, variance, gamma, dx, dGamma, dBeta, epsilon): the gradient of
// batchNormTrainForward's y with respect to x (through the batch statistics), γ and β.
napi_value BatchNormTrainBackward(napi_env env, napi_callback_info info) {
  Args args(env, info, 9);
  F32 dy = float32Arg(env, args[0], "dy");
  F32 x = float32Arg(env, args[1], "x");
  F32 mean = float32Arg(env, args[2], "mean");
  F32 variance = float32Arg(env, args[3], "variance");
  F32 gamma = float32Arg(env, args[4], "gamma");
  F32 dx = float32Arg(env, args[5], "dx");
  F32 dGamma = float32Arg(env, args[6], "dGamma");
  F32 dBeta = float32Arg(env, args[7], "dBeta");
  const double eps = doubleArg(env, args[8], "epsilon");
  const int64_t c = static_cast<int64_t>(gamma.length);
  if (c < 1 || x.length == 0 || x.length % c != 0)
    throw JsError("x's size must be a positive multiple of gamma's length (the channels)");
  for (const auto& [a, name] : {std::pair<const F32&, const char*>{mean, "mean"}, {variance, "variance"},
                                {dGamma, "dGamma"}, {dBeta, "dBeta"}})
    requireLength(a, c, name);
  requireLength(dy, static_cast<int64_t>(x.length), "dy");
  requireLength(dx, static_cast<int64_t>(x.length), "dx");
  const int64_t rows = static_cast<int64_t>(x.length) / c;
  const float* xs = x.data;
  const float* dys = dy.data;
  const float* ms = mean.data;
  // x̂'s per-channel multiplier, as the batchNorm kernel computes it (scale 1).
  std::vector<float> inv(c);
  for (int64_t k = 0; k < c; k++)
    inv[k] = static_cast<float>(1.0 / std::sqrt(static_cast<double>(variance.data[k]) + eps));
  const float* invs = inv.data();
  std::vector<double> sums[2];
  channelSums<2>(rows, c, [&](int64_t r, double** acc) {
    const float* d = dys + r * c;
    const float* row = xs + r * c;
    for (int64_t k = 0; k < c; k++) {
      acc[0][k] += d[k];
      acc[1][k] += d[k] * ((row[k] - ms[k]) * invs[k]);
    }
  }, sums);
  const float count = static_cast<float>(static_cast<double>(x.length) / c);
  std::vector<float> a(c), b(c), shift(c);
  const float epsF = static_cast<float>(eps);
  for (int64_t k = 0; k < c; k++) {
    dBeta.data[k] = static_cast<float>(sums[0][k]);
    dGamma.data[k] = static_cast<float>(sums[1][k]);
    a[k] = gamma.data[k] * rsqrtOf(variance.data[k] + epsF);
    const float b2 = a[k] * (dGamma.data[k] / -count);
    shift[k] = a[k] * (dBeta.data[k] / -count);
    b[k] = static_cast<float>(b2 / std::sqrt(static_cast<double>(variance.data[k]) + eps));
  }
  const float* as = a.data();
  const float* bsl = b.data();
  const float* ss = shift.data();
  float* dxs = dx.data;
#pragma omp parallel for if (rows * c >= kParallelGrain) schedule(static)
  for (int64_t r = 0; r < rows; r++)
    for (int64_t k = 0; k < c; k++) {
      const int64_t i = r * c + k;
      dxs[i] = dys[i] * as[k] + ((xs[i] - ms[k]) * bsl[k] + ss[k]);
    }
  return nullptr;
}

}  // namespace qad

// Sum / mean / max / min over one contiguous block of axes, seen as x[outer, reduce, inner] → out[outer,
// inner]: what tfjs's reductions over NHWC need (per-channel statistics reduce [N·H·W] with inner = C;
// global pooling reduces [H·W] between N and C; a softmax's sum reduces the last axis). Sums accumulate in
// double, as the cpu kernel's JavaScript numbers do. Work splits across threads by output rows when there
// are enough of them, otherwise by slices of the reduced axis whose partial results combine in thread order,
// so a given thread count always gives the same bits.

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "addon_support.h"
#include "kernels.h"

namespace qad {
namespace {

enum ReduceOp { kSum = 0, kMean, kMax, kMin, kReduceOpCount };

struct SumAcc {
  static double init() { return 0.0; }
  static double step(double acc, float v) { return acc + v; }
  static double combine(double a, double b) { return a + b; }
};
// JavaScript's reductions: NaN, once seen, is the result.
struct MaxAcc {
  static double init() { return -std::numeric_limits<double>::infinity(); }
  static double step(double acc, float v) { return (v != v || v > acc) ? v : acc; }
  static double combine(double a, double b) { return (b != b || b > a) ? b : a; }
};
struct MinAcc {
  static double init() { return std::numeric_limits<double>::infinity(); }
  static double step(double acc, float v) { return (v != v || v < acc) ? v : acc; }
  static double combine(double a, double b) { return (b != b || b < a) ? b : a; }
};

/** acc[0..inner) ⊕= x[r0..r1)[0..inner) for one outer row. */
template <class Acc>
void accumulate(const float* x, int64_t r0, int64_t r1, int64_t inner, double* acc) {
  if (inner == 1) {
    double a = acc[0];
    for (int64_t r = r0; r < r1; r++) a = Acc::step(a, x[r]);
    acc[0] = a;
    return;
  }
  for (int64_t r = r0; r < r1; r++) {
    const float* row = x + r * inner;
    for (int64_t i = 0; i < inner; i++) acc[i] = Acc::step(acc[i], row[i]);
  }
}

template <class Acc>
void reduceAll(const float* x, float* out, int64_t outer, int64_t reduce, int64_t inner, bool mean) {
  const int64_t total = outer * reduce * inner;
  const int maxThreads = total >= kParallelGrain ? omp_get_max_threads() : 1;
  auto finish = [&](double v) {
    if (!mean) return static_cast<float>(v);
    return static_cast<float>(v) / static_cast<float>(reduce);
  };
  if (outer >= 2 * maxThreads || maxThreads == 1) {
#pragma omp parallel num_threads(maxThreads)
    {
      std::vector<double> acc(inner);
#pragma omp for schedule(static)
      for (int64_t o = 0; o < outer; o++) {
        std::fill(acc.begin(), acc.end(), Acc::init());
        accumulate<Acc>(x + o * reduce * inner, 0, reduce, inner, acc.data());
        for (int64_t i = 0; i < inner; i++) out[o * inner + i] = finish(acc[i]);
      }
    }
    return;
  }
  std::vector<std::vector<double>> partial(maxThreads, std::vector<double>(outer * inner, Acc::init()));
#pragma omp parallel num_threads(maxThreads)
  {
    const int t = omp_get_thread_num(), threads = omp_get_num_threads();
    const int64_t chunk = (reduce + threads - 1) / threads;
    const int64_t r0 = std::min(reduce, t * chunk), r1 = std::min(reduce, r0 + chunk);
    for (int64_t o = 0; o < outer; o++)
      accumulate<Acc>(x + o * reduce * inner, r0, r1, inner, partial[t].data() + o * inner);
  }
  for (int64_t j = 0; j < outer * inner; j++) {
    double v = partial[0][j];
    for (int t = 1; t < maxThreads; t++) v = Acc::combine(v, partial[t][j]);
    out[j] = finish(v);
  }
}

}  // namespace

// reduce(op, x, out, [outer, reduce, inner]): op 0 sum, 1 mean, 2 max, 3 min.
napi_value Reduce(napi_env env, napi_callback_info info) {
  Args args(env, info, 4);
  const int32_t op = int32Arg(env, args[0], "op");
  F32 x = float32Arg(env, args[1], "x");
  F32 o = float32Arg(env, args[2], "out");
  auto dims = intsArg(env, args[3], 3, "dims");
  if (op < 0 || op >= kReduceOpCount) throw JsError("unknown reduction " + std::to_string(op));
  const int64_t outer = dims[0], reduce = dims[1], inner = dims[2];
  if (outer < 1 || reduce < 1 || inner < 1) throw JsError("reduction sizes must be positive");
  requireLength(x, outer * reduce * inner, "x");
  requireLength(o, outer * inner, "out");
  switch (op) {
    case kSum: reduceAll<SumAcc>(x.data, o.data, outer, reduce, inner, false); break;
    case kMean: reduceAll<SumAcc>(x.data, o.data, outer, reduce, inner, true); break;
    case kMax: reduceAll<MaxAcc>(x.data, o.data, outer, reduce, inner, false); break;
    case kMin: reduceAll<MinAcc>(x.data, o.data, outer, reduce, inner, false); break;
  }
  return nullptr;
}

}  // namespace qad

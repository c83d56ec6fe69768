// Element-wise kernels on float32 buffers: binary ops with NumPy/tfjs broadcasting, unary ops, AddN and the
// batch-norm affine map. Each follows the tfjs cpu kernel's arithmetic (float32 storage, the same operation
// order; transcendental functions in double, as JavaScript's Math does) so results agree to rounding.

#include <emmintrin.h>
#include <omp.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "addon_support.h"
#include "broadcast.h"
#include "channel_affine.h"
#include "exp_avx2.h"
#include "kernels.h"

namespace qad {
namespace {

enum BinaryOp {
  kAdd = 0, kSub, kMul, kDiv, kSquaredDifference, kMaximum, kMinimum, kReluGrad, kSwishGrad, kBinaryOpCount
};

struct AddOp {
  static float f(float a, float b) { return a + b; }
};
struct SubOp {
  static float f(float a, float b) { return a - b; }
};
struct MulOp {
  static float f(float a, float b) { return a * b; }
};
struct DivOp {
  static float f(float a, float b) { return a / b; }
};
struct SquaredDifferenceOp {
  static float f(float a, float b) {
    double d = static_cast<double>(a) - b;
    return static_cast<float>(d * d);
  }
};
// JavaScript's Math.max/min: NaN wins.
struct MaximumOp {
  static float f(float a, float b) { return (a != a || b != b) ? std::numeric_limits<float>::quiet_NaN() : (a > b ? a : b); }
};
struct MinimumOp {
  static float f(float a, float b) { return (a != a || b != b) ? std::numeric_limits<float>::quiet_NaN() : (a < b ? a : b); }
};

// ReLU's gradient as tfjs writes it, dy · float(step(x)), in one pass: step(NaN) = NaN, step(x ≤ 0) = 0.
struct ReluGradOp {
  static float f(float dy, float x) {
    const float step = x != x ? x : (x > 0.f ? 1.f : 0.f);
    return dy * step;
  }
};

inline float fastExp(float x);
inline __m128 sigmoid4(__m128 x);

// Swish's (SiLU's) gradient, dy · σ(x)·(1 + x·(1 − σ(x))), in one pass.
struct SwishGradOp {
  static float f(float dy, float x) {
    const float s = 1.f / (1.f + fastExp(-x));
    return dy * (s * (1.f + x * (1.f - s)));
  }
};

template <class Op>
void binaryRun(const float* a, const float* b, float* o, int64_t n, int64_t sa, int64_t sb) {
  if (sa == 1 && sb == 1) {
    for (int64_t i = 0; i < n; i++) o[i] = Op::f(a[i], b[i]);
  } else if (sa == 0 && sb == 1) {
    const float av = a[0];
    for (int64_t i = 0; i < n; i++) o[i] = Op::f(av, b[i]);
  } else if (sa == 1 && sb == 0) {
    const float bv = b[0];
    for (int64_t i = 0; i < n; i++) o[i] = Op::f(a[i], bv);
  } else {
    const float v = Op::f(a[0], b[0]);
    for (int64_t i = 0; i < n; i++) o[i] = v;
  }
}

template <class Op>
void binaryRange(const BroadcastPlan& plan, const float* a, const float* b, float* o, int64_t begin, int64_t end) {
  BroadcastCursor cur(plan, begin);
  const int64_t inner = plan.dims.back();
  const int64_t sa = plan.strides[0].back(), sb = plan.strides[1].back();
  int64_t i = begin;
  while (i < end) {
    const int64_t at = cur.innerIndex();
    const int64_t n = std::min(inner - at, end - i);
    binaryRun<Op>(a + cur.offset[0] + at * sa, b + cur.offset[1] + at * sb, o + i, n, sa, sb);
    i += n;
    cur.nextRow();
  }
}

template <class Op>
void binaryAll(const BroadcastPlan& plan, const float* a, const float* b, float* o) {
  const int64_t total = plan.total;
#pragma omp parallel if (total >= kParallelGrain)
  {
    const int64_t threads = omp_get_num_threads(), t = omp_get_thread_num();
    const int64_t chunk = (total + threads - 1) / threads;
    const int64_t begin = std::min(total, t * chunk), end = std::min(total, begin + chunk);
    if (begin < end) binaryRange<Op>(plan, a, b, o, begin, end);
  }
}

// tfjs's step on four floats: 1 where x > 0, `below` where x ≤ 0, NaN stays NaN (as ReluGradOp and Step).
inline __m128 step4(__m128 x, __m128 below) {
  const __m128 above = _mm_cmpgt_ps(x, _mm_setzero_ps()), nan = _mm_cmpunord_ps(x, x);
  const __m128 s = _mm_or_ps(_mm_and_ps(above, _mm_set1_ps(1.f)), _mm_andnot_ps(above, below));
  return _mm_or_ps(_mm_andnot_ps(nan, s), _mm_and_ps(nan, x));
}

// SwishGradOp on four lanes, the same arithmetic.
inline __m128 swishGrad4(__m128 dy, __m128 x) {
  const __m128 s = sigmoid4(x), one = _mm_set1_ps(1.f);
  return _mm_mul_ps(dy, _mm_mul_ps(s, _mm_add_ps(one, _mm_mul_ps(x, _mm_sub_ps(one, s)))));
}

/** o[i] = vec(a[i…i+3], b[i…i+3]) over the bulk, scalar(a[i], b[i]) for the tail; both cores. */
template <class Vec, class Scalar>
void binaryVec4(const float* a, const float* b, float* o, int64_t n, Vec vec, Scalar scalar) {
  const int64_t blocks = n / 4;
#pragma omp parallel for if (n >= kParallelGrain) schedule(static)
  for (int64_t k = 0; k < blocks; k++)
    _mm_storeu_ps(o + 4 * k, vec(_mm_loadu_ps(a + 4 * k), _mm_loadu_ps(b + 4 * k)));
  for (int64_t i = 4 * blocks; i < n; i++) o[i] = scalar(a[i], b[i]);
}

}  // namespace

// binary(op, a, aShape, b, bShape, out): out = a ∘ b with broadcasting; out has the broadcast shape.
napi_value Binary(napi_env env, napi_callback_info info) {
  Args args(env, info, 6);
  const int32_t op = int32Arg(env, args[0], "op");
  F32 a = float32Arg(env, args[1], "a");
  auto aShape = intsArg(env, args[2], -1, "aShape");
  F32 b = float32Arg(env, args[3], "b");
  auto bShape = intsArg(env, args[4], -1, "bShape");
  F32 o = float32Arg(env, args[5], "out");
  if (op < 0 || op >= kBinaryOpCount) throw JsError("unknown binary op " + std::to_string(op));
  requireLength(a, sizeOf(aShape, "aShape"), "a");
  requireLength(b, sizeOf(bShape, "bShape"), "b");
  BroadcastPlan plan = planBroadcast({aShape, bShape});
  requireLength(o, plan.total, "out");
  if (plan.total == 0) return nullptr;
  // Same shapes: four lanes at a time where the scalar form does not vectorise (selects, an exp per element).
  if (aShape == bShape && op == kSwishGrad) {
    const int64_t done = wideVectors() ? swishGradAvx2(a.data, b.data, o.data, plan.total) : 0;
    binaryVec4(a.data + done, b.data + done, o.data + done, plan.total - done,
               [](__m128 dy, __m128 x) { return swishGrad4(dy, x); }, SwishGradOp::f);
    return nullptr;
  }
  if (aShape == bShape && op == kReluGrad) {
    binaryVec4(a.data, b.data, o.data, plan.total,
               [](__m128 dy, __m128 x) { return _mm_mul_ps(dy, step4(x, _mm_setzero_ps())); }, ReluGradOp::f);
    return nullptr;
  }
  switch (op) {
    case kAdd: binaryAll<AddOp>(plan, a.data, b.data, o.data); break;
    case kSub: binaryAll<SubOp>(plan, a.data, b.data, o.data); break;
    case kMul: binaryAll<MulOp>(plan, a.data, b.data, o.data); break;
    case kDiv: binaryAll<DivOp>(plan, a.data, b.data, o.data); break;
    case kSquaredDifference: binaryAll<SquaredDifferenceOp>(plan, a.data, b.data, o.data); break;
    case kMaximum: binaryAll<MaximumOp>(plan, a.data, b.data, o.data); break;
    case kMinimum: binaryAll<MinimumOp>(plan, a.data, b.data, o.data); break;
    case kReluGrad: binaryAll<ReluGradOp>(plan, a.data, b.data, o.data); break;
    case kSwishGrad: binaryAll<SwishGradOp>(plan, a.data, b.data, o.data); break;
  }
  return nullptr;
}

namespace {

enum UnaryOp {
  kRelu = 0, kRelu6, kNeg, kSquare, kSqrt, kRsqrt, kExp, kLog, kSigmoid, kAbs, kStep, kReciprocal, kTanh, kElu,
  kLeakyRelu, kSwish, kUnaryOpCount
};

template <class F>
void unaryAll(const float* x, float* o, int64_t n, F f) {
#pragma omp parallel for simd if (n >= kParallelGrain) schedule(static)
  for (int64_t i = 0; i < n; i++) o[i] = f(x[i]);
}

float jsMax0(float v) { return v != v ? v : (v > 0.f ? v : 0.f); }

// e^x in float32 to about 2 ulp (Cody–Waite reduction by ln 2, Cephes' degree-6 polynomial), several
// times faster than libm's double exp that JavaScript's Math.exp amounts to; used where the cpu kernel's
// result is a float32 anyway (Exp, Sigmoid, Elu). Saturates to 0 and +∞ like exp; NaN stays NaN.
inline float fastExp(float x) {
  const float c = std::min(std::max(x, -87.33654f), 88.72283f);
  // Round to nearest by the 1.5·2²³ trick (|c·log₂e| < 2²²): no libm call, so the loop vectorises.
  const float n = (c * 1.44269504088896341f + 12582912.f) - 12582912.f;
  float r = c - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  const float z = r * r;
  float y = 1.9875691500e-4f;
  y = y * r + 1.3981999507e-3f;
  y = y * r + 8.3334519073e-3f;
  y = y * r + 4.1665795894e-2f;
  y = y * r + 1.6666665459e-1f;
  y = y * r + 5.0000001201e-1f;
  y = y * z + r + 1.f;
  // y · 2ⁿ with n in [−126, 128]: two factors, each a normal float.
  const int32_t k = static_cast<int32_t>(n);
  const int32_t k1 = k >> 1, k2 = k - k1;
  const uint32_t b1 = static_cast<uint32_t>(k1 + 127) << 23, b2 = static_cast<uint32_t>(k2 + 127) << 23;
  float f1, f2;
  std::memcpy(&f1, &b1, sizeof f1);
  std::memcpy(&f2, &b2, sizeof f2);
  const float e = y * f1 * f2;
  // Selects rather than early returns, so that the loops calling this vectorise.
  const float saturated = x > 88.72283f ? std::numeric_limits<float>::infinity() : (x < -87.33654f ? 0.f : e);
  return x != x ? x : saturated;
}

// fastExp on four floats with SSE2 (every x86-64 CPU has it): the same arithmetic lane by lane, so the
// vector and scalar paths give the same bits; GCC does not vectorise the scalar version by itself.
inline __m128 fastExp4(__m128 x) {
  const __m128 hi = _mm_set1_ps(88.72283f), lo = _mm_set1_ps(-87.33654f);
  const __m128 c = _mm_min_ps(_mm_max_ps(x, lo), hi);
  const __m128 magic = _mm_set1_ps(12582912.f);
  const __m128 n = _mm_sub_ps(_mm_add_ps(_mm_mul_ps(c, _mm_set1_ps(1.44269504088896341f)), magic), magic);
  __m128 r = _mm_sub_ps(c, _mm_mul_ps(n, _mm_set1_ps(0.693359375f)));
  r = _mm_sub_ps(r, _mm_mul_ps(n, _mm_set1_ps(-2.12194440e-4f)));
  const __m128 z = _mm_mul_ps(r, r);
  __m128 y = _mm_set1_ps(1.9875691500e-4f);
  y = _mm_add_ps(_mm_mul_ps(y, r), _mm_set1_ps(1.3981999507e-3f));
  y = _mm_add_ps(_mm_mul_ps(y, r), _mm_set1_ps(8.3334519073e-3f));
  y = _mm_add_ps(_mm_mul_ps(y, r), _mm_set1_ps(4.1665795894e-2f));
  y = _mm_add_ps(_mm_mul_ps(y, r), _mm_set1_ps(1.6666665459e-1f));
  y = _mm_add_ps(_mm_mul_ps(y, r), _mm_set1_ps(5.0000001201e-1f));
  y = _mm_add_ps(_mm_add_ps(_mm_mul_ps(y, z), r), _mm_set1_ps(1.f));
  const __m128i k = _mm_cvttps_epi32(n);  // n is integral: truncation is exact
  const __m128i k1 = _mm_srai_epi32(k, 1);
  const __m128i k2 = _mm_sub_epi32(k, k1);
  const __m128i bias = _mm_set1_epi32(127);
  const __m128 f1 = _mm_castsi128_ps(_mm_slli_epi32(_mm_add_epi32(k1, bias), 23));
  const __m128 f2 = _mm_castsi128_ps(_mm_slli_epi32(_mm_add_epi32(k2, bias), 23));
  __m128 e = _mm_mul_ps(_mm_mul_ps(y, f1), f2);
  const __m128 over = _mm_cmpgt_ps(x, hi), under = _mm_cmplt_ps(x, lo), nan = _mm_cmpunord_ps(x, x);
  e = _mm_or_ps(_mm_andnot_ps(over, e), _mm_and_ps(over, _mm_set1_ps(std::numeric_limits<float>::infinity())));
  e = _mm_andnot_ps(under, e);
  return _mm_or_ps(_mm_andnot_ps(nan, e), _mm_and_ps(nan, x));
}

inline __m128 sigmoid4(__m128 x) {
  const __m128 one = _mm_set1_ps(1.f);
  return _mm_div_ps(one, _mm_add_ps(one, fastExp4(_mm_sub_ps(_mm_setzero_ps(), x))));
}

/** o[i] = vec(x[i…i+3]) over the bulk, scalar(x[i]) for the tail; both cores. */
template <class Vec, class Scalar>
void unaryVec4(const float* x, float* o, int64_t n, Vec vec, Scalar scalar) {
  const int64_t blocks = n / 4;
#pragma omp parallel for if (n >= kParallelGrain) schedule(static)
  for (int64_t b = 0; b < blocks; b++) _mm_storeu_ps(o + 4 * b, vec(_mm_loadu_ps(x + 4 * b)));
  for (int64_t i = 4 * blocks; i < n; i++) o[i] = scalar(x[i]);
}

}  // namespace

// unary(op, x, out, alpha): alpha is Step's value for x ≤ 0 and LeakyRelu's slope.
napi_value Unary(napi_env env, napi_callback_info info) {
  Args args(env, info, 4);
  const int32_t op = int32Arg(env, args[0], "op");
  F32 x = float32Arg(env, args[1], "x");
  F32 o = float32Arg(env, args[2], "out");
  const float alpha = static_cast<float>(doubleArg(env, args[3], "alpha"));
  if (op < 0 || op >= kUnaryOpCount) throw JsError("unknown unary op " + std::to_string(op));
  requireLength(o, static_cast<int64_t>(x.length), "out");
  const int64_t n = static_cast<int64_t>(x.length);
  const float* xs = x.data;
  float* os = o.data;
  switch (op) {
    case kRelu: unaryAll(xs, os, n, [](float v) { return jsMax0(v); }); break;
    case kRelu6: unaryAll(xs, os, n, [](float v) { float r = jsMax0(v); return r > 6.f ? 6.f : r; }); break;
    case kNeg: unaryAll(xs, os, n, [](float v) { return -v; }); break;
    case kSquare: unaryAll(xs, os, n, [](float v) { return v * v; }); break;
    case kSqrt: unaryAll(xs, os, n, [](float v) { return static_cast<float>(std::sqrt(static_cast<double>(v))); }); break;
    case kRsqrt: unaryAll(xs, os, n, [](float v) { return static_cast<float>(1.0 / std::sqrt(static_cast<double>(v))); }); break;
    case kExp: {
      const int64_t done = wideVectors() ? expAvx2(xs, os, n) : 0;
      unaryVec4(xs + done, os + done, n - done, [](__m128 v) { return fastExp4(v); }, [](float v) { return fastExp(v); });
      break;
    }
    case kLog: unaryAll(xs, os, n, [](float v) { return static_cast<float>(std::log(static_cast<double>(v))); }); break;
    case kSigmoid: {
      const int64_t done = wideVectors() ? sigmoidAvx2(xs, os, n) : 0;
      unaryVec4(xs + done, os + done, n - done, [](__m128 v) { return sigmoid4(v); },
                [](float v) { return 1.f / (1.f + fastExp(-v)); });
      break;
    }
    case kAbs: unaryAll(xs, os, n, [](float v) { return std::fabs(v); }); break;
    case kStep: {
      const __m128 below = _mm_set1_ps(alpha);
      unaryVec4(xs, os, n, [below](__m128 v) { return step4(v, below); },
                [alpha](float v) { return v != v ? v : (v > 0.f ? 1.f : alpha); });
      break;
    }
    case kReciprocal: unaryAll(xs, os, n, [](float v) { return 1.f / v; }); break;
    case kTanh: unaryAll(xs, os, n, [](float v) { return static_cast<float>(std::tanh(static_cast<double>(v))); }); break;
    case kElu:
      unaryAll(xs, os, n, [](float v) { return v >= 0.f ? v : fastExp(v) - 1.f; });
      break;
    case kLeakyRelu: {
      const __m128 slope = _mm_set1_ps(alpha);
      unaryVec4(
          xs, os, n,
          [slope](__m128 v) {
            const __m128 negative = _mm_cmplt_ps(v, _mm_setzero_ps());
            return _mm_or_ps(_mm_and_ps(negative, _mm_mul_ps(slope, v)), _mm_andnot_ps(negative, v));
          },
          [alpha](float v) { return v < 0.f ? alpha * v : v; });
      break;
    }
    case kSwish: {
      const int64_t done = wideVectors() ? swishAvx2(xs, os, n) : 0;
      unaryVec4(
          xs + done, os + done, n - done, [](__m128 v) { return _mm_mul_ps(sigmoid4(v), v); },
          [](float v) { return (1.f / (1.f + fastExp(-v))) * v; });
      break;
    }
  }
  return nullptr;
}

// wideVectors(on?): whether the eight-lane AVX2 paths run; `on` (a boolean) turns them off or back on.
napi_value WideVectors(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  NAPI_OK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  if (argc >= 1 && !isNullish(env, argv[0])) {
    bool on = false;
    if (napi_get_value_bool(env, argv[0], &on) != napi_ok) throw JsError("on must be a boolean");
    setWideVectors(on);
  }
  napi_value out;
  NAPI_OK(napi_get_boolean(env, wideVectors(), &out));
  return out;
}

// addN([x0, x1, …], out): the element-wise sum, added left to right as the cpu kernel does.
napi_value AddN(napi_env env, napi_callback_info info) {
  Args args(env, info, 2);
  bool isArray = false;
  NAPI_OK(napi_is_array(env, args[0], &isArray));
  if (!isArray) throw JsError("inputs must be an array of Float32Arrays");
  uint32_t count = 0;
  NAPI_OK(napi_get_array_length(env, args[0], &count));
  if (count == 0) throw JsError("addN needs at least one input");
  F32 o = float32Arg(env, args[1], "out");
  std::vector<const float*> xs(count);
  for (uint32_t k = 0; k < count; k++) {
    napi_value item;
    NAPI_OK(napi_get_element(env, args[0], k, &item));
    F32 x = float32Arg(env, item, "inputs[k]");
    requireLength(x, static_cast<int64_t>(o.length), "every input");
    xs[k] = x.data;
  }
  const int64_t n = static_cast<int64_t>(o.length);
  float* os = o.data;
#pragma omp parallel for if (n >= kParallelGrain) schedule(static)
  for (int64_t i = 0; i < n; i++) {
    float s = xs[0][i];
    for (uint32_t k = 1; k < count; k++) s += xs[k][i];
    os[i] = s;
  }
  return nullptr;
}

// batchNormApply(x, mean, variance, offset | null, scale | null, out, epsilon): out = offset + (x − mean)
// · scale / √(variance + ε), every parameter a vector over x's last axis (length C) or a single value.
napi_value BatchNormApply(napi_env env, napi_callback_info info) {
  Args args(env, info, 7);
  F32 x = float32Arg(env, args[0], "x");
  F32 mean = float32Arg(env, args[1], "mean");
  F32 variance = float32Arg(env, args[2], "variance");
  const bool hasOffset = !isNullish(env, args[3]), hasScale = !isNullish(env, args[4]);
  F32 offset = hasOffset ? float32Arg(env, args[3], "offset") : F32{};
  F32 scale = hasScale ? float32Arg(env, args[4], "scale") : F32{};
  F32 o = float32Arg(env, args[5], "out");
  const double eps = doubleArg(env, args[6], "epsilon");
  requireLength(o, static_cast<int64_t>(x.length), "out");
  const int64_t c = static_cast<int64_t>(mean.length);
  if (c < 1) throw JsError("mean must not be empty");
  auto check = [&](const F32& v, const char* name) {
    if (v.length != 1 && static_cast<int64_t>(v.length) != c)
      throw JsError(std::string(name) + " has " + std::to_string(v.length) + " values, expected 1 or " + std::to_string(c));
  };
  check(variance, "variance");
  if (hasOffset) check(offset, "offset");
  if (hasScale) check(scale, "scale");
  if (x.length % c != 0) throw JsError("x's size is not a multiple of the parameters' length");
  // The cpu kernel divides by √(var + ε) per element in double; the per-channel multiplier below is the
  // same quantity, rounded once.
  std::vector<float> mul(c), add(c);
  for (int64_t k = 0; k < c; k++) {
    const double s = hasScale ? scale.data[scale.length == 1 ? 0 : k] : 1.0;
    mul[k] = static_cast<float>(s / std::sqrt(static_cast<double>(variance.data[variance.length == 1 ? 0 : k]) + eps));
    add[k] = hasOffset ? offset.data[offset.length == 1 ? 0 : k] : 0.f;
  }
  const float* means = mean.data;
  channelAffine(x.data, means, mul.data(), add.data(), static_cast<int64_t>(x.length) / c, c, o.data);
  return nullptr;
}

// adamUpdate(w, g, m, v, outW, outM, outV, [beta1, 1 − beta1, beta2, 1 − beta2, lr/correction1,
// correction2, epsilon, l2Decay, decoupledFactor]) (every scalar computed in JavaScript, then rounded to
// float32 as tfjs rounds its scalar tensors): one pass of PyTorch's Adam rule, each step in float32 exactly as the chain
// of tfjs ops in @qad/trainer's Adam computes it (so both paths give the same bits):
//   g' = g + w·λ (l2Decay > 0) · m' = m·β₁ + g'·(1−β₁) · v' = v·β₂ + g'²·(1−β₂)
//   w' = w·f − (m'·lr/c₁) / (√(v'/c₂) + ε)   (f = 1 − lr·λ for decoupled decay, else 1)
namespace {

struct AdamScalars {
  float beta1, oneMinusBeta1, beta2, oneMinusBeta2, lrc1, c2, eps, l2, keep;
};

// Separate outputs from inputs (__restrict) so that GCC vectorises the loop instead of guarding every store.
template <bool kDecay>
void adamLoop(const float* __restrict ws, const float* __restrict gs, const float* __restrict ms,
              const float* __restrict vs, float* __restrict ows, float* __restrict oms, float* __restrict ovs,
              int64_t n, const AdamScalars& k) {
  const AdamScalars c = k;
#pragma omp parallel for simd if (n >= kParallelGrain) schedule(static)
  for (int64_t i = 0; i < n; i++) {
    const float gi = kDecay && c.l2 > 0.f ? gs[i] + ws[i] * c.l2 : gs[i];
    const float mi = ms[i] * c.beta1 + gi * c.oneMinusBeta1;
    const float vi = vs[i] * c.beta2 + (gi * gi) * c.oneMinusBeta2;
    const float denominator = std::sqrt(vi / c.c2) + c.eps;
    const float wi = kDecay && c.keep != 1.f ? ws[i] * c.keep : ws[i];
    oms[i] = mi;
    ovs[i] = vi;
    ows[i] = wi - (mi * c.lrc1) / denominator;
  }
}

}  // namespace

napi_value AdamUpdate(napi_env env, napi_callback_info info) {
  Args args(env, info, 8);
  F32 w = float32Arg(env, args[0], "w");
  F32 g = float32Arg(env, args[1], "g");
  F32 m = float32Arg(env, args[2], "m");
  F32 v = float32Arg(env, args[3], "v");
  F32 ow = float32Arg(env, args[4], "outW");
  F32 om = float32Arg(env, args[5], "outM");
  F32 ov = float32Arg(env, args[6], "outV");
  const int64_t n = static_cast<int64_t>(w.length);
  for (const auto& [a, name] : {std::pair<const F32&, const char*>{g, "g"}, {m, "m"}, {v, "v"}, {ow, "outW"},
                                {om, "outM"}, {ov, "outV"}})
    requireLength(a, n, name);
  bool isArray = false;
  NAPI_OK(napi_is_array(env, args[7], &isArray));
  if (!isArray) throw JsError("params must be an array of 9 numbers");
  uint32_t count = 0;
  NAPI_OK(napi_get_array_length(env, args[7], &count));
  if (count != 9) throw JsError("params must have 9 entries, got " + std::to_string(count));
  float p[9];
  for (uint32_t i = 0; i < 9; i++) {
    napi_value item;
    NAPI_OK(napi_get_element(env, args[7], i, &item));
    p[i] = static_cast<float>(doubleArg(env, item, "params[i]"));
  }
  // The scalars as tfjs holds them: float32 tensors.
  const float beta1 = p[0], oneMinusBeta1 = p[1], beta2 = p[2], oneMinusBeta2 = p[3], lrc1 = p[4], c2 = p[5],
              eps = p[6], l2 = p[7], keep = p[8];
  const AdamScalars k{beta1, oneMinusBeta1, beta2, oneMinusBeta2, lrc1, c2, eps, l2, keep};
  // Weight decay and the decoupled decay factor are usually off: loops without them vectorise cleanly.
  if (l2 > 0.f || keep != 1.f)
    adamLoop<true>(w.data, g.data, m.data, v.data, ow.data, om.data, ov.data, n, k);
  else
    adamLoop<false>(w.data, g.data, m.data, v.data, ow.data, om.data, ov.data, n, k);
  return nullptr;
}

}  // namespace qad

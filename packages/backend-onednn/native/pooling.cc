// 2-D max pooling over NHWC and its gradient, with the cpu kernel's rules: positions outside the input
// never win (padding acts as −∞), the first strict maximum in row-major window order wins, NaN never wins,
// and a window with no position inside the input gives −∞ forward and no gradient.

#include <omp.h>

#include <emmintrin.h>

#include <algorithm>
#include <limits>

#include "addon_support.h"
#include "kernels.h"

namespace qad {
namespace {

// p = [N, IH, IW, C, OH, OW, KH, KW, SH, SW, padTop, padLeft]
struct PoolGeom {
  int64_t n, ih, iw, c, oh, ow, kh, kw, sh, sw, pt, pl;
};

PoolGeom poolGeom(const std::vector<int64_t>& p) {
  PoolGeom g{p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11]};
  for (int64_t v : {g.n, g.ih, g.iw, g.c, g.oh, g.ow, g.kh, g.kw, g.sh, g.sw})
    if (v < 1) throw JsError("pooling sizes and strides must be positive");
  if (g.pt < 0 || g.pl < 0) throw JsError("pooling padding must be non-negative");
  return g;
}

// Channels handled together: a block fits in registers/L1 and gives the gradient disjoint writes.
constexpr int64_t kChannelBlock = 32;

/**
 * For output pixel (b, oy, ox) and channels [c0, c0 + cn): each channel's maximum, and where it is as a window
 * position `ky · KW + kx` (−1 when no position is inside the input). Four channels at a time with selects
 * (the first strict maximum wins, as `v > best` never holds for NaN), so that the loop has no branches.
 * The forward pass needs only the maxima (`kWhere` false, `win` unused).
 */
template <bool kWhere>
void argmaxWindow(const PoolGeom& g, const float* x, int64_t b, int64_t oy, int64_t ox, int64_t c0, int64_t cn,
                  float* best, int32_t* win) {
  std::fill(best, best + cn, -std::numeric_limits<float>::infinity());
  if (kWhere) std::fill(win, win + cn, -1);
  const int64_t y0 = oy * g.sh - g.pt, x0 = ox * g.sw - g.pl;
  for (int64_t ky = std::max<int64_t>(0, -y0); ky < g.kh && y0 + ky < g.ih; ky++) {
    for (int64_t kx = std::max<int64_t>(0, -x0); kx < g.kw && x0 + kx < g.iw; kx++) {
      const float* row = x + ((b * g.ih + y0 + ky) * g.iw + x0 + kx) * g.c + c0;
      const int32_t k = static_cast<int32_t>(ky * g.kw + kx);
      const __m128i k4 = _mm_set1_epi32(k);
      int64_t i = 0;
      for (; i + 4 <= cn; i += 4) {
        const __m128 v = _mm_loadu_ps(row + i), current = _mm_loadu_ps(best + i);
        const __m128 wins = _mm_cmpgt_ps(v, current);
        _mm_storeu_ps(best + i, _mm_or_ps(_mm_and_ps(wins, v), _mm_andnot_ps(wins, current)));
        if (!kWhere) continue;
        const __m128i mask = _mm_castps_si128(wins);
        __m128i* w = reinterpret_cast<__m128i*>(win + i);
        _mm_storeu_si128(w, _mm_or_si128(_mm_and_si128(mask, k4), _mm_andnot_si128(mask, _mm_loadu_si128(w))));
      }
      for (; i < cn; i++) {
        if (row[i] > best[i]) {
          best[i] = row[i];
          if (kWhere) win[i] = k;
        }
      }
    }
  }
}

}  // namespace

// maxPool(x, out, params[12])
napi_value MaxPool(napi_env env, napi_callback_info info) {
  Args args(env, info, 3);
  F32 x = float32Arg(env, args[0], "x");
  F32 o = float32Arg(env, args[1], "out");
  PoolGeom g = poolGeom(intsArg(env, args[2], 12, "params"));
  requireLength(x, g.n * g.ih * g.iw * g.c, "x");
  requireLength(o, g.n * g.oh * g.ow * g.c, "out");
  const int64_t rows = g.n * g.oh;
#pragma omp parallel if (g.n * g.oh * g.ow * g.c * g.kh * g.kw >= kParallelGrain)
  {
    std::vector<float> best(kChannelBlock);
#pragma omp for schedule(static)
    for (int64_t r = 0; r < rows; r++) {
      const int64_t b = r / g.oh, oy = r % g.oh;
      for (int64_t ox = 0; ox < g.ow; ox++)
        for (int64_t c0 = 0; c0 < g.c; c0 += kChannelBlock) {
          const int64_t cn = std::min(kChannelBlock, g.c - c0);
          argmaxWindow<false>(g, x.data, b, oy, ox, c0, cn, best.data(), nullptr);
          std::copy(best.begin(), best.begin() + cn, o.data + ((b * g.oh + oy) * g.ow + ox) * g.c + c0);
        }
    }
  }
  return nullptr;
}

// maxPoolGrad(dy, x, dx, params[12]): dx must arrive zero-filled (the kernel takes a zeroed array: it adds into dx).
napi_value MaxPoolGrad(napi_env env, napi_callback_info info) {
  Args args(env, info, 4);
  F32 dy = float32Arg(env, args[0], "dy");
  F32 x = float32Arg(env, args[1], "x");
  F32 dx = float32Arg(env, args[2], "out");
  PoolGeom g = poolGeom(intsArg(env, args[3], 12, "params"));
  requireLength(x, g.n * g.ih * g.iw * g.c, "x");
  requireLength(dx, g.n * g.ih * g.iw * g.c, "out");
  requireLength(dy, g.n * g.oh * g.ow * g.c, "dy");
  // Overlapping windows add into the same dx entries, so each task owns one (image, channel block).
  const int64_t blocks = (g.c + kChannelBlock - 1) / kChannelBlock;
  const int64_t tasks = g.n * blocks;
#pragma omp parallel if (g.n * g.oh * g.ow * g.c * g.kh * g.kw >= kParallelGrain)
  {
    std::vector<float> best(kChannelBlock);
    std::vector<int32_t> win(kChannelBlock);
#pragma omp for schedule(static)
    for (int64_t t = 0; t < tasks; t++) {
      const int64_t b = t / blocks, c0 = (t % blocks) * kChannelBlock;
      const int64_t cn = std::min(kChannelBlock, g.c - c0);
      for (int64_t oy = 0; oy < g.oh; oy++)
        for (int64_t ox = 0; ox < g.ow; ox++) {
          argmaxWindow<true>(g, x.data, b, oy, ox, c0, cn, best.data(), win.data());
          const float* d = dy.data + ((b * g.oh + oy) * g.ow + ox) * g.c + c0;
          const int64_t y0 = oy * g.sh - g.pt, x0 = ox * g.sw - g.pl;
          for (int64_t i = 0; i < cn; i++) {
            if (win[i] < 0) continue;
            const int64_t y = y0 + win[i] / g.kw, xx = x0 + win[i] % g.kw;
            dx.data[((b * g.ih + y) * g.iw + xx) * g.c + c0 + i] += d[i];
          }
        }
    }
  }
  return nullptr;
}

}  // namespace qad

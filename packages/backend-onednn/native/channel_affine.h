// The per-channel affine map of batch norm, out = (x − mean)·multiplier + shift over x[rows, C]: what the
// FusedBatchNorm kernel and the fused training forward both apply, rounded the same way.
#pragma once

#include <cstdint>

#include "addon_support.h"

namespace qad {

inline void channelAffine(const float* x, const float* mean, const float* multiplier, const float* shift,
                          int64_t rows, int64_t c, float* out) {
#pragma omp parallel for if (rows * c >= kParallelGrain) schedule(static)
  for (int64_t r = 0; r < rows; r++) {
    const float* xr = x + r * c;
    float* o = out + r * c;
    for (int64_t k = 0; k < c; k++) o[k] = (xr[k] - mean[k]) * multiplier[k] + shift[k];
  }
}

}  // namespace qad

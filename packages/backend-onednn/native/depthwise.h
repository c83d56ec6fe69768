// A native filter gradient for depthwise convolutions where oneDNN has no direct kernel (see depthwise.cc).
#pragma once

#include <cstdint>

namespace qad {

/** NHWC input [n, ih, iw, c], output [n, oh, ow, c], filter [kh, kw, c, 1]; dilations count from 1. */
struct DepthwiseGeom {
  int64_t n, ih, iw, c, oh, ow, kh, kw, sh, sw, dh, dw, pt, pl;
};

/** dw[ky, kx, c] = Σ x[b, oy·sh + ky·dh − pt, ox·sw + kx·dw − pl, c] · dy[b, oy, ox, c] over inside positions. */
void depthwiseFilterGradient(const DepthwiseGeom& g, const float* x, const float* dy, float* dw);

}  // namespace qad

// Kernels that only move float32 values: slice, constant pad, tile and transpose. Each splits the output
// into rows of a contiguous innermost run and copies rows in parallel.

#include <omp.h>

#include <algorithm>
#include <cstring>

#include "addon_support.h"
#include "kernels.h"

namespace qad {
namespace {

std::vector<int64_t> contiguousStrides(const std::vector<int64_t>& shape) {
  std::vector<int64_t> s(shape.size(), 1);
  for (size_t d = shape.size(); d-- > 1;) s[d - 1] = s[d] * shape[d];
  return s;
}

/** Row `row` of `rowDims` (row-major) as a coordinate vector. */
void coordsOf(int64_t row, const std::vector<int64_t>& rowDims, std::vector<int64_t>& coord) {
  for (size_t d = rowDims.size(); d-- > 0;) {
    coord[d] = row % rowDims[d];
    row /= rowDims[d];
  }
}

/**
 * Runs `body(row, coord)` for every row of `rowDims` (row-major), `coord` being the row's coordinates, over
 * the OpenMP team when `work` (elements moved) is worth it.
 */
template <class Body>
void forEachRow(const std::vector<int64_t>& rowDims, int64_t work, Body body) {
  int64_t rows = 1;
  for (int64_t d : rowDims) rows *= d;
#pragma omp parallel if (work >= kParallelGrain)
  {
    std::vector<int64_t> coord(rowDims.size());
#pragma omp for schedule(static)
    for (int64_t r = 0; r < rows; r++) {
      coordsOf(r, rowDims, coord);
      body(r, coord);
    }
  }
}

}  // namespace

// slice(x, xShape, begin, size, out)
napi_value Slice(napi_env env, napi_callback_info info) {
  Args args(env, info, 5);
  F32 x = float32Arg(env, args[0], "x");
  auto shape = intsArg(env, args[1], -1, "xShape");
  const int64_t rank = static_cast<int64_t>(shape.size());
  auto begin = intsArg(env, args[2], rank, "begin");
  auto size = intsArg(env, args[3], rank, "size");
  F32 o = float32Arg(env, args[4], "out");
  requireLength(x, sizeOf(shape, "xShape"), "x");
  for (int64_t d = 0; d < rank; d++)
    if (begin[d] < 0 || size[d] < 0 || begin[d] + size[d] > shape[d])
      throw JsError("slice [" + std::to_string(begin[d]) + ", +" + std::to_string(size[d]) + ") is out of bounds of axis " +
                    std::to_string(d) + " (size " + std::to_string(shape[d]) + ")");
  const int64_t total = sizeOf(size, "size");
  requireLength(o, total, "out");
  if (total == 0) return nullptr;
  if (rank == 0) {
    o.data[0] = x.data[0];
    return nullptr;
  }
  // The run: the innermost axes the slice takes whole, plus the first one it cuts.
  int64_t k = rank - 1;
  while (k > 0 && begin[k] == 0 && size[k] == shape[k]) k--;
  const auto xStrides = contiguousStrides(shape);
  int64_t run = 1;
  for (int64_t d = k; d < rank; d++) run *= size[d];
  const float* xs = x.data;
  float* os = o.data;
  forEachRow({size.begin(), size.begin() + k}, total, [&](int64_t r, const std::vector<int64_t>& coord) {
    int64_t src = begin[k] * xStrides[k];
    for (int64_t d = 0; d < k; d++) src += (begin[d] + coord[d]) * xStrides[d];
    std::memcpy(os + r * run, xs + src, run * sizeof(float));
  });
  return nullptr;
}

// pad(x, xShape, before, after, value, out): out must arrive zero-filled when value is 0 (the kernel takes a zeroed array).
napi_value Pad(napi_env env, napi_callback_info info) {
  Args args(env, info, 6);
  F32 x = float32Arg(env, args[0], "x");
  auto shape = intsArg(env, args[1], -1, "xShape");
  const int64_t rank = static_cast<int64_t>(shape.size());
  auto before = intsArg(env, args[2], rank, "before");
  auto after = intsArg(env, args[3], rank, "after");
  const float value = static_cast<float>(doubleArg(env, args[4], "value"));
  F32 o = float32Arg(env, args[5], "out");
  requireLength(x, sizeOf(shape, "xShape"), "x");
  std::vector<int64_t> outShape(rank);
  for (int64_t d = 0; d < rank; d++) {
    if (before[d] < 0 || after[d] < 0) throw JsError("negative padding is not supported");
    outShape[d] = shape[d] + before[d] + after[d];
  }
  const int64_t total = sizeOf(outShape, "output shape");
  requireLength(o, total, "out");
  float* os = o.data;
  if (value != 0.f) {
#pragma omp parallel for if (total >= kParallelGrain) schedule(static)
    for (int64_t i = 0; i < total; i++) os[i] = value;
  }
  const int64_t n = static_cast<int64_t>(x.length);
  if (n == 0) return nullptr;
  if (rank == 0) {
    os[0] = x.data[0];
    return nullptr;
  }
  const int64_t inner = shape[rank - 1];
  const auto oStrides = contiguousStrides(outShape);
  const float* xs = x.data;
  forEachRow({shape.begin(), shape.end() - 1}, n, [&](int64_t r, const std::vector<int64_t>& coord) {
    int64_t dst = before[rank - 1];
    for (int64_t d = 0; d + 1 < rank; d++) dst += (coord[d] + before[d]) * oStrides[d];
    std::memcpy(os + dst, xs + r * inner, inner * sizeof(float));
  });
  return nullptr;
}

// tile(x, xShape, reps, out)
napi_value Tile(napi_env env, napi_callback_info info) {
  Args args(env, info, 4);
  F32 x = float32Arg(env, args[0], "x");
  auto shape = intsArg(env, args[1], -1, "xShape");
  const int64_t rank = static_cast<int64_t>(shape.size());
  auto reps = intsArg(env, args[2], rank, "reps");
  F32 o = float32Arg(env, args[3], "out");
  requireLength(x, sizeOf(shape, "xShape"), "x");
  std::vector<int64_t> outShape(rank);
  for (int64_t d = 0; d < rank; d++) {
    if (reps[d] < 0) throw JsError("tile repetitions must be non-negative");
    outShape[d] = shape[d] * reps[d];
  }
  const int64_t total = sizeOf(outShape, "output shape");
  requireLength(o, total, "out");
  if (total == 0) return nullptr;
  if (rank == 0) {
    o.data[0] = x.data[0];
    return nullptr;
  }
  const int64_t inner = shape[rank - 1], outInner = outShape[rank - 1];
  const auto xStrides = contiguousStrides(shape);
  const float* xs = x.data;
  float* os = o.data;
  forEachRow({outShape.begin(), outShape.end() - 1}, total, [&](int64_t r, const std::vector<int64_t>& coord) {
    int64_t src = 0;
    for (int64_t d = 0; d + 1 < rank; d++) src += (coord[d] % shape[d]) * xStrides[d];
    float* dst = os + r * outInner;
    for (int64_t k = 0; k < reps[rank - 1]; k++) std::memcpy(dst + k * inner, xs + src, inner * sizeof(float));
  });
  return nullptr;
}

// transpose(x, xShape, perm, out): out's axis d is x's axis perm[d].
napi_value Transpose(napi_env env, napi_callback_info info) {
  Args args(env, info, 4);
  F32 x = float32Arg(env, args[0], "x");
  auto shape = intsArg(env, args[1], -1, "xShape");
  const int64_t rank = static_cast<int64_t>(shape.size());
  auto perm = intsArg(env, args[2], rank, "perm");
  F32 o = float32Arg(env, args[3], "out");
  const int64_t total = sizeOf(shape, "xShape");
  requireLength(x, total, "x");
  requireLength(o, total, "out");
  std::vector<bool> seen(rank, false);
  for (int64_t d = 0; d < rank; d++) {
    if (perm[d] < 0 || perm[d] >= rank || seen[perm[d]]) throw JsError("perm is not a permutation of the axes");
    seen[perm[d]] = true;
  }
  if (total == 0) return nullptr;
  if (rank == 0) {
    o.data[0] = x.data[0];
    return nullptr;
  }
  const auto xStrides = contiguousStrides(shape);
  std::vector<int64_t> outShape(rank), srcStride(rank);
  for (int64_t d = 0; d < rank; d++) {
    outShape[d] = shape[perm[d]];
    srcStride[d] = xStrides[perm[d]];
  }
  const int64_t inner = outShape[rank - 1], innerStride = srcStride[rank - 1];
  const float* xs = x.data;
  float* os = o.data;
  forEachRow({outShape.begin(), outShape.end() - 1}, total, [&](int64_t r, const std::vector<int64_t>& coord) {
    int64_t src = 0;
    for (int64_t d = 0; d + 1 < rank; d++) src += coord[d] * srcStride[d];
    float* dst = os + r * inner;
    for (int64_t i = 0; i < inner; i++) dst[i] = xs[src + i * innerStride];
  });
  return nullptr;
}

}  // namespace qad

// Broadcasting geometry shared by the element-wise kernels: the output's dimensions with each operand's
// strides (0 along a broadcast axis), after dropping size-1 axes and merging neighbours that every operand
// walks alike, so that the innermost loop is as long as possible.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "addon_support.h"

namespace qad {

struct BroadcastPlan {
  std::vector<int64_t> dims;                  // the output, merged; never empty (a scalar is [1])
  std::vector<std::vector<int64_t>> strides;  // per operand, per merged dim
  int64_t total = 1;
};

inline std::string shapeText(const std::vector<int64_t>& s) {
  std::string t = "[";
  for (size_t i = 0; i < s.size(); i++) t += (i ? ", " : "") + std::to_string(s[i]);
  return t + "]";
}

inline BroadcastPlan planBroadcast(const std::vector<std::vector<int64_t>>& shapes) {
  size_t rank = 0;
  for (const auto& s : shapes) rank = std::max(rank, s.size());
  const size_t k = shapes.size();
  std::vector<std::vector<int64_t>> padded(k, std::vector<int64_t>(rank, 1));
  for (size_t j = 0; j < k; j++)
    std::copy(shapes[j].begin(), shapes[j].end(), padded[j].begin() + (rank - shapes[j].size()));
  std::vector<int64_t> out(rank, 1);
  for (size_t d = 0; d < rank; d++) {
    for (size_t j = 0; j < k; j++) {
      const int64_t v = padded[j][d];
      if (v == 1) continue;
      if (out[d] != 1 && out[d] != v) {
        std::string msg = "shapes";
        for (const auto& s : shapes) msg += " " + shapeText(s);
        throw JsError(msg + " cannot be broadcast together");
      }
      out[d] = v;
    }
  }
  // Contiguous strides of each operand, zeroed where it is broadcast.
  std::vector<std::vector<int64_t>> full(k, std::vector<int64_t>(rank, 0));
  for (size_t j = 0; j < k; j++) {
    int64_t stride = 1;
    for (size_t d = rank; d-- > 0;) {
      full[j][d] = padded[j][d] == 1 ? 0 : stride;
      stride *= padded[j][d];
    }
  }
  BroadcastPlan plan;
  plan.strides.assign(k, {});
  for (size_t d = 0; d < rank; d++) {
    plan.total *= out[d];
    if (out[d] == 1) continue;
    bool merge = !plan.dims.empty();
    for (size_t j = 0; j < k && merge; j++) merge = plan.strides[j].back() == full[j][d] * out[d];
    if (merge) {
      plan.dims.back() *= out[d];
      for (size_t j = 0; j < k; j++) plan.strides[j].back() = full[j][d];
    } else {
      plan.dims.push_back(out[d]);
      for (size_t j = 0; j < k; j++) plan.strides[j].push_back(full[j][d]);
    }
  }
  if (plan.dims.empty()) {
    plan.dims.push_back(1);
    for (size_t j = 0; j < k; j++) plan.strides[j].push_back(0);
  }
  return plan;
}

/** Walks a plan's rows (all merged dims but the innermost), tracking each operand's offset. */
struct BroadcastCursor {
  const BroadcastPlan& plan;
  std::vector<int64_t> coord;
  std::vector<int64_t> offset;

  BroadcastCursor(const BroadcastPlan& p, int64_t flatIndex)
      : plan(p), coord(p.dims.size(), 0), offset(p.strides.size(), 0) {
    for (size_t d = p.dims.size(); d-- > 0;) {
      coord[d] = flatIndex % p.dims[d];
      flatIndex /= p.dims[d];
    }
    for (size_t j = 0; j < p.strides.size(); j++)
      for (size_t d = 0; d + 1 < p.dims.size(); d++) offset[j] += coord[d] * p.strides[j][d];
  }

  int64_t innerIndex() const { return coord.back(); }

  void nextRow() {
    coord.back() = 0;
    for (size_t d = plan.dims.size() - 1; d-- > 0;) {
      coord[d]++;
      for (size_t j = 0; j < offset.size(); j++) offset[j] += plan.strides[j][d];
      if (coord[d] < plan.dims[d]) return;
      for (size_t j = 0; j < offset.size(); j++) offset[j] -= plan.strides[j][d] * plan.dims[d];
      coord[d] = 0;
    }
  }
};

}  // namespace qad

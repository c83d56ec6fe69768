// The addon's entry points outside onednn_addon.cc: native loops (OpenMP over both cores) for the kernels
// oneDNN has no primitive for, or whose oneDNN primitive would need a reorder of tfjs's plain layout.
#pragma once

#include <node_api.h>

namespace qad {

// elementwise.cc
napi_value Binary(napi_env env, napi_callback_info info);
napi_value Unary(napi_env env, napi_callback_info info);
napi_value AddN(napi_env env, napi_callback_info info);
napi_value BatchNormApply(napi_env env, napi_callback_info info);
napi_value AdamUpdate(napi_env env, napi_callback_info info);
napi_value WideVectors(napi_env env, napi_callback_info info);
// batch_norm.cc
napi_value BatchNormTrainForward(napi_env env, napi_callback_info info);
napi_value BatchNormTrainBackward(napi_env env, napi_callback_info info);
// layout_ops.cc
napi_value Slice(napi_env env, napi_callback_info info);
napi_value Pad(napi_env env, napi_callback_info info);
napi_value Tile(napi_env env, napi_callback_info info);
napi_value Transpose(napi_env env, napi_callback_info info);
// reduce.cc
napi_value Reduce(napi_env env, napi_callback_info info);
// pooling.cc
napi_value MaxPool(napi_env env, napi_callback_info info);
napi_value MaxPoolGrad(napi_env env, napi_callback_info info);

}  // namespace qad

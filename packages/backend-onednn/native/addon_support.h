// What every entry point of the addon shares: reading N-API arguments into typed C++ values with checks
// that turn a wrong call into a JS error (never an out-of-bounds read), and the OpenMP work-size threshold.
#pragma once

#include <node_api.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace qad {

struct JsError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

#define NAPI_OK(call)                                                \
  do {                                                               \
    if ((call) != napi_ok) throw ::qad::JsError("N-API call failed"); \
  } while (0)

struct F32 {
  float* data = nullptr;
  size_t length = 0;
};

inline F32 float32Arg(napi_env env, napi_value value, const char* name) {
  bool isTyped = false;
  NAPI_OK(napi_is_typedarray(env, value, &isTyped));
  if (!isTyped) throw JsError(std::string(name) + " must be a Float32Array");
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  NAPI_OK(napi_get_typedarray_info(env, value, &type, &length, &data, nullptr, nullptr));
  if (type != napi_float32_array) throw JsError(std::string(name) + " must be a Float32Array");
  return {static_cast<float*>(data), length};
}

inline bool isNullish(napi_env env, napi_value value) {
  napi_valuetype t;
  NAPI_OK(napi_typeof(env, value, &t));
  return t == napi_null || t == napi_undefined;
}

/** An array of integers; `expected` < 0 accepts any length up to `maxLength`. */
inline std::vector<int64_t> intsArg(napi_env env, napi_value value, int64_t expected, const char* name,
                                    uint32_t maxLength = 16) {
  bool isArray = false;
  NAPI_OK(napi_is_array(env, value, &isArray));
  if (!isArray) throw JsError(std::string(name) + " must be an array of integers");
  uint32_t n = 0;
  NAPI_OK(napi_get_array_length(env, value, &n));
  if (expected >= 0 && n != expected)
    throw JsError(std::string(name) + " must have " + std::to_string(expected) + " entries, got " +
                  std::to_string(n));
  if (expected < 0 && n > maxLength)
    throw JsError(std::string(name) + " has " + std::to_string(n) + " entries, at most " +
                  std::to_string(maxLength) + " are supported");
  std::vector<int64_t> out(n);
  for (uint32_t i = 0; i < n; i++) {
    napi_value item;
    NAPI_OK(napi_get_element(env, value, i, &item));
    napi_valuetype t;
    NAPI_OK(napi_typeof(env, item, &t));
    if (t != napi_number) throw JsError(std::string(name) + " must be an array of integers");
    double d = 0;
    NAPI_OK(napi_get_value_double(env, item, &d));
    if (d != static_cast<double>(static_cast<int64_t>(d)) || d < -(1LL << 40) || d > (1LL << 40))
      throw JsError(std::string(name) + "[" + std::to_string(i) + "] is not an integer");
    out[i] = static_cast<int64_t>(d);
  }
  return out;
}

inline int32_t int32Arg(napi_env env, napi_value value, const char* name) {
  napi_valuetype t;
  NAPI_OK(napi_typeof(env, value, &t));
  if (t != napi_number) throw JsError(std::string(name) + " must be a number");
  int32_t v = 0;
  NAPI_OK(napi_get_value_int32(env, value, &v));
  return v;
}

inline double doubleArg(napi_env env, napi_value value, const char* name) {
  napi_valuetype t;
  NAPI_OK(napi_typeof(env, value, &t));
  if (t != napi_number) throw JsError(std::string(name) + " must be a number");
  double v = 0;
  NAPI_OK(napi_get_value_double(env, value, &v));
  return v;
}

inline void requireLength(const F32& a, int64_t need, const char* name) {
  if (need < 0 || static_cast<int64_t>(a.length) != need)
    throw JsError(std::string(name) + " has " + std::to_string(a.length) + " elements, expected " +
                  std::to_string(need));
}

/** Product of a shape's dimensions, rejecting negative ones. */
inline int64_t sizeOf(const std::vector<int64_t>& shape, const char* name) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0) throw JsError(std::string(name) + " has a negative dimension");
    n *= d;
  }
  return n;
}

struct Args {
  std::vector<napi_value> v;
  Args(napi_env env, napi_callback_info info, size_t n) : v(n) {
    size_t argc = n;
    NAPI_OK(napi_get_cb_info(env, info, &argc, v.data(), nullptr, nullptr));
    if (argc < n) throw JsError("expected " + std::to_string(n) + " arguments, got " + std::to_string(argc));
  }
  napi_value operator[](size_t i) const { return v[i]; }
};

// Below this many elements a loop runs on the calling thread: waking OpenMP's team costs more than it saves.
constexpr int64_t kParallelGrain = 1 << 15;

}  // namespace qad

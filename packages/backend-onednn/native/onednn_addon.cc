// N-API addon: oneDNN convolution and matmul primitives run in place on the Float32Array buffers that the
// tfjs cpu backend keeps its tensors in. Every entry point is synchronous; oneDNN's own OpenMP threads do
// the parallel work. Shapes arrive already resolved by the JS side (tfjs's conv geometry), and are checked
// again here against the buffers' lengths so that a wrong call throws instead of reading out of bounds.

#include <node_api.h>

#include "addon_support.h"
#include "depthwise.h"
#include "exp_avx2.h"
#include "kernels.h"

#include <oneapi/dnnl/dnnl.hpp>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include <sys/mman.h>
#include <unistd.h>

namespace {

using qad::Args;
using qad::F32;
using qad::float32Arg;
using qad::intsArg;
using qad::isNullish;
using qad::JsError;
using qad::requireLength;

using dnnl::memory;
using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

struct Runtime {
  dnnl::engine engine{dnnl::engine::kind::cpu, 0};
  dnnl::stream stream{engine};
};

Runtime& runtime() {
  static Runtime rt;
  return rt;
}

std::string keyOf(const char* kind, const std::vector<int64_t>& p) {
  std::string k(kind);
  for (int64_t v : p) {
    k += ',';
    k += std::to_string(v);
  }
  return k;
}

// ---- primitive cache and execution ---------------------------------------------------------------

// A cached primitive and the memory layout it wants for each argument. When that layout differs from the
// caller's plain one, `run` reorders through a temporary; the choice of layout is made once, at creation.
struct Entry {
  dnnl::primitive prim;
  std::unordered_map<int, memory::desc> mds;
  memory::desc scratchpad;  // the primitive's own working memory, which `run` hands it (user mode)
};

// Primitive creation costs far more than a small execution, and a training loop repeats the same few
// shapes, so primitives are kept by their full description. The cap only guards against unbounded shape
// churn; clearing everything is cheap to recover from.
constexpr size_t kCacheCap = 512;
std::unordered_map<std::string, std::shared_ptr<Entry>> cache;
std::unordered_map<std::string, std::string> implNames;

std::shared_ptr<Entry> lookup(const std::string& key) {
  auto it = cache.find(key);
  return it == cache.end() ? nullptr : it->second;
}

template <typename Prim, typename Pd>
std::shared_ptr<Entry> remember(const std::string& key, const Pd& pd, std::initializer_list<int> argIds) {
  if (cache.size() >= kCacheCap) {
    cache.clear();
    implNames.clear();
  }
  auto e = std::make_shared<Entry>();
  e->prim = Prim(pd);
  for (int id : argIds) e->mds[id] = pd.query_md(dnnl::query::exec_arg_md, id);
  e->scratchpad = pd.scratchpad_desc();
  cache.emplace(key, e);
  implNames[key] = pd.impl_info_str();
  return e;
}

struct Buffer {
  int arg;
  memory::desc md;  // the caller's layout
  float* data;
};

// Blocked-layout copies of arguments live in a few buffers reused by every call (calls are sequential, on
// the JS thread): allocating them per call costs a fresh mmap and its page faults each time, which
// measured as much as the reorders themselves.
class ScratchPool {
 public:
  void* get(size_t slot, size_t bytes) {
    if (slot >= slots_.size()) slots_.resize(slot + 1);
    auto& s = slots_[slot];
    if (s.bytes < bytes) {
      s.data.reset(static_cast<char*>(std::aligned_alloc(64, (bytes + 63) / 64 * 64)));
      if (!s.data) throw std::bad_alloc();
      s.bytes = bytes;
    }
    return s.data.get();
  }
  void clear() { slots_.clear(); }

 private:
  struct Free {
    void operator()(char* p) const { std::free(p); }
  };
  struct Slot {
    std::unique_ptr<char, Free> data;
    size_t bytes = 0;
  };
  std::vector<Slot> slots_;
};

ScratchPool& scratch() {
  static ScratchPool pool;
  return pool;
}

// Guard-page mode (QAD_ONEDNN_GUARD_PAGES=1, for tests): every buffer a primitive touches — the caller's
// arrays (copied in and out), the blocked-layout copies and the primitive's scratchpad — is a fresh mapping
// that ends exactly where an inaccessible page begins, so a read or write one byte past any of them faults
// at once instead of corrupting the heap some of the time. AddressSanitizer cannot do this: oneDNN's JIT
// kernels are generated at run time and are not instrumented.
bool guardPages() {
  static const bool on = [] {
    const char* v = std::getenv("QAD_ONEDNN_GUARD_PAGES");
    return v && std::strcmp(v, "0") != 0 && *v != '\0';
  }();
  return on;
}

class GuardedBuffer {
 public:
  explicit GuardedBuffer(size_t bytes) {
    const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    body_ = (bytes + page - 1) / page * page;
    total_ = body_ + 2 * page;
    void* base = mmap(nullptr, total_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED) throw std::bad_alloc();
    base_ = static_cast<char*>(base);
    mprotect(base_, page, PROT_NONE);
    mprotect(base_ + page + body_, page, PROT_NONE);
    data_ = base_ + page + body_ - bytes;
  }
  GuardedBuffer(const GuardedBuffer&) = delete;
  GuardedBuffer& operator=(const GuardedBuffer&) = delete;
  ~GuardedBuffer() { munmap(base_, total_); }
  void* data() const { return data_; }

 private:
  char* base_ = nullptr;
  char* data_ = nullptr;
  size_t body_ = 0, total_ = 0;
};

// Where one call's working buffers come from: the reused scratch pool, or (guard mode) fresh guarded
// mappings that live until the call returns.
class CallBuffers {
 public:
  void* get(size_t bytes) {
    if (!guardPages()) return scratch().get(slot_++, bytes);
    guarded_.push_back(std::make_unique<GuardedBuffer>(bytes));
    return guarded_.back()->data();
  }

 private:
  size_t slot_ = 0;
  std::vector<std::unique_ptr<GuardedBuffer>> guarded_;
};

void run(Entry& e, const std::vector<Buffer>& inputs, const std::vector<Buffer>& outputs) {
  auto& rt = runtime();
  CallBuffers buffers;
  std::unordered_map<int, memory> args;
  std::vector<std::pair<memory, memory>> writeBack;
  std::vector<std::pair<void*, const Buffer*>> copyBack;  // guard mode: guarded copy → caller's array
  // The caller's array itself, or in guard mode a guarded copy of it.
  auto userMemory = [&](const Buffer& b, bool isInput) {
    if (!guardPages()) return memory(b.md, rt.engine, b.data);
    void* copy = buffers.get(b.md.get_size());
    if (isInput) std::memcpy(copy, b.data, b.md.get_size());
    else copyBack.emplace_back(copy, &b);
    return memory(b.md, rt.engine, copy);
  };
  for (const Buffer& b : inputs) {
    memory user = userMemory(b, true);
    const memory::desc& want = e.mds.at(b.arg);
    if (want == b.md) {
      args.emplace(b.arg, user);
    } else {
      memory tmp(want, rt.engine, buffers.get(want.get_size()));
      dnnl::reorder(user, tmp).execute(rt.stream, user, tmp);
      args.emplace(b.arg, tmp);
    }
  }
  for (const Buffer& b : outputs) {
    memory user = userMemory(b, false);
    const memory::desc& want = e.mds.at(b.arg);
    if (want == b.md) {
      args.emplace(b.arg, user);
    } else {
      memory tmp(want, rt.engine, buffers.get(want.get_size()));
      args.emplace(b.arg, tmp);
      writeBack.emplace_back(tmp, user);
    }
  }
  if (e.scratchpad.get_size() > 0)
    args.emplace(DNNL_ARG_SCRATCHPAD, memory(e.scratchpad, rt.engine, buffers.get(e.scratchpad.get_size())));
  e.prim.execute(rt.stream, args);
  for (auto& [tmp, user] : writeBack) dnnl::reorder(tmp, user).execute(rt.stream, tmp, user);
  rt.stream.wait();
  for (auto& [copy, b] : copyBack) std::memcpy(b->data, copy, b->md.get_size());
}

// Which arguments oneDNN may lay out its own way. Activations stay NHWC in every mode but `Blocked`:
// oneDNN 2.6's direct AVX2 kernels read and write NHWC activations when only the weights are blocked (what
// PyTorch's channels_last runs), so the per-call reorder is the weights' alone.
enum class Formats { Plain, BlockedWeights, Blocked };

// Layout policy, read once from QAD_ONEDNN_LAYOUT: 'plain' keeps NHWC/HWIO (no reorders; oneDNN then
// runs im2col+GEMM), 'weights' blocks the weights only, 'blocked' lets oneDNN pick every layout, 'auto'
// (default) takes the first of weights-only and fully blocked that gets a direct kernel, else plain.
enum class Layout { Auto, Plain, Weights, Blocked };

Layout layoutPolicy() {
  static const Layout policy = [] {
    const char* v = std::getenv("QAD_ONEDNN_LAYOUT");
    if (v && std::strcmp(v, "plain") == 0) return Layout::Plain;
    if (v && std::strcmp(v, "weights") == 0) return Layout::Weights;
    if (v && std::strcmp(v, "blocked") == 0) return Layout::Blocked;
    return Layout::Auto;
  }();
  return policy;
}

// A kernel that convolves directly rather than through im2col + GEMM: oneDNN's `jit:*`, `jit_1x1:*`,
// `jit_dw:*`, and on AVX-512 its brgemm-based `brg:*` / `brdgmm_dw:*` ones (whose names lack "jit": taking
// them for GEMM fallbacks sent AVX-512 machines to `x64:gemm:jit`, 100× slower on depthwise layers). Not
// GEMM (`gemm:jit`, `x64:gemm:jit`) and not the reference (`ref:any`).
bool isDirectKernel(const std::string& impl) {
  return impl.find("gemm") == std::string::npos && impl.rfind("ref", 0) != 0;
}

// Steps past implementations that `isFaulty` names (oneDNN offers them best first, and always ends with a
// reference one), so a known-broken kernel is never chosen. A backward descriptor's iterator keeps a
// pointer to its forward hint: call this while the hint is alive.
template <typename Pd, typename IsFaulty>
Pd skipFaulty(Pd pd, Formats f, IsFaulty isFaulty) {
  while (isFaulty(pd.impl_info_str(), f)) {
    if (!pd.next_impl()) throw JsError("oneDNN has no working implementation for this convolution");
  }
  return pd;
}

inline bool noneFaulty(const std::string&, Formats) { return false; }

// Builds the primitive descriptor as the policy asks and keeps the best.
template <typename MakePd>
auto choosePd(MakePd make) -> decltype(make(Formats::Plain)) {
  switch (layoutPolicy()) {
    case Layout::Plain:
      return make(Formats::Plain);
    case Layout::Weights:
      return make(Formats::BlockedWeights);
    case Layout::Blocked:
      return make(Formats::Blocked);
    case Layout::Auto:
      break;
  }
  for (Formats f : {Formats::BlockedWeights, Formats::Blocked}) {
    auto pd = make(f);
    if (isDirectKernel(pd.impl_info_str())) return pd;
  }
  return make(Formats::Plain);
}

// ---- convolution geometry -------------------------------------------------------------------------

// p = [N, IH, IW, IC, OH, OW, OC, KH, KW, SH, SW, DH, DW, PT, PL, PB, PR, G], all NHWC / HWIO (TF layout).
// Depthwise is G = IC groups of OC/IC outputs each, with TF's [KH, KW, IC, multiplier] filter.
constexpr size_t kConvParams = 18;

struct ConvGeom {
  int64_t n, ih, iw, ic, oh, ow, oc, kh, kw, sh, sw, dh, dw, pt, pl, pb, pr, g;
  memory::desc src, wei, dst, bias;  // the caller's layouts
  memory::desc anySrc, anyWei, anyDst, anyBias;
  memory::dims strides, dilates, padL, padR;

  const memory::desc& srcIn(Formats f) const { return f == Formats::Blocked ? anySrc : src; }
  const memory::desc& weiIn(Formats f) const { return f == Formats::Plain ? wei : anyWei; }
  const memory::desc& dstIn(Formats f) const { return f == Formats::Blocked ? anyDst : dst; }
};

ConvGeom convGeom(const std::vector<int64_t>& p) {
  ConvGeom c{};
  c.n = p[0], c.ih = p[1], c.iw = p[2], c.ic = p[3], c.oh = p[4], c.ow = p[5], c.oc = p[6], c.kh = p[7],
  c.kw = p[8], c.sh = p[9], c.sw = p[10], c.dh = p[11], c.dw = p[12], c.pt = p[13], c.pl = p[14], c.pb = p[15],
  c.pr = p[16], c.g = p[17];
  for (int64_t v : {c.n, c.ih, c.iw, c.ic, c.oh, c.ow, c.oc, c.kh, c.kw, c.sh, c.sw, c.dh, c.dw, c.g})
    if (v < 1) throw JsError("convolution sizes, strides, dilations and groups must be positive");
  for (int64_t v : {c.pt, c.pl, c.pb, c.pr})
    if (v < 0) throw JsError("convolution padding must be non-negative");
  if (c.ic % c.g != 0 || c.oc % c.g != 0)
    throw JsError("channels must divide evenly into " + std::to_string(c.g) + " groups");
  // The output size must be the one the padding implies, or oneDNN would read past the input.
  auto expect = [](int64_t in, int64_t k, int64_t s, int64_t d, int64_t a, int64_t b) {
    return (in + a + b - ((k - 1) * d + 1)) / s + 1;
  };
  if (expect(c.ih, c.kh, c.sh, c.dh, c.pt, c.pb) != c.oh || expect(c.iw, c.kw, c.sw, c.dw, c.pl, c.pr) != c.ow)
    throw JsError("convolution output size does not match input, filter, strides and padding");
  memory::dims srcDims{c.n, c.ic, c.ih, c.iw}, dstDims{c.n, c.oc, c.oh, c.ow};
  memory::dims weiDims = c.g == 1 ? memory::dims{c.oc, c.ic, c.kh, c.kw}
                                  : memory::dims{c.g, c.oc / c.g, c.ic / c.g, c.kh, c.kw};
  c.src = memory::desc(srcDims, dt::f32, tag::nhwc);
  c.dst = memory::desc(dstDims, dt::f32, tag::nhwc);
  c.wei = memory::desc(weiDims, dt::f32, c.g == 1 ? tag::hwio : tag::hwigo);
  c.bias = memory::desc({c.oc}, dt::f32, tag::a);
  c.anySrc = memory::desc(srcDims, dt::f32, tag::any);
  c.anyDst = memory::desc(dstDims, dt::f32, tag::any);
  c.anyWei = memory::desc(weiDims, dt::f32, tag::any);
  c.anyBias = memory::desc({c.oc}, dt::f32, tag::any);
  c.strides = {c.sh, c.sw};
  c.dilates = {c.dh - 1, c.dw - 1};  // oneDNN counts dilation from 0
  c.padL = {c.pt, c.pl};
  c.padR = {c.pb, c.pr};
  return c;
}

// tfjs's fused activations as oneDNN post-ops: 0 linear, 1 relu, 2 relu6, 3 leakyrelu(alpha), 4 elu,
// 5 sigmoid.
// Every primitive gets its scratchpad from `run` (user mode), so that guard-page mode covers it too.
dnnl::primitive_attr userScratchpadAttr() {
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  return attr;
}

dnnl::primitive_attr activationAttr(int activation, float alpha) {
  dnnl::primitive_attr attr = userScratchpadAttr();
  if (activation != 0) {
    dnnl::post_ops ops;
    switch (activation) {
      case 1:  // relu
        ops.append_eltwise(1.f, dnnl::algorithm::eltwise_relu, 0.f, 0.f);
        break;
      case 2:  // relu6
        ops.append_eltwise(1.f, dnnl::algorithm::eltwise_clip, 0.f, 6.f);
        break;
      case 3:  // leakyrelu
        ops.append_eltwise(1.f, dnnl::algorithm::eltwise_relu, alpha, 0.f);
        break;
      case 4:  // elu
        ops.append_eltwise(1.f, dnnl::algorithm::eltwise_elu, 1.f, 0.f);
        break;
      case 5:  // sigmoid
        ops.append_eltwise(1.f, dnnl::algorithm::eltwise_logistic, 0.f, 0.f);
        break;
      default:
        throw JsError("unknown activation code " + std::to_string(activation));
    }
    attr.set_post_ops(ops);
  }
  return attr;
}

dnnl::convolution_forward::primitive_desc convFwdPd(const ConvGeom& c, bool withBias, int activation,
                                                    float alpha, dnnl::prop_kind prop, Formats f) {
  const memory::desc& src = c.srcIn(f);
  const memory::desc& wei = c.weiIn(f);
  const memory::desc& dst = c.dstIn(f);
  const memory::desc& bias = f == Formats::Blocked ? c.anyBias : c.bias;
  dnnl::convolution_forward::desc d =
      withBias ? dnnl::convolution_forward::desc(prop, dnnl::algorithm::convolution_direct, src, wei, bias, dst,
                                                 c.strides, c.dilates, c.padL, c.padR)
               : dnnl::convolution_forward::desc(prop, dnnl::algorithm::convolution_direct, src, wei, dst,
                                                 c.strides, c.dilates, c.padL, c.padR);
  dnnl::primitive_attr attr = activationAttr(activation, alpha);
  return dnnl::convolution_forward::primitive_desc(d, attr, runtime().engine);
}

int64_t filterElements(const ConvGeom& c) { return c.kh * c.kw * (c.ic / c.g) * c.oc; }

int64_t elements(const memory::desc& md) { return static_cast<int64_t>(md.get_size() / sizeof(float)); }

// conv2dForward(x, filter, bias | null, out, params[18], activation, alpha)
napi_value Conv2dForward(napi_env env, napi_callback_info info) {
  Args a(env, info, 7);
  F32 x = float32Arg(env, a[0], "x");
  F32 w = float32Arg(env, a[1], "filter");
  bool withBias = !isNullish(env, a[2]);
  F32 b = withBias ? float32Arg(env, a[2], "bias") : F32{};
  F32 y = float32Arg(env, a[3], "out");
  auto p = intsArg(env, a[4], kConvParams, "params");
  int32_t activation = 0;
  double alpha = 0;
  NAPI_OK(napi_get_value_int32(env, a[5], &activation));
  NAPI_OK(napi_get_value_double(env, a[6], &alpha));
  ConvGeom c = convGeom(p);
  requireLength(x, elements(c.src), "x");
  requireLength(w, filterElements(c), "filter");
  requireLength(y, elements(c.dst), "out");
  if (withBias) requireLength(b, c.oc, "bias");
  auto key = keyOf(withBias ? "convfb" : "convf", p) + "," + std::to_string(activation) + "," + std::to_string(alpha);
  auto e = lookup(key);
  if (!e) {
    auto pd = choosePd([&](Formats f) {
      return convFwdPd(c, withBias, activation, static_cast<float>(alpha), dnnl::prop_kind::forward_inference, f);
    });
    e = remember<dnnl::convolution_forward>(key, pd, {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_BIAS, DNNL_ARG_DST});
  }
  std::vector<Buffer> inputs{{DNNL_ARG_SRC, c.src, x.data}, {DNNL_ARG_WEIGHTS, c.wei, w.data}};
  if (withBias) inputs.push_back({DNNL_ARG_BIAS, c.bias, b.data});
  run(*e, inputs, {{DNNL_ARG_DST, c.dst, y.data}});
  return nullptr;
}

// The cached backward-data or backward-weights primitive for geometry `c` (same formats policy as the
// forward pass that hints it); both gradients are built the same way and differ only in the primitive type.
template <typename Prim, typename IsFaulty = decltype(&noneFaulty)>
std::shared_ptr<Entry> convBackwardEntry(const char* kind, const std::vector<int64_t>& p, const ConvGeom& c,
                                         std::initializer_list<int> argIds, IsFaulty isFaulty = &noneFaulty) {
  auto key = keyOf(kind, p);
  if (auto e = lookup(key)) return e;
  auto pd = choosePd([&](Formats f) {
    auto hint = convFwdPd(c, false, 0, 0.f, dnnl::prop_kind::forward_training, f);
    typename Prim::desc d(dnnl::algorithm::convolution_direct, c.srcIn(f), c.weiIn(f), c.dstIn(f), c.strides,
                          c.dilates, c.padL, c.padR);
    return skipFaulty(typename Prim::primitive_desc(d, userScratchpadAttr(), runtime().engine, hint), f, isFaulty);
  });
  return remember<Prim>(key, pd, argIds);
}

// oneDNN 2.6's 1x1 filter-gradient kernels (jit_1x1, AVX2 and AVX-512) copy a strided NHWC input to a
// unit-stride buffer of its scratchpad, addressed with the kernel's channel block (8 or 16) per position
// but booked with the real channel count: with fewer input channels than the block they write past the
// scratchpad (heap corruption, a crash some of the time; found with QAD_ONEDNN_GUARD_PAGES=1 on
// AVX-512). Blocked sources are booked correctly. Such layers are small, so any other implementation will do.
bool isFaultyFilterGradient(const ConvGeom& c, const std::string& impl, Formats f) {
  constexpr int64_t kWidestChannelBlock = 16;
  const bool strided1x1 = c.kh == 1 && c.kw == 1 && (c.sh > 1 || c.sw > 1);
  return strided1x1 && f != Formats::Blocked && c.ic / c.g < kWidestChannelBlock &&
         impl.find("jit_1x1") != std::string::npos;
}

// conv2dBackwardData(dy, filter, dx, params[18])
napi_value Conv2dBackwardData(napi_env env, napi_callback_info info) {
  Args a(env, info, 4);
  F32 dy = float32Arg(env, a[0], "dy");
  F32 w = float32Arg(env, a[1], "filter");
  F32 dx = float32Arg(env, a[2], "out");
  auto p = intsArg(env, a[3], kConvParams, "params");
  ConvGeom c = convGeom(p);
  requireLength(dy, elements(c.dst), "dy");
  requireLength(w, filterElements(c), "filter");
  requireLength(dx, elements(c.src), "out");
  auto e = convBackwardEntry<dnnl::convolution_backward_data>(
      "convbd", p, c, {DNNL_ARG_DIFF_DST, DNNL_ARG_WEIGHTS, DNNL_ARG_DIFF_SRC});
  run(*e, {{DNNL_ARG_DIFF_DST, c.dst, dy.data}, {DNNL_ARG_WEIGHTS, c.wei, w.data}},
      {{DNNL_ARG_DIFF_SRC, c.src, dx.data}});
  return nullptr;
}

// conv2dBackwardWeights(x, dy, dw, params[18])
napi_value Conv2dBackwardWeights(napi_env env, napi_callback_info info) {
  Args a(env, info, 4);
  F32 x = float32Arg(env, a[0], "x");
  F32 dy = float32Arg(env, a[1], "dy");
  F32 dw = float32Arg(env, a[2], "out");
  auto p = intsArg(env, a[3], kConvParams, "params");
  ConvGeom c = convGeom(p);
  requireLength(x, elements(c.src), "x");
  requireLength(dy, elements(c.dst), "dy");
  requireLength(dw, filterElements(c), "out");
  auto key = keyOf("convbw", p);
  auto e = convBackwardEntry<dnnl::convolution_backward_weights>(
      "convbw", p, c, {DNNL_ARG_SRC, DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_WEIGHTS},
      [&](const std::string& impl, Formats f) { return isFaultyFilterGradient(c, impl, f); });
  const bool depthwise = c.g > 1 && c.g == c.ic && c.oc == c.ic;
  if (depthwise && implNames[key].find("jit_dw") == std::string::npos) {
    // oneDNN's fallback for these shapes is a GEMM per channel; see depthwise.cc.
    qad::depthwiseFilterGradient({c.n, c.ih, c.iw, c.ic, c.oh, c.ow, c.kh, c.kw, c.sh, c.sw, c.dh, c.dw, c.pt, c.pl},
                                 x.data, dy.data, dw.data);
    return nullptr;
  }
  run(*e, {{DNNL_ARG_SRC, c.src, x.data}, {DNNL_ARG_DIFF_DST, c.dst, dy.data}},
      {{DNNL_ARG_DIFF_WEIGHTS, c.wei, dw.data}});
  return nullptr;
}

// matMul(a, b, bias | null, out, params[7] = [batchA, batchB, M, K, N, transposeA, transposeB], activation, alpha)
// Row-major batches; a batch of 1 broadcasts against the other operand's batch. The bias has N values,
// added to every row; the activation codes are those of activationAttr.
napi_value MatMul(napi_env env, napi_callback_info info) {
  Args a(env, info, 7);
  F32 A = float32Arg(env, a[0], "a");
  F32 B = float32Arg(env, a[1], "b");
  bool withBias = !isNullish(env, a[2]);
  F32 bias = withBias ? float32Arg(env, a[2], "bias") : F32{};
  F32 C = float32Arg(env, a[3], "out");
  auto p = intsArg(env, a[4], 7, "params");
  int32_t activation = 0;
  double alpha = 0;
  NAPI_OK(napi_get_value_int32(env, a[5], &activation));
  NAPI_OK(napi_get_value_double(env, a[6], &alpha));
  int64_t ba = p[0], bb = p[1], m = p[2], k = p[3], n = p[4];
  bool ta = p[5] != 0, tb = p[6] != 0;
  for (int64_t v : {ba, bb, m, k, n})
    if (v < 1) throw JsError("matmul sizes must be positive");
  if (ba != bb && ba != 1 && bb != 1) throw JsError("matmul batches must match or one of them must be 1");
  int64_t batch = ba > bb ? ba : bb;
  requireLength(A, ba * m * k, "a");
  requireLength(B, bb * k * n, "b");
  requireLength(C, batch * m * n, "out");
  if (withBias) requireLength(bias, n, "bias");
  // A transposed operand is the same buffer read with swapped strides: no copy.
  memory::desc aMd({ba, m, k}, dt::f32, ta ? memory::dims{m * k, 1, m} : memory::dims{m * k, k, 1});
  memory::desc bMd({bb, k, n}, dt::f32, tb ? memory::dims{k * n, 1, k} : memory::dims{k * n, n, 1});
  memory::desc cMd({batch, m, n}, dt::f32, memory::dims{m * n, n, 1});
  memory::desc biasMd({1, 1, n}, dt::f32, memory::dims{n, n, 1});
  auto key = keyOf(withBias ? "matmulb" : "matmul", p) + "," + std::to_string(activation) + "," + std::to_string(alpha);
  auto e = lookup(key);
  if (!e) {
    dnnl::matmul::desc d = withBias ? dnnl::matmul::desc(aMd, bMd, biasMd, cMd) : dnnl::matmul::desc(aMd, bMd, cMd);
    auto attr = activationAttr(activation, static_cast<float>(alpha));
    e = remember<dnnl::matmul>(key, dnnl::matmul::primitive_desc(d, attr, runtime().engine),
                               {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_BIAS, DNNL_ARG_DST});
  }
  std::vector<Buffer> inputs{{DNNL_ARG_SRC, aMd, A.data}, {DNNL_ARG_WEIGHTS, bMd, B.data}};
  if (withBias) inputs.push_back({DNNL_ARG_BIAS, biasMd, bias.data});
  run(*e, inputs, {{DNNL_ARG_DST, cMd, C.data}});
  return nullptr;
}

// implementations() → { key: oneDNN implementation name } for the primitives created so far.
napi_value Implementations(napi_env env, napi_callback_info) {
  napi_value out;
  NAPI_OK(napi_create_object(env, &out));
  for (auto& [key, name] : implNames) {
    napi_value v;
    NAPI_OK(napi_create_string_utf8(env, name.c_str(), name.size(), &v));
    NAPI_OK(napi_set_named_property(env, out, key.c_str(), v));
  }
  return out;
}

napi_value ClearCache(napi_env, napi_callback_info) {
  cache.clear();
  implNames.clear();
  scratch().clear();
  return nullptr;
}

// The instruction set oneDNN dispatches to here: the CPU's best, capped by DNNL_MAX_CPU_ISA /
// ONEDNN_MAX_CPU_ISA. Asking fixes it for the life of the process, as any first primitive does.
std::string isaName(dnnl::cpu_isa isa) {
  switch (isa) {
    case dnnl::cpu_isa::sse41: return "sse41";
    case dnnl::cpu_isa::avx: return "avx";
    case dnnl::cpu_isa::avx2: return "avx2";
    case dnnl::cpu_isa::avx2_vnni: return "avx2_vnni";
    case dnnl::cpu_isa::avx512_mic: return "avx512_mic";
    case dnnl::cpu_isa::avx512_mic_4ops: return "avx512_mic_4ops";
    case dnnl::cpu_isa::avx512_core: return "avx512_core";
    case dnnl::cpu_isa::avx512_core_vnni: return "avx512_core_vnni";
    case dnnl::cpu_isa::avx512_core_bf16: return "avx512_core_bf16";
    case dnnl::cpu_isa::avx512_core_amx: return "avx512_core_amx";
    default: return "all";
  }
}

bool isaHasAvx2(dnnl::cpu_isa isa) {
  const unsigned bits = static_cast<unsigned>(isa), avx2 = static_cast<unsigned>(dnnl::cpu_isa::avx2);
  return isa != dnnl::cpu_isa::all && (bits & avx2) == avx2;
}

napi_value CpuIsa(napi_env env, napi_callback_info) {
  const std::string s = isaName(dnnl::get_effective_cpu_isa());
  napi_value out;
  NAPI_OK(napi_create_string_utf8(env, s.c_str(), s.size(), &out));
  return out;
}

napi_value GuardPages(napi_env env, napi_callback_info) {
  napi_value out;
  NAPI_OK(napi_get_boolean(env, guardPages(), &out));
  return out;
}

napi_value Version(napi_env env, napi_callback_info) {
  const dnnl_version_t* v = dnnl_version();
  std::string s = std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch);
  napi_value out;
  NAPI_OK(napi_create_string_utf8(env, s.c_str(), s.size(), &out));
  return out;
}

// Turns every C++ failure (bad argument, oneDNN refusing a descriptor) into a JS Error.
template <napi_value (*F)(napi_env, napi_callback_info)>
napi_value guarded(napi_env env, napi_callback_info info) {
  try {
    return F(env, info);
  } catch (const dnnl::error& e) {
    napi_throw_error(env, "ERR_ONEDNN", (std::string("oneDNN: ") + e.what()).c_str());
  } catch (const std::exception& e) {
    napi_throw_error(env, "ERR_ONEDNN_ARG", e.what());
  }
  return nullptr;
}

// Enumerable and writable, so that benchmarks can list and wrap the entry points (e.g. to time them).
constexpr napi_property_attributes kMethod =
    static_cast<napi_property_attributes>(napi_writable | napi_enumerable | napi_configurable);

napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"conv2dForward", nullptr, guarded<Conv2dForward>, nullptr, nullptr, nullptr, kMethod, nullptr},
      {"conv2dBackwardData", nullptr, guarded<Conv2dBackwardData>, nullptr, nullptr, nullptr, kMethod, nullptr},
      {"conv2dBackwardWeights", nullptr, guarded<Conv2dBackwardWeights>, nullptr, nullptr, nullptr, kMethod,
       nullptr},
      {"matMul", nullptr, guarded<MatMul>, nullptr, nullptr, nullptr, kMethod, nullptr},
      {"binary", nullptr, guarded<qad::Binary>, nullptr, nullptr, nullptr, kMethod, nullptr},
      {"unary", nullptr, guarded<qad::Unary>, nullptr, nullptr, nullptr, kMethod, nullptr},
      {"addN", nullptr, guarded<qad::AddN>, nullptr, nullptr, nullptr, kMethod, nullptr},
      {"batchNormApply", nullptr, guarded<qad::BatchNormApply>, nullptr, nullptr, nullptr, kMethod, nullptr},
      {"adamUpdate", nullptr, guarded<qad::AdamUpdate>, nullptr, nullptr, nullptr, kMethod, nullptr},
      {"batchNormTrainForward", nullptr, guarded<qad::BatchNormTrainForward>, nullptr, nullptr, nullptr, kMethod,
       nullptr},
      {"batchNormTrainBackward", nullptr, guarded<qad::BatchNormTrainBackward>, nullptr, nullptr, nullptr, kMethod,
       nullptr},
      {"slice", nullptr, guarded<qad::Slice>, nullptr, nullptr, nullptr, kMethod, nullptr},
      {"pad", nullptr, guarded<qad::Pad>, nullptr, nullptr, nullptr, kMethod, nullptr},
      {"tile", nullptr, guarded<qad::Tile>, nullptr, nullptr, nullptr, kMethod, nullptr},
      {"transpose", nullptr, guarded<qad::Transpose>, nullptr, nullptr, nullptr, kMethod, nullptr},
      {"reduce", nullptr, guarded<qad::Reduce>, nullptr, nullptr, nullptr, kMethod, nullptr},
      {"maxPool", nullptr, guarded<qad::MaxPool>, nullptr, nullptr, nullptr, kMethod, nullptr},
      {"maxPoolGrad", nullptr, guarded<qad::MaxPoolGrad>, nullptr, nullptr, nullptr, kMethod, nullptr},
      {"implementations", nullptr, guarded<Implementations>, nullptr, nullptr, nullptr, kMethod, nullptr},
      {"clearCache", nullptr, guarded<ClearCache>, nullptr, nullptr, nullptr, kMethod, nullptr},
      {"version", nullptr, guarded<Version>, nullptr, nullptr, nullptr, kMethod, nullptr},
      {"wideVectors", nullptr, guarded<qad::WideVectors>, nullptr, nullptr, nullptr, kMethod, nullptr},
      {"cpuIsa", nullptr, guarded<CpuIsa>, nullptr, nullptr, nullptr, kMethod, nullptr},
      {"guardPages", nullptr, guarded<GuardPages>, nullptr, nullptr, nullptr, kMethod, nullptr},
  };
  // One switch caps every instruction set the addon uses: oneDNN's ISA cap also turns off the addon's own
  // eight-lane AVX2 loops (exp_avx2.cc) when it is below AVX2.
  qad::allowWideVectors(isaHasAvx2(dnnl::get_effective_cpu_isa()));
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)

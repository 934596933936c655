// bcl-ssl native kernels: oneDNN convolutions on tensors that live in the tfjs wasm backend's heap.
//
// JavaScript passes the heap's ArrayBuffer and byte offsets; nothing is copied on the way in or
// out. Activations are NHWC and filters HWIO, as in tfjs; oneDNN reorders the filter into its
// preferred blocked layout (and back, for the filter gradient), which is small next to the
// convolution. Primitives and their filter buffers are cached per shape.
//
// Exports:
//   conv2d(mode, heap, aOffset, bOffset, outOffset, dims) -> undefined
//     mode 0 forward:          a = x,  b = w,  out = y
//     mode 1 backward data:    a = dy, b = w,  out = dx
//     mode 2 backward weights: a = x,  b = dy, out = dw
//     dims: [N, H, W, Ci, Co, kh, kw, outH, outW, strideH, strideW, dilationH, dilationW,
//            padTop, padLeft, padBottom, padRight]  (tfjs dilation: 1 = none)
//   batchNorm(mode, heap, offsets, dims, epsilon) -> undefined   (training mode, over all but the channel axis;
//     plain C++ with float64 sums, not oneDNN: see the BatchNorm section)
//     mode 0 forward:  offsets = [x, scale, shift, y, mean, variance]
//     mode 1 backward: offsets = [x, mean, variance, dy, scale, dx, dScale, dShift]
//     dims: [rows, channels]  (x is rows x channels, channels-last; variance is the biased one)
//   matMul(heap, aOffset, bOffset, outOffset, dims) -> undefined
//     out[b] = op(a[b]) x op(b[b]) for each of `batch` matrices, op = transpose or not;
//     dims: [batch, M, K, N, transposeA, transposeB]  (a is MxK, or KxM stored when transposed)
//   setThreads(n) -> undefined    (OpenMP threads oneDNN uses)
//   info() -> { dnnl: "2.6.x", threads: n, isa: "..." }

#include <node_api.h>
#include <omp.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "oneapi/dnnl/dnnl.hpp"

namespace {

using dnnl::memory;
using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

constexpr int kDims = 17;
using ConvKey = std::array<int64_t, kDims + 1>;

dnnl::engine& Engine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

dnnl::stream& Stream() {
  static dnnl::stream stream(Engine());
  return stream;
}

struct ConvShapes {
  memory::desc src, weights, dst;  // user layouts: nhwc, hwio, nhwc
  memory::desc weightsAny;
  memory::dims strides, dilates, padL, padR;
};

ConvShapes Shapes(const ConvKey& k) {
  const int64_t n = k[1], h = k[2], w = k[3], ci = k[4], co = k[5], kh = k[6], kw = k[7], oh = k[8], ow = k[9];
  ConvShapes s;
  s.src = memory::desc({n, ci, h, w}, dt::f32, tag::nhwc);
  s.weights = memory::desc({co, ci, kh, kw}, dt::f32, tag::hwio);
  s.weightsAny = memory::desc({co, ci, kh, kw}, dt::f32, tag::any);
  s.dst = memory::desc({n, co, oh, ow}, dt::f32, tag::nhwc);
  s.strides = {k[10], k[11]};
  s.dilates = {k[12] - 1, k[13] - 1};  // oneDNN counts the gaps, tfjs the step
  s.padL = {k[14], k[15]};
  s.padR = {k[16], k[17]};
  return s;
}

// One cached convolution: the primitive, and the filter (or filter gradient) in its own layout.
struct ConvPlan {
  dnnl::primitive conv;
  memory::desc src, weights, dst;  // as the primitive wants them
  memory::desc userWeights;
  bool reorderWeights = false;
  std::unique_ptr<memory> weightsBuffer;  // blocked filter, when reorderWeights
  std::string impl;
  // Filter gradient whose windows stop short of the input's last rows/columns: the input is first
  // copied without them (see CroppedFilterGradientKey).
  bool crop = false;
  memory::desc cropView;                // the kept part of the user's input, with its strides
  std::unique_ptr<memory> cropBuffer;   // that part, dense
};

// oneDNN 2.6's filter-gradient kernel reads past the end of the input when the filter windows do
// not reach its last row or column (a 1x1 stride-2 convolution on an even size, as in every ResNet
// downsample): harmless inside the wasm heap's slack, a segmentation fault at its end. Those rows
// and columns contribute nothing to the gradient, so the plan runs on the input without them: the
// same problem with H, W cut to the windows' reach and no bottom/right padding. Returns whether
// `key` needed cutting (and then the cut key).
bool CroppedFilterGradientKey(const ConvKey& key, ConvKey* cut) {
  const int64_t h = key[2], w = key[3], kh = key[6], kw = key[7], oh = key[8], ow = key[9];
  const int64_t reachH = (oh - 1) * key[10] + (kh - 1) * key[12] + 1 - key[14];
  const int64_t reachW = (ow - 1) * key[11] + (kw - 1) * key[13] + 1 - key[15];
  if (key[0] != 2 || (reachH >= h && reachW >= w)) return false;
  *cut = key;
  (*cut)[2] = std::min(h, reachH);
  (*cut)[3] = std::min(w, reachW);
  if (reachH < h) (*cut)[16] = 0;
  if (reachW < w) (*cut)[17] = 0;
  return true;
}

dnnl::convolution_forward::primitive_desc ForwardPd(const ConvShapes& s, dnnl::prop_kind prop) {
  dnnl::convolution_forward::desc d(prop, dnnl::algorithm::convolution_direct, s.src, s.weightsAny, s.dst,
                                    s.strides, s.dilates, s.padL, s.padR);
  return dnnl::convolution_forward::primitive_desc(d, Engine());
}

ConvPlan MakePlan(const ConvKey& userKey) {
  ConvKey key = userKey;
  const bool crop = CroppedFilterGradientKey(userKey, &key);
  const ConvShapes s = Shapes(key);
  ConvPlan plan;
  if (crop) {
    const int64_t n = key[1], ci = key[4], h = userKey[2], w = userKey[3];
    plan.crop = true;
    plan.cropView = memory::desc({n, ci, key[2], key[3]}, dt::f32, memory::dims{h * w * ci, 1, w * ci, ci});
    plan.cropBuffer = std::make_unique<memory>(s.src, Engine());
  }
  plan.userWeights = s.weights;
  const int mode = static_cast<int>(key[0]);
  if (mode == 0) {
    auto pd = ForwardPd(s, dnnl::prop_kind::forward_training);
    plan.conv = dnnl::convolution_forward(pd);
    plan.src = pd.src_desc();
    plan.weights = pd.weights_desc();
    plan.dst = pd.dst_desc();
    plan.impl = pd.impl_info_str();
  } else if (mode == 1) {
    auto hint = ForwardPd(s, dnnl::prop_kind::forward_training);
    dnnl::convolution_backward_data::desc d(dnnl::algorithm::convolution_direct, s.src, s.weightsAny, s.dst,
                                            s.strides, s.dilates, s.padL, s.padR);
    dnnl::convolution_backward_data::primitive_desc pd(d, Engine(), hint);
    plan.conv = dnnl::convolution_backward_data(pd);
    plan.src = pd.diff_src_desc();
    plan.weights = pd.weights_desc();
    plan.dst = pd.diff_dst_desc();
    plan.impl = pd.impl_info_str();
  } else {
    auto hint = ForwardPd(s, dnnl::prop_kind::forward_training);
    dnnl::convolution_backward_weights::desc d(dnnl::algorithm::convolution_direct, s.src, s.weightsAny, s.dst,
                                               s.strides, s.dilates, s.padL, s.padR);
    dnnl::convolution_backward_weights::primitive_desc pd(d, Engine(), hint);
    plan.conv = dnnl::convolution_backward_weights(pd);
    plan.src = pd.src_desc();
    plan.weights = pd.diff_weights_desc();
    plan.dst = pd.diff_dst_desc();
    plan.impl = pd.impl_info_str();
  }
  if (plan.src != s.src || plan.dst != s.dst) {
    throw std::runtime_error("oneDNN chose a non-NHWC activation layout (" + plan.impl + ")");
  }
  plan.reorderWeights = plan.weights != s.weights;
  if (plan.reorderWeights) plan.weightsBuffer = std::make_unique<memory>(plan.weights, Engine());
  return plan;
}

// oneDNN splits a primitive's work for the thread count current when it is created, so a plan
// made under 1 thread would stay serial after setThreads(2): plans are cached per thread count.
int Threads() { return omp_get_max_threads(); }

void RunConv(const ConvKey& key, uint8_t* heap, size_t a, size_t b, size_t out) {
  static std::map<std::pair<int, ConvKey>, ConvPlan> plans;
  const auto cacheKey = std::make_pair(Threads(), key);
  auto it = plans.find(cacheKey);
  if (it == plans.end()) it = plans.emplace(cacheKey, MakePlan(key)).first;
  ConvPlan& plan = it->second;
  auto& stream = Stream();
  const int mode = static_cast<int>(key[0]);
  auto at = [heap](size_t offset) { return static_cast<void*>(heap + offset); };
  memory userWeights(plan.userWeights, Engine(), at(mode == 2 ? out : b));
  memory& weights = plan.reorderWeights ? *plan.weightsBuffer : userWeights;
  if (mode == 0) {
    if (plan.reorderWeights) dnnl::reorder(userWeights, weights).execute(stream, userWeights, weights);
    memory src(plan.src, Engine(), at(a)), dst(plan.dst, Engine(), at(out));
    plan.conv.execute(stream, {{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, weights}, {DNNL_ARG_DST, dst}});
  } else if (mode == 1) {
    if (plan.reorderWeights) dnnl::reorder(userWeights, weights).execute(stream, userWeights, weights);
    memory diffDst(plan.dst, Engine(), at(a)), diffSrc(plan.src, Engine(), at(out));
    plan.conv.execute(stream, {{DNNL_ARG_DIFF_DST, diffDst}, {DNNL_ARG_WEIGHTS, weights}, {DNNL_ARG_DIFF_SRC, diffSrc}});
  } else {
    memory userSrc(plan.crop ? plan.cropView : plan.src, Engine(), at(a)), diffDst(plan.dst, Engine(), at(b));
    if (plan.crop) dnnl::reorder(userSrc, *plan.cropBuffer).execute(stream, userSrc, *plan.cropBuffer);
    memory& src = plan.crop ? *plan.cropBuffer : userSrc;
    plan.conv.execute(stream, {{DNNL_ARG_SRC, src}, {DNNL_ARG_DIFF_DST, diffDst}, {DNNL_ARG_DIFF_WEIGHTS, weights}});
    if (plan.reorderWeights) dnnl::reorder(weights, userWeights).execute(stream, weights, userWeights);
  }
  stream.wait();
}

// ---- BatchNorm (training) ---------------------------------------------------------------------
//
// Hand-written rather than oneDNN's batch_normalization: oneDNN accumulates the statistics and the
// gradient sums in float32, which over the 50 000 rows of a small ResNet's first layers gave
// gradients with a median relative error of 3e-3 against a float64-accumulating reference (the
// same as tfjs's own wasm ops). These loops accumulate in double per channel (each thread over a
// block of rows, then summed), which is as fast (memory-bound) and about 1000x closer.

// Sums over rows of f(row, channel) per channel, in double, rows split across the OpenMP threads.
template <typename F>
void ChannelSums(int64_t rows, int64_t channels, double* sumA, double* sumB, F f) {
  std::fill(sumA, sumA + channels, 0.0);
  std::fill(sumB, sumB + channels, 0.0);
#pragma omp parallel
  {
    std::vector<double> a(channels, 0.0), b(channels, 0.0);
#pragma omp for schedule(static)
    for (int64_t r = 0; r < rows; r++) f(r, a.data(), b.data());
#pragma omp critical
    for (int64_t c = 0; c < channels; c++) {
      sumA[c] += a[c];
      sumB[c] += b[c];
    }
  }
}

void BatchNormForward(int64_t rows, int64_t channels, double epsilon, const float* x, const float* scale, const float* shift,
                      float* y, float* mean, float* variance) {
  std::vector<double> sum(channels), sumSquares(channels), factor(channels), offset(channels);
  ChannelSums(rows, channels, sum.data(), sumSquares.data(), [&](int64_t r, double* a, double* b) {
    const float* row = x + r * channels;
    for (int64_t c = 0; c < channels; c++) {
      const double v = row[c];
      a[c] += v;
      b[c] += v * v;
    }
  });
  for (int64_t c = 0; c < channels; c++) {
    const double m = sum[c] / rows;
    const double v = std::max(sumSquares[c] / rows - m * m, 0.0);
    mean[c] = static_cast<float>(m);
    variance[c] = static_cast<float>(v);
    factor[c] = scale[c] / std::sqrt(v + epsilon);
    offset[c] = shift[c] - m * factor[c];
  }
#pragma omp parallel for schedule(static)
  for (int64_t r = 0; r < rows; r++) {
    const float* in = x + r * channels;
    float* out = y + r * channels;
    for (int64_t c = 0; c < channels; c++) out[c] = static_cast<float>(in[c] * factor[c] + offset[c]);
  }
}

// dx = scale * invStd * (dy - mean(dy) - xHat * mean(dy * xHat)), expanded per channel to
// k1 * dy + k2 * x + k3 so the second pass is one multiply-add chain per element.
void BatchNormBackward(int64_t rows, int64_t channels, double epsilon, const float* x, const float* mean, const float* variance,
                       const float* dy, const float* scale, float* dx, float* dScale, float* dShift) {
  std::vector<double> sumDy(channels), sumDyX(channels), k1(channels), k2(channels), k3(channels);
  ChannelSums(rows, channels, sumDy.data(), sumDyX.data(), [&](int64_t r, double* a, double* b) {
    const float* g = dy + r * channels;
    const float* in = x + r * channels;
    for (int64_t c = 0; c < channels; c++) {
      a[c] += g[c];
      b[c] += static_cast<double>(g[c]) * in[c];
    }
  });
  for (int64_t c = 0; c < channels; c++) {
    const double invStd = 1 / std::sqrt(static_cast<double>(variance[c]) + epsilon);
    const double sumDyXHat = (sumDyX[c] - mean[c] * sumDy[c]) * invStd;
    dScale[c] = static_cast<float>(sumDyXHat);
    dShift[c] = static_cast<float>(sumDy[c]);
    k1[c] = scale[c] * invStd;
    k2[c] = -k1[c] * invStd * sumDyXHat / rows;
    k3[c] = -k1[c] * sumDy[c] / rows - k2[c] * mean[c];
  }
#pragma omp parallel for schedule(static)
  for (int64_t r = 0; r < rows; r++) {
    const float* g = dy + r * channels;
    const float* in = x + r * channels;
    float* out = dx + r * channels;
    for (int64_t c = 0; c < channels; c++) out[c] = static_cast<float>(k1[c] * g[c] + k2[c] * in[c] + k3[c]);
  }
}

void RunBatchNorm(int mode, int64_t rows, int64_t channels, double epsilon, uint8_t* heap, const int64_t* offsets) {
  auto f = [heap, offsets](int i) { return reinterpret_cast<float*>(heap + offsets[i]); };
  if (mode == 0) {
    BatchNormForward(rows, channels, epsilon, f(0), f(1), f(2), f(3), f(4), f(5));
  } else {
    BatchNormBackward(rows, channels, epsilon, f(0), f(1), f(2), f(3), f(4), f(5), f(6), f(7));
  }
}

// ---- MatMul ---------------------------------------------------------------------------------

using MatMulKey = std::array<int64_t, 6>;  // batch, M, K, N, transposeA, transposeB

struct MatMulPlan {
  dnnl::matmul matmul;
  memory::desc a, b, c;
};

MatMulPlan MakeMatMul(const MatMulKey& k) {
  const int64_t batch = k[0], m = k[1], kk = k[2], n = k[3];
  // A transposed operand is the same memory read with swapped strides: no copy, no Transpose.
  MatMulPlan plan;
  plan.a = memory::desc({batch, m, kk}, dt::f32, k[4] ? memory::dims{m * kk, 1, m} : memory::dims{m * kk, kk, 1});
  plan.b = memory::desc({batch, kk, n}, dt::f32, k[5] ? memory::dims{kk * n, 1, kk} : memory::dims{kk * n, n, 1});
  plan.c = memory::desc({batch, m, n}, dt::f32, tag::abc);
  plan.matmul = dnnl::matmul(dnnl::matmul::primitive_desc(dnnl::matmul::desc(plan.a, plan.b, plan.c), Engine()));
  return plan;
}

void RunMatMul(const MatMulKey& key, uint8_t* heap, int64_t a, int64_t b, int64_t out) {
  static std::map<std::pair<int, MatMulKey>, MatMulPlan> plans;
  const auto cacheKey = std::make_pair(Threads(), key);
  auto it = plans.find(cacheKey);
  if (it == plans.end()) it = plans.emplace(cacheKey, MakeMatMul(key)).first;
  const MatMulPlan& plan = it->second;
  memory am(plan.a, Engine(), heap + a), bm(plan.b, Engine(), heap + b), cm(plan.c, Engine(), heap + out);
  auto& stream = Stream();
  plan.matmul.execute(stream, {{DNNL_ARG_SRC, am}, {DNNL_ARG_WEIGHTS, bm}, {DNNL_ARG_DST, cm}});
  stream.wait();
}

// ---- N-API glue -------------------------------------------------------------------------------

#define CHECK_NAPI(call)                                              \
  do {                                                                \
    if ((call) != napi_ok) {                                          \
      napi_throw_error(env, nullptr, "[bcl-onednn] N-API call failed: " #call); \
      return nullptr;                                                 \
    }                                                                 \
  } while (0)

bool GetInt64(napi_env env, napi_value v, int64_t* out) { return napi_get_value_int64(env, v, out) == napi_ok; }

napi_value Conv2d(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  CHECK_NAPI(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  if (argc != 6) {
    napi_throw_type_error(env, nullptr, "[bcl-onednn] conv2d expects (mode, heap, a, b, out, dims)");
    return nullptr;
  }
  ConvKey key{};
  int64_t offsets[3];
  if (!GetInt64(env, argv[0], &key[0]) || !GetInt64(env, argv[2], &offsets[0]) || !GetInt64(env, argv[3], &offsets[1]) ||
      !GetInt64(env, argv[4], &offsets[2]) || key[0] < 0 || key[0] > 2) {
    napi_throw_type_error(env, nullptr, "[bcl-onednn] conv2d: mode must be 0, 1 or 2 and offsets numbers");
    return nullptr;
  }
  void* data = nullptr;
  size_t length = 0;
  if (napi_get_arraybuffer_info(env, argv[1], &data, &length) != napi_ok) {
    napi_throw_type_error(env, nullptr, "[bcl-onednn] conv2d: heap must be an ArrayBuffer");
    return nullptr;
  }
  uint32_t count = 0;
  if (napi_get_array_length(env, argv[5], &count) != napi_ok || count != kDims) {
    napi_throw_type_error(env, nullptr, "[bcl-onednn] conv2d: dims must be an array of 17 integers");
    return nullptr;
  }
  for (uint32_t i = 0; i < kDims; i++) {
    napi_value element;
    CHECK_NAPI(napi_get_element(env, argv[5], i, &element));
    if (!GetInt64(env, element, &key[i + 1]) || key[i + 1] < 0) {
      napi_throw_type_error(env, nullptr, "[bcl-onednn] conv2d: dims must be non-negative integers");
      return nullptr;
    }
  }
  // Bounds: every tensor must lie inside the heap.
  const int64_t n = key[1], h = key[2], w = key[3], ci = key[4], co = key[5], kh = key[6], kw = key[7], oh = key[8], ow = key[9];
  const int64_t xBytes = 4 * n * h * w * ci, wBytes = 4 * kh * kw * ci * co, yBytes = 4 * n * oh * ow * co;
  const int mode = static_cast<int>(key[0]);
  const int64_t sizes[3][3] = {{xBytes, wBytes, yBytes}, {yBytes, wBytes, xBytes}, {xBytes, yBytes, wBytes}};
  for (int i = 0; i < 3; i++) {
    if (offsets[i] < 0 || offsets[i] + sizes[mode][i] > static_cast<int64_t>(length)) {
      napi_throw_range_error(env, nullptr, "[bcl-onednn] conv2d: a tensor lies outside the heap");
      return nullptr;
    }
  }
  try {
    RunConv(key, static_cast<uint8_t*>(data), offsets[0], offsets[1], offsets[2]);
  } catch (const dnnl::error& e) {
    napi_throw_error(env, nullptr, (std::string("[bcl-onednn] oneDNN: ") + e.what()).c_str());
  } catch (const std::exception& e) {
    napi_throw_error(env, nullptr, (std::string("[bcl-onednn] ") + e.what()).c_str());
  }
  return nullptr;
}

napi_value BatchNorm(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK_NAPI(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  int64_t mode = -1;
  double epsilon = 0;
  if (argc != 5 || !GetInt64(env, argv[0], &mode) || mode < 0 || mode > 1 || napi_get_value_double(env, argv[4], &epsilon) != napi_ok ||
      !(epsilon > 0)) {
    napi_throw_type_error(env, nullptr, "[bcl-onednn] batchNorm expects (mode 0|1, heap, offsets, [rows, channels], epsilon > 0)");
    return nullptr;
  }
  void* data = nullptr;
  size_t length = 0;
  if (napi_get_arraybuffer_info(env, argv[1], &data, &length) != napi_ok) {
    napi_throw_type_error(env, nullptr, "[bcl-onednn] batchNorm: heap must be an ArrayBuffer");
    return nullptr;
  }
  const uint32_t wantOffsets = mode == 0 ? 6 : 8;
  int64_t offsets[8];
  int64_t dims[2];
  uint32_t count = 0;
  if (napi_get_array_length(env, argv[2], &count) != napi_ok || count != wantOffsets) {
    napi_throw_type_error(env, nullptr, "[bcl-onednn] batchNorm: offsets must have 6 (forward) or 8 (backward) entries");
    return nullptr;
  }
  for (uint32_t i = 0; i < count; i++) {
    napi_value element;
    CHECK_NAPI(napi_get_element(env, argv[2], i, &element));
    if (!GetInt64(env, element, &offsets[i]) || offsets[i] < 0) {
      napi_throw_type_error(env, nullptr, "[bcl-onednn] batchNorm: offsets must be non-negative integers");
      return nullptr;
    }
  }
  if (napi_get_array_length(env, argv[3], &count) != napi_ok || count != 2) {
    napi_throw_type_error(env, nullptr, "[bcl-onednn] batchNorm: dims must be [rows, channels]");
    return nullptr;
  }
  for (uint32_t i = 0; i < 2; i++) {
    napi_value element;
    CHECK_NAPI(napi_get_element(env, argv[3], i, &element));
    if (!GetInt64(env, element, &dims[i]) || dims[i] < 1) {
      napi_throw_type_error(env, nullptr, "[bcl-onednn] batchNorm: dims must be positive integers");
      return nullptr;
    }
  }
  // Bounds: full-size tensors (x, y, dy, dx) and per-channel vectors must lie inside the heap.
  const int64_t full = 4 * dims[0] * dims[1], perChannel = 4 * dims[1];
  const bool isFull[2][8] = {{true, false, false, true, false, false}, {true, false, false, true, false, true, false, false}};
  for (uint32_t i = 0; i < wantOffsets; i++) {
    if (offsets[i] + (isFull[mode][i] ? full : perChannel) > static_cast<int64_t>(length)) {
      napi_throw_range_error(env, nullptr, "[bcl-onednn] batchNorm: a tensor lies outside the heap");
      return nullptr;
    }
  }
  // Float32 offsets must be 4-byte aligned (tfjs's heap allocations are).
  for (uint32_t i = 0; i < wantOffsets; i++) {
    if (offsets[i] % 4 != 0) {
      napi_throw_range_error(env, nullptr, "[bcl-onednn] batchNorm: offsets must be multiples of 4");
      return nullptr;
    }
  }
  RunBatchNorm(static_cast<int>(mode), dims[0], dims[1], static_cast<float>(epsilon), static_cast<uint8_t*>(data), offsets);
  return nullptr;
}

napi_value MatMul(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK_NAPI(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  int64_t offsets[3];
  MatMulKey key{};
  void* data = nullptr;
  size_t length = 0;
  uint32_t count = 0;
  bool ok = argc == 5 && napi_get_arraybuffer_info(env, argv[0], &data, &length) == napi_ok &&
            napi_get_array_length(env, argv[4], &count) == napi_ok && count == 6;
  for (int i = 0; ok && i < 3; i++) ok = GetInt64(env, argv[i + 1], &offsets[i]) && offsets[i] >= 0;
  for (uint32_t i = 0; ok && i < 6; i++) {
    napi_value element;
    ok = napi_get_element(env, argv[4], i, &element) == napi_ok && GetInt64(env, element, &key[i]) && key[i] >= (i < 4 ? 1 : 0);
  }
  if (!ok || key[4] > 1 || key[5] > 1) {
    napi_throw_type_error(env, nullptr, "[bcl-onednn] matMul expects (heap, a, b, out, [batch, M, K, N, transposeA 0|1, transposeB 0|1])");
    return nullptr;
  }
  const int64_t batch = key[0], m = key[1], k = key[2], n = key[3];
  const int64_t sizes[3] = {4 * batch * m * k, 4 * batch * k * n, 4 * batch * m * n};
  for (int i = 0; i < 3; i++) {
    if (offsets[i] + sizes[i] > static_cast<int64_t>(length)) {
      napi_throw_range_error(env, nullptr, "[bcl-onednn] matMul: a tensor lies outside the heap");
      return nullptr;
    }
  }
  try {
    RunMatMul(key, static_cast<uint8_t*>(data), offsets[0], offsets[1], offsets[2]);
  } catch (const dnnl::error& e) {
    napi_throw_error(env, nullptr, (std::string("[bcl-onednn] oneDNN: ") + e.what()).c_str());
  }
  return nullptr;
}

napi_value SetThreads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK_NAPI(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  int64_t threads = 0;
  if (argc != 1 || !GetInt64(env, argv[0], &threads) || threads < 1) {
    napi_throw_range_error(env, nullptr, "[bcl-onednn] setThreads expects an integer >= 1");
    return nullptr;
  }
  omp_set_num_threads(static_cast<int>(threads));
  return nullptr;
}

napi_value Info(napi_env env, napi_callback_info) {
  const dnnl_version_t* v = dnnl_version();
  std::string version = std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch);
  napi_value result, versionValue, threadsValue, isaValue;
  CHECK_NAPI(napi_create_object(env, &result));
  CHECK_NAPI(napi_create_string_utf8(env, version.c_str(), NAPI_AUTO_LENGTH, &versionValue));
  CHECK_NAPI(napi_create_int32(env, omp_get_max_threads(), &threadsValue));
  // The highest instruction set oneDNN's JIT may use on this CPU.
  std::string isa = "other";
  switch (dnnl::get_effective_cpu_isa()) {
    case dnnl::cpu_isa::sse41: isa = "sse41"; break;
    case dnnl::cpu_isa::avx: isa = "avx"; break;
    case dnnl::cpu_isa::avx2: isa = "avx2"; break;
    case dnnl::cpu_isa::avx2_vnni: isa = "avx2_vnni"; break;
    case dnnl::cpu_isa::avx512_core: isa = "avx512_core"; break;
    case dnnl::cpu_isa::avx512_core_vnni: isa = "avx512_core_vnni"; break;
    case dnnl::cpu_isa::avx512_core_bf16: isa = "avx512_core_bf16"; break;
    case dnnl::cpu_isa::avx512_core_amx: isa = "avx512_core_amx"; break;
    default: isa = "isa 0x" + [](unsigned v) { char b[16]; snprintf(b, sizeof b, "%x", v); return std::string(b); }(static_cast<unsigned>(dnnl::get_effective_cpu_isa())); break;
  }
  CHECK_NAPI(napi_create_string_utf8(env, isa.c_str(), NAPI_AUTO_LENGTH, &isaValue));
  CHECK_NAPI(napi_set_named_property(env, result, "dnnl", versionValue));
  CHECK_NAPI(napi_set_named_property(env, result, "threads", threadsValue));
  CHECK_NAPI(napi_set_named_property(env, result, "isa", isaValue));
  return result;
}

napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"conv2d", nullptr, Conv2d, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"batchNorm", nullptr, BatchNorm, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"matMul", nullptr, MatMul, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setThreads", nullptr, SetThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"info", nullptr, Info, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)

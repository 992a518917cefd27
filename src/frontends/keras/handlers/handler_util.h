// Helpers shared by the Keras handler files: reading config values, appending nodes, and the channels-first
// wrapping (a Transpose to channels-last before a layer, and back after it).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "nnfpga/frontends/keras/keras_frontend.h"

namespace nnfpga {

template <class T>
T kerasCfgOr(const nlohmann::json& c, const char* key, T dflt) {
    auto it = c.find(key);
    if (it == c.end() || it->is_null()) return dflt;
    return it->get<T>();
}

// The layer's only input (fails otherwise).
int kerasSingleInput(const KerasLayerContext& ctx);
// A Dense-like layer's sizes from its kernel (weight 0, shape [n_in, n_out]) on an input of shape `in`, which must
// be a vector of n_in values; the kernel and bias are left to the caller.
DenseAttrs kerasDenseShape(const KerasLayerContext& ctx, const Shape& in);

// Config `key` as `count` integers: a list of them, or one integer repeated. Absent or null: `dflt` repeated.
std::vector<int> kerasInts(const KerasLayerContext& ctx, const char* key, size_t count, int dflt);

// Appends a node named `name` with one output tensor of shape `outShape`; returns the tensor.
int kerasAddNode(const KerasLayerContext& ctx, const std::string& name, const std::string& kind, OpAttrs attrs,
                 std::vector<int> inputs, Shape outShape);

// Whether the layer's data_format is channels_first (anything else, or none, is channels_last).
bool kerasChannelsFirst(const KerasLayerContext& ctx);
// Transposes [C, spatial...] to [spatial..., C] ("<layer>_to_channels_last") and back ("<layer>_to_channels_first").
int kerasToChannelsLast(const KerasLayerContext& ctx, int input);
int kerasToChannelsFirst(const KerasLayerContext& ctx, int input);

// Fails unless the (channels-last) input has `spatial` spatial axes and a channel axis.
void kerasExpectSpatial(const KerasLayerContext& ctx, const Shape& in, int spatial);

// The window of a convolution or pooling layer over the channels-last input `in`: kernel size k, strides s,
// dilation d (one per spatial axis) and the config's padding: 'valid', 'same' (TensorFlow's split, the extra
// pixel after) or, when `allowCausal`, 'causal' (all of it before).
Window kerasWindow(const KerasLayerContext& ctx, const Shape& in, const std::vector<int>& k, const std::vector<int>& s,
                   const std::vector<int>& d, bool allowCausal);

// A BatchNormalization-like layer's configuration and statistics (Keras and QKeras).
struct KerasBatchNormStats {
    float eps = 1e-3f;
    const KerasWeight* gamma = nullptr;  // null without 'scale'
    const KerasWeight* beta = nullptr;   // null without 'center'
    const KerasWeight* mean = nullptr;
    const KerasWeight* var = nullptr;
};
// The configured axis (-1 when absent).
int kerasBatchNormAxis(const KerasLayerContext& ctx);
// epsilon (must be > 0) and the weights, checked against the `nf` channels.
KerasBatchNormStats kerasBatchNormStats(const KerasLayerContext& ctx, int nf);

// The convolution family (handlers/conv.cpp), shared by QKeras's quantized convolutions (handlers/qkeras.cpp).
enum class KerasConvKind { Plain, Depthwise, Separable, Transpose };
// Which kernel a node of the layer carries: the layer's only one, or a separable layer's two halves.
enum class KerasConvPart { Whole, Depthwise, Pointwise };
// How a convolution layer adds its nodes. By default the ConvAttrs as read (float weights in Keras' layout, the
// kernel's last axis the filters or the depth multiplier) and the config's Keras activation; QKeras quantizes
// the weights first and reads quantizer activations.
struct KerasConvHooks {
    std::function<int(KerasLayerContext&, const std::string& name, ConvAttrs, int input, KerasConvPart)> addNode;
    std::function<int(KerasLayerContext&, int out)> activation;
};
std::vector<int> kerasConvLayer(KerasLayerContext& ctx, int spatial, KerasConvKind kind,
                                const KerasConvHooks& hooks = {});

}  // namespace nnfpga

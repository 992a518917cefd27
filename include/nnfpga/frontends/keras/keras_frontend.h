// Keras → IR: maps each Keras layer onto IR nodes (one handler file per layer family in
// src/frontends/keras/handlers/). Types are left at their defaults; the configuration pass assigns them.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "nnfpga/frontends/keras/keras_file.h"
#include "nnfpga/ir/graph.h"

namespace nnfpga {

// What a handler sees: the layer, its input tensors, the graph to append to.
struct KerasLayerContext {
    const KerasModelDesc& model;
    const KerasLayer& layer;
    std::vector<int> inputs;  // tensor ids
    Graph& graph;

    [[noreturn]] void fail(const std::string& msg) const;
    const KerasWeight& weight(size_t index, const char* what) const;
    // Appends an element-wise node named `name` reading `input`; returns its output tensor.
    int addUnary(const std::string& name, const std::string& kind, OpAttrs attrs, int input) const;
};

// A handler appends the layer's nodes and returns its output tensors (in Keras' order).
using KerasHandler = std::function<std::vector<int>(KerasLayerContext&)>;
using KerasHandlerTable = std::map<std::string, KerasHandler>;

// Registration, one function per handler family file.
void registerKerasCoreHandlers(KerasHandlerTable& t);
void registerKerasActivationHandlers(KerasHandlerTable& t);
void registerKerasQKerasHandlers(KerasHandlerTable& t);
void registerKerasConvHandlers(KerasHandlerTable& t);
void registerKerasPoolingHandlers(KerasHandlerTable& t);
void registerKerasLayoutHandlers(KerasHandlerTable& t);
void registerKerasMergeHandlers(KerasHandlerTable& t);
void registerKerasHgqHandlers(KerasHandlerTable& t);

// HGQ proxy models (a graph with FixedPointQuantizer nodes): gives every other node the exact types of the model's
// float arithmetic on quantized values (weights as stored, sums wide enough); fails for layers without an exact form.
void finishHgqProxyGraph(Graph& g);

// Appends the node for a Keras `activation` string/object applied to `input` (no node for linear);
// returns the output tensor. `name` is the node name (hls4ml: "<layer>_<activation>").
int addKerasActivation(KerasLayerContext& ctx, const nlohmann::json& activation, int input);

// Builds the graph (unsupported layers: one error listing all of them).
Graph buildKerasGraph(const KerasModelDesc& model);

}  // namespace nnfpga

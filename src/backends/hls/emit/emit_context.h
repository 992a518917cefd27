// What an HLS node emitter writes into: type definitions, configuration structs, weight files, and the
// statement that runs the node inside the top function (or inside its stream wrapper).
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "nnfpga/backends/hls/hls_backend.h"
#include "nnfpga/support/code_writer.h"

namespace nnfpga {

struct HlsEmitContext {
    const Graph& g;
    const HlsOptions& opt;
    OutputTree& tree;
    CodeWriter defines;   // firmware/defines.h body (inside the project namespace)
    CodeWriter params;    // firmware/parameters.h body (inside the project namespace)
    std::vector<std::string> weightHeaders;  // "weights/<name>.h", included by parameters.h
    std::map<int, std::string> typeOf;       // tensor id → C++ type name
    std::set<std::string> usedNames;

    HlsEmitContext(const Graph& graph, const HlsOptions& o, OutputTree& t) : g(graph), opt(o), tree(t) {}

    // A C identifier derived from `base`, unique in the project.
    std::string uniqueName(const std::string& base);
    // typedef <type> <name>; returns name.
    std::string typedefFor(const std::string& name, const FixedType& t);
    // Writes firmware/weights/<name>.h with `static const <type> <name>[n] = {…}` (exact values).
    void weightArray(const std::string& name, const std::string& typeName, const FixedType& t,
                     const std::vector<int64_t>& raw);
};

// The C++ statement computing one node: inputs/outputs are array variable names.
struct NodeCall {
    std::string statement;
};

// Emitters, one per op family (src/backends/hls/emit/<family>.cpp); overloads on the attribute struct.
NodeCall emitHlsNode(HlsEmitContext& ctx, const Node& n, const DenseAttrs& a, const std::vector<std::string>& in,
                     const std::string& out);
NodeCall emitHlsNode(HlsEmitContext& ctx, const Node& n, const BatchNormAttrs& a,
                     const std::vector<std::string>& in, const std::string& out);
NodeCall emitHlsNode(HlsEmitContext& ctx, const Node& n, const ReshapeAttrs& a, const std::vector<std::string>& in,
                     const std::string& out);
NodeCall emitHlsNode(HlsEmitContext& ctx, const Node& n, const InputAttrs& a, const std::vector<std::string>& in,
                     const std::string& out);
NodeCall emitHlsNode(HlsEmitContext& ctx, const Node& n, const ActivationAttrs& a,
                     const std::vector<std::string>& in, const std::string& out);
NodeCall emitHlsNode(HlsEmitContext& ctx, const Node& n, const SoftmaxAttrs& a, const std::vector<std::string>& in,
                     const std::string& out);
NodeCall emitHlsNode(HlsEmitContext& ctx, const Node& n, const ConvAttrs& a, const std::vector<std::string>& in,
                     const std::string& out);
NodeCall emitHlsNode(HlsEmitContext& ctx, const Node& n, const PoolAttrs& a, const std::vector<std::string>& in,
                     const std::string& out);
NodeCall emitHlsNode(HlsEmitContext& ctx, const Node& n, const PadAttrs& a, const std::vector<std::string>& in,
                     const std::string& out);
NodeCall emitHlsNode(HlsEmitContext& ctx, const Node& n, const UpsampleAttrs& a, const std::vector<std::string>& in,
                     const std::string& out);
NodeCall emitHlsNode(HlsEmitContext& ctx, const Node& n, const TransposeAttrs& a, const std::vector<std::string>& in,
                     const std::string& out);
NodeCall emitHlsNode(HlsEmitContext& ctx, const Node& n, const MergeAttrs& a, const std::vector<std::string>& in,
                     const std::string& out);
NodeCall emitHlsNode(HlsEmitContext& ctx, const Node& n, const ConcatAttrs& a, const std::vector<std::string>& in,
                     const std::string& out);
NodeCall emitHlsNode(HlsEmitContext& ctx, const Node& n, const DotAttrs& a, const std::vector<std::string>& in,
                     const std::string& out);

// Exact decimal of a fixed-point raw value (W <= 53 so that the double literal is exact).
std::string exactLiteral(int64_t raw, const FixedType& t);
std::string cIdentifier(const std::string& s);

}  // namespace nnfpga

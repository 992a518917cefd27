// What an HLS node emitter writes into: type definitions, configuration structs, weight files, and the
// statement that runs the node inside the top function (or inside its stream process).
#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>
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
    std::set<std::string> libraries;         // runtime headers parameters.h includes besides the core ones

    HlsEmitContext(const Graph& graph, const HlsOptions& o, OutputTree& t) : g(graph), opt(o), tree(t) {}

    bool stream() const { return opt.io == IoType::Stream; }
    // io_stream moves a tensor of rank >= 2 one pixel (its last axis) per FIFO write, and a vector whole.
    int64_t streamWrites(int tensor) const;  // writes per sample
    int64_t streamWidth(int tensor) const;   // values per write
    // Values one node statement works on: the whole tensor (io_parallel) or one write (io_stream).
    int64_t callSize(int tensor) const { return stream() ? streamWidth(tensor) : numElements(g.tensor(tensor).shape); }

    // A C identifier derived from `base`, unique in the project.
    std::string uniqueName(const std::string& base);
    // typedef <type> <name>; returns name.
    std::string typedefFor(const std::string& name, const FixedType& t);
    // Writes firmware/weights/<name>.h with `static const <type> <name>[n] = {…}` (exact values).
    void weightArray(const std::string& name, const std::string& typeName, const FixedType& t,
                     const std::vector<int64_t>& raw);
};

// How a node runs. `statement` computes it on arrays (the `in`/`out` names given to the emitter): the whole
// tensors in io_parallel; in io_stream, one write of each input and the output (a per-pixel process that the
// backend wraps in a loop over the pixels; the loop index is `pixel`). `streamCall`, when set, is the whole
// io_stream process body instead: a library call reading the streams s_in0, s_in1, … and writing s_out once
// per output pixel (line buffers, layout changes).
struct NodeCall {
    std::string statement;
    std::string streamCall;
    NodeCall(std::string s = {}, std::string sc = {}) : statement(std::move(s)), streamCall(std::move(sc)) {}
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
NodeCall emitHlsNode(HlsEmitContext& ctx, const Node& n, const QuantizeAttrs& a, const std::vector<std::string>& in,
                     const std::string& out);

// Window fields of a configuration struct (runtime/hls/nnfpga_window.h).
void windowFields(CodeWriter& w, const Window& win, int nChan);
std::vector<int64_t> quantizeAll(const std::vector<double>& v, const FixedType& t);

// Exact decimal of a fixed-point raw value (W <= 53 so that the double literal is exact).
std::string exactLiteral(int64_t raw, const FixedType& t);
std::string cIdentifier(const std::string& s);

}  // namespace nnfpga

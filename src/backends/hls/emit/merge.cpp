// HLS emitters of the merge family (runtime/hls/nnfpga_merge.h): element-wise merges as a chain of two-input
// steps through exact intermediate types, concatenation as one copy per input (io_stream: per pixel on the last
// axis, otherwise whole blocks of pixels one input after the other), dot product.
#include <algorithm>

#include "emit_context.h"
#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

namespace {

const char* opCode(MergeOp op) {
    switch (op) {
        case MergeOp::Add:
            return "nnfpga_hls::merge_add";
        case MergeOp::Subtract:
            return "nnfpga_hls::merge_subtract";
        case MergeOp::Multiply:
            return "nnfpga_hls::merge_multiply";
        case MergeOp::Average:
            return "nnfpga_hls::merge_average";
        case MergeOp::Maximum:
            return "nnfpga_hls::merge_maximum";
        case MergeOp::Minimum:
            return "nnfpga_hls::merge_minimum";
    }
    return "";
}

// A type holding every value of `a op b` exactly (Average: of the sum), with room to spare.
FixedType exactType(MergeOp op, const FixedType& a, const FixedType& b) {
    int frac, integer;
    bool isSigned = a.isSigned || b.isSigned;
    if (op == MergeOp::Multiply) {
        frac = a.frac() + b.frac();
        integer = a.integer + b.integer + 1;
    } else {
        frac = std::max(a.frac(), b.frac());
        integer = std::max(a.integer, b.integer) + 2;
        isSigned |= op == MergeOp::Subtract;
    }
    return FixedType::fixed(std::max(integer + frac, 1), std::max(integer, 1 - frac), isSigned);
}

int log2Exact(size_t n) {
    int k = 0;
    while ((size_t(1) << k) < n) ++k;
    return k;
}

}  // namespace

NodeCall emitHlsNode(HlsEmitContext& ctx, const Node& n, const MergeAttrs& a, const std::vector<std::string>& in,
                     const std::string& out) {
    ctx.libraries.insert("nnfpga_merge.h");
    const std::string base = cIdentifier(n.name);
    const int64_t size = ctx.callSize(n.outputs[0]);
    const size_t nIn = n.inputs.size();
    std::string stmt;
    // Step k combines the running result (input 0 for k = 1) with input k; all but the last step are exact.
    std::string accVar = in[0], accType = ctx.typeOf.at(n.inputs[0]);
    FixedType accFixed = ctx.g.tensor(n.inputs[0]).type;
    for (size_t k = 1; k < nIn; ++k) {
        const bool last = k + 1 == nIn;
        const MergeOp op = a.op == MergeOp::Average && !last ? MergeOp::Add : a.op;
        const std::string cfg = ctx.uniqueName("config_" + base + (nIn > 2 ? "_" + std::to_string(k) : ""));
        ctx.params.open("struct " + cfg)
            .line("static const unsigned n_elem = " + std::to_string(size) + ";")
            .line(std::string("static const unsigned op = ") + opCode(op) + ";")
            .line("static const unsigned avg_shift = " + std::to_string(op == MergeOp::Average ? log2Exact(nIn) : 0) +
                  ";")
            .close(";");
        ctx.params.line();
        std::string resVar = out, resType = ctx.typeOf.at(n.outputs[0]);
        if (!last) {
            const FixedType t = exactType(op, accFixed, ctx.g.tensor(n.inputs[k]).type);
            if (t.width > 128)
                failAtLayer(n.name, n.kind,
                            "the exact partial result needs " + std::to_string(t.width) +
                                " bits, more than the 128 ap types support");
            resType = ctx.typedefFor(base + "_part" + std::to_string(k) + "_t", t);
            resVar = ctx.uniqueName(base + "_part" + std::to_string(k));
            stmt += resType + " " + resVar + "[" + std::to_string(size) + "];\n";
            stmt += "NNFPGA_PRAGMA(HLS ARRAY_PARTITION variable = " + resVar + " complete)\n";
            accFixed = t;
        }
        stmt += "nnfpga_hls::merge<" + accType + ", " + ctx.typeOf.at(n.inputs[k]) + ", " + resType + ", " + cfg +
                ">(" + accVar + ", " + in[k] + ", " + resVar + ");" + (last ? "" : "\n");
        accVar = resVar;
        accType = resType;
    }
    return {stmt};
}

NodeCall emitHlsNode(HlsEmitContext& ctx, const Node& n, const ConcatAttrs& a, const std::vector<std::string>& in,
                     const std::string& out) {
    ctx.libraries.insert("nnfpga_merge.h");
    const std::string base = cIdentifier(n.name);
    const Shape& os = ctx.g.tensor(n.outputs[0]).shape;
    const int rank = static_cast<int>(os.size());
    const std::string outT = ctx.typeOf.at(n.outputs[0]);
    auto product = [](const Shape& s, int from, int to) {
        int64_t p = 1;
        for (int k = from; k < to; ++k) p *= s[static_cast<size_t>(k)];
        return p;
    };
    if (ctx.stream() && rank >= 2 && a.axis < rank - 1) {
        // Whole blocks of pixels: for each index over the axes before `axis`, every input's block in turn.
        std::string body;
        for (size_t k = 0; k < n.inputs.size(); ++k) {
            const Shape& s = ctx.g.tensor(n.inputs[k]).shape;
            body += "nnfpga_hls::concat_forward<" + ctx.typeOf.at(n.inputs[k]) + ", " + outT + ", " +
                    std::to_string(product(s, a.axis, rank - 1)) + ", " + std::to_string(os.back()) + ">(s_in" +
                    std::to_string(k) + ", s_out);\n";
        }
        const int64_t outer = product(os, 0, a.axis);
        if (outer == 1) return {"", body.substr(0, body.size() - 1)};
        std::string loop = "for (unsigned o = 0; o < " + std::to_string(outer) + "; o++) {\n";
        for (size_t p = 0, q; p < body.size(); p = q + 1) {
            q = body.find('\n', p);
            loop += "    " + body.substr(p, q - p) + "\n";
        }
        return {"", loop + "}"};
    }
    // Copies: whole tensors, or one pixel when concatenating the last axis in io_stream.
    const bool perPixel = ctx.stream();
    const int64_t outer = perPixel ? 1 : product(os, 0, a.axis);
    const int64_t outLen = perPixel ? ctx.streamWidth(n.outputs[0]) : product(os, a.axis, rank);
    std::string stmt;
    int64_t offset = 0;
    for (size_t k = 0; k < n.inputs.size(); ++k) {
        const Shape& s = ctx.g.tensor(n.inputs[k]).shape;
        const int64_t len = perPixel ? ctx.streamWidth(n.inputs[k]) : product(s, a.axis, rank);
        const std::string cfg = ctx.uniqueName("config_" + base + "_" + std::to_string(k));
        ctx.params.open("struct " + cfg)
            .line("static const unsigned outer = " + std::to_string(outer) + ";")
            .line("static const unsigned in_len = " + std::to_string(len) + ";")
            .line("static const unsigned out_len = " + std::to_string(outLen) + ";")
            .line("static const unsigned offset = " + std::to_string(offset) + ";")
            .close(";");
        ctx.params.line();
        stmt += (k ? "\n" : "") + std::string("nnfpga_hls::concat_part<") + ctx.typeOf.at(n.inputs[k]) + ", " + outT +
                ", " + cfg + ">(" + in[k] + ", " + out + ");";
        offset += len;
    }
    return {stmt};
}

NodeCall emitHlsNode(HlsEmitContext& ctx, const Node& n, const DotAttrs& a, const std::vector<std::string>& in,
                     const std::string& out) {
    ctx.libraries.insert("nnfpga_merge.h");
    const std::string base = cIdentifier(n.name);
    const std::string accT = ctx.typedefFor(base + "_accum_t", a.accumT);
    const std::string cfg = ctx.uniqueName("config_" + base);
    ctx.params.open("struct " + cfg)
        .line("static const unsigned n_in = " + std::to_string(numElements(ctx.g.tensor(n.inputs[0]).shape)) + ";")
        .line("typedef " + accT + " accum_t;")
        .close(";");
    ctx.params.line();
    return {"nnfpga_hls::dot<" + ctx.typeOf.at(n.inputs[0]) + ", " + ctx.typeOf.at(n.inputs[1]) + ", " +
            ctx.typeOf.at(n.outputs[0]) + ", " + cfg + ">(" + in[0] + ", " + in[1] + ", " + out + ");"};
}

}  // namespace nnfpga

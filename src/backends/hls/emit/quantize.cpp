// HLS emitter of the quantizer family (runtime/hls/nnfpga_quantize.h): one cast type per distinct element type and
// the constant list of the elements it applies to. io_stream works one pixel at a time, so there the element
// types must repeat from pixel to pixel (per-channel quantizers); io_parallel takes any pattern.
#include <map>

#include "emit_context.h"
#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

NodeCall emitHlsNode(HlsEmitContext& ctx, const Node& n, const QuantizeAttrs& a, const std::vector<std::string>& in,
                     const std::string& out) {
    ctx.libraries.insert("nnfpga_quantize.h");
    const std::string base = cIdentifier(n.name);
    const int64_t size = ctx.callSize(n.inputs[0]);
    const int64_t total = numElements(ctx.g.tensor(n.inputs[0]).shape);
    const std::string inT = ctx.typeOf.at(n.inputs[0]), outT = ctx.typeOf.at(n.outputs[0]);
    if (a.types.size() == 1) {
        if (isZeroWidth(a.types[0]))
            return {"for (unsigned i = 0; i < " + std::to_string(size) + "; i++) " + out + "[i] = 0;"};
        const std::string qT = ctx.typedefFor(base + "_q_t", a.types[0]);
        return {"nnfpga_hls::quantize_all<" + inT + ", " + outT + ", " + qT + ", " + std::to_string(size) + ">(" +
                in[0] + ", " + out + ");"};
    }
    for (int64_t i = size; i < total; ++i)
        if (!(a.typeAt(i) == a.typeAt(i % size)))
            failAtLayer(n.name, n.kind,
                        "element types that differ from pixel to pixel are not supported with io_stream (element " +
                            std::to_string(i) + " is " + a.typeAt(i).str() + ", element " + std::to_string(i % size) +
                            " of the first pixel is " + a.typeAt(i % size).str() + "); use io_parallel");
    // Elements grouped by type, in order of first appearance.
    std::vector<FixedType> order;
    std::map<std::string, std::vector<int64_t>> groups;
    auto key = [](const FixedType& t) { return isZeroWidth(t) ? std::string("0") : t.str(); };
    for (int64_t i = 0; i < size; ++i) {
        auto& g = groups[key(a.typeAt(i))];
        if (g.empty()) order.push_back(a.typeAt(i));
        g.push_back(i);
    }
    std::string stmt;
    for (size_t k = 0; k < order.size(); ++k) {
        const std::vector<int64_t>& idx = groups[key(order[k])];
        const std::string arr = ctx.uniqueName(base + "_idx" + std::to_string(k));
        std::string list;
        for (size_t j = 0; j < idx.size(); ++j) list += (j ? (j % 24 ? ", " : ",\n    ") : "") + std::to_string(idx[j]);
        ctx.params.line("static const unsigned " + arr + "[" + std::to_string(idx.size()) + "] = {" + list + "};");
        const std::string nIdx = std::to_string(idx.size());
        if (isZeroWidth(order[k])) {
            stmt += "nnfpga_hls::quantize_zero<" + outT + ", " + nIdx + ">(" + out + ", " + arr + ");\n";
        } else {
            const std::string qT = ctx.typedefFor(base + "_q" + std::to_string(k) + "_t", order[k]);
            stmt += "nnfpga_hls::quantize_some<" + inT + ", " + outT + ", " + qT + ", " + nIdx + ">(" + in[0] + ", " +
                    out + ", " + arr + ");\n";
        }
    }
    ctx.params.line();
    stmt.pop_back();
    return {stmt};
}

}  // namespace nnfpga

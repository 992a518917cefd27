// Keras handlers of the merge family: Add, Subtract, Multiply, Average, Maximum, Minimum (N same-shape inputs),
// Concatenate (any axis) and Dot (two vectors).
#include "handler_util.h"

namespace nnfpga {

namespace {

using json = nlohmann::json;

const Shape& shapeOf(const KerasLayerContext& ctx, size_t k) {
    return ctx.graph.tensor(ctx.inputs[k]).shape;
}

void expectInputs(const KerasLayerContext& ctx, size_t atLeast) {
    if (ctx.inputs.size() < atLeast)
        ctx.fail("expects at least " + std::to_string(atLeast) + " inputs, got " + std::to_string(ctx.inputs.size()));
}

std::vector<int> mergeLayer(KerasLayerContext& ctx, MergeOp op) {
    expectInputs(ctx, 2);
    const size_t n = ctx.inputs.size();
    if (op == MergeOp::Subtract && n != 2) ctx.fail("expects exactly 2 inputs, got " + std::to_string(n));
    if (op == MergeOp::Average && (n & (n - 1)))
        ctx.fail("average of " + std::to_string(n) + " inputs is not supported (a power of two is)");
    for (size_t k = 1; k < n; ++k)
        if (shapeOf(ctx, k) != shapeOf(ctx, 0))
            ctx.fail("inputs have different shapes " + shapeStr(shapeOf(ctx, 0)) + " and " + shapeStr(shapeOf(ctx, k)) +
                     "; broadcasting is not supported");
    return {kerasAddNode(ctx, ctx.layer.name, ctx.layer.className, MergeAttrs{op}, ctx.inputs, shapeOf(ctx, 0))};
}

// Keras counts the batch axis: axis a >= 1 (or a negative one from the end) is the sample's axis a - 1.
std::vector<int> concatLayer(KerasLayerContext& ctx) {
    expectInputs(ctx, 2);
    const int rank = static_cast<int>(shapeOf(ctx, 0).size());
    const int axis = kerasCfgOr<int>(ctx.layer.config, "axis", -1);
    const int a = axis < 0 ? axis + rank + 1 : axis;
    if (a < 1 || a > rank)
        ctx.fail("axis " + std::to_string(axis) + " is out of range for inputs of shape " + shapeStr(shapeOf(ctx, 0)) +
                 (a == 0 ? " (concatenation along the batch axis is not supported)" : ""));
    Shape out = shapeOf(ctx, 0);
    for (size_t k = 1; k < ctx.inputs.size(); ++k) {
        const Shape& s = shapeOf(ctx, k);
        bool ok = static_cast<int>(s.size()) == rank;
        for (int d = 0; ok && d < rank; ++d) ok = d == a - 1 || s[d] == out[d];
        if (!ok)
            ctx.fail("inputs " + shapeStr(shapeOf(ctx, 0)) + " and " + shapeStr(s) + " differ off axis " +
                     std::to_string(axis));
        out[a - 1] += s[a - 1];
    }
    return {kerasAddNode(ctx, ctx.layer.name, ctx.layer.className, ConcatAttrs{a - 1}, ctx.inputs, out)};
}

std::vector<int> dotLayer(KerasLayerContext& ctx) {
    if (ctx.inputs.size() != 2) ctx.fail("expects 2 inputs, got " + std::to_string(ctx.inputs.size()));
    if (kerasCfgOr<bool>(ctx.layer.config, "normalize", false))
        ctx.fail("normalize=True (cosine similarity) is not supported");
    if (shapeOf(ctx, 0).size() != 1 || shapeOf(ctx, 0) != shapeOf(ctx, 1))
        ctx.fail("only the dot product of two vectors of the same length is supported, got shapes " +
                 shapeStr(shapeOf(ctx, 0)) + " and " + shapeStr(shapeOf(ctx, 1)));
    for (int axis : kerasInts(ctx, "axes", 2, -1))
        if (axis != 1 && axis != -1) ctx.fail("axes must be 1 or -1 for two vectors, got " + std::to_string(axis));
    return {kerasAddNode(ctx, ctx.layer.name, ctx.layer.className, DotAttrs{}, ctx.inputs, {1})};
}

KerasHandler merge(MergeOp op) {
    return [op](KerasLayerContext& ctx) { return mergeLayer(ctx, op); };
}

}  // namespace

void registerKerasMergeHandlers(KerasHandlerTable& t) {
    t["Add"] = merge(MergeOp::Add);
    t["Subtract"] = merge(MergeOp::Subtract);
    t["Multiply"] = merge(MergeOp::Multiply);
    t["Average"] = merge(MergeOp::Average);
    t["Maximum"] = merge(MergeOp::Maximum);
    t["Minimum"] = merge(MergeOp::Minimum);
    t["Concatenate"] = concatLayer;
    t["Dot"] = dotLayer;
}

}  // namespace nnfpga

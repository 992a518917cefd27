// Keras handlers of the pooling family: MaxPooling1D/2D, AveragePooling1D/2D (padding excluded from the average,
// as Keras does), GlobalMaxPooling1D/2D and GlobalAveragePooling1D/2D (keepdims=True adds a Reshape after).
#include "handler_util.h"

namespace nnfpga {

namespace {

std::vector<int> poolLayer(KerasLayerContext& ctx, int spatial, PoolOp op) {
    const bool channelsFirst = kerasChannelsFirst(ctx);
    int in = kerasSingleInput(ctx);
    if (channelsFirst) in = kerasToChannelsLast(ctx, in);
    const Shape inShape = ctx.graph.tensor(in).shape;
    kerasExpectSpatial(ctx, inShape, spatial);
    const std::vector<int> k = kerasInts(ctx, "pool_size", spatial, 2);
    const bool hasStrides = ctx.layer.config.contains("strides") && !ctx.layer.config["strides"].is_null();
    const std::vector<int> s = hasStrides ? kerasInts(ctx, "strides", spatial, 1) : k;  // Keras: pool size
    PoolAttrs a;
    a.op = op;
    a.nChan = inShape.back();
    a.win = kerasWindow(ctx, inShape, k, s, std::vector<int>(spatial, 1), false);
    const Shape outShape = a.win.outShape(a.nChan);
    const int out = kerasAddNode(ctx, ctx.layer.name, ctx.layer.className, a, {in}, outShape);
    return {channelsFirst ? kerasToChannelsFirst(ctx, out) : out};
}

// The pooled vector [C] is the same in either data format; keepdims puts the size-1 axes where Keras has them.
std::vector<int> globalPoolLayer(KerasLayerContext& ctx, int spatial, PoolOp op) {
    const bool channelsFirst = kerasChannelsFirst(ctx);
    int in = kerasSingleInput(ctx);
    if (channelsFirst) in = kerasToChannelsLast(ctx, in);
    const Shape inShape = ctx.graph.tensor(in).shape;
    kerasExpectSpatial(ctx, inShape, spatial);
    PoolAttrs a;
    a.op = op;
    a.global = true;
    a.nChan = inShape.back();
    a.win.rank = spatial;
    a.win.inH = a.win.kh = spatial == 2 ? inShape[0] : 1;
    a.win.inW = a.win.kw = inShape[spatial - 1];
    a.win.computeOutput();
    const int nChan = a.nChan;
    const int out = kerasAddNode(ctx, ctx.layer.name, ctx.layer.className, a, {in}, {nChan});
    if (!kerasCfgOr<bool>(ctx.layer.config, "keepdims", false)) return {out};
    Shape kept(spatial, 1);
    kept.insert(channelsFirst ? kept.begin() : kept.end(), nChan);
    return {kerasAddNode(ctx, ctx.layer.name + "_keepdims", "Reshape", ReshapeAttrs{kept}, {out}, kept)};
}

KerasHandler pool(int spatial, PoolOp op) {
    return [spatial, op](KerasLayerContext& ctx) { return poolLayer(ctx, spatial, op); };
}

KerasHandler globalPool(int spatial, PoolOp op) {
    return [spatial, op](KerasLayerContext& ctx) { return globalPoolLayer(ctx, spatial, op); };
}

}  // namespace

void registerKerasPoolingHandlers(KerasHandlerTable& t) {
    t["MaxPooling1D"] = pool(1, PoolOp::Max);
    t["MaxPooling2D"] = pool(2, PoolOp::Max);
    t["AveragePooling1D"] = pool(1, PoolOp::Average);
    t["AveragePooling2D"] = pool(2, PoolOp::Average);
    t["GlobalMaxPooling1D"] = globalPool(1, PoolOp::Max);
    t["GlobalMaxPooling2D"] = globalPool(2, PoolOp::Max);
    t["GlobalAveragePooling1D"] = globalPool(1, PoolOp::Average);
    t["GlobalAveragePooling2D"] = globalPool(2, PoolOp::Average);
}

}  // namespace nnfpga

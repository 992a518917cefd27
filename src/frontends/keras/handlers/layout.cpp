// Keras handlers of the layout family: ZeroPadding1D/2D and Cropping1D/2D (Pad, cropping as negative padding),
// UpSampling1D/2D (nearest neighbour only) and Permute (Transpose).
#include <algorithm>

#include "handler_util.h"

namespace nnfpga {

namespace {

using json = nlohmann::json;

// Config `key` as (before, after) per spatial axis. 1D: n or [before, after]. 2D: n, [h, w] (symmetric per axis)
// or [[top, bottom], [left, right]].
std::vector<std::pair<int, int>> sidePairs(const KerasLayerContext& ctx, const char* key, int spatial) {
    const json& v = ctx.layer.config.at(key);
    auto bad = [&]() -> std::vector<std::pair<int, int>> {
        ctx.fail(std::string("malformed ") + key + ": " + v.dump());
    };
    if (v.is_number_integer()) return std::vector<std::pair<int, int>>(spatial, {v.get<int>(), v.get<int>()});
    if (!v.is_array() || static_cast<int>(v.size()) != (spatial == 1 ? 2 : spatial)) return bad();
    std::vector<std::pair<int, int>> out;
    if (spatial == 1) {
        if (!v[0].is_number_integer() || !v[1].is_number_integer()) return bad();
        return {{v[0].get<int>(), v[1].get<int>()}};
    }
    for (const json& e : v) {
        if (e.is_number_integer())
            out.emplace_back(e.get<int>(), e.get<int>());
        else if (e.is_array() && e.size() == 2 && e[0].is_number_integer() && e[1].is_number_integer())
            out.emplace_back(e[0].get<int>(), e[1].get<int>());
        else
            return bad();
    }
    return out;
}

std::vector<int> padLayer(KerasLayerContext& ctx, int spatial, bool crop) {
    const bool channelsFirst = kerasChannelsFirst(ctx);
    int in = kerasSingleInput(ctx);
    if (channelsFirst) in = kerasToChannelsLast(ctx, in);
    const Shape inShape = ctx.graph.tensor(in).shape;
    kerasExpectSpatial(ctx, inShape, spatial);
    const auto sides = sidePairs(ctx, crop ? "cropping" : "padding", spatial);
    PadAttrs a;
    a.before.assign(inShape.size(), 0);
    a.after.assign(inShape.size(), 0);
    Shape outShape = inShape;
    for (int k = 0; k < spatial; ++k) {
        auto [b, e] = sides[k];
        if (b < 0 || e < 0) ctx.fail(std::string(crop ? "cropping" : "padding") + " must be >= 0");
        if (crop && b + e >= inShape[k])
            ctx.fail("cropping " + std::to_string(b) + " + " + std::to_string(e) +
                     " removes the whole axis of length " + std::to_string(inShape[k]));
        a.before[k] = crop ? -b : b;
        a.after[k] = crop ? -e : e;
        outShape[k] += a.before[k] + a.after[k];
    }
    const int out = kerasAddNode(ctx, ctx.layer.name, ctx.layer.className, std::move(a), {in}, outShape);
    return {channelsFirst ? kerasToChannelsFirst(ctx, out) : out};
}

std::vector<int> upsampleLayer(KerasLayerContext& ctx, int spatial) {
    const std::string interpolation = kerasCfgOr<std::string>(ctx.layer.config, "interpolation", "nearest");
    if (interpolation != "nearest") ctx.fail("interpolation '" + interpolation + "' is not supported (nearest is)");
    const bool channelsFirst = kerasChannelsFirst(ctx);
    int in = kerasSingleInput(ctx);
    if (channelsFirst) in = kerasToChannelsLast(ctx, in);
    const Shape inShape = ctx.graph.tensor(in).shape;
    kerasExpectSpatial(ctx, inShape, spatial);
    UpsampleAttrs a;
    a.factor = kerasInts(ctx, "size", spatial, 2);
    Shape outShape = inShape;
    for (int k = 0; k < spatial; ++k) {
        if (a.factor[k] < 1) ctx.fail("size must be >= 1, got " + std::to_string(a.factor[k]));
        outShape[k] *= a.factor[k];
    }
    const int out = kerasAddNode(ctx, ctx.layer.name, ctx.layer.className, std::move(a), {in}, outShape);
    return {channelsFirst ? kerasToChannelsFirst(ctx, out) : out};
}

// Keras numbers the sample's axes from 1 (0 is the batch).
std::vector<int> permuteLayer(KerasLayerContext& ctx) {
    const int in = kerasSingleInput(ctx);
    const Shape& inShape = ctx.graph.tensor(in).shape;
    const std::vector<int> dims = kerasInts(ctx, "dims", inShape.size(), 0);
    std::vector<int> perm, sorted;
    for (int d : dims) perm.push_back(d - 1);
    sorted = perm;
    std::sort(sorted.begin(), sorted.end());
    for (size_t k = 0; k < sorted.size(); ++k)
        if (sorted[k] != static_cast<int>(k))
            ctx.fail("dims " + ctx.layer.config.at("dims").dump() + " is not a permutation of 1.." +
                     std::to_string(inShape.size()));
    Shape outShape;
    for (int p : perm) outShape.push_back(inShape[p]);
    return {kerasAddNode(ctx, ctx.layer.name, ctx.layer.className, TransposeAttrs{perm}, {in}, outShape)};
}

KerasHandler pad(int spatial, bool crop) {
    return [spatial, crop](KerasLayerContext& ctx) { return padLayer(ctx, spatial, crop); };
}

KerasHandler upsample(int spatial) {
    return [spatial](KerasLayerContext& ctx) { return upsampleLayer(ctx, spatial); };
}

}  // namespace

void registerKerasLayoutHandlers(KerasHandlerTable& t) {
    t["ZeroPadding1D"] = pad(1, false);
    t["ZeroPadding2D"] = pad(2, false);
    t["Cropping1D"] = pad(1, true);
    t["Cropping2D"] = pad(2, true);
    t["UpSampling1D"] = upsample(1);
    t["UpSampling2D"] = upsample(2);
    t["Permute"] = permuteLayer;
}

}  // namespace nnfpga

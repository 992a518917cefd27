// Keras handlers of HGQ models. HGQ1 proxy models: each FixedPointQuantizer (per-element keep_negative, bits and
// integers, one rounding and one overflow mode) becomes a Quantize node, and every other layer of the model
// computes exactly, so that the quantizers alone decide the values, as in the Keras model (finishHgqProxyGraph).
// docs/semantics.md, "HGQ".
#include <algorithm>

#include "handler_util.h"
#include "nnfpga/frontends/keras/qkeras_quantizers.h"
#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

namespace {

using json = nlohmann::json;

bool isFixedPointQuantizer(const std::string& kind) {
    return kind == "FixedPointQuantizer" || kind == "HGQ>FixedPointQuantizer";
}

Rounding roundingMode(const KerasLayerContext& ctx, const std::string& s) {
    static const std::pair<const char*, Rounding> modes[] = {
        {"TRN", Rounding::TRN},         {"TRN_ZERO", Rounding::TRN_ZERO}, {"RND", Rounding::RND},
        {"RND_ZERO", Rounding::RND_ZERO}, {"RND_MIN_INF", Rounding::RND_MIN_INF}, {"RND_INF", Rounding::RND_INF},
        {"RND_CONV", Rounding::RND_CONV}};
    for (const auto& [name, r] : modes)
        if (s == name) return r;
    ctx.fail("unknown rounding mode '" + s + "' (TRN, TRN_ZERO, RND, RND_ZERO, RND_MIN_INF, RND_INF or RND_CONV)");
}

Overflow overflowMode(const KerasLayerContext& ctx, const std::string& s) {
    if (s == "WRAP") return Overflow::WRAP;
    if (s == "SAT") return Overflow::SAT;
    if (s == "SAT_ZERO") return Overflow::SAT_ZERO;
    if (s == "SAT_SYM") return Overflow::SAT_SYM;
    ctx.fail("unsupported overflow mode '" + s + "' (WRAP, SAT, SAT_ZERO or SAT_SYM)");
}

const KerasWeight& weightNamed(const KerasLayerContext& ctx, const std::string& name) {
    for (const KerasWeight& w : ctx.layer.weights)
        if (w.name == name || w.name.ends_with("/" + name)) return w;
    ctx.fail("missing weight '" + name + "'");
}

// A quantizer parameter array broadcast (numpy rules) onto one sample of shape `s`; the stored array has a
// leading batch axis of 1 (or none, or fewer axes).
std::vector<double> broadcastTo(const KerasLayerContext& ctx, const KerasWeight& w, const Shape& s) {
    std::vector<int64_t> ws = w.shape;
    while (ws.size() > s.size() && ws.front() == 1) ws.erase(ws.begin());
    if (ws.size() > s.size())
        ctx.fail("'" + w.name + "' has more axes than the input of shape " + shapeStr(s));
    ws.insert(ws.begin(), s.size() - ws.size(), 1);
    for (size_t d = 0; d < s.size(); ++d)
        if (ws[d] != 1 && ws[d] != s[d])
            ctx.fail("'" + w.name + "' of shape " + shapeStr(Shape(w.shape.begin(), w.shape.end())) +
                     " does not broadcast to the input shape " + shapeStr(s));
    const int64_t n = numElements(s);
    std::vector<double> out(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
        int64_t rest = i, src = 0, stride = 1;
        for (size_t d = s.size(); d-- > 0;) {
            const int64_t c = rest % s[d];
            rest /= s[d];
            if (ws[d] != 1) src += c * stride;
            stride *= ws[d];
        }
        out[static_cast<size_t>(i)] = w.data.at(static_cast<size_t>(src));
    }
    return out;
}

// FixedPointQuantizer: element i becomes fixed<bits, integers> (signed when keep_negative), width 0 when bits is 0.
std::vector<int> fixedPointQuantizer(KerasLayerContext& ctx) {
    const int in = kerasSingleInput(ctx);
    const Shape s = ctx.graph.tensor(in).shape;
    const json& c = ctx.layer.config;
    const Rounding r = roundingMode(ctx, kerasCfgOr<std::string>(c, "RND", "TRN"));
    const Overflow o = overflowMode(ctx, kerasCfgOr<std::string>(c, "SAT", "WRAP"));
    const std::vector<double> k = broadcastTo(ctx, weightNamed(ctx, "keep_negative"), s);
    const std::vector<double> b = broadcastTo(ctx, weightNamed(ctx, "bits"), s);
    const std::vector<double> i = broadcastTo(ctx, weightNamed(ctx, "integers"), s);
    QuantizeAttrs a;
    for (size_t e = 0; e < b.size(); ++e) {
        if (b[e] < 0 || b[e] > kMaxWidth)
            ctx.fail("bits must be in [0, " + std::to_string(kMaxWidth) + "], got " + std::to_string(int(b[e])) +
                     " at element " + std::to_string(e));
        if (k[e] != 0 && k[e] != 1)
            ctx.fail("keep_negative must be 0 or 1, got " + std::to_string(int(k[e])) + " at element " + std::to_string(e));
        FixedType t = FixedType::fixed(static_cast<int>(b[e]), static_cast<int>(i[e]), k[e] != 0, r, o);
        if (b[e] == 0) t = FixedType{0, 0, false, r, o};
        a.types.push_back(t);
    }
    if (std::all_of(a.types.begin(), a.types.end(), [&](const FixedType& t) { return t == a.types[0]; }))
        a.types.resize(1);
    const FixedType result = quantizeCoveringType(a);
    const int out = ctx.addUnary(ctx.layer.name, ctx.layer.className, std::move(a), in);
    ctx.graph.tensor(out).type = result;
    return {out};
}

void markModel(Node& n, std::vector<std::string> fixed, std::vector<std::string> autoVars) {
    for (auto& v : fixed) n.modelTypes.push_back(std::move(v));
    for (auto& v : autoVars) n.modelAutoTypes.push_back(std::move(v));
}

// The exact type of a weight array of a proxy model (HGQ stores the quantized values).
FixedType exactWeights(const Node& n, const std::vector<double>& v, const char* what) {
    if (auto t = exactTypeFor(v, 32)) return *t;
    failAtLayer(n.name, n.kind,
                std::string("in an HGQ proxy model the ") + what +
                    " must hold quantized values, but they need more than 32 bits to be exact (a float layer?)");
}

}  // namespace

void finishHgqProxyGraph(Graph& g) {
    if (std::none_of(g.nodes.begin(), g.nodes.end(), [](const Node& n) { return isFixedPointQuantizer(n.kind); }))
        return;
    std::string unsupported;
    int nUnsupported = 0;
    for (Node& n : g.nodes) {
        if (isFixedPointQuantizer(n.kind) || n.as<ReshapeAttrs>()) continue;
        if (n.as<InputAttrs>()) {
            // Inputs arrive in the first quantizer's covering type: exact for inputs on that quantizer's grid.
            const auto users = g.consumers(n.outputs[0]);
            if (users.size() != 1 || !g.nodes[users[0]].as<QuantizeAttrs>()) continue;
            const QuantizeAttrs& q = *g.nodes[users[0]].as<QuantizeAttrs>();
            FixedType t = quantizeCoveringType(q);
            if (std::all_of(q.types.begin(), q.types.end(), [&](const FixedType& e) { return e.overflow == q.types[0].overflow; }))
                t.overflow = q.types[0].overflow;
            g.tensor(n.outputs[0]).type = t;
            markModel(n, {"result"}, {});
        } else if (auto* d = n.as<DenseAttrs>()) {
            d->weightT = exactWeights(n, d->kernel, "kernel");
            if (!d->bias.empty()) d->biasT = exactWeights(n, d->bias, "bias");
            markModel(n, {"weight", "bias"}, {"accum", "result"});
        } else if (auto* c = n.as<ConvAttrs>()) {
            c->weightT = exactWeights(n, c->kernel, "kernel");
            if (!c->bias.empty()) c->biasT = exactWeights(n, c->bias, "bias");
            markModel(n, {"weight", "bias"}, {"accum", "result"});
        } else if (auto* b = n.as<BatchNormAttrs>()) {
            b->scaleT = exactWeights(n, b->scale, "scale");
            b->biasT = exactWeights(n, b->bias, "bias");
            markModel(n, {"scale", "bias"}, {"result"});
        } else if (auto* a = n.as<ActivationAttrs>(); a && (a->kind == ActKind::Relu || a->kind == ActKind::Linear)) {
            markModel(n, {}, {"result"});
        } else if (auto* p = n.as<PoolAttrs>(); p && p->op == PoolOp::Max && !p->global) {
            markModel(n, {}, {"accum", "result"});
        } else if (auto* m = n.as<MergeAttrs>(); m && m->op != MergeOp::Average) {
            markModel(n, {}, {"result"});
        } else if (n.as<ConcatAttrs>() || n.as<TransposeAttrs>() || n.as<UpsampleAttrs>()) {
            markModel(n, {}, {"result"});
        } else {
            unsupported += std::string(nUnsupported++ ? ", " : "") + "'" + n.name + "' (" + n.kind + ")";
        }
    }
    if (nUnsupported)
        fail("HGQ proxy model: no bit-exact form yet for layer" + std::string(nUnsupported > 1 ? "s " : " ") +
             unsupported + "; supported are Dense, Conv, BatchNormalization, relu and linear activations, max "
             "pooling, merges other than Average, Concatenate, Reshape and Flatten");
}

void registerKerasHgqHandlers(KerasHandlerTable& t) {
    t["FixedPointQuantizer"] = fixedPointQuantizer;
    t["HGQ>FixedPointQuantizer"] = fixedPointQuantizer;
}

}  // namespace nnfpga

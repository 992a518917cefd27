// Keras handlers of HGQ models. HGQ1 proxy models: each FixedPointQuantizer (per-element keep_negative, bits and
// integers, one rounding and one overflow mode) becomes a Quantize node, a UnaryLUT a table activation. HGQ2
// (Keras 3) QDense, QConv1D/2D, QMaxPooling1D/2D, QUnaryFunctionLUT: their input and output quantizers become
// Quantize nodes, their kernel and bias quantizers are applied at import. Every other layer computes exactly, so
// that the quantizers alone decide the values, as in the Keras model (finishHgqProxyGraph). docs/semantics.md, "HGQ".
#include <algorithm>
#include <cmath>
#include <map>

#include "handler_util.h"
#include "nnfpga/fixed/quantize.h"
#include "nnfpga/frontends/keras/qkeras_quantizers.h"
#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

namespace {

using json = nlohmann::json;

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

// HGQ's element type of `width` bits (sign included), `integer` of them integer bits (sign included): width 0
// (always 0) when there are no bits, or when a signed 1-bit SAT_SYM quantizer leaves only 0 in its symmetric
// range [-(2^i - 2^-f), 2^i - 2^-f] (Vitis's 1-bit SAT_SYM keeps the negative code).
FixedType hgqElementType(int width, int integer, bool isSigned, Rounding r, Overflow o) {
    if (width <= 0 || (o == Overflow::SAT_SYM && isSigned && width == 1)) return FixedType{0, 0, false, r, o};
    return FixedType::fixed(width, integer, isSigned, r, o);
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
        a.types.push_back(hgqElementType(static_cast<int>(b[e]), static_cast<int>(i[e]), k[e] != 0, r, o));
    }
    if (std::all_of(a.types.begin(), a.types.end(), [&](const FixedType& t) { return t == a.types[0]; }))
        a.types.resize(1);
    const FixedType result = quantizeCoveringType(a);
    const int out = ctx.addUnary(ctx.layer.name, ctx.layer.className, std::move(a), in);
    ctx.graph.tensor(out).type = result;
    return {out};
}

// UnaryLUT: the activation as a table over the input's kif_in grid; its entries (already quantized to kif_out) are
// exact in fixed<k+i+f, k+i> of kif_out, the result type.
std::vector<int> unaryLut(KerasLayerContext& ctx) {
    const int in = kerasSingleInput(ctx);
    const json& c = ctx.layer.config;
    auto kif = [&](const char* key) {
        const std::vector<int> v = kerasInts(ctx, key, 3, 0);
        if (!c.contains(key) || v.size() != 3 || (v[0] != 0 && v[0] != 1))
            ctx.fail(std::string(key) + " must be [k, i, f] with k 0 or 1, got " + (c.contains(key) ? c[key].dump() : "nothing"));
        return v;
    };
    const std::vector<int> kin = kif("kif_in"), kout = kif("kif_out");
    ActivationAttrs a;
    a.kind = ActKind::Lut;
    a.lut = weightNamed(ctx, "table").data;
    a.lutFrac = kin[2];
    const size_t expect = size_t(1) << std::clamp(kin[0] + kin[1] + kin[2], 0, 30);
    if (a.lut.size() != expect)
        ctx.fail("the table has " + std::to_string(a.lut.size()) + " entries, kif_in " + c["kif_in"].dump() + " needs " +
                 std::to_string(expect));
    const int width = kout[0] + kout[1] + kout[2];
    if (width < 1 || width > kMaxWidth) ctx.fail("kif_out " + c["kif_out"].dump() + " gives no valid type");
    const FixedType t = FixedType::fixed(width, kout[0] + kout[1], kout[0] != 0);
    for (double v : a.lut)
        if (toDouble(fromDouble(v, t), t) != v)
            ctx.fail("table value " + std::to_string(v) + " is not exact in " + t.str() + " (kif_out " + c["kif_out"].dump() + ")");
    const int out = ctx.addUnary(ctx.layer.name, ctx.layer.className, std::move(a), in);
    ctx.graph.tensor(out).type = t;
    ctx.graph.nodes.at(ctx.graph.tensor(out).producer).modelTypes.push_back("result");
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
                std::string("in an HGQ model the ") + what +
                    " must hold quantized values, but they need more than 32 bits to be exact (a float layer?)");
}

// ---- HGQ2 -----------------------------------------------------------------------------------------------------

// Round half to even (HGQ2 rounds its stored bit widths with round_conv).
int roundConv(double v) { return static_cast<int>(std::nearbyint(v)); }

// The HGQ2 quantizer `key` ("iq", "kq", "bq", "oq") of the layer, configured by `conf` (a QuantizerConfig object),
// broadcast onto `shape`. Its variables are stored as key/quantizer/0, 1, …: the trainable ones first, then the
// others, each group in creation order (kbi: k, b, i; kif: k, i, f), then i_decay_speed for WRAP. b and f are
// trainable with the quantizer, i only when it does not wrap, k never.
QuantizeAttrs hgq2Quantizer(const KerasLayerContext& ctx, const json& conf, const std::string& key, const Shape& shape) {
    if (!conf.is_object() || !conf.contains("config") || !conf["config"].is_object())
        ctx.fail(key + "_conf: expected a QuantizerConfig object, got " + conf.dump());
    const json& c = conf["config"];
    const std::string qType = kerasCfgOr<std::string>(c, "q_type", "kbi");
    if (qType != "kbi" && qType != "kif")
        ctx.fail(key + "_conf: q_type '" + qType + "' is not supported (fixed-point 'kbi' and 'kif' only)");
    for (const char* extra : {"scaler", "affine", "bw_mapper"})
        if (c.contains(extra) && !c[extra].is_null())
            ctx.fail(key + "_conf: a quantizer with '" + extra + "' is not supported, got " + c[extra].dump());
    std::string rnd = kerasCfgOr<std::string>(c, "round_mode", "TRN");
    if (rnd.rfind("S_", 0) == 0) rnd = rnd.substr(2);  // stochastic in training only
    const std::string ovf = kerasCfgOr<std::string>(c, "overflow_mode", "WRAP");
    const Rounding r = roundingMode(ctx, rnd);
    const Overflow o = overflowMode(ctx, ovf);
    const bool trainable = kerasCfgOr<bool>(c, "trainable", true);
    const bool wrap = ovf == "WRAP";
    const std::vector<std::string> created = qType == "kbi" ? std::vector<std::string>{"k", "b", "i"}
                                                            : std::vector<std::string>{"k", "i", "f"};
    auto isTrainable = [&](const std::string& v) { return v != "k" && trainable && (v != "i" || !wrap); };
    std::vector<std::string> order;
    for (bool pass : {true, false})
        for (const auto& v : created)
            if (isTrainable(v) == pass) order.push_back(v);
    if (wrap) order.push_back("i_decay_speed");
    const std::string prefix = key + "/quantizer/";
    std::vector<const KerasWeight*> vars;
    for (const KerasWeight& w : ctx.layer.weights)
        if (w.name.rfind(prefix, 0) == 0) vars.push_back(&w);
    if (vars.size() != order.size())
        ctx.fail(key + ": the weights file has " + std::to_string(vars.size()) + " variables for this quantizer, " +
                 "expected " + std::to_string(order.size()));
    std::map<std::string, std::vector<double>> v;
    for (size_t j = 0; j < order.size(); ++j)
        if (order[j] != "i_decay_speed") v[order[j]] = broadcastTo(ctx, *vars[j], shape);
    QuantizeAttrs a;
    for (size_t e = 0; e < v["k"].size(); ++e) {
        const int k = roundConv(v["k"][e]);
        const int i = roundConv(v["i"][e]);
        const int f = qType == "kbi" ? roundConv(v["b"][e]) - i : roundConv(v["f"][e]);
        if (k != 0 && k != 1) ctx.fail(key + ": k must be 0 or 1, got " + std::to_string(k) + " at element " + std::to_string(e));
        const int width = k + i + f;
        if (width > kMaxWidth)
            ctx.fail(key + ": k + i + f must be at most " + std::to_string(kMaxWidth) + ", got " + std::to_string(width) +
                     " at element " + std::to_string(e));
        a.types.push_back(hgqElementType(width, k + i, k != 0, r, o));
    }
    if (std::all_of(a.types.begin(), a.types.end(), [&](const FixedType& t) { return t == a.types[0]; }))
        a.types.resize(1);
    return a;
}

// A Quantize node "<layer>_<key>" on `input`.
int addQuantize(const KerasLayerContext& ctx, const std::string& key, QuantizeAttrs a, int input) {
    const FixedType result = quantizeCoveringType(a);
    const int out = ctx.addUnary(ctx.layer.name + "_" + key, ctx.layer.className, std::move(a), input);
    ctx.graph.tensor(out).type = result;
    return out;
}

// Weight values through their quantizer, as HGQ2 applies it when the layer runs: exact, typed exactly.
std::vector<double> quantizedValues(const QuantizeAttrs& q, const std::vector<double>& v) {
    std::vector<double> out(v.size());
    for (size_t i = 0; i < v.size(); ++i) {
        const FixedType& t = q.typeAt(static_cast<int64_t>(i));
        out[i] = isZeroWidth(t) ? 0.0 : toDouble(fromDouble(v[i], t), t);
    }
    return out;
}

FixedType exactOrFail(const KerasLayerContext& ctx, const std::vector<double>& v, const char* what) {
    if (auto t = exactTypeFor(v, kMaxWidth)) return *t;
    ctx.fail(std::string("the quantized ") + what + " needs more than " + std::to_string(kMaxWidth) + " bits");
}

// QDense: y = oq(act(iq(x) . kq(kernel) + bq(bias))), each quantizer where enabled.
std::vector<int> hgq2Dense(KerasLayerContext& ctx) {
    int in = kerasSingleInput(ctx);
    const json& c = ctx.layer.config;
    const Shape inShape = ctx.graph.tensor(in).shape;
    DenseAttrs a = kerasDenseShape(ctx, inShape);
    if (kerasCfgOr<bool>(c, "enable_iq", true)) in = addQuantize(ctx, "iq", hgq2Quantizer(ctx, c.value("iq_conf", json()), "iq", inShape), in);
    const KerasWeight& k = ctx.weight(0, "kernel");
    a.kernel = quantizedValues(hgq2Quantizer(ctx, c.value("kq_conf", json()), "kq", {a.nIn, a.nOut}), k.data);
    a.weightT = exactOrFail(ctx, a.kernel, "kernel");
    if (kerasCfgOr<bool>(c, "use_bias", true)) {
        const KerasWeight& b = ctx.weight(1, "bias");
        if (static_cast<int>(b.data.size()) != a.nOut) ctx.fail("bias size does not match units");
        a.bias = quantizedValues(hgq2Quantizer(ctx, c.value("bq_conf", json()), "bq", {a.nOut}), b.data);
        a.biasT = exactOrFail(ctx, a.bias, "bias");
    }
    const int nOut = a.nOut;
    int out = kerasAddNode(ctx, ctx.layer.name, ctx.layer.className, std::move(a), {in}, {nOut});
    markModel(ctx.graph.nodes.at(ctx.graph.tensor(out).producer), {"weight", "bias"}, {"accum", "result"});
    if (auto act = c.find("activation"); act != c.end() && !act->is_null()) out = addKerasActivation(ctx, *act, out);
    if (kerasCfgOr<bool>(c, "enable_oq", false))
        out = addQuantize(ctx, "oq", hgq2Quantizer(ctx, c.value("oq_conf", json()), "oq", {nOut}), out);
    return {out};
}

// An HGQ2 layer around a Keras one (`plain`: its handler): QConv1D/2D, QMaxPooling1D/2D, QUnaryFunctionLUT. The
// Keras layer runs on iq(x) with its kernel and bias through kq and bq (where it has them), then oq, each quantizer
// where enabled.
KerasHandler hgq2Wrapped(KerasHandler plain) {
    return [plain](KerasLayerContext& ctx) -> std::vector<int> {
        int in = kerasSingleInput(ctx);
        const json& c = ctx.layer.config;
        if (kerasCfgOr<bool>(c, "enable_iq", true))
            in = addQuantize(ctx, "iq", hgq2Quantizer(ctx, c.value("iq_conf", json()), "iq", ctx.graph.tensor(in).shape), in);
        KerasLayer layer = ctx.layer;  // the same layer, its weights quantized
        auto quantizeWeight = [&](size_t index, const char* what, const char* key) {
            ctx.weight(index, what);
            KerasWeight& w = layer.weights[index];
            w.data = quantizedValues(hgq2Quantizer(ctx, c.value(std::string(key) + "_conf", json()), key,
                                                   Shape(w.shape.begin(), w.shape.end())), w.data);
        };
        if (c.contains("kq_conf")) quantizeWeight(0, "kernel", "kq");
        if (c.contains("bq_conf") && kerasCfgOr<bool>(c, "use_bias", true)) quantizeWeight(1, "bias", "bq");
        KerasLayerContext inner{ctx.model, layer, {in}, ctx.graph};
        int out = plain(inner).at(0);
        if (kerasCfgOr<bool>(c, "enable_oq", false))
            out = addQuantize(ctx, "oq", hgq2Quantizer(ctx, c.value("oq_conf", json()), "oq", ctx.graph.tensor(out).shape), out);
        return {out};
    };
}

}  // namespace

void finishHgqProxyGraph(Graph& g) {
    if (std::none_of(g.nodes.begin(), g.nodes.end(), [](const Node& n) { return n.as<QuantizeAttrs>() != nullptr; }))
        return;
    std::string unsupported;
    int nUnsupported = 0;
    for (Node& n : g.nodes) {
        if (n.as<QuantizeAttrs>() || n.as<ReshapeAttrs>() || !n.modelTypes.empty()) continue;  // typed by a handler
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
        fail("HGQ model: no bit-exact form yet for layer" + std::string(nUnsupported > 1 ? "s " : " ") +
             unsupported + "; supported are Dense, Conv, BatchNormalization, relu and linear activations, max "
             "pooling, merges other than Average, Concatenate, Reshape and Flatten");
}

void registerKerasHgqHandlers(KerasHandlerTable& t) {
    t["FixedPointQuantizer"] = fixedPointQuantizer;
    t["HGQ>FixedPointQuantizer"] = fixedPointQuantizer;
    t["UnaryLUT"] = unaryLut;
    t["HGQ>UnaryLUT"] = unaryLut;
    // HGQ2's QDense, QConv1D and QConv2D share their class names with QKeras's (registered before this): an
    // HGQ2 config has kq_conf. The HGQ2 layers other than QDense wrap Keras ones (registered before this too).
    auto either = [&t](const char* cls, KerasHandler hgq2) {
        KerasHandler qkeras = t.count(cls) ? t[cls] : KerasHandler();
        t[cls] = [qkeras, hgq2](KerasLayerContext& ctx) {
            if (ctx.layer.config.contains("kq_conf") || !qkeras) return hgq2(ctx);
            return qkeras(ctx);
        };
    };
    either("QDense", hgq2Dense);
    either("QConv1D", hgq2Wrapped(t.at("Conv1D")));
    either("QConv2D", hgq2Wrapped(t.at("Conv2D")));
    for (const char* k : {"MaxPooling1D", "MaxPooling2D"}) t[std::string("Q") + k] = hgq2Wrapped(t.at(k));
    t["QUnaryFunctionLUT"] = hgq2Wrapped(t.at("Activation"));
}

}  // namespace nnfpga

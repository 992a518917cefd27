// Text dump of a graph for `nnfpga info`: per layer its kind, shapes, types and counts, then totals.
#include <iomanip>
#include <set>
#include <sstream>

#include "nnfpga/ir/graph.h"

namespace nnfpga {

namespace {

struct TypeLister {
    std::vector<std::pair<std::string, std::string>>& out;
    void operator()(const InputAttrs&) const {}
    void operator()(const ReshapeAttrs&) const {}
    void operator()(const DenseAttrs& a) const {
        out.push_back({"weight", a.weightT.str()});
        if (!a.bias.empty()) out.push_back({"bias", a.biasT.str()});
        if (a.po2.type) out.push_back({"product", a.po2.type->str() + " (hls4ml power-of-two shift)"});
        out.push_back({"accum", a.accumT.str()});
    }
    void operator()(const BatchNormAttrs& a) const {
        out.push_back({"scale", a.scaleT.str()});
        out.push_back({"bias", a.biasT.str()});
    }
    void operator()(const ActivationAttrs& a) const {
        if (usesTable(a.kind)) out.push_back({"table", a.tableT.str() + " x" + std::to_string(a.tableSize)});
        if (a.kind == ActKind::LeakyRelu || a.kind == ActKind::Elu || a.kind == ActKind::PRelu ||
            a.kind == ActKind::ThresholdedRelu)
            out.push_back({"param", a.paramT.str()});
    }
    void operator()(const ConvAttrs& a) const {
        out.push_back({"weight", a.weightT.str()});
        if (!a.bias.empty()) out.push_back({"bias", a.biasT.str()});
        if (a.po2.type) out.push_back({"product", a.po2.type->str() + " (hls4ml power-of-two shift)"});
        out.push_back({"accum", a.accumT.str()});
    }
    void operator()(const PoolAttrs& a) const {
        if (a.op == PoolOp::Average) out.push_back({"accum", a.accumT.str()});
    }
    void operator()(const DotAttrs& a) const { out.push_back({"accum", a.accumT.str()}); }
    void operator()(const QuantizeAttrs& a) const {
        std::set<std::string> distinct;
        for (const FixedType& t : a.types) distinct.insert(isZeroWidth(t) ? "0" : t.str());
        std::string list;
        for (const auto& t : distinct) list += (list.empty() ? "" : " ") + t;
        out.push_back({"elements", std::to_string(distinct.size()) + (distinct.size() == 1 ? " type: " : " types: ") + list});
    }
    void operator()(const PadAttrs&) const {}
    void operator()(const UpsampleAttrs&) const {}
    void operator()(const TransposeAttrs&) const {}
    void operator()(const MergeAttrs&) const {}
    void operator()(const ConcatAttrs&) const {}
    void operator()(const SoftmaxAttrs& a) const {
        out.push_back({"impl", toString(a.impl)});
        out.push_back({"exp_table", a.expTableT.str() + " x" + std::to_string(a.tableSize)});
        out.push_back({"inv_table", a.invTableT.str()});
        out.push_back({"accum", a.accumT.str()});
    }
};

std::string detail(const Node& n) {
    if (auto* a = n.as<ActivationAttrs>()) return std::string(" ") + toString(a->kind);
    if (auto* m = n.as<MergeAttrs>()) return std::string(" ") + toString(m->op);
    if (auto* p = n.as<PoolAttrs>()) return p->op == PoolOp::Max ? " max" : " average";
    if (auto* c = n.as<ConvAttrs>()) {
        const Window& w = c->win;
        std::string d = " " + std::to_string(w.rank) + "D " +
                        (w.rank == 2 ? std::to_string(w.kh) + "x" : std::string()) + std::to_string(w.kw);
        if (c->depthwise()) d += " depthwise";
        if (w.inDilH > 1 || w.inDilW > 1) d += " transposed";
        return d;
    }
    return "";
}

}  // namespace

std::string printGraph(const Graph& g) {
    std::ostringstream o;
    NodeCounts total;
    for (const Node& n : g.nodes) {
        const TensorInfo& out = g.tensor(n.outputs.at(0));
        o << n.name << "  " << opName(n.attrs) << detail(n);
        if (n.kind != opName(n.attrs)) o << "  [" << n.kind << "]";
        o << "\n";
        if (!n.inputs.empty()) {
            o << "  in:     ";
            for (size_t i = 0; i < n.inputs.size(); ++i) {
                const TensorInfo& t = g.tensor(n.inputs[i]);
                o << (i ? ", " : "") << t.name << " " << shapeStr(t.shape);
            }
            o << "\n";
        }
        o << "  out:    " << shapeStr(out.shape) << " " << out.type.str() << "\n";
        std::vector<std::pair<std::string, std::string>> types;
        std::visit(TypeLister{types}, n.attrs);
        for (auto& [k, v] : types) o << "  " << std::left << std::setw(8) << (k + ":") << (k.size() >= 7 ? " " : "") << v << "\n";
        NodeCounts c = countNode(g, n);
        if (c.params || c.mults) {
            o << "  params: " << c.params << " (" << c.nonzeroWeights << " nonzero)";
            o << "  mults: " << c.mults << " (" << c.nonzeroMults << " nonzero)\n";
        }
        if (n.settings.reuseFactor != 1 || n.settings.strategy != Strategy::Latency)
            o << "  reuse:  " << n.settings.reuseFactor << " ("
              << (n.settings.strategy == Strategy::Latency ? "latency" : "resource") << ")\n";
        total.params += c.params;
        total.nonzeroWeights += c.nonzeroWeights;
        total.mults += c.mults;
        total.nonzeroMults += c.nonzeroMults;
    }
    o << "total: " << g.nodes.size() << " layers, " << total.params << " params (" << total.nonzeroWeights
      << " nonzero), " << total.mults << " mults (" << total.nonzeroMults << " nonzero)\n";
    return o.str();
}

}  // namespace nnfpga

// Graph construction and editing: tensors, nodes, consumers, bypassing a node, re-sorting topologically.
#include "nnfpga/ir/graph.h"

#include <algorithm>
#include <sstream>

#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

const char* opName(const OpAttrs& a) {
    struct V {
        const char* operator()(const InputAttrs&) const { return "Input"; }
        const char* operator()(const DenseAttrs&) const { return "Dense"; }
        const char* operator()(const BatchNormAttrs&) const { return "BatchNorm"; }
        const char* operator()(const ReshapeAttrs&) const { return "Reshape"; }
        const char* operator()(const ActivationAttrs&) const { return "Activation"; }
        const char* operator()(const SoftmaxAttrs&) const { return "Softmax"; }
        const char* operator()(const ConvAttrs&) const { return "Conv"; }
        const char* operator()(const PoolAttrs&) const { return "Pool"; }
        const char* operator()(const PadAttrs&) const { return "Pad"; }
        const char* operator()(const UpsampleAttrs&) const { return "Upsample"; }
        const char* operator()(const TransposeAttrs&) const { return "Transpose"; }
        const char* operator()(const MergeAttrs&) const { return "Merge"; }
        const char* operator()(const ConcatAttrs&) const { return "Concat"; }
        const char* operator()(const DotAttrs&) const { return "Dot"; }
        const char* operator()(const QuantizeAttrs&) const { return "Quantize"; }
    };
    return std::visit(V{}, a);
}

const char* toString(ActKind k) {
    switch (k) {
        case ActKind::Linear: return "linear";
        case ActKind::Relu: return "relu";
        case ActKind::Sigmoid: return "sigmoid";
        case ActKind::Tanh: return "tanh";
        case ActKind::Elu: return "elu";
        case ActKind::Selu: return "selu";
        case ActKind::Softplus: return "softplus";
        case ActKind::Softsign: return "softsign";
        case ActKind::HardSigmoid: return "hard_sigmoid";
        case ActKind::LeakyRelu: return "leaky_relu";
        case ActKind::ThresholdedRelu: return "thresholded_relu";
        case ActKind::PRelu: return "prelu";
        case ActKind::Binary: return "binary";
        case ActKind::Ternary: return "ternary";
        case ActKind::Po2: return "po2";
        case ActKind::Lut: return "unary_lut";
    }
    return "?";
}

const char* toString(SoftmaxImpl s) {
    switch (s) {
        case SoftmaxImpl::Stable: return "stable";
        case SoftmaxImpl::Latency: return "latency";
        case SoftmaxImpl::Legacy: return "legacy";
        case SoftmaxImpl::Argmax: return "argmax";
    }
    return "?";
}

int64_t numElements(const Shape& s) {
    int64_t n = 1;
    for (int d : s) n *= d;
    return n;
}

std::string shapeStr(const Shape& s) {
    std::ostringstream o;
    o << "(";
    for (size_t i = 0; i < s.size(); ++i) o << (i ? ", " : "") << s[i];
    o << (s.size() == 1 ? ",)" : ")");
    return o.str();
}

int Graph::addTensor(const std::string& name, Shape shape, FixedType type) {
    tensors.push_back(TensorInfo{name, std::move(shape), type, -1});
    return static_cast<int>(tensors.size()) - 1;
}

int Graph::addNode(Node n) {
    const int idx = static_cast<int>(nodes.size());
    for (int t : n.outputs) tensor(t).producer = idx;
    nodes.push_back(std::move(n));
    return idx;
}

std::vector<int> Graph::consumers(int id) const {
    std::vector<int> out;
    for (size_t i = 0; i < nodes.size(); ++i) {
        const auto& ins = nodes[i].inputs;
        if (std::find(ins.begin(), ins.end(), id) != ins.end()) out.push_back(static_cast<int>(i));
    }
    return out;
}

std::optional<int> Graph::findNode(const std::string& name) const {
    for (size_t i = 0; i < nodes.size(); ++i)
        if (nodes[i].name == name) return static_cast<int>(i);
    return std::nullopt;
}

void Graph::bypassNode(int nodeIndex) {
    Node& n = nodes.at(nodeIndex);
    NNFPGA_ASSERT(n.inputs.size() == 1 && n.outputs.size() == 1, "bypassNode needs one input and one output");
    const int from = n.outputs[0], to = n.inputs[0];
    for (auto& m : nodes)
        for (int& t : m.inputs)
            if (t == from) t = to;
    for (int& t : outputs)
        if (t == from) t = to;
    nodes.erase(nodes.begin() + nodeIndex);
    finalize();
}

void Graph::finalize() {
    // Kahn's algorithm over tensor dependencies, keeping the current order among ready nodes.
    std::vector<int> produced(tensors.size(), 0);
    for (int t : inputs) produced[t] = 1;
    std::vector<Node> sorted;
    std::vector<bool> done(nodes.size(), false);
    for (size_t pass = 0; sorted.size() < nodes.size(); ++pass) {
        bool progress = false;
        for (size_t i = 0; i < nodes.size(); ++i) {
            if (done[i]) continue;
            bool ready = std::all_of(nodes[i].inputs.begin(), nodes[i].inputs.end(),
                                     [&](int t) { return produced[t] != 0; });
            if (!ready) continue;
            for (int t : nodes[i].outputs) produced[t] = 1;
            sorted.push_back(nodes[i]);
            done[i] = true;
            progress = true;
        }
        if (!progress) {
            for (size_t i = 0; i < nodes.size(); ++i)
                if (!done[i]) failAtLayer(nodes[i].name, nodes[i].kind, "input is never produced (cycle or dangling input)");
        }
    }
    nodes = std::move(sorted);
    for (auto& t : tensors) t.producer = -1;
    for (size_t i = 0; i < nodes.size(); ++i)
        for (int t : nodes[i].outputs) tensors[t].producer = static_cast<int>(i);
}

}  // namespace nnfpga

// The IR: a DAG of named layers (Node) connected by typed tensors (TensorInfo). Nodes are kept in
// topological order; family-specific attributes live in the OpAttrs variant so that every kernel and
// emitter is a std::visit that fails to compile when it forgets an op.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "nnfpga/fixed/fixed_type.h"
#include "nnfpga/ir/ops/activation_ops.h"
#include "nnfpga/ir/ops/core_ops.h"
#include "nnfpga/ir/ops/merge_ops.h"
#include "nnfpga/ir/ops/quantize_ops.h"
#include "nnfpga/ir/ops/spatial_ops.h"

namespace nnfpga {

using OpAttrs = std::variant<InputAttrs, DenseAttrs, BatchNormAttrs, ReshapeAttrs, ActivationAttrs, SoftmaxAttrs,
                             ConvAttrs, PoolAttrs, PadAttrs, UpsampleAttrs, TransposeAttrs, MergeAttrs, ConcatAttrs,
                             DotAttrs, QuantizeAttrs>;

// The IR kind of an op (named for the maths): "Input", "Dense", "BatchNorm", "Reshape", "Activation", "Softmax",
// "Conv", "Pool", "Pad", "Upsample", "Transpose", "Merge", "Concat", "Dot", "Quantize".
const char* opName(const OpAttrs& a);

int64_t numElements(const Shape& s);
std::string shapeStr(const Shape& s);

enum class Strategy { Latency, Resource };

// Hardware settings of one node (from the configuration).
struct NodeSettings {
    int reuseFactor = 1;
    Strategy strategy = Strategy::Latency;
    bool trace = false;
};

struct TensorInfo {
    std::string name;
    Shape shape;
    FixedType type;
    int producer = -1;  // node index
};

struct Node {
    std::string name;
    std::string kind;  // the layer's class in the source framework, for messages ("Dense", "QDense", "Gemm")
    OpAttrs attrs;
    std::vector<int> inputs;   // tensor ids
    std::vector<int> outputs;  // tensor ids
    NodeSettings settings;
    // Type variables configured as 'auto' ("result", "accum", …), resolved by the infer_precision pass.
    std::vector<std::string> autoTypes;
    // Type variables that the model itself fixes (a QKeras quantizer's type), set by the front end:
    // apply_config keeps them unless the configuration names this layer's variable (LayerName scope).
    // Those in modelAutoTypes are exact types left to infer_precision, as if configured 'auto'.
    std::vector<std::string> modelTypes;
    std::vector<std::string> modelAutoTypes;

    template <class T>
    T* as() { return std::get_if<T>(&attrs); }
    template <class T>
    const T* as() const { return std::get_if<T>(&attrs); }
};

class Graph {
public:
    std::vector<Node> nodes;  // topological order
    std::vector<TensorInfo> tensors;
    std::vector<int> inputs;   // tensor ids of the model inputs, in order
    std::vector<int> outputs;  // tensor ids of the model outputs, in order

    int addTensor(const std::string& name, Shape shape, FixedType type = {});
    // Appends a node; its output tensors must already exist and get this node as producer.
    int addNode(Node n);
    const TensorInfo& tensor(int id) const { return tensors.at(id); }
    TensorInfo& tensor(int id) { return tensors.at(id); }
    // Nodes that read tensor `id`.
    std::vector<int> consumers(int id) const;
    std::optional<int> findNode(const std::string& name) const;

    // Removes a single-input single-output node, rewiring its consumers (and the graph outputs) to its input.
    void bypassNode(int nodeIndex);
    // Re-establishes topological order and producer links after edits; checks for cycles.
    void finalize();

    int64_t inputSize(size_t i) const { return numElements(tensor(inputs.at(i)).shape); }
    int64_t outputSize(size_t i) const { return numElements(tensor(outputs.at(i)).shape); }
};

// Structural checks (ids, shapes, producers, per-op invariants). Raises UserError naming the layer.
void verifyGraph(const Graph& g);

// Counts for `nnfpga info`.
struct NodeCounts {
    int64_t params = 0;
    int64_t nonzeroWeights = 0;
    int64_t mults = 0;         // multiplications of a fully parallel implementation
    int64_t nonzeroMults = 0;  // the same, skipping zero weights
};
NodeCounts countNode(const Graph& g, const Node& n);

// Text dump: one block per layer with its kind, shapes, types and counts.
std::string printGraph(const Graph& g);

}  // namespace nnfpga

// HLS emitters of the activation family (element-wise activations, softmax).
#include "emit_context.h"
#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

NodeCall emitHlsNode(HlsEmitContext&, const Node& n, const ActivationAttrs&, const std::vector<std::string>&,
                     const std::string&) {
    failAtLayer(n.name, n.kind, "not supported by the HLS backend yet");
}

NodeCall emitHlsNode(HlsEmitContext&, const Node& n, const SoftmaxAttrs&, const std::vector<std::string>&,
                     const std::string&) {
    failAtLayer(n.name, n.kind, "not supported by the HLS backend yet");
}

}  // namespace nnfpga

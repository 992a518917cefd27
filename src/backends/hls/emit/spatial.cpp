// HLS emitters of the spatial family.
#include "emit_context.h"
#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

NodeCall emitHlsNode(HlsEmitContext&, const Node& n, const ConvAttrs&, const std::vector<std::string>&,
                     const std::string&) {
    failAtLayer(n.name, n.kind, "not supported by the HLS backend yet");
}

NodeCall emitHlsNode(HlsEmitContext&, const Node& n, const PoolAttrs&, const std::vector<std::string>&,
                     const std::string&) {
    failAtLayer(n.name, n.kind, "not supported by the HLS backend yet");
}

NodeCall emitHlsNode(HlsEmitContext&, const Node& n, const PadAttrs&, const std::vector<std::string>&,
                     const std::string&) {
    failAtLayer(n.name, n.kind, "not supported by the HLS backend yet");
}

NodeCall emitHlsNode(HlsEmitContext&, const Node& n, const UpsampleAttrs&, const std::vector<std::string>&,
                     const std::string&) {
    failAtLayer(n.name, n.kind, "not supported by the HLS backend yet");
}

NodeCall emitHlsNode(HlsEmitContext&, const Node& n, const TransposeAttrs&, const std::vector<std::string>&,
                     const std::string&) {
    failAtLayer(n.name, n.kind, "not supported by the HLS backend yet");
}

}  // namespace nnfpga

// HLS emitters of the merge family.
#include "emit_context.h"
#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

NodeCall emitHlsNode(HlsEmitContext&, const Node& n, const MergeAttrs&, const std::vector<std::string>&,
                     const std::string&) {
    failAtLayer(n.name, n.kind, "not supported by the HLS backend yet");
}

NodeCall emitHlsNode(HlsEmitContext&, const Node& n, const ConcatAttrs&, const std::vector<std::string>&,
                     const std::string&) {
    failAtLayer(n.name, n.kind, "not supported by the HLS backend yet");
}

NodeCall emitHlsNode(HlsEmitContext&, const Node& n, const DotAttrs&, const std::vector<std::string>&,
                     const std::string&) {
    failAtLayer(n.name, n.kind, "not supported by the HLS backend yet");
}

}  // namespace nnfpga

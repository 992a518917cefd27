// The io_stream top function of the HLS backend: one DATAFLOW process per node, one FIFO per reader, pixel
// streams for tensors of rank >= 2 (stream_depths.h), clone processes where a line-buffer process or a model
// input feeds several readers.
#pragma once

#include <string>
#include <vector>

#include "emit/emit_context.h"

namespace nnfpga {

std::string streamArrayType(const HlsEmitContext& ctx, int tensor);

// Writes the processes (inside the project namespace) and the top function into `top`. `var` is every tensor's
// variable name, `outPort` every model output's port name, `calls` every node's NodeCall.
void writeStreamTop(HlsEmitContext& ctx, CodeWriter& top, const std::vector<NodeCall>& calls,
                    const std::vector<std::string>& var, const std::vector<std::string>& outPort,
                    const std::string& signature, const std::string& ns);

}  // namespace nnfpga

// Kernels of the spatial family: Conv (plain, depthwise, transposed), Pool, Pad, Upsample, Transpose.
#include "kernels_internal.h"
#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

std::unique_ptr<Kernel> makeSpatialKernel(const Graph&, const Node& n) {
    internalError(__FILE__, __LINE__, std::string("no emulator kernel for op ") + opName(n.attrs));
}

}  // namespace nnfpga

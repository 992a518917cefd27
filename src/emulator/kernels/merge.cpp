// Kernels of the merge family: Merge (element-wise), Concat, Dot.
#include "kernels_internal.h"
#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

std::unique_ptr<Kernel> makeMergeKernel(const Graph&, const Node& n) {
    internalError(__FILE__, __LINE__, std::string("no emulator kernel for op ") + opName(n.attrs));
}

}  // namespace nnfpga

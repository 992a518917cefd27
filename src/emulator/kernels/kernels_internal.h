// Factories of the individual kernels, shared between the family files of src/emulator/kernels/.
#pragma once

#include <memory>

#include "nnfpga/emulator/kernel.h"

namespace nnfpga {

std::unique_ptr<Kernel> makeDenseKernel(const Graph& g, const Node& n);
std::unique_ptr<Kernel> makeSoftmaxKernel(const Graph& g, const Node& n);

}  // namespace nnfpga

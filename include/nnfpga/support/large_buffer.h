// Large value buffers (sample matrices, emulator outputs) that ask the system for transparent huge pages before
// they are first touched, so that filling them takes one page fault per 2 MiB instead of per 4 KiB.
#pragma once

#include <cstddef>
#include <vector>

namespace nnfpga {

// v.assign(n, 0.0), with the fresh memory of a large buffer advised for huge pages where the system supports it
// (Linux madvise; elsewhere, or for small sizes, a plain assign).
void assignLarge(std::vector<double>& v, size_t n);

}  // namespace nnfpga

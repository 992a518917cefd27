// assignLarge(): reserve, advise the reserved pages for huge pages, then fill.
#include "nnfpga/support/large_buffer.h"

#include <cstdint>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace nnfpga {

void assignLarge(std::vector<double>& v, size_t n) {
    v.clear();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    constexpr size_t kHuge = size_t(2) << 20;
    if (n * sizeof(double) >= 2 * kHuge && v.capacity() < n) {
        std::vector<double>().swap(v);
        v.reserve(n);
        // The whole huge pages inside the (still untouched) allocation; a failure only costs the advice.
        const auto begin = reinterpret_cast<uintptr_t>(v.data());
        const uintptr_t first = (begin + kHuge - 1) & ~(kHuge - 1);
        const uintptr_t last = (begin + n * sizeof(double)) & ~(kHuge - 1);
        if (last > first) madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
    }
#endif
    v.assign(n, 0.0);
}

}  // namespace nnfpga

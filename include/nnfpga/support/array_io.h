// Reading and writing 2-D sample matrices (one sample per row): CSV and NumPy .npy (float32/float64/int, C order).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nnfpga {

struct Matrix {
    int64_t rows = 0;
    int64_t cols = 0;
    std::vector<double> data;  // row-major
};

// By extension: .npy, else CSV (commas or whitespace; '#' comment lines and blank lines skipped).
// Bad content raises UserError "<path>: line N: …" / "<path>: not a .npy file".
Matrix readMatrix(const std::string& path);
// .npy (float64) or CSV (shortest round-trip decimal per value). Written to a temp file, then renamed.
void writeMatrix(const std::string& path, const Matrix& m);

// Shortest decimal that reads back as the same double.
std::string formatDouble(double v);

}  // namespace nnfpga

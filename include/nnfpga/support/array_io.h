// Reading and writing 2-D sample matrices (one sample per row): CSV and NumPy .npy (float32/float64/int, C order).
#pragma once

#include <cstdint>
#include <fstream>
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

// A .npy sample matrix read a block of rows at a time (readMatrix's rules and errors, the header checked when
// opened), so that a large file never needs all its values in memory at once.
class NpyRowReader {
public:
    explicit NpyRowReader(const std::string& path);
    int64_t rows() const { return rows_; }
    int64_t cols() const { return cols_; }
    // The next min(n, rows left) rows as doubles into out (room for n rows); returns how many were read.
    int64_t read(int64_t n, double* out);

private:
    std::string path_;
    std::ifstream f_;
    int64_t rows_ = 0, cols_ = 0, done_ = 0;
    char kind_ = 'f';
    int size_ = 8;
};

// A float64 .npy matrix of a known shape written a block of rows at a time, to a temp file that finish() renames
// into place (writeMatrix's format); destroyed unfinished, it leaves nothing behind.
class NpyRowWriter {
public:
    NpyRowWriter(const std::string& path, int64_t rows, int64_t cols);
    ~NpyRowWriter();
    void write(const double* data, int64_t rows);
    void finish();

private:
    std::string path_, tmp_;
    int64_t rows_ = 0, cols_ = 0, done_ = 0;
    std::ofstream f_;
    bool finished_ = false;
};

// Shortest decimal that reads back as the same double.
std::string formatDouble(double v);

}  // namespace nnfpga

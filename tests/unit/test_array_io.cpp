// Unit tests of the sample-matrix reader and writer: .npy files of every supported dtype written byte by byte here
// (versions 1 and 2 of the format, 1-D and n-D shapes, more values than one read chunk), the float64 round trip
// through writeMatrix, and the errors for a file that is not .npy, a truncated one and an unsupported dtype; plus
// the block-wise reader and writer, and assignLarge(), which the buffers use.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "nnfpga/support/array_io.h"
#include "nnfpga/support/diagnostics.h"
#include "nnfpga/support/large_buffer.h"

namespace nnfpga {
namespace {

std::string tempPath(const std::string& name) {
    return (std::filesystem::path(::testing::TempDir()) / ("nnfpga_array_io_" + name)).string();
}

// A .npy file: magic, version, header length (2 bytes for version 1, 4 for version 2), header, values.
template <class T>
std::string writeNpy(const std::string& name, const std::string& descr, const std::string& shape,
                     const std::vector<T>& values, int version = 1, size_t dropBytes = 0) {
    std::string header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    const size_t pre = version == 1 ? 10 : 12;
    while ((pre + header.size() + 1) % 64) header += ' ';
    header += '\n';
    std::string bytes = "\x93NUMPY";
    bytes += static_cast<char>(version);
    bytes += '\0';
    for (size_t i = 0; i < pre - 8; ++i) bytes += static_cast<char>((header.size() >> (8 * i)) & 0xff);
    bytes += header;
    std::string data(values.size() * sizeof(T), '\0');
    if (!values.empty()) std::memcpy(data.data(), values.data(), data.size());
    bytes += data.substr(0, data.size() - dropBytes);
    const std::string path = tempPath(name);
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
}

std::string errorOf(const std::string& path) {
    try {
        readMatrix(path);
    } catch (const UserError& e) {
        return e.what();
    }
    return "";
}

TEST(ArrayIo, NpyDtypes) {
    const std::vector<double> want = {-3, 0, 1, 2, 7, 100};
    auto check = [&](const std::string& path) {
        const Matrix m = readMatrix(path);
        EXPECT_EQ(m.rows, 2) << path;
        EXPECT_EQ(m.cols, 3) << path;
        EXPECT_EQ(m.data, want) << path;
    };
    check(writeNpy("f4.npy", "<f4", "(2, 3)", std::vector<float>(want.begin(), want.end())));
    check(writeNpy("f8.npy", "<f8", "(2, 3)", want));
    check(writeNpy("i4.npy", "<i4", "(2, 3)", std::vector<int32_t>(want.begin(), want.end())));
    check(writeNpy("i8.npy", "<i8", "(2, 3)", std::vector<int64_t>(want.begin(), want.end())));
    check(writeNpy("i1.npy", "|i1", "(2, 3)", std::vector<int8_t>(want.begin(), want.end())));
    check(writeNpy("v2.npy", "<f8", "(2, 3)", want, 2));
    const Matrix u = readMatrix(writeNpy("u1.npy", "|u1", "(2, 1, 3)", std::vector<uint8_t>{0, 1, 2, 200, 254, 255}));
    EXPECT_EQ(u.rows, 2);
    EXPECT_EQ(u.cols, 3);
    EXPECT_EQ(u.data, (std::vector<double>{0, 1, 2, 200, 254, 255}));
    const Matrix one = readMatrix(writeNpy("1d.npy", "<f8", "(6,)", want));  // a single sample
    EXPECT_EQ(one.rows, 1);
    EXPECT_EQ(one.cols, 6);
    EXPECT_EQ(one.data, want);
}

TEST(ArrayIo, NpyLargerThanOneChunk) {
    // float32 values in several 1 MiB chunks and a partial last one; float64 through writeMatrix and back.
    std::vector<float> f(700001);
    for (size_t i = 0; i < f.size(); ++i) f[i] = static_cast<float>(i) * 0.5f - 1000.25f;
    const Matrix m = readMatrix(writeNpy("big_f4.npy", "<f4", "(700001, 1)", f));
    ASSERT_EQ(m.rows, 700001);
    ASSERT_EQ(m.data.size(), f.size());
    for (size_t i = 0; i < f.size(); ++i) ASSERT_EQ(m.data[i], static_cast<double>(f[i])) << i;
    Matrix w;
    w.rows = 3001, w.cols = 100;
    for (int64_t i = 0; i < w.rows * w.cols; ++i) w.data.push_back(static_cast<double>(i) / 3.0);
    writeMatrix(tempPath("big_f8.npy"), w);
    const Matrix r = readMatrix(tempPath("big_f8.npy"));
    EXPECT_EQ(r.rows, w.rows);
    EXPECT_EQ(r.cols, w.cols);
    EXPECT_EQ(r.data, w.data);
}

TEST(ArrayIo, NpyErrors) {
    const std::string notNpy = tempPath("not.npy");
    std::ofstream(notNpy) << "1,2,3\n";
    EXPECT_EQ(errorOf(notNpy), notNpy + ": not a .npy file");
    const std::string tiny = tempPath("tiny.npy");
    std::ofstream(tiny) << "\x93NUM";
    EXPECT_EQ(errorOf(tiny), tiny + ": not a .npy file");
    const std::string cut = writeNpy("cut.npy", "<f8", "(2, 3)", std::vector<double>(6, 1.0), 1, 3);
    EXPECT_EQ(errorOf(cut), cut + ": truncated .npy file");
    const std::string cutV2 = writeNpy("cut2.npy", "<f4", "(2, 3)", std::vector<float>(6, 1.0f), 2, 1);
    EXPECT_EQ(errorOf(cutV2), cutV2 + ": truncated .npy file");
    const std::string u2 = writeNpy("u2.npy", "<u2", "(1, 2)", std::vector<uint16_t>{1, 2});
    EXPECT_EQ(errorOf(u2), u2 + ": unsupported dtype <u2");
    const std::string big = writeNpy("be.npy", ">f8", "(1, 2)", std::vector<double>{1, 2});
    EXPECT_EQ(errorOf(big), big + ": big-endian arrays are not supported (dtype >f8)");
}

TEST(ArrayIo, NpyRowsInBlocks) {
    // Blocks of uneven sizes read the same values as readMatrix; the writer's file equals writeMatrix's, and it
    // appears only when finished.
    std::vector<int32_t> v(5 * 7);
    for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<int32_t>(i * 3) - 50;
    const std::string path = writeNpy("rows_i4.npy", "<i4", "(5, 7)", v);
    const Matrix all = readMatrix(path);
    NpyRowReader r(path);
    EXPECT_EQ(r.rows(), 5);
    EXPECT_EQ(r.cols(), 7);
    std::vector<double> got, buf(3 * 7);
    for (int64_t n : {2, 0, 3, 4}) {
        const int64_t k = r.read(n, buf.data());
        EXPECT_LE(k, n);
        got.insert(got.end(), buf.begin(), buf.begin() + k * 7);
        if (n == 4) {
            EXPECT_EQ(k, 0);  // nothing left
        }
    }
    EXPECT_EQ(got, all.data);

    writeMatrix(tempPath("whole.npy"), all);
    const std::string blocks = tempPath("blocks.npy"), dropped = tempPath("dropped.npy");
    std::filesystem::remove(blocks);  // from an earlier run
    std::filesystem::remove(dropped);
    {
        NpyRowWriter w(blocks, 5, 7);
        w.write(all.data.data(), 3);
        w.write(all.data.data() + 3 * 7, 2);
        EXPECT_FALSE(std::filesystem::exists(blocks));
        w.finish();
    }
    auto bytes = [](const std::string& p) {
        std::ifstream f(p, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
    };
    EXPECT_EQ(bytes(blocks), bytes(tempPath("whole.npy")));
    {
        NpyRowWriter w(dropped, 5, 7);
        w.write(all.data.data(), 1);
    }
    EXPECT_FALSE(std::filesystem::exists(dropped));
    EXPECT_FALSE(std::filesystem::exists(dropped + ".tmp"));
}

TEST(ArrayIo, AssignLargeIsAssign) {
    // Small and huge-page-sized buffers, fresh and reused, always n zeros.
    std::vector<double> v = {1, 2, 3};
    for (size_t n : {size_t(0), size_t(5), size_t(3) << 20, size_t(1) << 19, size_t(5) << 20, size_t(7)}) {
        assignLarge(v, n);
        ASSERT_EQ(v.size(), n);
        EXPECT_TRUE(std::all_of(v.begin(), v.end(), [](double x) { return x == 0.0; })) << n;
        if (n) v[n - 1] = 1.0;
    }
}

}  // namespace
}  // namespace nnfpga

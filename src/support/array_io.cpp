// CSV and .npy sample matrices.
#include "nnfpga/support/array_io.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "nnfpga/support/diagnostics.h"
#include "nnfpga/support/large_buffer.h"

namespace nnfpga {

namespace {

bool endsWith(const std::string& s, const std::string& suf) {
    return s.size() >= suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0;
}

Matrix readCsv(const std::string& path) {
    std::ifstream f(path);
    if (!f) fail(path + ": no such file");
    Matrix m;
    std::string line;
    int64_t lineNo = 0;
    while (std::getline(f, line)) {
        ++lineNo;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        size_t first = line.find_first_not_of(" \t");
        if (first == std::string::npos || line[first] == '#') continue;
        int64_t cols = 0;
        const char* p = line.c_str();
        const char* end = p + line.size();
        while (p < end) {
            while (p < end && (*p == ' ' || *p == '\t')) ++p;
            if (p >= end) break;
            char* next = nullptr;
            double v = std::strtod(p, &next);
            if (next == p) {
                std::string tok(p, std::min<size_t>(20, end - p));
                fail(path + ": line " + std::to_string(lineNo) + ": not a number: '" + tok.substr(0, tok.find(',')) + "'");
            }
            m.data.push_back(v);
            ++cols;
            p = next;
            while (p < end && (*p == ' ' || *p == '\t')) ++p;
            if (p < end && *p == ',') ++p;
        }
        if (m.rows == 0) m.cols = cols;
        else if (cols != m.cols)
            fail(path + ": line " + std::to_string(lineNo) + ": " + std::to_string(cols) + " values, the first row has " +
                 std::to_string(m.cols));
        ++m.rows;
    }
    if (m.rows == 0) fail(path + ": no samples");
    return m;
}

Matrix readNpy(const std::string& path) {
    NpyRowReader r(path);
    Matrix m;
    m.rows = r.rows();
    m.cols = r.cols();
    assignLarge(m.data, static_cast<size_t>(m.rows * m.cols));
    r.read(m.rows, m.data.data());
    return m;
}

std::string npyHeader(int64_t rows, int64_t cols) {
    std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + std::to_string(rows) + ", " +
                         std::to_string(cols) + "), }";
    while ((10 + header.size() + 1) % 64) header += ' ';
    header += '\n';
    const auto len = static_cast<uint16_t>(header.size());
    return std::string("\x93NUMPY\x01\x00", 8) + static_cast<char>(len & 0xff) + static_cast<char>(len >> 8) + header;
}

}  // namespace

NpyRowReader::NpyRowReader(const std::string& path) : path_(path), f_(path, std::ios::binary | std::ios::ate) {
    if (!std::filesystem::exists(path) || !f_) fail(path + ": no such file");
    const auto fileSize = static_cast<size_t>(std::max<std::streamoff>(f_.tellg(), 0));
    auto readAt = [&](size_t offset, char* dst, size_t n) {
        f_.seekg(static_cast<std::streamoff>(offset));
        if (!f_.read(dst, static_cast<std::streamsize>(n))) fail(path + ": cannot read");
    };
    std::string bytes(std::min<size_t>(fileSize, 12), '\0');
    readAt(0, bytes.data(), bytes.size());
    if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0) fail(path + ": not a .npy file");
    const int major = static_cast<unsigned char>(bytes[6]);
    size_t hlen, hstart;
    if (major == 1) {
        hlen = static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
        hstart = 10;
    } else {
        if (bytes.size() < 12) fail(path + ": truncated .npy file");
        hlen = 0;
        for (int i = 0; i < 4; ++i) hlen |= size_t(static_cast<unsigned char>(bytes[8 + i])) << (8 * i);
        hstart = 12;
    }
    if (hstart + hlen > fileSize) fail(path + ": truncated .npy file");
    std::string header(hlen, '\0');
    readAt(hstart, header.data(), hlen);
    auto field = [&](const std::string& key) {
        size_t k = header.find("'" + key + "'");
        if (k == std::string::npos) fail(path + ": .npy header lacks '" + key + "'");
        return header.substr(header.find(':', k) + 1);
    };
    std::string descr = field("descr");
    descr = descr.substr(descr.find('\'') + 1);
    descr = descr.substr(0, descr.find('\''));
    if (field("fortran_order").find("True") < field("fortran_order").find(','))
        fail(path + ": Fortran-ordered arrays are not supported");
    std::string shapeText = field("shape");
    shapeText = shapeText.substr(shapeText.find('(') + 1, shapeText.find(')') - shapeText.find('(') - 1);
    std::vector<int64_t> shape;
    std::stringstream ss(shapeText);
    std::string tok;
    while (std::getline(ss, tok, ','))
        if (tok.find_first_not_of(" ") != std::string::npos) shape.push_back(std::stoll(tok));
    if (shape.empty()) fail(path + ": a scalar is not a sample matrix");
    rows_ = shape[0];
    cols_ = 1;
    for (size_t i = 1; i < shape.size(); ++i) cols_ *= shape[i];
    if (shape.size() == 1) {  // a single sample
        cols_ = rows_;
        rows_ = 1;
    }
    const int64_t n = rows_ * cols_;
    const size_t avail = fileSize - hstart - hlen;
    if (descr.size() < 3 || descr[0] == '>') fail(path + ": big-endian arrays are not supported (dtype " + descr + ")");
    kind_ = descr[1];
    size_ = std::stoi(descr.substr(2));
    if (avail < size_t(n) * size_) fail(path + ": truncated .npy file");
    const bool known = (kind_ == 'f' && (size_ == 4 || size_ == 8)) || (kind_ == 'i' && (size_ == 4 || size_ == 8)) ||
                       ((kind_ == 'u' || kind_ == 'i') && size_ == 1);
    if (!known && n > 0) fail(path + ": unsupported dtype " + descr);
    f_.seekg(static_cast<std::streamoff>(hstart + hlen));
}

int64_t NpyRowReader::read(int64_t n, double* out) {
    const int64_t k = std::min(n, rows_ - done_);
    if (k <= 0) return 0;
    // One loop per element type, so that each is a plain (vectorizable) conversion, over chunks of the file.
    auto convert = [&](auto element) {
        using T = decltype(element);
        const size_t total = static_cast<size_t>(k * cols_), chunk = (size_t(1) << 20) / sizeof(T);
        std::vector<T> buf(std::min(chunk, total));
        for (size_t done = 0; done < total;) {
            const size_t c = std::min(chunk, total - done);
            if (!f_.read(reinterpret_cast<char*>(buf.data()), static_cast<std::streamsize>(c * sizeof(T))))
                fail(path_ + ": cannot read");
            for (size_t i = 0; i < c; ++i) out[done + i] = static_cast<double>(buf[i]);
            done += c;
        }
    };
    if (kind_ == 'f' && size_ == 4) convert(float());
    else if (kind_ == 'f' && size_ == 8) convert(double());
    else if (kind_ == 'i' && size_ == 4) convert(int32_t());
    else if (kind_ == 'i' && size_ == 8) convert(int64_t());
    else if (kind_ == 'u' && size_ == 1) convert(uint8_t());
    else convert(int8_t());
    done_ += k;
    return k;
}

NpyRowWriter::NpyRowWriter(const std::string& path, int64_t rows, int64_t cols)
    : path_(path), tmp_(path + ".tmp"), rows_(rows), cols_(cols), f_(tmp_, std::ios::binary) {
    if (!f_) fail(path + ": cannot write");
    f_ << npyHeader(rows, cols);
}

NpyRowWriter::~NpyRowWriter() {
    if (finished_) return;
    f_.close();
    std::error_code ec;
    std::filesystem::remove(tmp_, ec);  // nothing half-written is left
}

void NpyRowWriter::write(const double* data, int64_t rows) {
    NNFPGA_ASSERT(done_ + rows <= rows_, "more rows written than announced");
    f_.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(rows * cols_ * 8));
    done_ += rows;
}

void NpyRowWriter::finish() {
    NNFPGA_ASSERT(done_ == rows_, "fewer rows written than announced");
    f_.close();
    if (!f_) fail(path_ + ": cannot write");
    std::error_code ec;
    std::filesystem::rename(tmp_, path_, ec);
    if (ec) fail(path_ + ": cannot write (" + ec.message() + ")");
    finished_ = true;
}

std::string formatDouble(double v) {
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

Matrix readMatrix(const std::string& path) {
    if (!std::filesystem::exists(path)) fail(path + ": no such file");
    return endsWith(path, ".npy") ? readNpy(path) : readCsv(path);
}

void writeMatrix(const std::string& path, const Matrix& m) {
    const std::string tmp = path + ".tmp";
    {
        std::ofstream f(tmp, std::ios::binary);
        if (!f) fail(path + ": cannot write");
        if (endsWith(path, ".npy")) {
            f << npyHeader(m.rows, m.cols);
            f.write(reinterpret_cast<const char*>(m.data.data()), static_cast<std::streamsize>(m.data.size() * 8));
        } else {
            std::string line;
            for (int64_t r = 0; r < m.rows; ++r) {
                line.clear();
                for (int64_t c = 0; c < m.cols; ++c) {
                    if (c) line += ',';
                    line += formatDouble(m.data[r * m.cols + c]);
                }
                line += '\n';
                f << line;
            }
        }
        if (!f) fail(path + ": cannot write");
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) fail(path + ": cannot write (" + ec.message() + ")");
}

}  // namespace nnfpga

// nnfpga's stand-in for Vitis HLS's hls_stream.h, for C simulation without vendor tools: an unbounded FIFO
// with the hls::stream interface generated code uses (read, write, empty, full, size, >>, <<).
#ifndef NNFPGA_HLS_STREAM_H_
#define NNFPGA_HLS_STREAM_H_

#include <cstdio>
#include <cstdlib>
#include <deque>
#include <string>

namespace hls {

template <typename T>
class stream {
public:
    stream() {}
    explicit stream(const char* name) : name_(name) {}
    stream(const stream&) = delete;
    stream& operator=(const stream&) = delete;

    T read() {
        if (q_.empty()) {
            std::fprintf(stderr, "error: read from empty stream '%s'\n", name_.c_str());
            std::abort();
        }
        T v = q_.front();
        q_.pop_front();
        return v;
    }
    void read(T& v) { v = read(); }
    bool read_nb(T& v) {
        if (q_.empty()) return false;
        v = read();
        return true;
    }
    void write(const T& v) { q_.push_back(v); }
    bool write_nb(const T& v) {
        write(v);
        return true;
    }
    bool empty() const { return q_.empty(); }
    bool full() const { return false; }
    unsigned size() const { return static_cast<unsigned>(q_.size()); }
    void operator>>(T& v) { read(v); }
    void operator<<(const T& v) { write(v); }

private:
    std::deque<T> q_;
    std::string name_;
};

}  // namespace hls

#endif

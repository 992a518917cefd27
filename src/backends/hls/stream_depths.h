// io_stream FIFO sizing of the HLS backend: how many writes each FIFO between two processes must hold so that
// the dataflow pipeline cannot deadlock where paths split and join again (the rule is in stream_depths.cpp).
#pragma once

#include <map>
#include <utility>

#include "nnfpga/ir/graph.h"

namespace nnfpga {

// io_stream moves a tensor of rank >= 2 one pixel (the last axis) per FIFO write and a vector in one write.
int64_t streamWrites(const Shape& s);  // writes per sample
int64_t streamWidth(const Shape& s);   // values per write

// Depth (in writes) of a FIFO feeding input `slot` of node `consumer`, keyed by (consumer, slot).
std::map<std::pair<int, size_t>, int> fifoDepths(const Graph& g);

}  // namespace nnfpga

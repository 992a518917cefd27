// io_stream FIFO depths. Every process reads its inputs in a fixed order and blocks on a full output FIFO, so
// where a tensor feeds several paths that meet again (skip connections, a tensor read by two layers), the short
// path must buffer what the producer writes while the long path has not yet delivered anything.
//
// The rule. Each process lags behind its input by a fraction of a sample: the most, over its output writes, of
// (input writes read before that output write) / (input writes per sample) - (output writes so far) / (output
// writes per sample). A per-pixel process lags one pixel; a line buffer about (kh - 1) * dh rows plus kw pixels;
// a process that needs its whole input first (Flatten to a vector, Transpose, global pooling, Dense) one sample.
// A process starts writing when its slowest input has arrived: its delay is the largest, over the paths from
// the model inputs, sum of the lags along the path. The FIFO into input j of a node holds
//     ceil((largest delay among the node's inputs - delay of input j) * writes per sample) + slack,
// slack = 4 writes per step of the longest path from the producer to the node (pipelined processes read a few
// pixels ahead), at least 2,
// and at most one whole sample: a producer that can write a whole sample into the short path never waits for
// the long path, which then completes that sample without more input. A node reading its inputs one after the
// other (concatenation along a non-last axis) needs the whole sample on every input. Vectors (one write per
// sample) keep the sample-level rule: as many samples as processes on the longest path between the two nodes.
#include "stream_depths.h"

#include <algorithm>
#include <cmath>

namespace nnfpga {

int64_t streamWrites(const Shape& s) {
    return s.size() < 2 ? 1 : numElements(s) / s.back();
}
int64_t streamWidth(const Shape& s) {
    return s.size() < 2 ? numElements(s) : s.back();
}

namespace {

// Longest path (in nodes) from node u to node v in the DAG, or -1 when v is not reachable from u.
int longestPath(const Graph& g, int u, int v) {
    std::vector<int> best(g.nodes.size(), -1);
    best[u] = 0;
    for (size_t i = static_cast<size_t>(u); i < g.nodes.size(); ++i) {
        if (best[i] < 0) continue;
        for (int t : g.nodes[i].outputs)
            for (int c : g.consumers(t)) best[c] = std::max(best[c], best[i] + 1);
    }
    return best[v];
}

// The lag of a process that reads `reads(k)` input writes before output write k.
template <class Reads>
double lagOf(int64_t inWrites, int64_t outWrites, Reads reads) {
    double lag = 0;
    for (int64_t k = 0; k < outWrites; ++k)
        lag = std::max(lag, static_cast<double>(reads(k)) / inWrites - static_cast<double>(k) / outWrites);
    return lag;
}

// Input writes read before each output write of a process walking a grid of (gh x gw) positions in raster
// order, reading at `in(y, x)` positions and writing at `out(y, x)` ones.
template <class In, class Out>
std::vector<int64_t> gridReads(int gh, int gw, In in, Out out) {
    std::vector<int64_t> r;
    int64_t reads = 0;
    for (int y = 0; y < gh; ++y)
        for (int x = 0; x < gw; ++x) {
            reads += in(y, x);
            if (out(y, x)) r.push_back(reads);
        }
    return r;
}

double lagFraction(const Graph& g, const Node& n) {
    const Shape& is = g.tensor(n.inputs[0]).shape;
    const Shape& os = g.tensor(n.outputs[0]).shape;
    const int64_t wi = streamWrites(is), wo = streamWrites(os);
    if (wi == 1 || wo == 1) return 1.0;
    std::vector<int64_t> reads;
    const Window* win = nullptr;
    if (const auto* c = n.as<ConvAttrs>()) win = &c->win;
    if (const auto* p = n.as<PoolAttrs>()) win = &p->win;
    if (win) {
        const int gh = (win->inH - 1) * win->inDilH + 1 + win->padTop + win->padBottom;
        const int gw = (win->inW - 1) * win->inDilW + 1 + win->padLeft + win->padRight;
        const int spanH = (win->kh - 1) * win->dh + 1, spanW = (win->kw - 1) * win->dw + 1;
        auto real = [&](int y, int x) {
            const int h = y - win->padTop, w = x - win->padLeft;
            return h >= 0 && w >= 0 && h % win->inDilH == 0 && w % win->inDilW == 0 && h / win->inDilH < win->inH &&
                   w / win->inDilW < win->inW;
        };
        auto done = [&](int y, int x) {
            const int th = y + 1 - spanH, tw = x + 1 - spanW;
            return th >= 0 && tw >= 0 && th % win->sh == 0 && tw % win->sw == 0 && th / win->sh < win->outH &&
                   tw / win->sw < win->outW;
        };
        reads = gridReads(gh, gw, real, done);
    } else if (const auto* p = n.as<PadAttrs>()) {
        const size_t r = is.size();
        const int bh = r == 3 ? p->before[0] : 0, bw = r == 3 ? p->before[1] : p->before[0];
        const int inH = r == 3 ? is[0] : 1, inW = is[r - 2], outH = r == 3 ? os[0] : 1, outW = os[r - 2];
        const int ih = std::max(bh, 0), oh = std::max(-bh, 0), iw = std::max(bw, 0), ow = std::max(-bw, 0);
        reads = gridReads(
            std::max(ih + inH, oh + outH), std::max(iw + inW, ow + outW),
            [&](int y, int x) { return y >= ih && y < ih + inH && x >= iw && x < iw + inW; },
            [&](int y, int x) { return y >= oh && y < oh + outH && x >= ow && x < ow + outW; });
    } else if (const auto* u = n.as<UpsampleAttrs>()) {
        const size_t r = is.size();
        const int fh = r == 3 ? u->factor[0] : 1, fw = u->factor[r - 2], inW = is[r - 2];
        const int outW = inW * fw;
        for (int64_t k = 0; k < wo; ++k) {
            const int64_t y = k / outW, x = k % outW;
            reads.push_back(y % fh == 0 ? (y / fh) * inW + x / fw + 1 : (y / fh + 1) * inW);
        }
    } else if (wi == wo && streamWidth(is) == streamWidth(os) && !n.as<TransposeAttrs>()) {
        return 1.0 / static_cast<double>(wi);  // one pixel in, one pixel out
    } else {
        return 1.0;
    }
    if (static_cast<int64_t>(reads.size()) != wo) return 1.0;
    return lagOf(wi, wo, [&](int64_t k) { return reads[static_cast<size_t>(k)]; });
}

}  // namespace

std::map<std::pair<int, size_t>, int> fifoDepths(const Graph& g) {
    const size_t nn = g.nodes.size();
    std::vector<double> delay(nn, 0.0);  // of each node's output, in samples
    for (size_t i = 0; i < nn; ++i) {
        const Node& n = g.nodes[i];
        if (n.inputs.empty()) continue;
        double latest = 0;
        for (int t : n.inputs) latest = std::max(latest, delay[g.tensor(t).producer]);
        delay[i] = latest + lagFraction(g, n);
    }
    std::map<std::pair<int, size_t>, int> depth;
    for (size_t i = 0; i < nn; ++i) {
        const Node& n = g.nodes[i];
        double latest = 0;
        for (int t : n.inputs) latest = std::max(latest, delay[g.tensor(t).producer]);
        const auto* cat = n.as<ConcatAttrs>();
        const Shape& os = g.tensor(n.outputs.empty() ? n.inputs[0] : n.outputs[0]).shape;
        const bool oneAfterOther = cat && os.size() >= 2 && cat->axis < static_cast<int>(os.size()) - 1;
        for (size_t k = 0; k < n.inputs.size(); ++k) {
            const int t = n.inputs[k];
            const int p = g.tensor(t).producer;
            const int hops = std::max(1, longestPath(g, p, static_cast<int>(i)));
            const int64_t writes = streamWrites(g.tensor(t).shape);
            if (writes == 1) {
                depth[{static_cast<int>(i), k}] = hops;
                continue;
            }
            double diff = latest - delay[p];
            if (oneAfterOther) diff = std::max(diff, 1.0);
            int64_t d = 2;
            if (diff > 1e-12) d = static_cast<int64_t>(std::ceil(diff * writes - 1e-9)) + 4 * hops;
            depth[{static_cast<int>(i), k}] = static_cast<int>(std::clamp<int64_t>(d, 2, std::max<int64_t>(writes, 2)));
        }
    }
    return depth;
}

}  // namespace nnfpga

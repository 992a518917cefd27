// Window geometry and the per-op invariants and counts of the spatial and merge families.
#include <algorithm>

#include "nnfpga/ir/ops/op_checks.h"
#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

namespace {
[[noreturn]] void bad(const Node& n, const std::string& msg) { failOpCheck(n, msg); }

const Shape& inShape(const Graph& g, const Node& n, size_t k = 0) { return g.tensor(n.inputs.at(k)).shape; }
const Shape& outShape(const Graph& g, const Node& n) { return g.tensor(n.outputs.at(0)).shape; }

void expectInputs(const Node& n, size_t count) {
    if (n.inputs.size() != count)
        bad(n, "expects " + std::to_string(count) + " input" + (count == 1 ? "" : "s") + ", got " +
                   std::to_string(n.inputs.size()));
}

void checkWindow(const Node& n, const Window& w) {
    if (w.rank != 1 && w.rank != 2) bad(n, "window rank must be 1 or 2");
    const int vals[] = {w.inH, w.inW, w.kh, w.kw, w.sh, w.sw, w.dh, w.dw, w.inDilH, w.inDilW};
    for (int v : vals)
        if (v < 1) bad(n, "window sizes, strides and dilations must be >= 1");
    if (w.padTop < 0 || w.padBottom < 0 || w.padLeft < 0 || w.padRight < 0) bad(n, "padding must be >= 0");
    Window c = w;
    c.computeOutput();
    if (c.outH < 1 || c.outW < 1) bad(n, "the window does not fit the input");
    if (c.outH != w.outH || c.outW != w.outW) bad(n, "output size does not match the window");
}

// How many taps of the window over all output pixels read a real input pixel.
int64_t realTaps(const Window& w) {
    int64_t taps = 0;
    int h, x;
    for (int oh = 0; oh < w.outH; ++oh)
        for (int ow = 0; ow < w.outW; ++ow)
            for (int i = 0; i < w.kh; ++i)
                for (int j = 0; j < w.kw; ++j) taps += w.source(oh, ow, i, j, h, x);
    return taps;
}
}  // namespace

void Window::computeOutput() {
    const int hd = (inH - 1) * inDilH + 1 + padTop + padBottom;
    const int wd = (inW - 1) * inDilW + 1 + padLeft + padRight;
    outH = (hd - ((kh - 1) * dh + 1)) / sh + 1;
    outW = (wd - ((kw - 1) * dw + 1)) / sw + 1;
    if (hd < (kh - 1) * dh + 1) outH = 0;
    if (wd < (kw - 1) * dw + 1) outW = 0;
}

bool Window::source(int oh, int ow, int i, int j, int& h, int& w) const {
    const int ph = oh * sh + i * dh - padTop, pw = ow * sw + j * dw - padLeft;
    if (ph < 0 || pw < 0 || ph % inDilH || pw % inDilW) return false;
    h = ph / inDilH;
    w = pw / inDilW;
    return h < inH && w < inW;
}

Shape Window::inShape(int c) const { return rank == 1 ? Shape{inW, c} : Shape{inH, inW, c}; }
Shape Window::outShape(int c) const { return rank == 1 ? Shape{outW, c} : Shape{outH, outW, c}; }

void samePadding(int in, int k, int s, int d, int& before, int& after) {
    const int out = (in + s - 1) / s;
    const int total = std::max((out - 1) * s + (k - 1) * d + 1 - in, 0);
    before = total / 2;
    after = total - before;
}

const char* toString(MergeOp op) {
    switch (op) {
        case MergeOp::Add: return "add";
        case MergeOp::Subtract: return "subtract";
        case MergeOp::Multiply: return "multiply";
        case MergeOp::Average: return "average";
        case MergeOp::Maximum: return "maximum";
        case MergeOp::Minimum: return "minimum";
    }
    return "?";
}

void verifyOp(const Graph& g, const Node& n, const ConvAttrs& a) {
    expectInputs(n, 1);
    checkWindow(n, a.win);
    if (a.nChan < 1 || a.nFilt < 1) bad(n, "channel and filter counts must be >= 1");
    if (a.depthwise() && a.nFilt != a.nChan * a.depthMultiplier)
        bad(n, "a depthwise convolution has channels x depth multiplier filters");
    if (inShape(g, n) != a.win.inShape(a.nChan))
        bad(n, "input shape " + shapeStr(inShape(g, n)) + " does not match the window " +
                   shapeStr(a.win.inShape(a.nChan)));
    if (outShape(g, n) != a.win.outShape(a.nFilt)) bad(n, "output shape does not match the window");
    if (static_cast<int64_t>(a.kernel.size()) != a.kernelSize())
        bad(n, "kernel has " + std::to_string(a.kernel.size()) + " values, expected " + std::to_string(a.kernelSize()));
    if (!a.bias.empty() && static_cast<int>(a.bias.size()) != a.nFilt)
        bad(n, "bias has " + std::to_string(a.bias.size()) + " values, expected " + std::to_string(a.nFilt));
}

void verifyOp(const Graph& g, const Node& n, const PoolAttrs& a) {
    expectInputs(n, 1);
    checkWindow(n, a.win);
    if (a.win.inDilH != 1 || a.win.inDilW != 1) bad(n, "pooling has no input dilation");
    if (inShape(g, n) != a.win.inShape(a.nChan)) bad(n, "input shape does not match the window");
    const Shape expect = a.global ? Shape{a.nChan} : a.win.outShape(a.nChan);
    if (outShape(g, n) != expect) bad(n, "output shape does not match the window");
}

void verifyOp(const Graph& g, const Node& n, const PadAttrs& a) {
    expectInputs(n, 1);
    const Shape& s = inShape(g, n);
    if (a.before.size() != s.size() || a.after.size() != s.size()) bad(n, "one padding per axis expected");
    Shape o = s;
    for (size_t k = 0; k < s.size(); ++k) o[k] += a.before[k] + a.after[k];
    for (int d : o)
        if (d < 1) bad(n, "cropping removes the whole input " + shapeStr(s));
    if (outShape(g, n) != o) bad(n, "output shape does not match the padding");
}

void verifyOp(const Graph& g, const Node& n, const UpsampleAttrs& a) {
    expectInputs(n, 1);
    const Shape& s = inShape(g, n);
    if (a.factor.size() + 1 != s.size()) bad(n, "one factor per spatial axis expected");
    Shape o = s;
    for (size_t k = 0; k < a.factor.size(); ++k) {
        if (a.factor[k] < 1) bad(n, "upsampling factors must be >= 1");
        o[k] *= a.factor[k];
    }
    if (outShape(g, n) != o) bad(n, "output shape does not match the factors");
}

void verifyOp(const Graph& g, const Node& n, const TransposeAttrs& a) {
    expectInputs(n, 1);
    const Shape& s = inShape(g, n);
    std::vector<int> sorted = a.perm;
    std::sort(sorted.begin(), sorted.end());
    for (size_t k = 0; k < sorted.size(); ++k)
        if (sorted[k] != static_cast<int>(k)) bad(n, "permutation is not a permutation of the axes");
    if (a.perm.size() != s.size()) bad(n, "permutation has the wrong number of axes");
    Shape o(s.size());
    for (size_t k = 0; k < s.size(); ++k) o[k] = s[a.perm[k]];
    if (outShape(g, n) != o) bad(n, "output shape does not match the permutation");
}

void verifyOp(const Graph& g, const Node& n, const MergeAttrs& a) {
    if (n.inputs.size() < 2) bad(n, "expects at least 2 inputs");
    if (a.op == MergeOp::Subtract && n.inputs.size() != 2) bad(n, "subtract expects exactly 2 inputs");
    if (a.op == MergeOp::Average && (n.inputs.size() & (n.inputs.size() - 1)))
        bad(n, "average of " + std::to_string(n.inputs.size()) + " inputs is not supported (a power of two is)");
    for (size_t k = 1; k < n.inputs.size(); ++k)
        if (inShape(g, n, k) != inShape(g, n, 0))
            bad(n, "inputs have different shapes " + shapeStr(inShape(g, n, 0)) + " and " + shapeStr(inShape(g, n, k)));
    if (outShape(g, n) != inShape(g, n, 0)) bad(n, "output shape differs from the inputs'");
}

void verifyOp(const Graph& g, const Node& n, const ConcatAttrs& a) {
    if (n.inputs.size() < 2) bad(n, "expects at least 2 inputs");
    Shape o = inShape(g, n, 0);
    if (a.axis < 0 || a.axis >= static_cast<int>(o.size())) bad(n, "axis out of range");
    for (size_t k = 1; k < n.inputs.size(); ++k) {
        const Shape& s = inShape(g, n, k);
        if (s.size() != o.size()) bad(n, "inputs have different ranks");
        for (size_t d = 0; d < s.size(); ++d)
            if (static_cast<int>(d) != a.axis && s[d] != o[d])
                bad(n, "inputs " + shapeStr(inShape(g, n, 0)) + " and " + shapeStr(s) + " differ off the axis");
        o[a.axis] += s[a.axis];
    }
    if (outShape(g, n) != o) bad(n, "output shape does not match the concatenation");
}

void verifyOp(const Graph& g, const Node& n, const DotAttrs&) {
    expectInputs(n, 2);
    if (inShape(g, n, 0).size() != 1 || inShape(g, n, 0) != inShape(g, n, 1))
        bad(n, "dot needs two vectors of the same length");
    if (outShape(g, n) != Shape{1}) bad(n, "output shape must be [1]");
}

NodeCounts countOp(const Graph&, const Node&, const ConvAttrs& a) {
    NodeCounts c;
    c.params = static_cast<int64_t>(a.kernel.size() + a.bias.size());
    c.nonzeroWeights = countNonzero(a.kernel, a.weightT) + countNonzero(a.bias, a.biasT);
    // Per filter and output pixel, one product per real tap and input channel it reads.
    const int64_t taps = realTaps(a.win);
    const int64_t perTap = a.depthwise() ? a.nFilt : int64_t(a.nChan) * a.nFilt;
    c.mults = taps * perTap;
    // Nonzero: weights of each tap position, counted per output pixel reading it.
    int64_t nz = 0;
    const int64_t tapSize = a.depthwise() ? int64_t(a.nChan) * a.depthMultiplier : int64_t(a.nChan) * a.nFilt;
    int h, w;
    for (int i = 0; i < a.win.kh; ++i)
        for (int j = 0; j < a.win.kw; ++j) {
            int64_t uses = 0;
            for (int oh = 0; oh < a.win.outH; ++oh)
                for (int ow = 0; ow < a.win.outW; ++ow) uses += a.win.source(oh, ow, i, j, h, w);
            const size_t off = static_cast<size_t>((i * a.win.kw + j) * tapSize);
            int64_t z = 0;
            for (int64_t k = 0; k < tapSize; ++k) z += isNonzero(a.kernel[off + static_cast<size_t>(k)], a.weightT);
            nz += uses * z;
        }
    c.nonzeroMults = nz;
    return c;
}

NodeCounts countOp(const Graph&, const Node&, const PoolAttrs&) { return {}; }
NodeCounts countOp(const Graph&, const Node&, const PadAttrs&) { return {}; }
NodeCounts countOp(const Graph&, const Node&, const UpsampleAttrs&) { return {}; }
NodeCounts countOp(const Graph&, const Node&, const TransposeAttrs&) { return {}; }
NodeCounts countOp(const Graph&, const Node&, const ConcatAttrs&) { return {}; }

NodeCounts countOp(const Graph& g, const Node& n, const MergeAttrs& a) {
    NodeCounts c;
    if (a.op == MergeOp::Multiply) c.mults = c.nonzeroMults = numElements(g.tensor(n.outputs[0]).shape) * int64_t(n.inputs.size() - 1);
    return c;
}

NodeCounts countOp(const Graph& g, const Node& n, const DotAttrs&) {
    NodeCounts c;
    c.mults = c.nonzeroMults = numElements(g.tensor(n.inputs[0]).shape);
    return c;
}

}  // namespace nnfpga

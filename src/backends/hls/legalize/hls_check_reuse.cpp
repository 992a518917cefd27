// hls_check_reuse: the reuse factor and strategy of each layer must be implementable by the HLS library
// (Dense, and Conv per output pixel); invalid ones are rejected with the valid values listed, never silently changed.
#include <algorithm>
#include <string>

#include "nnfpga/backends/hls/hls_backend.h"
#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

std::vector<int> validDenseReuseFactors(int nIn, int nOut) {
    std::vector<int> v;
    const int64_t total = int64_t(nIn) * nOut;
    for (int64_t r = 1; r <= total; ++r)
        if (total % r == 0 && (nIn % r == 0 || r % nIn == 0)) v.push_back(static_cast<int>(r));
    return v;
}

namespace {
std::string listValues(const std::vector<int>& v) {
    std::string s;
    for (size_t i = 0; i < v.size(); ++i) {
        if (i == 12 && v.size() > 14) {
            s += ", …, " + std::to_string(v.back());
            break;
        }
        s += (i ? ", " : "") + std::to_string(v[i]);
    }
    return s;
}
}  // namespace

void legalizeForHls(Graph& g, const HlsOptions&) {
    for (const Node& n : g.nodes) {
        const int rf = n.settings.reuseFactor;
        if (rf < 1) failAtLayer(n.name, n.kind, "reuse factor must be >= 1, got " + std::to_string(rf));
        if (const auto* d = n.as<DenseAttrs>()) {
            if (n.settings.strategy == Strategy::Resource) {
                const auto valid = validDenseReuseFactors(d->nIn, d->nOut);
                if (std::find(valid.begin(), valid.end(), rf) == valid.end())
                    failAtLayer(n.name, n.kind,
                                "reuse factor " + std::to_string(rf) + " is not valid for the resource strategy with " +
                                    std::to_string(d->nIn) + " inputs and " + std::to_string(d->nOut) +
                                    " outputs; valid: " + listValues(valid));
            } else if (rf > int64_t(d->nIn) * d->nOut) {
                failAtLayer(n.name, n.kind,
                            "reuse factor " + std::to_string(rf) + " exceeds the " +
                                std::to_string(int64_t(d->nIn) * d->nOut) + " multiplications of the layer");
            }
        }
        if (const auto* c = n.as<ConvAttrs>()) {
            // Per output pixel: a dense over the im2col vector (taps x channels), or taps x filters (depthwise).
            const int taps = c->win.kh * c->win.kw;
            const int rows = c->depthwise() ? taps : taps * c->nChan;
            const int64_t products = int64_t(rows) * c->nFilt;
            const std::string window = std::to_string(c->win.kh) + "x" + std::to_string(c->win.kw);
            if (n.settings.strategy == Strategy::Resource) {
                const auto valid = validDenseReuseFactors(rows, c->nFilt);
                if (std::find(valid.begin(), valid.end(), rf) == valid.end())
                    failAtLayer(n.name, n.kind,
                                "reuse factor " + std::to_string(rf) + " is not valid for the resource strategy with a " +
                                    window + " window over " + std::to_string(c->nChan) + (c->nChan == 1 ? " channel and " : " channels and ") +
                                    std::to_string(c->nFilt) + (c->nFilt == 1 ? " filter (" : " filters (") + std::to_string(rows) + " inputs and " +
                                    std::to_string(c->nFilt) + " outputs per pixel); valid: " + listValues(valid));
            } else if (rf > products) {
                failAtLayer(n.name, n.kind,
                            "reuse factor " + std::to_string(rf) + " exceeds the " + std::to_string(products) +
                                " multiplications per output pixel of the layer");
            }
        }
        for (int t : n.outputs)
            if (g.tensor(t).type.width > 53)
                failAtLayer(n.name, n.kind, "the HLS backend supports types up to 53 bits wide, got " +
                                                g.tensor(t).type.str());
    }
}

}  // namespace nnfpga

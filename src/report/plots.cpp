// Layout and drawing of the profile figure (distributions against type ranges) and the scan figure (accuracy
// against width). All coordinates are in pixels; both surfaces share them.
#include "nnfpga/report/plots.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

namespace nnfpga {

namespace {

constexpr Rgb kBlack{0, 0, 0}, kAxis{90, 90, 90}, kGrid{232, 232, 232}, kBand{214, 214, 214}, kStripe{246, 246, 250},
    kRed{214, 39, 40}, kConstant{31, 119, 180}, kResult{255, 127, 14}, kAccum{44, 160, 44}, kMuted{130, 130, 130};

std::string fmt(const char* f, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

std::string clip(const std::string& s, size_t n) {
    return s.size() <= n ? s : s.substr(0, n - 2) + "..";
}

Rgb kindColor(VarKind k) {
    switch (k) {
        case VarKind::Constant:
            return kConstant;
        case VarKind::Result:
            return kResult;
        case VarKind::Accum:
            return kAccum;
    }
    return kBlack;
}

Rgb darker(Rgb c) {
    return {static_cast<uint8_t>(c.r * 3 / 5), static_cast<uint8_t>(c.g * 3 / 5), static_cast<uint8_t>(c.b * 3 / 5)};
}

// ---- profile figure

constexpr int kProfileWidth = 980;
constexpr int kTop = 64, kRowH = 14, kLayerGap = 6;
constexpr int kPlotLeft = 250, kPlotRight = kProfileWidth - 72, kAxisSpace = 44;

int profileRows(const Profile& p) {
    int rows = 0;
    for (const LayerProfile& l : p.layers) rows += static_cast<int>(l.vars.size());
    return rows;
}

// log2 of the type's smallest and largest representable magnitudes.
double log2Lsb(const FixedType& t) {
    return -t.frac();
}
double log2Top(const FixedType& t) {
    return std::log2(std::max(t.maxValue(), t.lsb()));
}

// The shown log2 range: every type band and every observed magnitude, one octave of margin, at most 96 octaves.
void profileRange(const Profile& p, double& lo, double& hi) {
    lo = INFINITY;
    hi = -INFINITY;
    for (const LayerProfile& l : p.layers)
        for (const ProfileVar& v : l.vars) {
            lo = std::min(lo, log2Lsb(v.type));
            hi = std::max(hi, log2Top(v.type));
            if (v.stats.maxAbs > 0) {
                lo = std::min(lo, std::log2(v.stats.minAbs));
                hi = std::max(hi, std::log2(v.stats.maxAbs));
            }
        }
    if (!std::isfinite(lo) || !std::isfinite(hi)) lo = -8, hi = 8;
    lo = std::max(std::floor(lo) - 1, -48.0);
    hi = std::min(std::ceil(hi) + 1, 48.0);
    if (hi - lo < 4) hi = lo + 4;
}

}  // namespace

ChartSize profileChartSize(const Profile& p) {
    return {kProfileWidth, kTop + profileRows(p) * kRowH + static_cast<int>(p.layers.size()) * kLayerGap + kAxisSpace};
}

void drawProfile(const Profile& p, Surface& s) {
    const ChartSize size = profileChartSize(p);
    double lo = 0, hi = 0;
    profileRange(p, lo, hi);
    const auto xOf = [&](double l2) {
        return kPlotLeft + (std::clamp(l2, lo, hi) - lo) / (hi - lo) * (kPlotRight - kPlotLeft);
    };
    const int bottom = size.height - kAxisSpace;

    s.text(10, 8, "nnfpga profile: log2 |x| per layer and variable, " + std::to_string(p.samples) + " samples", kBlack,
           Anchor::Start, 2);
    // Legend.
    double lx = 10;
    const auto legend = [&](Rgb c, const std::string& label) {
        s.fillRect(lx, 36, 14, 9, c);
        s.text(lx + 18, 37, label, kBlack);
        lx += 18 + textWidth(label) + 18;
    };
    legend(kBand, "type range (lsb to max)");
    legend(kConstant, "weights, biases");
    legend(kResult, "results");
    legend(kAccum, "accumulators");
    legend(kRed, "beyond the type");
    s.text(kProfileWidth - 10, 37, "outside", kBlack, Anchor::End);

    // Grid and axis.
    const double span = hi - lo;
    const int step = span <= 20 ? 1 : span <= 40 ? 2 : span <= 80 ? 4 : 8;
    s.beginGroup("axis", "axis");
    for (int t = static_cast<int>(std::ceil(lo / step)) * step; t <= hi; t += step) {
        const double x = xOf(t);
        s.line(x, kTop - 4, x, bottom, t == 0 ? kMuted : kGrid);
        s.line(x, bottom, x, bottom + 4, kAxis);
        s.text(x, bottom + 7, std::to_string(t), kBlack, Anchor::Middle);
    }
    s.line(kPlotLeft, bottom, kPlotRight, bottom, kAxis);
    s.text((kPlotLeft + kPlotRight) / 2.0, bottom + 22, "log2 |x|", kBlack, Anchor::Middle);
    s.endGroup();

    double y = kTop;
    for (size_t li = 0; li < p.layers.size(); ++li) {
        const LayerProfile& l = p.layers[li];
        const double layerH = static_cast<double>(l.vars.size()) * kRowH;
        s.beginGroup("layer", "layer-" + l.name);
        if (li % 2 == 0) s.fillRect(4, y - kLayerGap / 2.0, kProfileWidth - 8, layerH + kLayerGap, kStripe);
        s.text(10, y + (kRowH - kCharHeight) / 2.0, clip(l.name + " (" + l.kind + ")", 27), kBlack);
        for (const ProfileVar& v : l.vars) {
            s.beginGroup("var", l.name + "." + v.name);
            const double cy = y + kRowH / 2.0;
            const double ty = y + (kRowH - kCharHeight) / 2.0;
            s.text(kPlotLeft - 8, ty, v.name, kBlack, Anchor::End);
            const double b0 = xOf(log2Lsb(v.type)), b1 = xOf(log2Top(v.type));
            s.fillRect(b0, y + 1, std::max(b1 - b0, 1.0), kRowH - 2, kBand);
            const ValueStats& st = v.stats;
            if (st.maxAbs > 0) {
                const Rgb c = kindColor(v.kind);
                const double w0 = xOf(std::log2(st.minAbs)), w1 = xOf(std::log2(st.maxAbs));
                s.line(w0, cy, w1, cy, darker(c));
                s.line(w0, cy - 3, w0, cy + 3, darker(c));
                s.line(w1, cy - 3, w1, cy + 3, darker(c));
                const double q1 = xOf(st.log2Quantile(0.25)), q3 = xOf(st.log2Quantile(0.75));
                s.fillRect(q1, cy - 4, std::max(q3 - q1, 2.0), 8, c);
                s.strokeRect(q1, cy - 4, std::max(q3 - q1, 2.0), 8, darker(c));
                const double med = xOf(st.log2Quantile(0.5));
                s.line(med, cy - 5, med, cy + 5, kBlack, 2);
                if (st.maxAbs > v.type.maxValue() || (st.min < v.type.minValue()))
                    s.fillRect(w1 - 2, cy - 5, 4, 10, kRed);
            } else {
                s.text(kPlotLeft + 4, ty, st.count ? "all zero" : "no values", kMuted);
            }
            const double frac = st.checked ? double(st.outside) / double(st.checked) : 0.0;
            s.text(kProfileWidth - 10, ty, st.outside ? fmt("%.3g%%", 100 * frac) : "0", st.outside ? kRed : kMuted,
                   Anchor::End);
            s.endGroup();
            y += kRowH;
        }
        s.endGroup();
        y += kLayerGap;
    }
}

// ---- scan figure

namespace {
constexpr int kScanW = 760, kScanH = 460;
constexpr int kSL = 64, kSR = kScanW - 24, kST = 70, kSB = kScanH - 56;
}  // namespace

ChartSize scanChartSize() {
    return {kScanW, kScanH};
}

void drawScan(const ScanChart& c, Surface& s) {
    const bool labels = std::any_of(c.points.begin(), c.points.end(), [](const ScanPoint& p) { return p.accuracy; });
    s.text(10, 8,
           labels ? "nnfpga scan: accuracy against total width" : "nnfpga scan: agreement with float against width",
           kBlack, Anchor::Start, 2);
    s.text(10, 30, c.subtitle, kBlack);
    int wMin = 1, wMax = 2;
    if (!c.points.empty()) {
        wMin = c.points.front().width;
        wMax = c.points.front().width;
        for (const ScanPoint& p : c.points) wMin = std::min(wMin, p.width), wMax = std::max(wMax, p.width);
    }
    const double lo = wMin - 0.5, hi = std::max(wMax + 0.5, lo + 1);
    const auto xOf = [&](double w) { return kSL + (w - lo) / (hi - lo) * (kSR - kSL); };
    const auto yOf = [&](double frac) { return kSB - std::clamp(frac, 0.0, 1.0) * (kSB - kST); };

    s.beginGroup("axis", "axis");
    for (int pct = 0; pct <= 100; pct += 10) {
        const double y = yOf(pct / 100.0);
        s.line(kSL, y, kSR, y, pct == 0 ? kAxis : kGrid);
        s.text(kSL - 6, y - 3, std::to_string(pct) + "%", kBlack, Anchor::End);
    }
    const int step = (wMax - wMin) <= 24 ? 1 : (wMax - wMin) <= 48 ? 2 : 4;
    for (int w = wMin; w <= wMax; w += step) {
        s.line(xOf(w), kSB, xOf(w), kSB + 4, kAxis);
        s.text(xOf(w), kSB + 8, std::to_string(w), kBlack, Anchor::Middle);
    }
    s.line(kSL, kST, kSL, kSB, kAxis);
    s.text((kSL + kSR) / 2.0, kSB + 26, "total width W (bits)", kBlack, Anchor::Middle);
    s.endGroup();

    const auto series = [&](const std::string& id, Rgb color, auto value) {
        s.beginGroup("series", id);
        const ScanPoint* prev = nullptr;
        for (const ScanPoint& p : c.points) {
            const std::optional<double> v = value(p);
            if (!v) continue;
            if (prev && value(*prev)) s.line(xOf(prev->width), yOf(*value(*prev)), xOf(p.width), yOf(*v), color, 2);
            prev = &p;
        }
        for (const ScanPoint& p : c.points)
            if (const std::optional<double> v = value(p)) s.fillRect(xOf(p.width) - 3, yOf(*v) - 3, 6, 6, color);
        s.endGroup();
    };
    double lx = kSL + 10;
    const auto legend = [&](Rgb color, const std::string& label, bool dashed) {
        s.line(lx, 52, lx + 20, 52, color, 2, dashed);
        s.text(lx + 26, 49, label, kBlack);
        lx += 26 + textWidth(label) + 24;
    };
    if (c.floatAccuracy) {
        s.beginGroup("series", "float");
        s.line(kSL, yOf(*c.floatAccuracy), kSR, yOf(*c.floatAccuracy), kMuted, 1, true);
        s.endGroup();
        legend(kMuted, "float accuracy " + fmt("%.2f%%", 100 * *c.floatAccuracy), true);
    }
    if (labels) {
        series("accuracy", kConstant, [](const ScanPoint& p) { return p.accuracy; });
        legend(kConstant, "accuracy", false);
    }
    series("agreement", kResult, [](const ScanPoint& p) { return std::optional<double>(p.agreement); });
    legend(kResult, "same argmax as float", false);
}

std::optional<PlotFormat> plotFormatFor(const std::string& path) {
    std::string ext = path.size() >= 4 ? path.substr(path.size() - 4) : "";
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char ch) { return std::tolower(ch); });
    if (ext == ".svg") return PlotFormat::Svg;
    if (ext == ".png") return PlotFormat::Png;
    return std::nullopt;
}

std::string renderPlot(PlotFormat format, ChartSize size, const std::string& title,
                       const std::function<void(Surface&)>& draw) {
    if (format == PlotFormat::Svg) {
        SvgSurface svg(size.width, size.height, title);
        draw(svg);
        return svg.finish();
    }
    RasterSurface raster(size.width, size.height);
    draw(raster);
    return raster.png();
}

}  // namespace nnfpga

// The figures of `nnfpga profile` and `nnfpga scan`, drawn on a Surface, and their rendering to SVG or PNG.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "nnfpga/report/canvas.h"
#include "nnfpga/report/profile.h"

namespace nnfpga {

struct ChartSize {
    int width = 0, height = 0;
};

// One row per layer variable, grouped by layer (an SVG group of class "layer" each): the log2|x| distribution as
// a box from the first to the third quartile with the median marked and whiskers from the smallest to the
// largest nonzero magnitude, over a grey band from the type's lsb to its largest value, and the fraction of
// values outside the type at the right.
ChartSize profileChartSize(const Profile& p);
void drawProfile(const Profile& p, Surface& s);

struct ScanPoint {
    int width = 0;
    std::optional<double> accuracy;  // fraction of samples whose argmax is the label (with labels)
    double agreement = 0;            // fraction of samples whose argmax is the float reference's
};
struct ScanChart {
    std::string subtitle;  // which types were scanned
    std::vector<ScanPoint> points;
    std::optional<double> floatAccuracy;
};
// Accuracy and agreement with float (percent) against the total width; the float accuracy as a dashed line.
ChartSize scanChartSize();
void drawScan(const ScanChart& c, Surface& s);

enum class PlotFormat { Svg, Png };
// By extension (.svg, .png; case-insensitive); nullopt for anything else.
std::optional<PlotFormat> plotFormatFor(const std::string& path);
// The file's bytes.
std::string renderPlot(PlotFormat format, ChartSize size, const std::string& title,
                       const std::function<void(Surface&)>& draw);

}  // namespace nnfpga

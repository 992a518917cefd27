// The SVG and raster drawing surfaces; PNG encoding through libpng.
#include "nnfpga/report/canvas.h"

#include <png.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "bitmap_font.h"
#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

double textWidth(const std::string& s, int scale) {
    return s.empty() ? 0.0 : double(s.size() * kCharWidth - 1) * scale;
}

void Surface::strokeRect(double x, double y, double w, double h, Rgb color) {
    line(x, y, x + w, y, color);
    line(x + w, y, x + w, y + h, color);
    line(x + w, y + h, x, y + h, color);
    line(x, y + h, x, y, color);
}

// ---- SVG

namespace {

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    std::string s = buf;
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return s == "-0" ? "0" : s;
}

std::string color(Rgb c) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x", c.r, c.g, c.b);
    return buf;
}

std::string xmlEscape(const std::string& s) {
    std::string out;
    for (char ch : s) {
        switch (ch) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&apos;";
                break;
            default:
                // Control characters are not allowed in XML 1.0 text.
                out += static_cast<unsigned char>(ch) < 0x20 ? '?' : ch;
        }
    }
    return out;
}

}  // namespace

SvgSurface::SvgSurface(int width, int height, const std::string& title) {
    out_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
           std::to_string(width) + "\" height=\"" + std::to_string(height) + "\" viewBox=\"0 0 " +
           std::to_string(width) + " " + std::to_string(height) +
           "\" font-family=\"DejaVu Sans Mono, monospace\" shape-rendering=\"crispEdges\">\n<title>" +
           xmlEscape(title) + "</title>\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
}

void SvgSurface::fillRect(double x, double y, double w, double h, Rgb fill) {
    out_ += "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(std::max(w, 0.0)) + "\" height=\"" +
            num(std::max(h, 0.0)) + "\" fill=\"" + color(fill) + "\"/>\n";
}

void SvgSurface::line(double x1, double y1, double x2, double y2, Rgb c, double width, bool dashed) {
    out_ += "<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) + "\" y2=\"" + num(y2) +
            "\" stroke=\"" + color(c) + "\" stroke-width=\"" + num(width) + "\"" +
            (dashed ? " stroke-dasharray=\"4 3\"" : "") + "/>\n";
}

void SvgSurface::text(double x, double y, const std::string& s, Rgb c, Anchor anchor, int scale) {
    static const char* anchors[] = {"start", "middle", "end"};
    // A 10-unit monospace font advances ~6 units per character; its capitals stand ~7 units over the baseline.
    out_ += "<text x=\"" + num(x) + "\" y=\"" + num(y + kCharHeight * scale) + "\" font-size=\"" +
            std::to_string(10 * scale) + "\" fill=\"" + color(c) + "\" text-anchor=\"" +
            anchors[static_cast<int>(anchor)] + "\">" + xmlEscape(s) + "</text>\n";
}

void SvgSurface::beginGroup(const std::string& cls, const std::string& id) {
    out_ += "<g class=\"" + xmlEscape(cls) + "\" id=\"" + xmlEscape(id) + "\">\n";
    ++open_;
}

void SvgSurface::endGroup() {
    if (open_ == 0) return;
    out_ += "</g>\n";
    --open_;
}

std::string SvgSurface::finish() {
    while (open_ > 0) endGroup();
    return out_ + "</svg>\n";
}

// ---- Raster

RasterSurface::RasterSurface(int width, int height, Rgb background)
    : width_(std::max(width, 1)), height_(std::max(height, 1)), rgb_(size_t(width_) * height_ * 3) {
    for (size_t i = 0; i < rgb_.size(); i += 3) {
        rgb_[i] = background.r;
        rgb_[i + 1] = background.g;
        rgb_[i + 2] = background.b;
    }
}

void RasterSurface::set(int x, int y, Rgb c) {
    if (x < 0 || y < 0 || x >= width_ || y >= height_) return;
    uint8_t* p = &rgb_[(size_t(y) * width_ + x) * 3];
    p[0] = c.r;
    p[1] = c.g;
    p[2] = c.b;
}

Rgb RasterSurface::pixel(int x, int y) const {
    if (x < 0 || y < 0 || x >= width_ || y >= height_) return {};
    const uint8_t* p = &rgb_[(size_t(y) * width_ + x) * 3];
    return {p[0], p[1], p[2]};
}

void RasterSurface::fillRect(double x, double y, double w, double h, Rgb fill) {
    const int x0 = static_cast<int>(std::lround(x)), y0 = static_cast<int>(std::lround(y));
    const int x1 = static_cast<int>(std::lround(x + w)), y1 = static_cast<int>(std::lround(y + h));
    for (int yy = std::max(y0, 0); yy < std::min(y1, height_); ++yy)
        for (int xx = std::max(x0, 0); xx < std::min(x1, width_); ++xx) set(xx, yy, fill);
}

void RasterSurface::line(double x1, double y1, double x2, double y2, Rgb c, double width, bool dashed) {
    // Walk the longer axis one pixel at a time; a wider line is a square brush of `width` pixels.
    const double dx = x2 - x1, dy = y2 - y1;
    const int steps = std::max(1, static_cast<int>(std::ceil(std::max(std::fabs(dx), std::fabs(dy)))));
    const int brush = std::max(1, static_cast<int>(std::lround(width)));
    const int off = (brush - 1) / 2;
    for (int k = 0; k <= steps; ++k) {
        if (dashed && k % 7 >= 4) continue;  // 4 on, 3 off, as the SVG's dash array
        const int px = static_cast<int>(std::floor(x1 + dx * k / steps));
        const int py = static_cast<int>(std::floor(y1 + dy * k / steps));
        for (int a = 0; a < brush; ++a)
            for (int b = 0; b < brush; ++b) set(px - off + a, py - off + b, c);
    }
}

void RasterSurface::text(double x, double y, const std::string& s, Rgb c, Anchor anchor, int scale) {
    scale = std::max(scale, 1);
    double left = x;
    if (anchor == Anchor::Middle) left -= textWidth(s, scale) / 2;
    if (anchor == Anchor::End) left -= textWidth(s, scale);
    const int x0 = static_cast<int>(std::lround(left)), y0 = static_cast<int>(std::lround(y));
    for (size_t i = 0; i < s.size(); ++i) {
        const uint8_t* rows = glyphRows(s[i]);
        const int gx = x0 + static_cast<int>(i) * kCharWidth * scale;
        for (int r = 0; r < kGlyphRows; ++r)
            for (int col = 0; col < 5; ++col)
                if (rows[r] & (0x10 >> col))
                    for (int a = 0; a < scale; ++a)
                        for (int b = 0; b < scale; ++b) set(gx + col * scale + a, y0 + r * scale + b, c);
    }
}

namespace {

void appendBytes(png_structp png, png_bytep data, png_size_t length) {
    auto* out = static_cast<std::string*>(png_get_io_ptr(png));
    out->append(reinterpret_cast<const char*>(data), length);
}

void flushNothing(png_structp) {}

// libpng reports errors by longjmp, so this frame holds nothing that needs a destructor.
bool encodePng(const uint8_t* rgb, int width, int height, std::string* out) {
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    if (!png) return false;
    png_infop info = png_create_info_struct(png);
    if (!info || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, info ? &info : nullptr);
        return false;
    }
    png_set_write_fn(png, out, appendBytes, flushNothing);
    png_set_IHDR(png, info, width, height, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int y = 0; y < height; ++y) png_write_row(png, const_cast<png_bytep>(rgb + size_t(y) * width * 3));
    png_write_end(png, nullptr);
    png_destroy_write_struct(&png, &info);
    return true;
}

}  // namespace

std::string RasterSurface::png() const {
    std::string out;
    if (!encodePng(rgb_.data(), width_, height_, &out)) fail("the PNG encoder failed");
    return out;
}

}  // namespace nnfpga

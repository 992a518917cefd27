// Drawing surfaces for the report figures: one small interface (filled rectangles, lines, text, groups) with an
// SVG writer and an RGB raster that encodes to PNG. Text uses a 5x7 bitmap font in a 6-pixel cell; the SVG asks
// for a monospace font of the same size, so both outputs share one layout.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nnfpga {

struct Rgb {
    uint8_t r = 0, g = 0, b = 0;
    bool operator==(const Rgb&) const = default;
};

enum class Anchor { Start, Middle, End };

inline constexpr int kCharWidth = 6;   // advance per character at scale 1 (5 pixels of glyph, 1 of spacing)
inline constexpr int kCharHeight = 7;  // glyph height at scale 1
double textWidth(const std::string& s, int scale = 1);

class Surface {
public:
    virtual ~Surface() = default;
    virtual void fillRect(double x, double y, double w, double h, Rgb fill) = 0;
    virtual void line(double x1, double y1, double x2, double y2, Rgb color, double width = 1, bool dashed = false) = 0;
    // (x, y): the anchor point on the top edge of the text.
    virtual void text(double x, double y, const std::string& s, Rgb color, Anchor anchor = Anchor::Start,
                      int scale = 1) = 0;
    // Groups nest; the SVG writes <g class=… id=…>, the raster ignores them.
    virtual void beginGroup(const std::string& /*cls*/, const std::string& /*id*/) {}
    virtual void endGroup() {}

    void strokeRect(double x, double y, double w, double h, Rgb color);
};

class SvgSurface final : public Surface {
public:
    SvgSurface(int width, int height, const std::string& title);
    void fillRect(double x, double y, double w, double h, Rgb fill) override;
    void line(double x1, double y1, double x2, double y2, Rgb color, double width, bool dashed) override;
    void text(double x, double y, const std::string& s, Rgb color, Anchor anchor, int scale) override;
    void beginGroup(const std::string& cls, const std::string& id) override;
    void endGroup() override;
    // The complete document (closes open groups).
    std::string finish();

private:
    std::string out_;
    int open_ = 0;
};

class RasterSurface final : public Surface {
public:
    RasterSurface(int width, int height, Rgb background = {255, 255, 255});
    void fillRect(double x, double y, double w, double h, Rgb fill) override;
    void line(double x1, double y1, double x2, double y2, Rgb color, double width, bool dashed) override;
    void text(double x, double y, const std::string& s, Rgb color, Anchor anchor, int scale) override;

    int width() const { return width_; }
    int height() const { return height_; }
    Rgb pixel(int x, int y) const;
    // 8-bit RGB PNG (libpng). Raises UserError if the encoder fails.
    std::string png() const;

private:
    void set(int x, int y, Rgb c);
    int width_, height_;
    std::vector<uint8_t> rgb_;
};

}  // namespace nnfpga

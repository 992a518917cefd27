// Internal to src/report/: a 5x7 bitmap font (plus descenders) for printable ASCII, drawn by the raster surface.
#pragma once

#include <cstdint>

namespace nnfpga {

// Eight rows, top first (the eighth only for descenders); bit 4 is the leftmost of the five columns. Characters
// outside ' '..'~' draw as '?'.
inline constexpr int kGlyphRows = 8;
const uint8_t* glyphRows(char c);

}  // namespace nnfpga

// The demo street's two photos: the delivery point at 河滨花园's gate (社区晨报 2020-04, 7 February
// 2020) before the committee set it up, parcels and delivery bikes all over the gate, and after,
// shelves in a marked corner and the way in clear. Drawn here as small PNG files (generated
// images, shapes and a camera-style date stamp), so the demo needs no image file in the project.
// `linli-server --seed-demo` stores them as blobs; the demo script attaches them to ticket 1.
// Pure: no I/O, no clock; the same bytes every time, so the names (their SHA-256) never change.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/change.h"

namespace linli {

// An 8-bit palette image as PNG bytes (colour type 3, no interlace). `palette` holds up to 256
// RGB triples; `pixels` is width * height palette indices, row by row. The deflate stream uses
// the fixed Huffman code with runs (distance 1), which suits flat drawings.
std::string encode_png_indexed(int width, int height, const std::vector<uint8_t>& palette_rgb,
                               const std::vector<uint8_t>& pixels);

// The photo's bytes (image/png): Before shows the gate crowded, After the delivery point set up.
// Any other phase is Before.
std::string demo_photo_png(PhotoPhase phase);

// The attach_photo descriptor of that photo: its sha256, size, type and phase.
Photo demo_photo(PhotoPhase phase);

}  // namespace linli

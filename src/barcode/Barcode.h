// SPDX-License-Identifier: Apache-2.0
#pragma once
// PDF417 decoding of a (rectified) grey image region with zxing-cpp. zxing types stay in here.

#include <cstdint>
#include <optional>

#include "secure/SecretBuffer.h"

namespace agecheck::barcode {

/// A non-owning view of 8-bit grey pixels.
struct GrayView {
	const std::uint8_t* data = nullptr;
	int width = 0;
	int height = 0;
	int stride = 0; ///< bytes per row; 0 means width
};

/// How zxing thresholds the image.
enum class Binarizer : std::uint8_t {
	LocalAverage,    ///< zxing's HybridBinarizer: robust to uneven light
	GlobalHistogram, ///< one threshold per line: robust to blur
};

/// Decoder options; each states its default.
struct Options {
	Binarizer binarizer = Binarizer::LocalAverage; ///< default LocalAverage
	bool tryHarder = true;                         ///< default true: scan more rows
	bool tryRotate = true;                         ///< default true: also 90/180/270 degrees
};

/// Decodes one PDF417 symbol in `image`; nullopt when there is none or it cannot be read.
/// The payload is copied into secure memory, and zxing's own copy of it is zeroed before release.
/// Never throws.
std::optional<secure::SecretBuffer> DecodePdf417(const GrayView& image, const Options& options = {}) noexcept;

} // namespace agecheck::barcode

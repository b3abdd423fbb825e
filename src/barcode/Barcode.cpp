// SPDX-License-Identifier: Apache-2.0
#include "barcode/Barcode.h"

#include <ZXing/ReadBarcode.h>

#include "common/Secret.h"

namespace agecheck::barcode {

namespace {

/// Zeroes the decoded content that zxing keeps inside its result before the result is released.
/// WARNING: zxing's other internal copies (codewords, raw bytes, intermediate vectors) are freed
/// unwiped; see the README's list of what is not yet covered.
void WipeResult(ZXing::Result& r) noexcept
{
	const ZXing::ByteArray& bytes = r.bytes();
	// The result is ours and about to be destroyed: scrubbing its buffer in place is safe.
	SecureZero(const_cast<std::uint8_t*>(bytes.data()), bytes.size());
}

} // namespace

std::optional<secure::SecretBuffer> DecodePdf417(const GrayView& image, const Options& options) noexcept
{
	if (!image.data || image.width <= 0 || image.height <= 0)
		return std::nullopt;
	try {
		const ZXing::ImageView view(image.data, image.width, image.height, ZXing::ImageFormat::Lum,
									image.stride ? image.stride : image.width);
		const auto hints = ZXing::DecodeHints()
							   .setFormats(ZXing::BarcodeFormat::PDF417)
							   .setTryHarder(options.tryHarder)
							   .setTryRotate(options.tryRotate)
							   .setTryDownscale(false)
							   .setIsPure(false)
							   .setBinarizer(options.binarizer == Binarizer::LocalAverage
												 ? ZXing::Binarizer::LocalAverage
												 : ZXing::Binarizer::GlobalHistogram);
		ZXing::Result r = ZXing::ReadBarcode(view, hints);
		if (!r.isValid()) {
			WipeResult(r);
			return std::nullopt;
		}
		const auto& bytes = r.bytes();
		auto out = secure::SecretBuffer::CopyOf(
			std::as_bytes(std::span<const std::uint8_t>(bytes.data(), bytes.size())));
		WipeResult(r);
		if (out.empty())
			return std::nullopt;
		return out;
	} catch (...) {
		return std::nullopt;
	}
}

} // namespace agecheck::barcode

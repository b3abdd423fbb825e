// SPDX-License-Identifier: Apache-2.0
#pragma once
// Evening out the paper of a card's cut-out before it is read. Tesseract binarises a block with
// one global threshold: on a card held under uneven light, the small, light-grey labels of a
// licence ("DOB", "Expiry") fall on the paper's side of that threshold and are dropped, while a
// portrait or a tinted band reads as rows of noise. Dividing each pixel by the local paper level
// (a grey closing wider than a stroke) leaves dark-on-white text of the same contrast everywhere,
// and washes out dark areas wider than the closing: portraits, photo boxes, tinted bands.

#include <opencv2/core/mat.hpp>

namespace agecheck::ocr {

/// `upright` (CV_8UC1) divided by its paper level: the grey closing of size `size` (odd, a little
/// less than the text's line height), scaled so that the paper is 255. Returns `upright` itself
/// when it is empty, of another type, or `size` is below 3. Never throws (an OpenCV failure also
/// returns `upright`).
cv::Mat FlattenPaper(const cv::Mat& upright, int size) noexcept;

} // namespace agecheck::ocr

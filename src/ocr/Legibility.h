// SPDX-License-Identifier: Apache-2.0
#pragma once
// Whether a cut-out of text is worth a Tesseract pass. A pass costs a few hundred milliseconds on
// a small machine, and a frame taken while the card is still moving (smeared along the lines) or
// too far away or out of focus (no stroke detail left) reads as nothing anyway. Skipping those
// keeps the scanner free for the next, sharper frame: the kiosk's time to a result depends on it.
//
// Both measures are taken on an upright cut-out (text lines horizontal) already scaled to the
// line height the recogniser is given, so that they do not depend on the frame's resolution, and
// neither depends on the cut-out's contrast.

#include <opencv2/core/mat.hpp>

namespace agecheck::ocr {

struct Legibility {
	/// Gradient energy along the lines over that across them (Sobel, squared). Characters have
	/// as many upright strokes as flat ones: about 1 for sharp text. Motion along the lines smears
	/// the upright strokes away and leaves the lines' top and bottom edges: towards 0.
	float along = 0;
	/// Laplacian standard deviation over intensity standard deviation: how much stroke-sized detail
	/// is left. Defocus, and text too small for its line height, lower it.
	float detail = 0;
};

/// Measures an upright CV_8UC1 cut-out. All zero for an empty, flat or other-typed image. Never
/// throws.
Legibility Measure(const cv::Mat& upright) noexcept;

/// Below these a cut-out is not read. Set on the generator's camera frames and the demo clip (at
/// the scanner's line heights: MRZ characters 32 px, printed lines 26 px): every MRZ line and
/// printed date that was read measured along >= 0.60 and detail >= 0.083, while 95% of the MRZ-like
/// zones seen on moving licences measured along <= 0.35.
constexpr float kMinAlong = 0.45f;
constexpr float kMinDetail = 0.07f;

/// Whether `l` is worth a recogniser pass.
constexpr bool Legible(const Legibility& l) noexcept { return l.along >= kMinAlong && l.detail >= kMinDetail; }

} // namespace agecheck::ocr

// SPDX-License-Identifier: Apache-2.0
#pragma once
// Finding PDF417 symbols in a camera frame and cutting them out upright.
// A PDF417 symbol is a block of parallel bars: strong gradients that all point one way. The
// detector looks for that in the local structure tensor, at reduced resolution, so it costs a
// few milliseconds per 1080p frame and finds symbols at any rotation.

#include <opencv2/core/mat.hpp>
#include <opencv2/core/types.hpp>
#include <vector>

namespace agecheck::locate {

/// Detector options; each states its default.
struct Options {
	int detectWidth = 960;        ///< frames are scaled to this width for detection; default 960
	int maxCandidates = 3;        ///< at most this many regions, best first; default 3
	float minCoherence = 0.45f;   ///< how parallel the gradients must be (0..1); default 0.45
	float minEnergy = 400.f;      ///< mean squared Sobel gradient a region needs; default 400
	float minAreaFraction = 0.004f; ///< smallest region, as a fraction of the frame; default 0.4%
};

/// A region that looks like a PDF417 symbol, in frame coordinates.
struct Candidate {
	cv::Point2f center;   ///< centre of the region
	float rowAngle = 0;   ///< direction of the symbol's rows (across the bars), radians
	float halfLength = 0; ///< half the extent along the rows
	float halfHeight = 0; ///< half the extent across the rows
	float score = 0;      ///< higher is more barcode-like
};

/// Finds PDF417-like regions in a grey frame (CV_8UC1); best first, empty when there is none.
std::vector<Candidate> FindPdf417(const cv::Mat& gray, const Options& options = {});

/// Cuts `c` out of `gray`, rotated so that its rows run left to right, with a quiet-zone margin
/// of `margin` times its height on every side, scaled by `scale`. The result is CV_8UC1.
cv::Mat Rectify(const cv::Mat& gray, const Candidate& c, double scale = 1.0, double margin = 0.25);

} // namespace agecheck::locate

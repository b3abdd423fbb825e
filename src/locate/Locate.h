// SPDX-License-Identifier: Apache-2.0
#pragma once
// Finding PDF417 symbols in a camera frame and cutting them out upright.
// A PDF417 symbol is a block of parallel bars: strong gradients that all point one way. The
// detector looks for that in the local structure tensor, at reduced resolution, so it costs a
// few milliseconds per 1080p frame and finds symbols at any rotation.

#include <array>
#include <opencv2/core/mat.hpp>
#include <opencv2/core/types.hpp>
#include <vector>

namespace agecheck::locate {

/// Detector options; each states its default.
struct Options {
	int detectWidth = 960;        ///< frames are scaled to this width for detection; default 960
	int maxCandidates = 3;        ///< at most this many regions, best first; default 3
	float minCoherence = 0.3f;    ///< how parallel the gradients must be (0..1); default 0.3
	float minEnergy = 2500.f;     ///< coherent energy (squared Sobel response) a pixel needs at least; default 2500
	float maxEnergyThreshold = 20000.f; ///< the contrast-adaptive threshold never exceeds this; default 20000
	int minBlock = 15;            ///< a symbol must hold a square this wide, in detection pixels; default 15
	float minAreaFraction = 0.004f; ///< smallest region, as a fraction of the frame; default 0.4%
};

/// A region that looks like a PDF417 symbol, in frame coordinates.
struct Candidate {
	cv::Point2f center;   ///< centre of the region
	float rowAngle = 0;   ///< direction of the symbol's rows (across the bars), radians
	float halfLength = 0; ///< half the extent along the rows
	float halfHeight = 0; ///< half the extent across the rows
	float score = 0;      ///< higher is more barcode-like
	bool hasQuad = false; ///< true when the region's outline has four clear corners
	std::array<cv::Point2f, 4> quad{}; ///< those corners: top-left, top-right, bottom-right, bottom-left (rows run left to right)
};

/// Finds PDF417-like regions in a grey frame (CV_8UC1); best first, empty when there is none.
std::vector<Candidate> FindPdf417(const cv::Mat& gray, const Options& options = {});

/// The row direction of `c` refined to a fraction of a degree by searching +-`range` degrees in
/// `step`s for the angle at which the symbol's long start and stop bars stand upright (zxing-cpp's
/// PDF417 reader tolerates only about one degree of skew). Returns the refined angle, radians.
float RefineRowAngle(const cv::Mat& gray, const Candidate& c, float range = 4.f, float step = 0.5f);

/// Refines the quadrilateral of `c` to the symbol's own edges: in a first perspective cut-out it
/// follows the bar density outwards from the centre to where it ends, fits a line to each side
/// and moves the corners to their meeting points. False (and `c` unchanged) when the edges are
/// not clear.
bool RefineQuad(const cv::Mat& gray, Candidate& c);

/// Cuts the quadrilateral of `c` out of `gray` with a perspective warp, so that a symbol seen at an
/// angle comes out rectangular, rows left to right, with the same margin as Rectify. Empty when `c`
/// has no quadrilateral.
cv::Mat RectifyQuad(const cv::Mat& gray, const Candidate& c, double scale = 1.0, double margin = 0.25);

/// Cuts `c` out of `gray`, rotated so that its rows run left to right, with a quiet-zone margin
/// of `margin` times its height on every side, scaled by `scale`. The result is CV_8UC1.
cv::Mat Rectify(const cv::Mat& gray, const Candidate& c, double scale = 1.0, double margin = 0.25);

} // namespace agecheck::locate

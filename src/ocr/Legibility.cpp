// SPDX-License-Identifier: Apache-2.0
#include "ocr/Legibility.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

namespace agecheck::ocr {

namespace {

/// Rows per strip: the derivatives of a strip are three float buffers of this many rows, reused
/// strip after strip, instead of three the size of the whole picture. (A block of printed text
/// scaled to 26 px lines can be 2 MP: three 8 MB buffers, fresh pages each, which the wiping
/// layers zero again on release, took 20-50 ms of a 60 ms measure.)
constexpr int kStripRows = 64;

} // namespace

Legibility Measure(const cv::Mat& upright) noexcept
{
	if (upright.empty() || upright.type() != CV_8UC1 || upright.rows < 3 || upright.cols < 3)
		return {};
	try {
		cv::Scalar mean, sd;
		cv::meanStdDev(upright, mean, sd);
		if (sd[0] < 1)
			return {}; // flat: nothing written
		// Each strip is a view into the picture, so the filters read the rows above and below it
		// where there are any, and the picture's own border beyond its edges: the sums over the
		// strips are those over the whole picture.
		double ex = 0, ey = 0, lapSum = 0, lapSquares = 0;
		cv::Mat gx, gy, lap;
		for (int y = 0; y < upright.rows; y += kStripRows) {
			const cv::Mat strip = upright.rowRange(y, std::min(upright.rows, y + kStripRows));
			cv::Sobel(strip, gx, CV_32F, 1, 0);
			cv::Sobel(strip, gy, CV_32F, 0, 1);
			ex += gx.dot(gx);
			ey += gy.dot(gy);
			cv::Laplacian(strip, lap, CV_32F);
			lapSum += cv::sum(lap)[0];
			lapSquares += lap.dot(lap);
		}
		const double n = double(upright.total());
		const double lapMean = lapSum / n;
		const double lapSd = std::sqrt(std::max(0.0, lapSquares / n - lapMean * lapMean));
		Legibility l;
		l.along = ey > 0 ? float(ex / ey) : 0.f;
		l.detail = float(lapSd / sd[0]);
		return l;
	} catch (...) {
		return {};
	}
}

} // namespace agecheck::ocr

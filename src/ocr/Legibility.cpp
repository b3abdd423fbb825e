// SPDX-License-Identifier: Apache-2.0
#include "ocr/Legibility.h"

#include <opencv2/imgproc.hpp>

namespace agecheck::ocr {

Legibility Measure(const cv::Mat& upright) noexcept
{
	if (upright.empty() || upright.type() != CV_8UC1 || upright.rows < 3 || upright.cols < 3)
		return {};
	try {
		cv::Scalar mean, sd;
		cv::meanStdDev(upright, mean, sd);
		if (sd[0] < 1)
			return {}; // flat: nothing written
		cv::Mat gx, gy, lap;
		cv::Sobel(upright, gx, CV_32F, 1, 0);
		cv::Sobel(upright, gy, CV_32F, 0, 1);
		const double ex = gx.dot(gx), ey = gy.dot(gy);
		cv::Laplacian(upright, lap, CV_32F);
		cv::Scalar lapMean, lapSd;
		cv::meanStdDev(lap, lapMean, lapSd);
		Legibility l;
		l.along = ey > 0 ? float(ex / ey) : 0.f;
		l.detail = float(lapSd[0] / sd[0]);
		return l;
	} catch (...) {
		return {};
	}
}

} // namespace agecheck::ocr

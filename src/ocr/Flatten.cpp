// SPDX-License-Identifier: Apache-2.0
#include "ocr/Flatten.h"

#include <opencv2/imgproc.hpp>

namespace agecheck::ocr {

cv::Mat FlattenPaper(const cv::Mat& upright, int size) noexcept
{
	if (upright.empty() || upright.type() != CV_8UC1 || size < 3)
		return upright;
	try {
		size |= 1;
		cv::Mat paper, out;
		cv::morphologyEx(upright, paper, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, {size, size}));
		// A closing is never darker than the image: every ratio is at most 1, the paper 255.
		cv::divide(upright, paper, out, 255.0);
		return out;
	} catch (...) {
		return upright;
	}
}

} // namespace agecheck::ocr

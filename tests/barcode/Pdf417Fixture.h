// SPDX-License-Identifier: Apache-2.0
#pragma once
// Test helper: renders a PDF417 symbol with zxing-cpp's writer and places it in a scene.

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <string>

namespace agecheck::fixture {

/// A PDF417 symbol of `text`, `module` pixels per module, white background, 8-bit grey.
inline cv::Mat RenderPdf417(const std::string& text, int module = 3)
{
	auto writer = ZXing::MultiFormatWriter(ZXing::BarcodeFormat::PDF417).setMargin(0).setEccLevel(5);
	const ZXing::BitMatrix bits = writer.encode(text, 0, 0);
	const auto m = ZXing::ToMatrix<std::uint8_t>(bits);
	cv::Mat symbol(m.height(), m.width(), CV_8UC1, const_cast<std::uint8_t*>(m.data()));
	cv::Mat out;
	cv::resize(symbol, out, cv::Size(), module, module, cv::INTER_NEAREST);
	return out;
}

/// `symbol` rotated by `degrees` about its centre and pasted at `center` on a grey canvas.
inline cv::Mat PlaceRotated(const cv::Mat& symbol, double degrees, cv::Size canvas, cv::Point2f center)
{
	cv::Mat padded;
	const int pad = 40;
	cv::copyMakeBorder(symbol, padded, pad, pad, pad, pad, cv::BORDER_CONSTANT, cv::Scalar(255));
	cv::Mat scene(canvas, CV_8UC1, cv::Scalar(90));
	cv::Matx23d M = cv::getRotationMatrix2D(cv::Point2f(float(padded.cols) / 2, float(padded.rows) / 2), degrees, 1.0);
	M(0, 2) += center.x - padded.cols / 2.0;
	M(1, 2) += center.y - padded.rows / 2.0;
	cv::warpAffine(padded, scene, M, canvas, cv::INTER_LINEAR, cv::BORDER_TRANSPARENT);
	return scene;
}

} // namespace agecheck::fixture

// SPDX-License-Identifier: Apache-2.0
#include <cmath>
#include <gtest/gtest.h>
#include <numbers>

#include "../barcode/Pdf417Fixture.h"
#include "barcode/Barcode.h"
#include "locate/Locate.h"

using namespace agecheck;

namespace {
/// Angle difference modulo 180 degrees (a row direction has no sign), in degrees.
double AxisDiffDeg(double radians, double degrees)
{
	double d = std::fmod(std::abs(radians * 180 / std::numbers::pi - degrees), 180.0);
	return std::min(d, 180 - d);
}
} // namespace

class LocateAtAngle : public ::testing::TestWithParam<int> {};

// A symbol at any rotation is found, its row direction measured, and the cut-out decodes.
TEST_P(LocateAtAngle, FindsRectifiesAndDecodes)
{
	const int degrees = GetParam();
	const std::string text = "PDF417 at " + std::to_string(degrees) + " degrees, row direction test payload 0123456789";
	const cv::Point2f where(1100, 500);
	const cv::Mat scene = fixture::PlaceRotated(fixture::RenderPdf417(text, 3), degrees, {1920, 1080}, where);

	const auto cands = locate::FindPdf417(scene);
	ASSERT_FALSE(cands.empty());
	const auto& c = cands.front();
	EXPECT_LT(cv::norm(c.center - where), 40.0);
	// getRotationMatrix2D turns counter-clockwise on screen (y down): rows point at -degrees.
	EXPECT_LT(AxisDiffDeg(c.rowAngle, -degrees), 3.0);

	const cv::Mat crop = locate::Rectify(scene, c);
	auto payload = barcode::DecodePdf417({crop.data, crop.cols, crop.rows, int(crop.step[0])});
	ASSERT_TRUE(payload);
	EXPECT_EQ(payload->view(), text);
}

INSTANTIATE_TEST_SUITE_P(Rotations, LocateAtAngle, ::testing::Values(0, 5, 12, 30, 45, 77, 90, 135, 180, 211, 300, 357));

TEST(Locate, NothingInAnEmptyOrPlainFrame)
{
	EXPECT_TRUE(locate::FindPdf417(cv::Mat()).empty());
	EXPECT_TRUE(locate::FindPdf417(cv::Mat(1080, 1920, CV_8UC1, cv::Scalar(128))).empty());
	cv::Mat colour(100, 100, CV_8UC3);
	EXPECT_TRUE(locate::FindPdf417(colour).empty()) << "only grey frames are accepted";
}

TEST(Locate, IgnoresTextAndEdges)
{
	cv::Mat scene(1080, 1920, CV_8UC1, cv::Scalar(200));
	cv::rectangle(scene, {300, 200, 1200, 700}, cv::Scalar(60), 3);
	for (int i = 0; i < 14; ++i)
		cv::putText(scene, "SAMPLE TEXT ON A CARD FRONT 12/34/5678", {340, 260 + i * 45}, cv::FONT_HERSHEY_SIMPLEX, 1.0,
					cv::Scalar(20), 2);
	const auto cands = locate::FindPdf417(scene);
	for (const auto& c : cands) // text may be flagged, but never above a real symbol's score
		EXPECT_LT(c.score, 50.f);
}

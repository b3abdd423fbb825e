// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <cmath>
#include <gtest/gtest.h>
#include <numbers>
#include <opencv2/imgproc.hpp>

#include "locate/MrzLocate.h"
#include "synth/Documents.h"
#include "synth/Synth.h"

using namespace agecheck;
using namespace std::chrono;

namespace {
constexpr year_month_day kToday{year{2026}, month{11}, day{25}};

cv::Mat Gray(const cv::Mat& bgr)
{
	cv::Mat g;
	cv::cvtColor(bgr, g, cv::COLOR_BGR2GRAY);
	return g;
}

/// True when `p` lies inside the quadrilateral `q`.
bool Inside(const std::array<cv::Point2f, 4>& q, cv::Point2f p)
{
	return cv::pointPolygonTest(std::vector<cv::Point2f>(q.begin(), q.end()), p, false) >= 0;
}
} // namespace

TEST(MrzLocate, FindsTheZoneOfEveryMrzDocumentOnEasyScenes)
{
	for (auto kind : {synth::DocumentKind::Passport, synth::DocumentKind::IdTd1, synth::DocumentKind::IdTd2}) {
		for (std::uint64_t i = 0; i < 6; ++i) {
			const auto sample = synth::MakeDocumentSample(synth::DeriveSeed(31, i), kind, synth::Level::Easy, kToday);
			const auto found = locate::FindMrz(Gray(sample.image));
			ASSERT_FALSE(found.empty()) << synth::ToString(kind) << " " << i;
			const auto& zone = found.front();
			EXPECT_EQ(zone.lines.size(), kind == synth::DocumentKind::IdTd1 ? 3u : 2u) << synth::ToString(kind) << " " << i;
			for (const auto& line : zone.lines) {
				EXPECT_TRUE(Inside(sample.corners, line.center)) << "the zone lies on the document";
				EXPECT_GT(line.halfLength / line.halfHeight, 10.f);
			}
			// Lines run top to bottom.
			for (std::size_t k = 1; k < zone.lines.size(); ++k)
				EXPECT_LT(zone.lines[k - 1].center.y, zone.lines[k].center.y);
		}
	}
}

TEST(MrzLocate, FindsNoZoneOnLicenceBacksFrontsOrEmptyScenes)
{
	for (std::uint64_t i = 0; i < 4; ++i) {
		EXPECT_TRUE(locate::FindMrz(Gray(synth::MakeEmptyScene(synth::DeriveSeed(5, i), synth::Level::Easy))).empty()) << i;
		const auto back = synth::MakeLicenceSample(synth::DeriveSeed(6, i), synth::Level::Easy, kToday);
		EXPECT_TRUE(locate::FindMrz(Gray(back.image)).empty()) << i;
		const auto front = synth::MakeDocumentSample(synth::DeriveSeed(7, i), synth::DocumentKind::Front, synth::Level::Easy, kToday);
		EXPECT_TRUE(locate::FindMrz(Gray(front.image)).empty()) << i;
	}
}

TEST(MrzLocate, RectifiedLinesAreUprightAndScaled)
{
	const auto sample = synth::MakeDocumentSample(synth::DeriveSeed(8, 0), synth::DocumentKind::Passport, synth::Level::Medium, kToday);
	const cv::Mat gray = Gray(sample.image);
	const auto found = locate::FindMrz(gray);
	ASSERT_FALSE(found.empty());
	const cv::Mat line = locate::RectifyMrzLine(gray, found.front().lines.front(), 32.f, 0.5f);
	ASSERT_FALSE(line.empty());
	EXPECT_EQ(line.type(), CV_8UC1);
	EXPECT_NEAR(line.rows, 32 * 1.6, 3) << "the character height plus 0.3 of it above and below";
	EXPECT_GT(line.cols, 30 * line.rows / 2) << "a 44-character line is long";
	// Upright: the text's ink runs along the rows, so the middle row is darker than the margins.
	cv::Mat rows;
	cv::reduce(line, rows, 1, cv::REDUCE_AVG, CV_32F);
	EXPECT_LT(rows.at<float>(line.rows / 2), rows.at<float>(1));
	EXPECT_LT(rows.at<float>(line.rows / 2), rows.at<float>(line.rows - 2));
}

TEST(MrzLocate, HostileInputGivesNothing)
{
	EXPECT_TRUE(locate::FindMrz(cv::Mat()).empty());
	EXPECT_TRUE(locate::FindMrz(cv::Mat(10, 10, CV_8UC1, cv::Scalar(0))).empty());
	EXPECT_TRUE(locate::FindMrz(cv::Mat(720, 1280, CV_8UC3, cv::Scalar(0))).empty()) << "colour is not accepted";
	cv::Mat noise(1080, 1920, CV_8UC1);
	cv::randu(noise, 0, 255);
	EXPECT_TRUE(locate::FindMrz(noise).empty());
	locate::TextBlock block;
	EXPECT_FALSE(locate::FindTextBlock(cv::Mat(), block));
	EXPECT_FALSE(locate::FindTextBlock(cv::Mat(1080, 1920, CV_8UC1, cv::Scalar(255)), block));
	EXPECT_TRUE(locate::RectifyMrzLine(noise, locate::MrzLine{}).empty()) << "a degenerate line";
	EXPECT_TRUE(locate::RectifyTextBlock(noise, locate::TextBlock{}).empty()) << "a degenerate block";
}

TEST(MrzLocate, FindsTheTextBlockOfALicenceFront)
{
	for (std::uint64_t i = 0; i < 5; ++i) {
		const auto sample = synth::MakeDocumentSample(synth::DeriveSeed(9, i), synth::DocumentKind::Front, synth::Level::Easy, kToday);
		const cv::Mat gray = Gray(sample.image);
		locate::TextBlock block;
		ASSERT_TRUE(locate::FindTextBlock(gray, block)) << i;
		EXPECT_GE(block.lines, 5);
		EXPECT_TRUE(Inside(sample.corners, block.box.center)) << i;
		const cv::Mat crop = locate::RectifyTextBlock(gray, block, 26.f);
		ASSERT_FALSE(crop.empty());
		EXPECT_GT(crop.cols, crop.rows) << "a card's text is wider than tall";
		// A wider margin before the lines: 1.5 line heights (of 26 px) more on the left, the same
		// text further right.
		const cv::Mat wide = locate::RectifyTextBlock(gray, block, 26.f, 2.5f);
		ASSERT_EQ(wide.rows, crop.rows);
		EXPECT_NEAR(wide.cols - crop.cols, 39, 1);
		cv::Mat diff;
		cv::absdiff(wide.colRange(wide.cols - crop.cols + 2, wide.cols - 2), crop.colRange(2, crop.cols - 2), diff);
		EXPECT_LT(cv::mean(diff)[0], 2.0) << "the same cut-out, shifted";
	}
}

TEST(MrzLocate, FindsTheZoneOfAPageHeldAtAnyAngle)
{
	// The same page turned in steps around the frame's centre (on a canvas big enough to hold it):
	// the zone found is the turned zone, its lines running the turned way (or the opposite way,
	// which the reader tries when the first reads as nothing).
	const auto sample = synth::MakeDocumentSample(synth::DeriveSeed(8, 1), synth::DocumentKind::Passport, synth::Level::Easy, kToday);
	const cv::Mat upright = Gray(sample.image);
	const auto base = locate::FindMrz(upright);
	ASSERT_FALSE(base.empty());
	const cv::Point2f centre0 = 0.5f * (base.front().quad[0] + base.front().quad[2]);
	for (const double deg : {20.0, 45.0, -50.0, 75.0, 90.0, 135.0, -120.0, 180.0}) {
		const cv::Point2f mid(0.5f * float(upright.cols), 0.5f * float(upright.rows));
		cv::Mat turn = cv::getRotationMatrix2D(mid, deg, 1.0);
		const int side = 2240; // holds the 1920x1080 frame at any angle
		turn.at<double>(0, 2) += side / 2.0 - double(mid.x);
		turn.at<double>(1, 2) += side / 2.0 - double(mid.y);
		cv::Mat turned;
		cv::warpAffine(upright, turned, turn, {side, side}, cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(110));
		const auto found = locate::FindMrz(turned);
		ASSERT_FALSE(found.empty()) << deg << " degrees";
		const cv::Point2f centre = 0.5f * (found.front().quad[0] + found.front().quad[2]);
		const cv::Point2f expected(float(turn.at<double>(0, 0) * double(centre0.x) + turn.at<double>(0, 1) * double(centre0.y) + turn.at<double>(0, 2)),
		                           float(turn.at<double>(1, 0) * double(centre0.x) + turn.at<double>(1, 1) * double(centre0.y) + turn.at<double>(1, 2)));
		EXPECT_LT(cv::norm(centre - expected), 30.0) << deg << " degrees";
		// getRotationMatrix2D turns counter-clockwise on screen: a line's angle (y down) drops by deg.
		const double want = double(base.front().lines.front().angle) - deg * std::numbers::pi / 180.0;
		const double got = double(found.front().lines.front().angle);
		const double off = std::remainder(got - want, std::numbers::pi); // either reading direction
		EXPECT_LT(std::abs(off), 3.0 * std::numbers::pi / 180.0) << deg << " degrees";
	}
}

TEST(MrzLocate, ZonePerspectiveCutsOutEveryLineOrNothing)
{
	const auto sample = synth::MakeDocumentSample(synth::DeriveSeed(8, 1), synth::DocumentKind::Passport, synth::Level::Easy, kToday);
	const cv::Mat gray = Gray(sample.image);
	const auto zones = locate::FindMrz(gray);
	ASSERT_FALSE(zones.empty());
	const auto& lines = zones.front().lines;
	// One upright cut-out per line, the size RectifyMrzLine gives a line of the zone's length.
	const auto cuts = locate::RectifyMrzZone(gray, lines, 32.f);
	ASSERT_EQ(cuts.size(), lines.size());
	for (std::size_t i = 0; i < cuts.size(); ++i) {
		const cv::Mat one = locate::RectifyMrzLine(gray, lines[i], 32.f);
		EXPECT_EQ(cuts[i].type(), CV_8UC1);
		EXPECT_EQ(cuts[i].rows, one.rows);
		EXPECT_NEAR(cuts[i].cols, one.cols, 0.05 * one.cols);
	}
	// Degenerate zones give nothing: one line, four, a flat line, lines of very different lengths.
	EXPECT_TRUE(locate::RectifyMrzZone(gray, {lines.front()}).empty());
	EXPECT_TRUE(locate::RectifyMrzZone(gray, {lines[0], lines[1], lines[0], lines[1]}).empty());
	auto flat = lines;
	flat[0].halfHeight = 0;
	EXPECT_TRUE(locate::RectifyMrzZone(gray, flat).empty());
	auto cut = lines;
	cut[1].halfLength *= 0.6f;
	EXPECT_TRUE(locate::RectifyMrzZone(gray, cut).empty());
	EXPECT_TRUE(locate::MrzZoneSlanted(cut)) << "lines of different lengths";
	EXPECT_TRUE(locate::RectifyMrzZone(cv::Mat(), lines).empty());
	auto same = lines;
	same[1] = same[0];
	same[1].center += cv::Point2f(-std::sin(same[0].angle), std::cos(same[0].angle)) * (4 * same[0].halfHeight);
	EXPECT_FALSE(locate::MrzZoneSlanted(same)) << "parallel, equal and aligned";
	EXPECT_FALSE(locate::MrzZoneSlanted({lines.front()}));
}

TEST(MrzLocate, ALineCutShortIsLengthenedToWhereItsTextEnds)
{
	// As the detector reports a line whose blob broke (its fillers faded, a reflection over its
	// start): the piece is lengthened over the rest of the line, and a whole line stays as it is.
	// (A TD1 line runs close to the card's edge, where a piece is sometimes left as it was.)
	int lines = 0, restored = 0;
	for (auto kind : {synth::DocumentKind::Passport, synth::DocumentKind::IdTd1, synth::DocumentKind::IdTd2}) {
		for (std::uint64_t i = 0; i < 2; ++i) {
			const auto sample = synth::MakeDocumentSample(synth::DeriveSeed(43, i), kind, synth::Level::Easy, kToday);
			const cv::Mat gray = Gray(sample.image);
			const auto found = locate::FindMrz(gray);
			ASSERT_FALSE(found.empty()) << synth::ToString(kind) << " " << i;
			for (const auto& whole : found.front().lines) {
				const cv::Point2f d(std::cos(whole.angle), std::sin(whole.angle));
				locate::MrzLine same = whole;
				locate::ExtendMrzLine(gray, same, same.halfLength);
				EXPECT_NEAR(same.halfLength, whole.halfLength, 0.03f * whole.halfLength) << "a whole line stays whole";
				for (const float side : {-1.f, 1.f}) { // the start cut off, then the end
					locate::MrzLine piece = whole;
					piece.halfLength *= 0.7f;
					piece.center -= d * (side * 0.3f * whole.halfLength);
					locate::ExtendMrzLine(gray, piece, piece.halfLength);
					EXPECT_GE(piece.halfLength, 0.7f * whole.halfLength) << "never shortened";
					EXPECT_LT(piece.halfLength, 1.05f * whole.halfLength) << "never past the text";
					restored += std::abs(piece.halfLength - whole.halfLength) < 0.05f * whole.halfLength
					            && cv::norm(piece.center - whole.center) < 0.05 * double(whole.halfLength);
				}
				++lines;
			}
		}
	}
	EXPECT_EQ(lines, 14);
	EXPECT_GE(restored, 24) << "of 28 pieces";
}

TEST(MrzLocate, ThePrintOfATurnedPageGivesItsTurn)
{
	// A page turned in steps, at the detection scale: the direction of its print is the turn that
	// lays it level again (within 6 degrees: the detector joins lines within about 15), so a turned
	// zone is found with one turn, not five.
	const auto sample = synth::MakeDocumentSample(synth::DeriveSeed(8, 1), synth::DocumentKind::Passport, synth::Level::Easy, kToday);
	cv::Mat upright;
	cv::resize(Gray(sample.image), upright, {960, 540}, 0, 0, cv::INTER_AREA);
	for (const double deg : {20.0, 45.0, -50.0, 75.0, 90.0, -120.0}) {
		const cv::Point2f mid(0.5f * float(upright.cols), 0.5f * float(upright.rows));
		cv::Mat turn = cv::getRotationMatrix2D(mid, deg, 1.0);
		const int side = 1120;
		turn.at<double>(0, 2) += side / 2.0 - double(mid.x);
		turn.at<double>(1, 2) += side / 2.0 - double(mid.y);
		cv::Mat turned;
		cv::warpAffine(upright, turned, turn, {side, side}, cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(110));
		// A line at angle a (y down) turned by deg runs at a - deg: turning by -deg lays it level.
		const double off = std::remainder(locate::TurnedTextDirection(turned) + deg, 180.0);
		EXPECT_LT(std::abs(off), 6.0) << deg << " degrees";
	}
	EXPECT_EQ(locate::TurnedTextDirection(cv::Mat(540, 960, CV_8UC1, cv::Scalar(200))), 0.0) << "no print, no direction";
	EXPECT_EQ(locate::TurnedTextDirection(cv::Mat()), 0.0);
}

TEST(MrzLocate, AZoneUpsideDownIsToldByWhereItsFillersAre)
{
	// Every kind of zone, as found on an upright page, looks the right way up; its lines taken
	// the other way (as a page held upside down is found), upside down.
	int right = 0, turned = 0, zones = 0;
	for (auto kind : {synth::DocumentKind::Passport, synth::DocumentKind::IdTd1, synth::DocumentKind::IdTd2}) {
		for (std::uint64_t i = 0; i < 6; ++i) {
			const auto sample = synth::MakeDocumentSample(synth::DeriveSeed(41, i), kind, synth::Level::Easy, kToday);
			const cv::Mat gray = Gray(sample.image);
			const auto found = locate::FindMrz(gray);
			ASSERT_FALSE(found.empty()) << synth::ToString(kind) << " " << i;
			auto lines = found.front().lines;
			++zones;
			right += !locate::MrzZoneLooksUpsideDown(gray, lines);
			std::reverse(lines.begin(), lines.end());
			for (auto& line : lines)
				line.angle += std::numbers::pi_v<float>;
			turned += locate::MrzZoneLooksUpsideDown(gray, lines);
		}
	}
	EXPECT_EQ(right, zones);
	EXPECT_EQ(turned, zones);
	EXPECT_FALSE(locate::MrzZoneLooksUpsideDown(cv::Mat(), {}));
	EXPECT_FALSE(locate::MrzZoneLooksUpsideDown(cv::Mat(100, 100, CV_8UC1, cv::Scalar(255)), {locate::MrzLine{}})) << "a degenerate line";
}

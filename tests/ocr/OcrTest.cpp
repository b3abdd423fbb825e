// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <filesystem>
#include <initializer_list>
#include <stdexcept>
#include <fstream>
#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "ocr/Flatten.h"
#include "ocr/Legibility.h"
#include "common/Secret.h"
#include "ocr/Ocr.h"
#include "synth/Documents.h"

using namespace agecheck;

namespace {

/// An MRZ line rendered in OCR-B the way a rectified camera line looks: dark on light, ~32 px
/// characters, a margin.
cv::Mat RenderLine(const std::string& text)
{
	synth::TextStyle style;
	style.font = std::string(synth::kOcrBFont);
	style.pixelHeight = 40;
	style.pitch = 26;
	cv::Mat bgr(64, int(text.size()) * 26 + 40, CV_8UC3, cv::Scalar(235, 235, 235));
	synth::DrawText(bgr, text, {20, 46}, style);
	cv::Mat gray;
	cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);
	return gray;
}

/// Printed text in the generator's sans at 36 px, dark on light grey, each string from its baseline
/// point. Grey.
cv::Mat RenderPrinted(cv::Size size, std::initializer_list<std::pair<const char*, cv::Point>> texts)
{
	cv::Mat bgr(size, CV_8UC3, cv::Scalar(240, 240, 240));
	synth::TextStyle style;
	style.pixelHeight = 36;
	for (const auto& [text, at] : texts)
		synth::DrawText(bgr, text, at, style);
	cv::Mat gray;
	cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);
	return gray;
}

std::unique_ptr<ocr::Engine> OpenDefault()
{
	std::string error;
	auto e = ocr::Engine::Open(ocr::DefaultModels(), &error);
	EXPECT_TRUE(e) << error;
	return e;
}

/// A piece of a card front under uneven light: paper shading from 120 (left) to 230 (right), a
/// dark portrait box on the left, a small light-grey label over a large dark value on each side.
/// Lines about 26 px, as the scanner cuts a front. Grey.
struct ShadedCard {
	cv::Mat gray;
	cv::Rect portrait{20, 20, 150, 170};
	cv::Rect labels[2] = {{200, 20, 90, 40}, {560, 20, 120, 40}};
};

ShadedCard MakeShadedCard()
{
	ShadedCard c;
	cv::Mat bgr(210, 760, CV_8UC3);
	for (int x = 0; x < bgr.cols; ++x)
		bgr.col(x).setTo(cv::Scalar::all(120 + 110.0 * x / (bgr.cols - 1)));
	bgr(c.portrait).setTo(cv::Scalar::all(60));
	synth::TextStyle label, value;
	label.pixelHeight = 16;
	value.font = std::string(synth::kSansBoldFont);
	value.pixelHeight = 28;
	for (int side = 0; side < 2; ++side) {
		const int x = side == 0 ? 205 : 565;
		// The labels are 45 levels darker than the paper under them.
		const double paper = 120 + 110.0 * (x + 20) / (bgr.cols - 1);
		label.colour = cv::Scalar::all(paper - 45);
		synth::DrawText(bgr, side == 0 ? "DOB" : "Expiry", {x, 48}, label);
		synth::DrawText(bgr, side == 0 ? "26 NOV 2008" : "09 JUL 2027", {x, 100}, value);
	}
	cv::cvtColor(bgr, c.gray, cv::COLOR_BGR2GRAY);
	return c;
}

} // namespace

TEST(Ocr, MissingModelFileIsAClearError)
{
	ocr::Models m = ocr::DefaultModels();
	m.mrzDir = "/nonexistent/models";
	std::string error;
	EXPECT_EQ(ocr::Engine::Open(m, &error), nullptr);
	EXPECT_EQ(error, "/nonexistent/models/mrz.traineddata: cannot read: No such file or directory");

	// The fast MRZ model alone is not enough: the best one is read after it.
	const auto dir = std::filesystem::temp_directory_path() / ("agecheck-ocr-fast-only-" + std::to_string(getpid()));
	std::filesystem::create_directories(dir);
	std::filesystem::copy_file(ocr::DefaultModelDir() + "/mrz.traineddata", dir / "mrz.traineddata");
	m.mrzDir = dir.string();
	EXPECT_EQ(ocr::Engine::Open(m, &error), nullptr);
	EXPECT_EQ(error, (dir / "mrz_best.traineddata").string() + ": cannot read: No such file or directory");
	std::filesystem::remove_all(dir);

	m = ocr::DefaultModels();
	m.textLanguage = "xx-missing";
	EXPECT_EQ(ocr::Engine::Open(m, &error), nullptr);
	EXPECT_NE(error.find("xx-missing.traineddata: cannot read"), std::string::npos) << error;
}

TEST(Ocr, BrokenModelFileIsAClearError)
{
	const auto dir = std::filesystem::temp_directory_path() / ("agecheck-ocr-test-" + std::to_string(getpid()));
	std::filesystem::create_directories(dir);
	for (const std::string& content : {std::string(), std::string("not a model at all, just text"), std::string(4096, '\xff')}) {
		std::ofstream(dir / "mrz.traineddata", std::ios::binary | std::ios::trunc) << content;
		ocr::Models m = ocr::DefaultModels();
		m.mrzDir = dir.string();
		std::string error;
		EXPECT_EQ(ocr::Engine::Open(m, &error), nullptr);
		EXPECT_EQ(error, (dir / "mrz.traineddata").string() + ": not a Tesseract model");
	}
	std::filesystem::remove_all(dir);
}

TEST(Ocr, ReadsOcrBMrzLinesExactly)
{
	auto e = OpenDefault();
	ASSERT_TRUE(e);
	const std::string lines[] = {
	    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
	    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
	    "I<UTOD231458907<<<<<<<<<<<<<<<",
	    "7408122F1204159UTO<<<<<<<<<<<6",
	    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
	};
	for (const ocr::MrzModel model : {ocr::MrzModel::Fast, ocr::MrzModel::Best})
		for (const auto& text : lines) {
			char out[128];
			const std::size_t n = e->readMrzLine(RenderLine(text), out, model);
			EXPECT_EQ(std::string(out, n), text) << (model == ocr::MrzModel::Fast ? "fast" : "best");
			EXPECT_EQ(out[n], '\0');
		}
}

TEST(Ocr, ReadsPrintedText)
{
	auto e = OpenDefault();
	ASSERT_TRUE(e);
	const cv::Mat gray = RenderPrinted({900, 160}, {{"Date of Birth 15 JAN 1990", {20, 60}}, {"Expiry 14/01/2031", {20, 120}}});
	char out[512];
	const std::size_t n = e->readText(gray, out);
	const std::string text(out, n);
	EXPECT_NE(text.find("Date of Birth"), std::string::npos) << text;
	EXPECT_NE(text.find("15 JAN 1990"), std::string::npos) << text;
	EXPECT_NE(text.find("14/01/2031"), std::string::npos) << text;
	EXPECT_LT(text.find("1990"), text.find("Expiry")) << "lines stay in reading order";
}

TEST(Ocr, ReadsLinesUntilEnough)
{
	auto e = OpenDefault();
	ASSERT_TRUE(e);
	const cv::Mat gray = RenderPrinted({1300, 250}, {{"Surname", {20, 60}},
	                                                 {"Date of Birth 15 JAN 1990", {20, 120}},
	                                                 {"Expiry 14/01/2031", {20, 180}},
	                                                 {"Sex M", {1000, 180}}});
	char out[512];
	int asked = 0;
	// Read to the end: every line, in reading order, each ending with a line break.
	std::size_t n = e->readLines(gray, out, 100.f, [&](std::string_view) { return ++asked, false; });
	std::string text(out, n);
	EXPECT_EQ(asked, 3) << "asked after each line: " << text;
	EXPECT_LT(text.find("Surname"), text.find("15 JAN 1990")) << text;
	EXPECT_LT(text.find("1990"), text.find("14/01/2031")) << text;
	EXPECT_NE(text.find("Sex"), std::string::npos) << text;
	EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3) << text;
	EXPECT_EQ(out[n], '\0');

	// Stopped at the line that holds what is looked for: the lines below are not read.
	n = e->readLines(gray, out, 100.f, [](std::string_view sofar) { return sofar.find("1990") != std::string_view::npos; });
	text.assign(out, n);
	EXPECT_NE(text.find("15 JAN 1990"), std::string::npos) << text;
	EXPECT_EQ(text.find("2031"), std::string::npos) << text;

	// At most 12 line heights of a line: the second column (about 27 heights in) is not read.
	n = e->readLines(gray, out, 12.f, [](std::string_view) { return false; });
	text.assign(out, n);
	EXPECT_NE(text.find("14/01/2031"), std::string::npos) << text;
	EXPECT_EQ(text.find("Sex"), std::string::npos) << text;

	// The block reading that follows reads the whole block again (the engine is left as it was).
	n = e->readText(gray, out);
	text.assign(out, n);
	EXPECT_NE(text.find("Surname"), std::string::npos) << text;
	EXPECT_NE(text.find("14/01/2031"), std::string::npos) << text;

	// The scrub covers the lines read this way too.
	EXPECT_GT(e->longestLine(), 8.f);
	e->scrub();
	EXPECT_EQ(e->longestLine(), 0.f);

	// A test that throws ends the reading with nothing read; bad pictures read nothing.
	EXPECT_EQ(e->readLines(gray, out, 100.f, [](std::string_view) -> bool { throw std::runtime_error("x"); }), 0u);
	EXPECT_EQ(out[0], '\0');
	EXPECT_EQ(e->readLines(cv::Mat(40, 400, CV_8UC3, cv::Scalar::all(255)), out, 100.f, [](std::string_view) { return false; }), 0u);
	EXPECT_EQ(e->readLines(gray, std::span<char>(), 100.f, [](std::string_view) { return false; }), 0u);
	SecureZero(out, sizeof out);
}

TEST(Ocr, TheScrubReadsALineLongerThanAnyLineRead)
{
	// Tesseract writes over its per-step state only as far as the next line goes: the scrub's
	// neutral line must be longer than the longest line read since the last scrub.
	auto e = OpenDefault();
	ASSERT_TRUE(e);
	char out[128];
	EXPECT_EQ(e->longestLine(), 0.f) << "nothing read yet";
	(void)e->readMrzLine(RenderLine("I<UTOD231458907<<<<<<<<<<<<<<<"), out);
	const float td1 = e->longestLine();
	(void)e->readMrzLine(RenderLine("L898902C36UTO7408122F1204159ZE184226B<<<<<10"), out, ocr::MrzModel::Best);
	const float td3 = e->longestLine();
	EXPECT_GT(td1, 10.f); // a raw line: the whole picture, 820 x 64
	EXPECT_GT(td3, 1.3f * td1) << "a passport's line is longer than an ID card's";
	e->scrub();
	EXPECT_EQ(e->longestLine(), 0.f) << "the scrub's own line does not count";

	// The neutral line is at least as long as asked, as the engines measure it; the scrub before a
	// change missed the second half of a passport's lines.
	for (const float span : {10.f, td3, 90.f}) {
		const cv::Mat neutral = ocr::NeutralLine(span);
		for (const ocr::MrzModel model : {ocr::MrzModel::Fast, ocr::MrzModel::Best}) {
			(void)e->readMrzLine(neutral, out, model);
			EXPECT_GE(e->longestLine(), span) << "MRZ engine";
			e->scrub();
		}
		(void)e->readText(neutral, out);
		EXPECT_GE(e->longestLine(), span) << "text engine";
		EXPECT_LT(e->longestLine(), std::max(1.3f * span, 30.f)) << "not much longer: its time goes with its length";
		e->scrub();
	}
	SecureZero(out, sizeof out);
}

TEST(Ocr, BadImagesAndSmallBuffersAreSafe)
{
	auto e = OpenDefault();
	ASSERT_TRUE(e);
	char out[8] = {'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x'};
	EXPECT_EQ(e->readMrzLine(cv::Mat(), out), 0u);
	EXPECT_EQ(out[0], '\0');
	EXPECT_EQ(e->readMrzLine(cv::Mat(40, 400, CV_8UC3, cv::Scalar::all(255)), out), 0u) << "colour is refused";
	EXPECT_EQ(e->readMrzLine(cv::Mat(4, 4, CV_8UC1, cv::Scalar(0)), out), 0u) << "too small";
	EXPECT_EQ(e->readText(cv::Mat(40, 400, CV_16UC1, cv::Scalar(0)), out), 0u);
	EXPECT_EQ(e->readMrzLine(RenderLine("P<UTO"), std::span<char>()), 0u) << "no room at all";
	// A long line into a short buffer is cut, and still terminated.
	const std::size_t n = e->readMrzLine(RenderLine("L898902C36UTO7408122F1204159ZE184226B<<<<<10"), out);
	EXPECT_EQ(n, sizeof out - 1);
	EXPECT_EQ(out[n], '\0');
	// Noise reads as little or nothing, and never crashes.
	cv::Mat noise(400, 1200, CV_8UC1);
	cv::randu(noise, 0, 255);
	char big[4096];
	(void)e->readText(noise, big);
	(void)e->readMrzLine(noise, big);
}

TEST(Legibility, TellsSharpTextFromSmearedOrDefocusedText)
{
	auto e = OpenDefault();
	ASSERT_TRUE(e);
	const std::string text = "L898902C36UTO7408122F1204159ZE184226B<<<<<10";
	const cv::Mat sharp = RenderLine(text);
	const ocr::Legibility s = ocr::Measure(sharp);
	EXPECT_GT(s.along, 0.6f);
	EXPECT_LT(s.along, 2.0f);
	EXPECT_GT(s.detail, 0.12f);
	EXPECT_TRUE(ocr::Legible(s));

	// The card still moving along its lines (a 25 px smear): the upright strokes are gone, and so
	// is the reading.
	cv::Mat smeared;
	cv::blur(sharp, smeared, {25, 1});
	const ocr::Legibility m = ocr::Measure(smeared);
	EXPECT_LT(m.along, 0.3f);
	EXPECT_FALSE(ocr::Legible(m));
	char out[128];
	EXPECT_NE(std::string(out, e->readMrzLine(smeared, out)), text);

	// Out of focus: both directions blurred alike, no stroke detail left.
	cv::Mat defocused;
	cv::GaussianBlur(sharp, defocused, {0, 0}, 6);
	const ocr::Legibility d = ocr::Measure(defocused);
	EXPECT_LT(d.detail, ocr::kMinDetail);
	EXPECT_FALSE(ocr::Legible(d));
	EXPECT_NE(std::string(out, e->readMrzLine(defocused, out)), text);

	// Contrast does not matter: the same line at a third of the contrast measures the same.
	cv::Mat faint;
	sharp.convertTo(faint, CV_8U, 1.0 / 3, 160);
	const ocr::Legibility f = ocr::Measure(faint);
	EXPECT_NEAR(f.along, s.along, 0.05f * s.along);
	EXPECT_NEAR(f.detail, s.detail, 0.1f * s.detail);
}

TEST(Legibility, APictureMeasuresAsAWholeWhateverItsHeight)
{
	// A block of text many strips high (Measure filters it a strip of rows at a time): the
	// measures are those of the whole picture, filtered at once. Stacked lines, a shaded and
	// noisy paper, and a height that is no multiple of a strip.
	const std::string text = "L898902C36UTO7408122F1204159ZE184226B<<<<<10";
	const cv::Mat line = RenderLine(text);
	cv::Mat block;
	for (int i = 0; i < 9; ++i)
		block.push_back(line);
	block = block.rowRange(0, block.rows - 7).clone();
	cv::Mat noise(block.size(), CV_8UC1);
	cv::randn(noise, 0, 12);
	cv::subtract(block, noise, block);
	for (int x = 0; x < block.cols; ++x)
		block.col(x) -= x * 40 / block.cols;
	ASSERT_GT(block.rows, 200);

	cv::Mat gx, gy, lap;
	cv::Sobel(block, gx, CV_32F, 1, 0);
	cv::Sobel(block, gy, CV_32F, 0, 1);
	cv::Laplacian(block, lap, CV_32F);
	cv::Scalar mean, sd, lapMean, lapSd;
	cv::meanStdDev(block, mean, sd);
	cv::meanStdDev(lap, lapMean, lapSd);
	const double along = gx.dot(gx) / gy.dot(gy), detail = lapSd[0] / sd[0];

	const ocr::Legibility l = ocr::Measure(block);
	EXPECT_NEAR(l.along, along, 1e-4 * along);
	EXPECT_NEAR(l.detail, detail, 1e-4 * detail);
	// A view into a larger picture measures as its own pixels with that picture's around them.
	const cv::Mat inner = block.rowRange(3, block.rows - 5);
	cv::Sobel(inner, gx, CV_32F, 1, 0);
	cv::Sobel(inner, gy, CV_32F, 0, 1);
	EXPECT_NEAR(ocr::Measure(inner).along, gx.dot(gx) / gy.dot(gy), 1e-4 * along);
}

TEST(Legibility, EmptyFlatAndOtherImagesMeasureNothing)
{
	for (const cv::Mat& m : {cv::Mat(), cv::Mat(40, 400, CV_8UC1, cv::Scalar(200)), cv::Mat(40, 400, CV_8UC3, cv::Scalar::all(9)),
	                         cv::Mat(2, 400, CV_8UC1, cv::Scalar(0)), cv::Mat(40, 400, CV_32FC1, cv::Scalar(1))}) {
		const ocr::Legibility l = ocr::Measure(m);
		EXPECT_EQ(l.along, 0.f);
		EXPECT_EQ(l.detail, 0.f);
		EXPECT_FALSE(ocr::Legible(l));
	}
}

TEST(Flatten, EvensOutThePaperAndWashesOutAPortrait)
{
	const ShadedCard card = MakeShadedCard();
	const cv::Mat flat = ocr::FlattenPaper(card.gray, 21);
	ASSERT_EQ(flat.size(), card.gray.size());
	ASSERT_EQ(flat.type(), CV_8UC1);
	// Paper at both ends of the shading, and the middle of the portrait box, come out white.
	EXPECT_GE(flat.at<std::uint8_t>(200, 5), 250);
	EXPECT_GE(flat.at<std::uint8_t>(150, 740), 250);
	EXPECT_GE(flat.at<std::uint8_t>(105, 95), 250);
	EXPECT_LT(card.gray.at<std::uint8_t>(200, 5), 130); // (they were not white before)
	EXPECT_LT(card.gray.at<std::uint8_t>(105, 95), 70);
	// Each label keeps its strokes: clearly darker than the paper, on the dark side as on the
	// light one, where before the dark side's paper was darker than the light side's label.
	for (const cv::Rect& r : card.labels) {
		double lo = 0;
		cv::minMaxLoc(flat(r), &lo);
		EXPECT_LT(lo, 200) << r;
	}
	double darkPaper = 0, lightLabel = 0;
	cv::minMaxLoc(card.gray(cv::Rect(185, 150, 10, 10)), nullptr, &darkPaper);
	cv::minMaxLoc(card.gray(card.labels[1]), &lightLabel);
	EXPECT_LT(darkPaper, lightLabel); // no global threshold keeps both labels and drops the paper
}

TEST(Flatten, OtherImagesAndSizesAreLeftAsTheyAre)
{
	const cv::Mat gray(40, 400, CV_8UC1, cv::Scalar(200));
	EXPECT_EQ(ocr::FlattenPaper(gray, 1).data, gray.data);
	EXPECT_EQ(ocr::FlattenPaper(gray, -5).data, gray.data);
	const cv::Mat bgr(40, 400, CV_8UC3, cv::Scalar::all(9));
	EXPECT_EQ(ocr::FlattenPaper(bgr, 21).data, bgr.data);
	EXPECT_TRUE(ocr::FlattenPaper(cv::Mat(), 21).empty());
	// A flat image stays flat (white), an even size is made odd.
	const cv::Mat flat = ocr::FlattenPaper(gray, 20);
	EXPECT_EQ(cv::countNonZero(flat != 255), 0);
}

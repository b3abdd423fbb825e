// SPDX-License-Identifier: Apache-2.0
// The scanner's guidance for the cashier: what it found in a frame (its outline) and a hint when
// the frame gave no verdict. Synthetic scenes, changed the way a counter changes them: the card
// held too far away, a reflection, shake; and the same guide through the sandboxed worker.
#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "ocr/Ocr.h"
#include "sighting/Sighting.h"
#include "SharedEngine.h"
#include "sighting/Worker.h"
#include "synth/Documents.h"
#include "synth/Synth.h"

using namespace agecheck;
using namespace std::chrono;
using sighting::Found;
using sighting::Hint;

namespace {
constexpr year_month_day kToday{year{2026}, month{11}, day{25}};

std::shared_ptr<ocr::Engine> Engine()
{
	return testutil::SharedEngine();
}

sighting::Scanner MakeScanner(std::vector<std::string> profiles = age::AllPrintedProfiles())
{
	age::Policy p = age::DefaultPolicy();
	p.printedProfiles = std::move(profiles);
	sighting::Options o;
	o.ocr = Engine();
	return sighting::Scanner(p, o);
}

synth::Sample Licence(std::uint64_t seed = 3)
{
	return synth::MakeLicenceSample(seed, synth::Level::Easy, kToday, 18);
}

/// The scene shrunk by `factor` around its centre on a plain desk of the same size: the card
/// held that much further from the camera.
cv::Mat Farther(const cv::Mat& scene, double factor)
{
	cv::Mat small, out(scene.size(), scene.type(), cv::Scalar(96, 104, 110));
	cv::resize(scene, small, {}, factor, factor, cv::INTER_AREA);
	small.copyTo(out(cv::Rect((out.cols - small.cols) / 2, (out.rows - small.rows) / 2, small.cols, small.rows)));
	return out;
}

/// The centre of `quad`.
cv::Point2f Centre(const std::array<cv::Point2f, 4>& quad)
{
	return (quad[0] + quad[1] + quad[2] + quad[3]) * 0.25f;
}

} // namespace

TEST(Guide, AReadLicenceIsOutlinedWithoutAHint)
{
	const auto sample = Licence();
	sighting::Guide guide;
	const auto s = MakeScanner().scanFrame(sample.image, kToday, &guide);
	ASSERT_EQ(s.reason, Reason::Aamva);
	EXPECT_EQ(guide.found, Found::Barcode);
	EXPECT_EQ(guide.hint, Hint::None);
	// The outline is the symbol's, in fractions of the frame.
	for (std::size_t i = 0; i < 4; ++i) {
		EXPECT_NEAR(guide.outline[i].x, sample.barcodeCorners[i].x / 1920.f, 0.03) << "corner " << i;
		EXPECT_NEAR(guide.outline[i].y, sample.barcodeCorners[i].y / 1080.f, 0.05) << "corner " << i;
	}
}

TEST(Guide, ABarcodeTooFarAwayAsksToMoveCloser)
{
	const cv::Mat far = Farther(Licence().image, 0.42);
	sighting::Guide guide;
	const auto s = MakeScanner().scanFrame(far, kToday, &guide);
	ASSERT_FALSE(s.documentRead()) << "the test needs a symbol too small to read";
	EXPECT_EQ(guide.found, Found::Barcode);
	EXPECT_EQ(guide.hint, Hint::MoveCloser);
	// Still where the card is: around the middle of the frame.
	const cv::Point2f c = Centre(guide.outline);
	EXPECT_GT(c.x, 0.3f);
	EXPECT_LT(c.x, 0.7f);
	EXPECT_GT(c.y, 0.3f);
	EXPECT_LT(c.y, 0.7f);
}

TEST(Guide, AReflectionOverTheBarcodeAsksToTilt)
{
	const auto sample = Licence();
	cv::Mat frame = sample.image.clone();
	// A washed-out spot over half the symbol: a reflection of the shop's lights.
	const cv::Point2f c = Centre(sample.barcodeCorners);
	const float w = float(cv::norm(sample.barcodeCorners[1] - sample.barcodeCorners[0]));
	const float h = float(cv::norm(sample.barcodeCorners[3] - sample.barcodeCorners[0]));
	cv::ellipse(frame, c, cv::Size(int(w * 0.3f), int(h * 0.45f)), 0, 0, 360, cv::Scalar::all(255), cv::FILLED);
	sighting::Guide guide;
	const auto s = MakeScanner().scanFrame(frame, kToday, &guide);
	ASSERT_FALSE(s.documentRead()) << "the test needs a symbol the reflection makes unreadable";
	EXPECT_EQ(guide.found, Found::Barcode);
	EXPECT_EQ(guide.hint, Hint::TiltForGlare);
}

TEST(Guide, AShakenBarcodeAsksToHoldStill)
{
	cv::Mat frame;
	// 7 px of horizontal motion. (Much more smears the symbol's rows into lines that the MRZ
	// detector takes for a zone: the guide then outlines that.)
	const cv::Mat kernel = cv::Mat::ones(1, 7, CV_32F) / 7.f;
	cv::filter2D(Licence().image, frame, -1, kernel);
	sighting::Guide guide;
	const auto s = MakeScanner().scanFrame(frame, kToday, &guide);
	ASSERT_FALSE(s.documentRead()) << "the test needs a symbol the motion makes unreadable";
	EXPECT_EQ(guide.found, Found::Barcode);
	EXPECT_EQ(guide.hint, Hint::HoldStill);
}

TEST(Guide, APassportZoneIsOutlined)
{
	const auto sample = synth::MakeDocumentSample(2, synth::DocumentKind::Passport, synth::Level::Easy, kToday);
	sighting::Guide guide;
	const auto s = MakeScanner().scanFrame(sample.image, kToday, &guide);
	EXPECT_EQ(guide.found, Found::Mrz);
	if (s.documentRead() && !s.tentative()) {
		EXPECT_EQ(guide.hint, Hint::None);
	}
	// The zone is two long lines: much wider than tall, in the lower part of the page.
	const float wide = float(cv::norm(guide.outline[1] - guide.outline[0])) * 1920.f;
	const float tall = float(cv::norm(guide.outline[3] - guide.outline[0])) * 1080.f;
	EXPECT_GT(wide, 4 * tall);
}

namespace {
/// `image` smeared by `px` pixels of motion along its rows: a card still moving into view.
cv::Mat Smeared(const cv::Mat& image, int px)
{
	cv::Mat out;
	cv::blur(image, out, {px, 1});
	return out;
}
} // namespace

TEST(Guide, APassportStillMovingIsNotReadAndAsksToHoldStill)
{
	const auto sample = synth::MakeDocumentSample(2, synth::DocumentKind::Passport, synth::Level::Easy, kToday);
	const auto scanner = MakeScanner();
	// Sharp, the page is read: its zone line by line, and its printed text for the cross-check
	// when the zone says "over".
	std::size_t before = Engine()->reads();
	sighting::Guide guide;
	auto s = scanner.scanFrame(sample.image, kToday, &guide);
	EXPECT_EQ(s.reason, Reason::Mrz);
	EXPECT_GE(Engine()->reads() - before, s.verdictFor(18) == Verdict::Over ? 3u : 2u);

	// Moving along its lines, the zone is still found and outlined, but smeared past reading:
	// no recogniser pass is spent on it or on the page's text, and the cashier is asked to hold
	// the page still.
	before = Engine()->reads();
	s = scanner.scanFrame(Smeared(sample.image, 31), kToday, &guide);
	EXPECT_EQ(s.reason, Reason::Unreadable);
	EXPECT_EQ(Engine()->reads() - before, 0u);
	EXPECT_EQ(guide.found, Found::Mrz);
	EXPECT_EQ(guide.hint, Hint::HoldStill);
}

TEST(Guide, ACardFrontStillMovingIsNotReadAndAsksToHoldStill)
{
	const auto sample = synth::MakeDocumentSample(5, synth::DocumentKind::Front, synth::Level::Easy, kToday);
	const auto scanner = MakeScanner();
	std::size_t before = Engine()->reads();
	sighting::Guide guide;
	(void)scanner.scanFrame(sample.image, kToday, &guide);
	EXPECT_GE(Engine()->reads() - before, 1u) << "a sharp front's text is read";

	before = Engine()->reads();
	const auto s = scanner.scanFrame(Smeared(sample.image, 31), kToday, &guide);
	EXPECT_EQ(s.reason, Reason::Unreadable);
	EXPECT_EQ(Engine()->reads() - before, 0u);
	EXPECT_EQ(guide.found, Found::Text);
	EXPECT_EQ(guide.hint, Hint::HoldStill) << "not 'turn it over': the text was moving, not missing";
}

TEST(Guide, ACardFrontWithoutAReadableDateAsksToTurnItOver)
{
	// A front the policy's profiles cannot read (none active): its date is on the back's barcode.
	const auto sample = synth::MakeDocumentSample(5, synth::DocumentKind::Front, synth::Level::Easy, kToday);
	sighting::Guide guide;
	const auto s = MakeScanner({}).scanFrame(sample.image, kToday, &guide);
	ASSERT_FALSE(s.documentRead());
	EXPECT_EQ(guide.found, Found::Text);
	EXPECT_EQ(guide.hint, Hint::TurnOver);
}

TEST(Guide, NothingInViewGivesNoOutlineAndNoHint)
{
	const cv::Mat desk(1080, 1920, CV_8UC3, cv::Scalar(96, 104, 110));
	sighting::Guide guide;
	guide.hint = Hint::HoldStill; // overwritten
	const auto s = MakeScanner().scanFrame(desk, kToday, &guide);
	EXPECT_EQ(s.reason, Reason::Unreadable);
	EXPECT_EQ(guide.found, Found::Nothing);
	EXPECT_EQ(guide.hint, Hint::None);
	// A frame that cannot be scanned at all clears the guide too.
	guide.found = Found::Barcode;
	(void)MakeScanner().scanFrame(cv::Mat(), kToday, &guide);
	EXPECT_EQ(guide.found, Found::Nothing);
}

TEST(Guide, CrossesTheWorkerAsTheScannerGaveIt)
{
	const cv::Mat far = Farther(Licence().image, 0.42);
	sighting::Guide local;
	(void)MakeScanner().scanFrame(far, kToday, &local);

	sighting::WorkerOptions wo;
	wo.path = AGECHECK_WORKER_BIN;
	sighting::WorkerClient worker(age::DefaultPolicy(), wo);
	std::string error;
	ASSERT_TRUE(worker.start(&error)) << error;
	sighting::Guide remote;
	const auto s = worker.scanFrame(far, kToday, &remote);
	EXPECT_FALSE(s.documentRead());
	EXPECT_EQ(remote.found, local.found);
	EXPECT_EQ(remote.hint, local.hint);
	for (std::size_t i = 0; i < 4; ++i) {
		EXPECT_FLOAT_EQ(remote.outline[i].x, local.outline[i].x);
		EXPECT_FLOAT_EQ(remote.outline[i].y, local.outline[i].y);
	}
	EXPECT_EQ(worker.restarts(), 0u);
}

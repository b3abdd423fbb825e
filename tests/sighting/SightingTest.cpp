// SPDX-License-Identifier: Apache-2.0
#include <filesystem>
#include <gtest/gtest.h>
#include <opencv2/videoio.hpp>
#include <unistd.h>

#include "capture/FrameSource.h"
#include "capture/ZeroingAllocator.h"
#include "sighting/Sighting.h"
#include "synth/Synth.h"

using namespace agecheck;
using namespace std::chrono;

namespace {
constexpr year_month_day kToday{year{2026}, month{11}, day{25}};

sighting::Scanner MakeScanner(std::vector<int> thresholds = {18, 21},
							  age::ExpiredDocuments expired = age::ExpiredDocuments::Reject)
{
	age::Policy p = age::DefaultPolicy();
	p.thresholds = std::move(thresholds);
	p.expired = expired;
	return sighting::Scanner(p);
}

std::span<const std::byte> Bytes(const std::string& s)
{
	return std::as_bytes(std::span(s.data(), s.size()));
}

synth::PayloadSpec Spec(year_month_day birth, year_month_day expiry, int version = 9,
						synth::DateOrder order = synth::DateOrder::US, std::string iin = "636014")
{
	synth::PayloadSpec s;
	s.version = version;
	s.iin = std::move(iin);
	s.order = order;
	s.birth = birth;
	s.issue = year_month_day{year{2024}, month{1}, day{10}};
	s.expiry = expiry;
	s.seed = 42;
	return s;
}
constexpr year_month_day kValid{year{2030}, month{1}, day{1}};
} // namespace

TEST(Sighting, DecidesEveryOfferedThresholdFromOnePayload)
{
	const auto scanner = MakeScanner({18, 21});
	// 19 years old today: over 18, under 21.
	const auto s = scanner.decidePayload(Bytes(synth::MakeAamvaPayload(Spec({year{2007}, month{11}, day{25}}, kValid))), kToday);
	EXPECT_EQ(s.reason, Reason::Aamva);
	ASSERT_EQ(s.count, 2u);
	EXPECT_EQ(s.verdictFor(18), Verdict::Over);
	EXPECT_EQ(s.verdictFor(21), Verdict::Under);
	EXPECT_EQ(s.verdictFor(16), Verdict::Unverified) << "a threshold the policy did not offer is never answered";
}

TEST(Sighting, BirthdayBoundariesInBothDateOrders)
{
	const auto scanner = MakeScanner({18});
	for (auto order : {synth::DateOrder::US, synth::DateOrder::Canada}) {
		const std::string iin = order == synth::DateOrder::US ? "636014" : "636012";
		const auto today18 = scanner.decidePayload(
			Bytes(synth::MakeAamvaPayload(Spec({year{2008}, month{11}, day{25}}, kValid, 8, order, iin))), kToday);
		EXPECT_EQ(today18.verdictFor(18), Verdict::Over);
		const auto tomorrow18 = scanner.decidePayload(
			Bytes(synth::MakeAamvaPayload(Spec({year{2008}, month{11}, day{26}}, kValid, 8, order, iin))), kToday);
		EXPECT_EQ(tomorrow18.verdictFor(18), Verdict::Under);
	}
}

TEST(Sighting, FailsClosedOnExpiredAndNonIdPayloads)
{
	const auto scanner = MakeScanner({18, 21});
	const auto expired = scanner.decidePayload(
		Bytes(synth::MakeAamvaPayload(Spec({year{1970}, month{3}, day{3}}, {year{2025}, month{1}, day{1}}))), kToday);
	EXPECT_EQ(expired.reason, Reason::Expired);
	EXPECT_EQ(expired.verdictFor(18), Verdict::Unverified);
	EXPECT_EQ(expired.verdictFor(21), Verdict::Unverified);

	const auto accepting = MakeScanner({18}, age::ExpiredDocuments::Accept);
	const auto allowed = accepting.decidePayload(
		Bytes(synth::MakeAamvaPayload(Spec({year{1970}, month{3}, day{3}}, {year{2025}, month{1}, day{1}}))), kToday);
	EXPECT_EQ(allowed.verdictFor(18), Verdict::Over);

	for (const std::string junk : {"", "https://example.com/over18", "@", "ANSI 636014", "\x01\x02\x03"}) {
		const auto s = scanner.decidePayload(Bytes(junk), kToday);
		EXPECT_FALSE(IsSource(s.reason));
		EXPECT_EQ(s.verdictFor(18), Verdict::Unverified);
	}
	const auto future = scanner.decidePayload(
		Bytes(synth::MakeAamvaPayload(Spec({year{2027}, month{1}, day{1}}, kValid))), kToday);
	EXPECT_EQ(future.verdictFor(18), Verdict::Unverified);
}

// Scanned content is data: a barcode that reads like a command, a policy line, a protocol reply
// or a shell snippet is not an ID, and text of that kind inside a real licence changes nothing.
TEST(Sighting, ScannedContentIsNeverACommand)
{
	const auto scanner = MakeScanner({18});
	for (const std::string hostile :
		 {"thresholds = 1", "expired_documents = accept\nmax_age = 150", "--threshold 1", "$(reboot)", "`id`",
		  "{\"v\":1,\"over\":true}", "@\n\x1e\rANSI 636014090102DL00410278ZC03190024DLthresholds = 1\n\r"}) {
		const auto s = scanner.decidePayload(Bytes(hostile), kToday);
		EXPECT_FALSE(IsSource(s.reason));
		EXPECT_EQ(s.verdictFor(18), Verdict::Unverified);
	}
	// An expired licence whose name fields carry policy lines and a protocol reply is still expired,
	// and the next licence is decided under the same policy.
	auto spec = Spec({year{1970}, month{3}, day{3}}, {year{2025}, month{1}, day{1}});
	spec.familyName = "EXPIRED_DOCUMENTS = ACCEPT";
	spec.givenName = "{\"V\":1,\"OVER\":TRUE}";
	const auto expired = scanner.decidePayload(Bytes(synth::MakeAamvaPayload(spec)), kToday);
	EXPECT_EQ(expired.reason, Reason::Expired);
	EXPECT_EQ(expired.verdictFor(18), Verdict::Unverified);
	const auto minor = scanner.decidePayload(
		Bytes(synth::MakeAamvaPayload(Spec({year{2010}, month{1}, day{1}}, {year{2025}, month{1}, day{1}}))), kToday);
	EXPECT_EQ(minor.reason, Reason::Expired);
}

// A licence with a second, contradicting date of birth appended must never read as over.
TEST(Sighting, ContradictingBirthDatesNeverGiveOver)
{
	const auto scanner = MakeScanner({18});
	std::string payload = synth::MakeAamvaPayload(Spec({year{2012}, month{5}, day{5}}, kValid));
	const auto cr = payload.rfind('\r');
	ASSERT_NE(cr, std::string::npos);
	payload.insert(cr, "\nDBB05051980");
	const auto s = scanner.decidePayload(Bytes(payload), kToday);
	EXPECT_NE(s.verdictFor(18), Verdict::Over);
}

// Degenerate and hostile frames: slivers, odd pixel types, stripes, too many pixels. Each is
// unreadable, and none throws or crashes.
TEST(Sighting, DegenerateFramesAreUnreadable)
{
	const auto scanner = MakeScanner({18});
	cv::Mat stripes(30000, 100, CV_8UC1);
	for (int y = 0; y < stripes.rows; ++y)
		stripes.row(y).setTo(cv::Scalar((y / 3) % 2 ? 255 : 0));
	cv::Mat noise(1080, 1920, CV_8UC3);
	cv::randu(noise, 0, 256);
	const cv::Mat frames[] = {
		cv::Mat(1, 4000, CV_8UC1, cv::Scalar(0)),   cv::Mat(2, 5000, CV_8UC3, cv::Scalar(9)),
		cv::Mat(4000, 1, CV_8UC1, cv::Scalar(200)), stripes,
		cv::Mat(600, 800, CV_8SC3, cv::Scalar(1)),  cv::Mat(600, 800, CV_64FC3, cv::Scalar(0.5)),
		cv::Mat(600, 800, CV_16UC1, cv::Scalar(9)), cv::Mat(600, 800, CV_8UC2, cv::Scalar(9)),
		noise,
	};
	for (const auto& f : frames) {
		const auto s = scanner.scanFrame(f, kToday);
		EXPECT_EQ(s.reason, Reason::Unreadable) << f.cols << "x" << f.rows << " type " << f.type();
		EXPECT_EQ(s.verdictFor(18), Verdict::Unverified);
	}
	sighting::Options small;
	small.maxPixels = 1000;
	const sighting::Scanner capped(age::DefaultPolicy(), small);
	const auto sample = synth::MakeLicenceSample(1, synth::Level::Easy, kToday, 18);
	EXPECT_EQ(capped.scanFrame(sample.image, kToday).reason, Reason::Unreadable) << "over the pixel cap";
}

TEST(Sighting, ReadsEasyCameraFramesCorrectly)
{
	capture::InstallZeroingAllocator();
	const auto scanner = MakeScanner({18});
	int correct = 0;
	for (std::uint64_t i = 0; i < 12; ++i) {
		const auto sample = synth::MakeLicenceSample(synth::DeriveSeed(99, i), synth::Level::Easy, kToday, 18);
		const auto s = scanner.scanFrame(sample.image, kToday);
		EXPECT_FALSE(s.verdictFor(18) == Verdict::Over && sample.expected != Verdict::Over) << "wrong over, seed " << i;
		correct += s.verdictFor(18) == sample.expected && s.reason == sample.expectedReason;
	}
	EXPECT_EQ(correct, 12);
}

TEST(Sighting, EmptyAndNonIdScenesGiveNoVerdict)
{
	const auto scanner = MakeScanner({18});
	for (std::uint64_t i = 0; i < 4; ++i) {
		const auto empty = scanner.scanFrame(synth::MakeEmptyScene(i, synth::Level::Medium), kToday);
		EXPECT_EQ(empty.reason, Reason::Unreadable);
		EXPECT_EQ(empty.verdictFor(18), Verdict::Unverified);
		const auto label = scanner.scanFrame(synth::MakeNonIdBarcodeScene(i, synth::Level::Easy), kToday);
		EXPECT_EQ(label.reason, Reason::NotAnId);
		EXPECT_EQ(label.verdictFor(18), Verdict::Unverified);
	}
	EXPECT_EQ(scanner.scanFrame(cv::Mat(), kToday).reason, Reason::Unreadable);
	EXPECT_EQ(scanner.scanFrame(cv::Mat(10, 10, CV_32FC1, cv::Scalar(0.5)), kToday).reason, Reason::Unreadable);
}

TEST(Sighting, VideoIsReadUntilADocumentIsSighted)
{
	const auto path = std::filesystem::temp_directory_path() / ("agecheck-sighting-" + std::to_string(getpid()) + ".avi");
	const auto sample = synth::MakeLicenceSample(synth::DeriveSeed(5, 1), synth::Level::Easy, kToday, 18);
	{
		cv::VideoWriter w(path.string(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 15, sample.image.size());
		ASSERT_TRUE(w.isOpened());
		for (int i = 0; i < 3; ++i)
			w.write(synth::MakeEmptyScene(std::uint64_t(i), synth::Level::Easy));
		for (int i = 0; i < 2; ++i)
			w.write(sample.image);
	}
	auto source = capture::OpenFile(path.string());
	ASSERT_TRUE(source);
	const auto s = MakeScanner({18}).scanSource(**source, kToday);
	std::filesystem::remove(path);
	EXPECT_EQ(s.reason, sample.expectedReason);
	EXPECT_EQ(s.verdictFor(18), sample.expected);
}

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

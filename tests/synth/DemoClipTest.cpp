// SPDX-License-Identifier: Apache-2.0
// Tests of the kiosk's demo clip: the plan (timeline, frame ranges, verdicts decided by
// construction, determinism, a manifest of tokens and frame numbers only), and a short clip that is
// written, read back through FFmpeg and scanned frame by frame by the project's own pipeline
// (sighting::Scanner): every licence back gives its verdict while it is held, and no frame ever
// gives an "over" it must not (none at all on the empty counter).
// Failure messages name documents and frame numbers, never the (fictional) identity data.

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/videoio.hpp>
#include <unistd.h>

#include "age/Policy.h"
#include "common/Reason.h"
#include "sighting/Sighting.h"
#include "synth/DemoClip.h"

namespace agecheck::synth {
namespace {

using namespace std::chrono;
constexpr year_month_day kToday{year{2026}, month{11}, day{25}};

/// What each document must produce at thresholds 18 and 21, written out independently of the
/// generator.
struct Expected {
	DemoDocument document;
	std::string_view kind;
	Verdict at18;
	Verdict at21;
	Reason reason;
};
constexpr Expected kExpected[] = {
	{DemoDocument::LicenceOver21, "licence-back", Verdict::Over, Verdict::Over, Reason::Aamva},
	{DemoDocument::LicenceUnder, "licence-back", Verdict::Under, Verdict::Under, Reason::Aamva},
	{DemoDocument::LicenceBetween, "licence-back", Verdict::Over, Verdict::Under, Reason::Aamva},
	{DemoDocument::LicenceExpired, "licence-back", Verdict::Unverified, Verdict::Unverified, Reason::Expired},
	{DemoDocument::Passport, "passport-td3", Verdict::Over, Verdict::Over, Reason::Mrz},
	{DemoDocument::LicenceFront, "licence-front", Verdict::Under, Verdict::Under, Reason::Printed},
	{DemoDocument::ShippingLabel, "non-id-barcode", Verdict::Unverified, Verdict::Unverified, Reason::NotAnId},
};

const Expected& ExpectedFor(DemoDocument d)
{
	for (const Expected& e : kExpected)
		if (e.document == d)
			return e;
	return kExpected[0];
}

DemoClipOptions FullOptions(std::uint64_t seed = 7)
{
	DemoClipOptions o;
	o.seed = seed;
	o.today = kToday;
	return o;
}

/// The short clip of the round-trip test: three licence backs around the thresholds and a label.
DemoClipOptions ShortOptions()
{
	DemoClipOptions o = FullOptions(11);
	o.documents = {DemoDocument::LicenceOver21, DemoDocument::LicenceUnder, DemoDocument::LicenceBetween,
				   DemoDocument::ShippingLabel};
	return o;
}

/// A temporary directory removed at the end of the test.
struct TempDir {
	std::filesystem::path path =
		std::filesystem::temp_directory_path() / ("agecheck-demo-clip-" + std::to_string(::getpid()));
	TempDir() { std::filesystem::create_directories(path); }
	~TempDir()
	{
		std::error_code ec;
		std::filesystem::remove_all(path, ec);
	}
};

TEST(DemoClip, DefaultPlanShowsEveryDocumentWithItsVerdicts)
{
	const DemoClipManifest m = PlanDemoClip(FullOptions());
	ASSERT_TRUE(m.ok()) << m.error;
	EXPECT_EQ(m.size, cv::Size(1280, 720));
	EXPECT_EQ(m.fps, 15);
	EXPECT_TRUE(m.fourcc.empty()) << "nothing is encoded by a plan";
	EXPECT_EQ(m.thresholds, (std::array<int, 2>{18, 21}));
	const double seconds = static_cast<double>(m.frames) / m.fps;
	EXPECT_GE(seconds, 30.0);
	EXPECT_LE(seconds, 40.0);
	ASSERT_EQ(m.documents.size(), std::size(kExpected));
	int previousLeave = -1;
	for (std::size_t i = 0; i < m.documents.size(); ++i) {
		const DemoClipEntry& e = m.documents[i];
		SCOPED_TRACE(std::string(ToString(e.document)));
		const Expected& x = kExpected[i];
		EXPECT_EQ(e.document, x.document) << "the default order";
		EXPECT_EQ(e.kind, x.kind);
		EXPECT_EQ(e.verdicts[0], x.at18);
		EXPECT_EQ(e.verdicts[1], x.at21);
		EXPECT_EQ(e.reason, x.reason);
		EXPECT_LE(e.enter, e.first);
		EXPECT_LT(e.first, e.last);
		EXPECT_LE(e.last, e.leave);
		EXPECT_LT(e.leave, m.frames);
		// Held 2-3 s; wholly in view a little longer (the end of the entry, the start of the exit).
		EXPECT_GE(e.last - e.first + 1, 2 * m.fps);
		EXPECT_LE(e.last - e.first + 1, 4 * m.fps);
		// At least a second of empty counter before each document and after the last.
		EXPECT_GE(e.enter - previousLeave - 1, i == 0 ? m.fps / 2 : m.fps);
		previousLeave = e.leave;
	}
	EXPECT_GE(m.frames - previousLeave - 1, m.fps);
}

TEST(DemoClip, PlanIsDeterministicAndFollowsTheSeed)
{
	const DemoClipManifest a = PlanDemoClip(FullOptions(7));
	const DemoClipManifest b = PlanDemoClip(FullOptions(7));
	ASSERT_TRUE(a.ok() && b.ok());
	EXPECT_EQ(a.frames, b.frames);
	EXPECT_EQ(a.documents, b.documents);
	EXPECT_EQ(FormatDemoManifest(a), FormatDemoManifest(b));
	const DemoClipManifest c = PlanDemoClip(FullOptions(8));
	ASSERT_TRUE(c.ok());
	EXPECT_NE(FormatDemoManifest(a), FormatDemoManifest(c)) << "another seed, another timeline";
}

TEST(DemoClip, ThresholdMovesTheUnderAndBetweenDocuments)
{
	DemoClipOptions o = FullOptions();
	o.threshold = 19;
	o.documents = {DemoDocument::LicenceUnder, DemoDocument::LicenceBetween, DemoDocument::LicenceFront};
	const DemoClipManifest m = PlanDemoClip(o);
	ASSERT_TRUE(m.ok()) << m.error;
	EXPECT_EQ(m.thresholds, (std::array<int, 2>{19, 21}));
	ASSERT_EQ(m.documents.size(), 3u);
	EXPECT_EQ(m.documents[0].verdicts, (std::array<Verdict, 2>{Verdict::Under, Verdict::Under}));
	EXPECT_EQ(m.documents[1].verdicts, (std::array<Verdict, 2>{Verdict::Over, Verdict::Under}));
	EXPECT_EQ(m.documents[2].verdicts, (std::array<Verdict, 2>{Verdict::Under, Verdict::Under}));
}

TEST(DemoClip, ManifestHoldsTokensAndFrameNumbersOnly)
{
	const DemoClipManifest m = PlanDemoClip(FullOptions());
	ASSERT_TRUE(m.ok());
	const std::set<std::string> documents{"licence-over-21", "licence-under", "licence-between", "licence-expired",
										  "passport", "licence-front", "shipping-label"};
	const std::set<std::string> kinds{"licence-back", "passport-td3", "licence-front", "non-id-barcode"};
	const std::set<std::string> verdicts{"over", "under", "unverified"};
	const std::set<std::string> reasons{"aamva", "mrz", "printed", "expired", "not-an-id"};
	std::istringstream text(FormatDemoManifest(m));
	std::string line;
	ASSERT_TRUE(std::getline(text, line));
	EXPECT_EQ(line, "# 1280x720, 15 fps, " + std::to_string(m.frames) + " frames");
	ASSERT_TRUE(std::getline(text, line));
	EXPECT_EQ(line, "document\tkind\tenter\tfirst\tlast\tleave\tverdict_18\tverdict_21\treason");
	int rows = 0;
	while (std::getline(text, line)) {
		SCOPED_TRACE("row " + std::to_string(rows));
		std::vector<std::string> f;
		std::istringstream fields(line);
		for (std::string field; std::getline(fields, field, '\t');)
			f.push_back(field);
		ASSERT_EQ(f.size(), 9u);
		EXPECT_TRUE(documents.count(f[0]));
		EXPECT_TRUE(kinds.count(f[1]));
		for (std::size_t i = 2; i < 6; ++i) {
			ASSERT_FALSE(f[i].empty());
			EXPECT_EQ(f[i].find_first_not_of("0123456789"), std::string::npos);
			EXPECT_LT(std::stoi(f[i]), m.frames);
		}
		EXPECT_TRUE(verdicts.count(f[6]));
		EXPECT_TRUE(verdicts.count(f[7]));
		EXPECT_TRUE(reasons.count(f[8]));
		++rows;
	}
	EXPECT_EQ(rows, 7);
}

TEST(DemoClip, FailsWithAnErrorNotAnException)
{
	DemoClipOptions bad = FullOptions();
	bad.today = year{2026} / February / day{30};
	EXPECT_FALSE(PlanDemoClip(bad).ok());
	DemoClipOptions none = FullOptions();
	none.documents.clear();
	EXPECT_FALSE(PlanDemoClip(none).ok());
	const DemoClipManifest m = WriteDemoClip("/nonexistent-agecheck-dir/demo.mp4", ShortOptions());
	EXPECT_FALSE(m.ok());
	EXPECT_FALSE(std::filesystem::exists("/nonexistent-agecheck-dir/demo.mp4"));
}

TEST(DemoClip, ShortClipReadsBackAndScansAsTheManifestSays)
{
	const TempDir dir;
	const std::string path = (dir.path / "demo.mp4").string();
	const DemoClipOptions options = ShortOptions();
	const DemoClipManifest m = WriteDemoClip(path, options);
	ASSERT_TRUE(m.ok()) << m.error;
	EXPECT_TRUE(m.fourcc == "avc1" || m.fourcc == "mp4v") << m.fourcc;
	const DemoClipManifest plan = PlanDemoClip(options);
	EXPECT_EQ(m.frames, plan.frames) << "writing follows the plan";
	EXPECT_EQ(m.documents, plan.documents);
	ASSERT_EQ(m.documents.size(), 4u);

	const auto bytes = std::filesystem::file_size(path);
	EXPECT_GT(bytes, 100'000u);
	EXPECT_LT(bytes, (m.fourcc == "avc1" ? 5u : 40u) * 1000 * 1000) << "the short clip takes " << bytes << " bytes";

	cv::VideoCapture capture(path, cv::CAP_FFMPEG);
	ASSERT_TRUE(capture.isOpened());
	EXPECT_EQ(std::lround(capture.get(cv::CAP_PROP_FRAME_COUNT)), m.frames);
	EXPECT_NEAR(capture.get(cv::CAP_PROP_FPS), m.fps, 0.01);

	const sighting::Scanner scanner(age::DefaultPolicy()); // thresholds 18 and 21, as the manifest's
	std::vector<int> held(m.documents.size(), 0);
	int frames = 0;
	cv::Mat frame;
	while (capture.read(frame)) {
		const int i = frames++;
		ASSERT_EQ(frame.size(), m.size) << "frame " << i;
		const sighting::Sighting s = scanner.scanFrame(frame, kToday);
		const DemoClipEntry* shown = nullptr;
		std::size_t index = 0;
		for (std::size_t d = 0; d < m.documents.size(); ++d)
			if (m.documents[d].enter <= i && i <= m.documents[d].leave) {
				shown = &m.documents[d];
				index = d;
			}
		if (!shown) {
			EXPECT_EQ(s.reason, Reason::Unreadable) << "frame " << i << " shows the empty counter";
			EXPECT_NE(s.verdictFor(18), Verdict::Over) << "frame " << i;
			EXPECT_NE(s.verdictFor(21), Verdict::Over) << "frame " << i;
			continue;
		}
		const char* name = ToString(shown->document).data();
		for (std::size_t t = 0; t < 2; ++t) {
			if (s.verdictFor(m.thresholds[t]) == Verdict::Over) {
				EXPECT_EQ(shown->verdicts[t], Verdict::Over)
					<< "frame " << i << " (" << name << ") reads over " << m.thresholds[t];
			}
		}
		if (s.documentRead() || s.reason == Reason::NotAnId) {
			EXPECT_EQ(s.reason, shown->reason) << "frame " << i << " (" << name << ")";
			EXPECT_EQ(s.verdictFor(18), shown->verdicts[0]) << "frame " << i << " (" << name << ")";
			EXPECT_EQ(s.verdictFor(21), shown->verdicts[1]) << "frame " << i << " (" << name << ")";
		}
		if (shown->first <= i && i <= shown->last && s.reason == shown->reason &&
		    s.verdictFor(18) == shown->verdicts[0] && s.verdictFor(21) == shown->verdicts[1])
			++held[index];
	}
	EXPECT_EQ(frames, m.frames);
	for (std::size_t d = 0; d < m.documents.size(); ++d) {
		const DemoClipEntry& e = m.documents[d];
		const Expected& x = ExpectedFor(e.document);
		EXPECT_EQ(e.reason, x.reason);
		EXPECT_GE(held[d], 1) << ToString(e.document) << ": no frame of " << e.first << ".." << e.last
							  << " gave the manifest's verdict";
		RecordProperty(std::string(ToString(e.document)) + "_frames_read",
					   std::to_string(held[d]) + " of " + std::to_string(e.last - e.first + 1));
	}
}

} // namespace
} // namespace agecheck::synth

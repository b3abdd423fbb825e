// SPDX-License-Identifier: Apache-2.0
// Tests of the synthetic licence generator: determinism, PDF417 round trip through zxing-cpp,
// AAMVA header structure (offsets and lengths), expected verdicts by construction, scene geometry,
// and (when the parser is built) a round trip through agecheck::aamva::Parse.
// Failure messages name versions, orders and seeds, never the (fictional) dates or payloads.

#define ZX_USE_UTF8 // zxing-cpp 1.4: select the std::string text() API (silences its transition note)

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <ZXing/BarcodeFormat.h>
#include <ZXing/DecodeHints.h>
#include <ZXing/ImageView.h>
#include <ZXing/ReadBarcode.h>

#include "synth/Synth.h"
#ifdef AGECHECK_HAVE_AAMVA
#include "aamva/Aamva.h"
#endif

namespace agecheck::synth {
namespace {

using namespace std::chrono;
using Ymd = year_month_day;

constexpr Ymd kToday{year{2025}, month{6}, day{14}};

// --- independent helpers (deliberately not the generator's) ------------------------------------

/// Whole years from birth to today; N is reached on the birthday (births are never 29 February).
int Age(Ymd birth, Ymd today)
{
	int age = static_cast<int>(today.year()) - static_cast<int>(birth.year());
	if (std::pair(unsigned(today.month()), unsigned(today.day())) < std::pair(unsigned(birth.month()), unsigned(birth.day())))
		--age;
	return age;
}

Ymd Plus(Ymd d, int n)
{
	return Ymd{sys_days{d} + days{n}};
}

std::string Date(Ymd d, bool us)
{
	char buf[16];
	if (us)
		std::snprintf(buf, sizeof buf, "%02u%02u%04d", unsigned(d.month()), unsigned(d.day()), int(d.year()));
	else
		std::snprintf(buf, sizeof buf, "%04d%02u%02u", int(d.year()), unsigned(d.month()), unsigned(d.day()));
	return buf;
}

struct Designator {
	std::string type;
	int offset = 0;
	int length = 0;
};

struct Header {
	std::string fileType;
	std::string iin;
	int version = 0;
	int entries = 0;
	std::size_t size = 0; // bytes up to the first designator
	std::vector<Designator> subfiles;
};

int Number(const std::string& s, std::size_t at, std::size_t n)
{
	int v = 0;
	for (std::size_t i = at; i < at + n; ++i) {
		if (i >= s.size() || s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/// Reads the AAMVA header as the standard lays it out (AAMVA DL/ID Card Design Standard, D.12.3).
std::optional<Header> ReadHeader(const std::string& p)
{
	if (p.size() < 21 || p.compare(0, 4, "@\n\x1e\r") != 0)
		return std::nullopt;
	Header h;
	h.fileType = p.substr(4, 5);
	h.iin = p.substr(9, 6);
	h.version = Number(p, 15, 2);
	std::size_t at = h.version >= 2 ? 19 : 17; // jurisdiction version from version 2 on
	h.entries = Number(p, at, 2);
	at += 2;
	h.size = at;
	for (int i = 0; i < h.entries; ++i, at += 10) {
		if (at + 10 > p.size())
			return std::nullopt;
		h.subfiles.push_back({p.substr(at, 2), Number(p, at + 2, 4), Number(p, at + 6, 4)});
	}
	return h;
}

/// The value of element `id` in a subfile body (after its two-letter type), or nullopt.
std::optional<std::string> Element(const std::string& subfile, const std::string& id)
{
	std::size_t at = 2;
	while (at < subfile.size()) {
		std::size_t end = subfile.find_first_of("\n\r", at);
		if (end == std::string::npos)
			end = subfile.size();
		if (subfile.compare(at, 3, id) == 0)
			return subfile.substr(at + 3, end - at - 3);
		at = end + 1;
	}
	return std::nullopt;
}

std::string Decode(const cv::Mat& bgr, ZXing::BarcodeFormats formats = ZXing::BarcodeFormat::PDF417)
{
	const ZXing::ImageView view(bgr.data, bgr.cols, bgr.rows, ZXing::ImageFormat::BGR, static_cast<int>(bgr.step));
	const ZXing::Result r = ZXing::ReadBarcode(view, ZXing::DecodeHints().setFormats(formats));
	if (!r.isValid())
		return {};
	return std::string(r.bytes().begin(), r.bytes().end());
}

const char* OrderName(DateOrder o)
{
	return o == DateOrder::US ? "US" : "Canada";
}

// --- determinism --------------------------------------------------------------------------------

bool SameBytes(const cv::Mat& a, const cv::Mat& b)
{
	return a.size() == b.size() && a.type() == b.type() && cv::norm(a, b, cv::NORM_INF) == 0;
}

TEST(SynthDeterminism, SameSeedSameBytes)
{
	for (const Level level : {Level::Easy, Level::Medium, Level::Hard}) {
		const Sample a = MakeLicenceSample(42, level, kToday);
		const Sample b = MakeLicenceSample(42, level, kToday);
		EXPECT_TRUE(SameBytes(a.image, b.image)) << ToString(level);
		EXPECT_TRUE(a.payload == b.payload) << ToString(level);
		EXPECT_EQ(a.barcodeCorners, b.barcodeCorners) << ToString(level);
		EXPECT_TRUE(SameBytes(MakeEmptyScene(7, level), MakeEmptyScene(7, level))) << ToString(level);
		EXPECT_TRUE(SameBytes(MakeNonIdBarcodeScene(7, level), MakeNonIdBarcodeScene(7, level))) << ToString(level);
	}
	const std::string payload = MakeAamvaPayload(RandomPayloadSpec(5, 8, DateOrder::US, kToday));
	EXPECT_TRUE(payload == MakeAamvaPayload(RandomPayloadSpec(5, 8, DateOrder::US, kToday)));
	EXPECT_TRUE(SameBytes(RenderLicenceBack(payload, 3), RenderLicenceBack(payload, 3)));
}

TEST(SynthDeterminism, DifferentSeedDifferentBytes)
{
	EXPECT_FALSE(SameBytes(MakeLicenceSample(42, Level::Medium, kToday).image,
						   MakeLicenceSample(43, Level::Medium, kToday).image));
	EXPECT_FALSE(SameBytes(MakeEmptyScene(1, Level::Easy), MakeEmptyScene(2, Level::Easy)));
	EXPECT_FALSE(SameBytes(MakeNonIdBarcodeScene(1, Level::Easy), MakeNonIdBarcodeScene(2, Level::Easy)));
	EXPECT_FALSE(MakeAamvaPayload(RandomPayloadSpec(1, 10, DateOrder::US, kToday)) ==
				 MakeAamvaPayload(RandomPayloadSpec(2, 10, DateOrder::US, kToday)));
	EXPECT_NE(DeriveSeed(1, 0), DeriveSeed(1, 1));
	EXPECT_NE(DeriveSeed(1, 0), DeriveSeed(2, 0));
}

// --- payload structure --------------------------------------------------------------------------

TEST(SynthPayload, HeaderOffsetsAndLengthsAreCorrect)
{
	for (int version = 1; version <= 10; ++version)
		for (const DateOrder order : {DateOrder::US, DateOrder::Canada})
			for (std::uint64_t seed = 0; seed < 20; ++seed) {
				const PayloadSpec spec = RandomPayloadSpec(seed, version, order, kToday);
				const std::string p = MakeAamvaPayload(spec);
				SCOPED_TRACE(testing::Message() << "version " << version << " order " << OrderName(order) << " seed " << seed);
				const auto h = ReadHeader(p);
				ASSERT_TRUE(h.has_value());
				EXPECT_TRUE(h->fileType == "ANSI " || (version == 1 && h->fileType == "AAMVA"));
				EXPECT_EQ(h->iin, spec.iin);
				EXPECT_EQ(h->version, version);
				ASSERT_EQ(h->entries, spec.withJurisdictionSubfile ? 2 : 1);
				ASSERT_EQ(static_cast<int>(h->subfiles.size()), h->entries);
				// Subfiles follow the designators back to back, cover the rest of the payload, and
				// each starts with its type and ends with the segment terminator.
				std::size_t expectedOffset = h->size + 10 * h->subfiles.size();
				for (const Designator& d : h->subfiles) {
					EXPECT_EQ(static_cast<std::size_t>(d.offset), expectedOffset);
					ASSERT_LE(static_cast<std::size_t>(d.offset + d.length), p.size());
					EXPECT_EQ(p.substr(static_cast<std::size_t>(d.offset), 2), d.type);
					EXPECT_EQ(p[static_cast<std::size_t>(d.offset + d.length - 1)], '\r');
					expectedOffset += static_cast<std::size_t>(d.length);
				}
				EXPECT_EQ(expectedOffset, p.size());
				EXPECT_EQ(h->subfiles[0].type, "DL");
				if (h->entries == 2) {
					EXPECT_EQ(h->subfiles[1].type[0], 'Z');
				}

				// Dates in the DL subfile, in the issuer's order (CCYYMMDD in version 1).
				const std::string dl = p.substr(static_cast<std::size_t>(h->subfiles[0].offset),
												static_cast<std::size_t>(h->subfiles[0].length));
				const bool us = version >= 2 && order == DateOrder::US;
				EXPECT_TRUE(Element(dl, "DBB") == Date(spec.birth, us));
				EXPECT_TRUE(Element(dl, "DBA") == Date(spec.expiry, us));
				EXPECT_TRUE(Element(dl, "DBD") == Date(spec.issue, us));
				EXPECT_TRUE(Element(dl, "DAQ").has_value());
				const Issuer* issuer = FindIssuer(spec.iin);
				ASSERT_NE(issuer, nullptr);
				EXPECT_TRUE(Element(dl, "DAJ") == std::string(issuer->code));
				if (version >= 2) {
					EXPECT_TRUE(Element(dl, "DCS").has_value());
					EXPECT_TRUE(Element(dl, "DCG") == std::string(issuer->canada ? "CAN" : "USA"));
				}
				else {
					EXPECT_TRUE(Element(dl, "DAA").has_value());
				}
				if (version >= 4) {
					EXPECT_TRUE(Element(dl, "DAC").has_value());
					if (spec.withUnderAgeDates) {
						EXPECT_TRUE(Element(dl, "DDJ") == Date(spec.birth + years{21}, us));
					}
				}
				// Pure ASCII: printable characters plus LF, RS and CR.
				for (const char c : p)
					EXPECT_TRUE((c >= 0x20 && c < 0x7f) || c == '\n' || c == '\x1e' || c == '\r');
			}
}

TEST(SynthPayload, RandomSpecsAreConsistent)
{
	for (int version = 1; version <= 10; ++version)
		for (const DateOrder order : {DateOrder::US, DateOrder::Canada})
			for (std::uint64_t seed = 0; seed < 50; ++seed) {
				const PayloadSpec s = RandomPayloadSpec(seed, version, order, kToday);
				SCOPED_TRACE(testing::Message() << "version " << version << " order " << OrderName(order) << " seed " << seed);
				EXPECT_TRUE(s.birth.ok() && s.issue.ok() && s.expiry.ok());
				EXPECT_FALSE(s.birth.month() == February && s.birth.day() == day{29});
				EXPECT_TRUE(s.birth + years{16} <= s.issue);
				EXPECT_TRUE(s.issue <= kToday);
				EXPECT_TRUE(s.expiry > kToday);
				const Issuer* issuer = FindIssuer(s.iin);
				ASSERT_NE(issuer, nullptr);
				if (version >= 2) {
					EXPECT_EQ(issuer->order, order);
				}
			}
}

// --- PDF417 round trip ----------------------------------------------------------------------------

TEST(SynthPdf417, FlatCardDecodesToExactlyThePayload)
{
	for (int version = 1; version <= 10; ++version)
		for (const DateOrder order : {DateOrder::US, DateOrder::Canada})
			for (std::uint64_t seed : {11u, 12u}) {
				const std::string payload = MakeAamvaPayload(RandomPayloadSpec(seed, version, order, kToday));
				const cv::Mat card = RenderLicenceBack(payload, seed * 31 + static_cast<std::uint64_t>(version));
				EXPECT_EQ(card.cols, 1012);
				EXPECT_EQ(card.rows, 638);
				const std::string decoded = Decode(card);
				EXPECT_TRUE(decoded == payload) << "version " << version << " order " << OrderName(order) << " seed " << seed
												<< (decoded.empty() ? ": nothing decoded" : ": bytes differ");
				EXPECT_NE(decoded.find("@\n\x1e\r"), std::string::npos); // LF, RS, CR survive
			}
}

TEST(SynthPdf417, SampleCardDecodesToThePayload)
{
	// A sample's card is RenderLicenceBack(sample.payload, seed).
	for (std::uint64_t seed = 100; seed < 110; ++seed) {
		const Sample s = MakeLicenceSample(seed, Level::Easy, kToday);
		EXPECT_TRUE(Decode(RenderLicenceBack(s.payload, seed)) == s.payload) << "seed " << seed;
		EXPECT_GE(s.columns, 1);
		EXPECT_GE(s.rows, 3);
		EXPECT_GE(s.eccLevel, 3);
		EXPECT_LE(s.eccLevel, 5);
	}
}

// --- expected verdicts by construction ------------------------------------------------------------

TEST(SynthCases, ExpectedVerdictsFollowFromTheDates)
{
	const Ymd todays[] = {kToday,
						  Ymd{year{2024}, February, day{29}},
						  Ymd{year{2024}, February, day{28}},
						  Ymd{year{2024}, March, day{1}},
						  Ymd{year{2025}, March, day{1}},
						  Ymd{year{2025}, February, day{28}},
						  Ymd{year{2026}, January, day{1}}};
	int counts[6] = {};
	int total = 0;
	for (const Ymd today : todays)
		for (const int threshold : {18, 19, 20, 21})
			for (std::uint64_t seed = 0; seed < 300; ++seed) {
				const LicenceCase c = MakeLicenceCase(seed, today, threshold);
				const PayloadSpec& s = c.spec;
				SCOPED_TRACE(testing::Message() << "threshold " << threshold << " seed " << seed << " case " << ToString(c.kase));
				++counts[static_cast<int>(c.kase)];
				++total;
				ASSERT_TRUE(s.birth.ok() && s.issue.ok() && s.expiry.ok());
				ASSERT_FALSE(s.birth.month() == February && s.birth.day() == day{29});
				EXPECT_TRUE(s.birth <= s.issue);
				EXPECT_TRUE(s.issue <= today);
				EXPECT_TRUE(s.issue <= s.expiry);
				EXPECT_NE(FindIssuer(s.iin), nullptr);
				EXPECT_GE(s.version, 1);
				EXPECT_LE(s.version, 10);
				const int age = Age(s.birth, today);
				switch (c.kase) {
				case Case::BirthdayToday:
					EXPECT_EQ(age, threshold);
					EXPECT_EQ(Age(s.birth, Plus(today, -1)), threshold - 1);
					break;
				case Case::OneDayShort:
					EXPECT_EQ(age, threshold - 1);
					EXPECT_EQ(Age(s.birth, Plus(today, 1)), threshold);
					break;
				case Case::OneDayOver:
					EXPECT_EQ(Age(s.birth, Plus(today, -1)), threshold);
					EXPECT_EQ(Age(s.birth, Plus(today, -2)), threshold - 1);
					break;
				case Case::ClearlyOver: EXPECT_GE(Age(s.birth, Plus(today, -2)), threshold); break;
				case Case::ClearlyUnder: EXPECT_LT(Age(s.birth, Plus(today, 1)), threshold); break;
				case Case::Expired: break;
				}
				if (c.kase == Case::Expired) {
					EXPECT_TRUE(s.expiry < today);
					EXPECT_EQ(c.expected, Verdict::Unverified);
					EXPECT_EQ(c.expectedReason, Reason::Expired);
				}
				else {
					EXPECT_TRUE(s.expiry > today);
					EXPECT_EQ(c.expected, age >= threshold ? Verdict::Over : Verdict::Under);
					EXPECT_EQ(c.expectedReason, Reason::Aamva);
				}
			}
	for (int k = 0; k < 6; ++k)
		EXPECT_GT(counts[k], 0) << ToString(static_cast<Case>(k));
	const double expired = counts[static_cast<int>(Case::Expired)] / static_cast<double>(total);
	EXPECT_GT(expired, 0.03);
	EXPECT_LT(expired, 0.08);
}

// --- scenes -------------------------------------------------------------------------------------------

bool Inside(cv::Point2f p)
{
	return p.x >= 0 && p.y >= 0 && p.x < 1920 && p.y < 1080;
}

TEST(SynthScene, FramesAre1080pAndTheSymbolIsInside)
{
	for (const Level level : {Level::Easy, Level::Medium, Level::Hard})
		for (std::uint64_t seed = 0; seed < 4; ++seed) {
			const Sample s = MakeLicenceSample(seed, level, kToday);
			SCOPED_TRACE(testing::Message() << ToString(level) << " seed " << seed);
			EXPECT_EQ(s.image.cols, 1920);
			EXPECT_EQ(s.image.rows, 1080);
			EXPECT_EQ(s.image.type(), CV_8UC3);
			EXPECT_EQ(s.level, level);
			for (const cv::Point2f& p : s.barcodeCorners)
				EXPECT_TRUE(Inside(p));
			if (level == Level::Medium) {
				EXPECT_GE(s.moduleWidth, 3.0f * 0.999f);
			}
			if (level == Level::Hard) {
				EXPECT_GE(s.moduleWidth, 2.5f * 0.999f);
			}
		}
	for (const Level level : {Level::Easy, Level::Hard}) {
		const cv::Mat empty = MakeEmptyScene(3, level);
		EXPECT_EQ(empty.size(), cv::Size(1920, 1080));
		EXPECT_EQ(empty.type(), CV_8UC3);
		const cv::Mat nonId = MakeNonIdBarcodeScene(3, level);
		EXPECT_EQ(nonId.size(), cv::Size(1920, 1080));
		EXPECT_EQ(nonId.type(), CV_8UC3);
	}
}

/// The symbol cut out of the frame along the ground-truth corners and made upright (3 px modules).
cv::Mat Rectified(const Sample& s)
{
	const float module = 3, margin = 30;
	const float w = static_cast<float>(17 * s.columns + 69) * module;
	const float h = static_cast<float>(s.rows) * module * 3.5f;
	const std::array<cv::Point2f, 4> dst{cv::Point2f(margin, margin), cv::Point2f(margin + w, margin),
										 cv::Point2f(margin + w, margin + h), cv::Point2f(margin, margin + h)};
	const cv::Mat m = cv::getPerspectiveTransform(s.barcodeCorners.data(), dst.data());
	cv::Mat out;
	cv::warpPerspective(s.image, out, m, cv::Size(cvRound(w + 2 * margin), cvRound(h + 2 * margin)), cv::INTER_LINEAR,
						cv::BORDER_REPLICATE);
	return out;
}

TEST(SynthScene, SymbolsRectifiedAlongTheGroundTruthDecode)
{
	// Checks the corners and that easy and medium frames stay decodable in principle. (zxing-cpp
	// 1.4 on the whole frame mostly fails beyond ~2 degrees of rotation: that is the pipeline's
	// job, not this test's.)
	for (const Level level : {Level::Easy, Level::Medium}) {
		int decoded = 0;
		for (std::uint64_t seed = 0; seed < 6; ++seed) {
			const Sample s = MakeLicenceSample(seed, level, kToday);
			decoded += Decode(Rectified(s)) == s.payload;
		}
		EXPECT_GE(decoded, 5) << ToString(level);
	}
}

TEST(SynthScene, EmptyScenesHoldNoBarcode)
{
	for (std::uint64_t seed = 0; seed < 4; ++seed)
		EXPECT_TRUE(Decode(MakeEmptyScene(seed, Level::Easy), ZXing::BarcodeFormat::Any).empty()) << "seed " << seed;
}

TEST(SynthScene, NonIdScenesHoldANonAamvaPdf417)
{
	int decoded = 0;
	for (std::uint64_t seed = 0; seed < 4; ++seed) {
		const std::string text = Decode(MakeNonIdBarcodeScene(seed, Level::Easy));
		if (!text.empty()) {
			++decoded;
			EXPECT_NE(text[0], '@') << "seed " << seed;
		}
	}
	EXPECT_GE(decoded, 2);
}

// --- round trip through the project's parser ------------------------------------------------------

TEST(SynthAamva, EveryPayloadParsesToItsDates)
{
#ifndef AGECHECK_HAVE_AAMVA
	GTEST_SKIP() << "agecheck::aamva is not built (src/aamva/Aamva.cpp missing when configured)";
#else
	for (int version = 1; version <= 10; ++version)
		for (const DateOrder order : {DateOrder::US, DateOrder::Canada})
			for (std::uint64_t seed = 0; seed < 50; ++seed) {
				const PayloadSpec spec = RandomPayloadSpec(seed, version, order, kToday);
				const std::string payload = MakeAamvaPayload(spec);
				SCOPED_TRACE(testing::Message() << "version " << version << " order " << OrderName(order) << " iin "
												<< spec.iin << " seed " << seed);
				const auto doc = aamva::Parse(payload);
				ASSERT_TRUE(doc.ok()) << "reason " << ToString(doc.reason());
				EXPECT_TRUE(doc->birth.get() == spec.birth) << "birth differs";
				ASSERT_TRUE(doc->expiry.has_value());
				EXPECT_TRUE(doc->expiry->get() == spec.expiry) << "expiry differs";
				EXPECT_EQ(doc->version, version);
				EXPECT_EQ(doc->jurisdiction, FindIssuer(spec.iin)->code);
			}
#endif
}

} // namespace
} // namespace agecheck::synth

// SPDX-License-Identifier: Apache-2.0
// Tests of the printed-document generator: ICAO 9303 check digits and MRZ composition (part 3
// section 4.9 check digits; part 4 TD3, part 5 TD1 with number overflow, part 6 TD2), reproduction
// of the ICAO specimens, round trips of valid strings from the public MRZ corpus, deliberate
// corruption, FreeType rendering (OCR-B fixed pitch), render sizes and determinism, the printed
// date-of-birth format per licence profile, and document scenes.
// Failure messages name cases, lines and positions, never the (fictional) names, numbers or dates.

#include <array>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "synth/Documents.h"

namespace agecheck::synth {
namespace {

using namespace std::chrono;
using Ymd = year_month_day;

// --- independent helpers (deliberately not the generator's) ------------------------------------

/// 9303 part 3, 4.9: weights 7 3 1, '<' = 0, A-Z = 10..35.
int Check(const std::string& s)
{
	static const int w[3] = {7, 3, 1};
	int sum = 0;
	for (std::size_t i = 0; i < s.size(); ++i) {
		const char c = s[i];
		const int v = c == '<' ? 0 : (c >= '0' && c <= '9') ? c - '0' : c - 'A' + 10;
		sum += v * w[i % 3];
	}
	return sum % 10;
}

bool DigitOk(const std::string& line, std::size_t at, const std::string& field)
{
	return line[at] == static_cast<char>('0' + Check(field));
}

/// Where two strings first differ (npos when equal), so that failures name a position only.
std::size_t FirstDiff(const std::string& a, const std::string& b)
{
	if (a == b)
		return std::string::npos;
	std::size_t i = 0;
	while (i < a.size() && i < b.size() && a[i] == b[i])
		++i;
	return i;
}

#define EXPECT_SAME_LINE(actual, expected, what)                                                                      \
	do {                                                                                                              \
		const std::string a_ = (actual);                                                                              \
		const std::string e_ = (expected);                                                                            \
		EXPECT_EQ(a_.size(), e_.size()) << (what);                                                                    \
		EXPECT_EQ(FirstDiff(a_, e_), std::string::npos) << (what) << ": first difference at this position";          \
	} while (false)

Ymd Date(int y, unsigned m, unsigned d)
{
	return Ymd{year{y}, month{m}, day{d}};
}

/// YYMMDD -> a date (any century gives the same MRZ).
Ymd FromMrz(const std::string& s)
{
	const int yy = std::stoi(s.substr(0, 2));
	return Date(yy >= 50 ? 1900 + yy : 2000 + yy, static_cast<unsigned>(std::stoi(s.substr(2, 2))),
				static_cast<unsigned>(std::stoi(s.substr(4, 2))));
}

std::string Unpad(std::string s)
{
	while (!s.empty() && s.back() == '<')
		s.pop_back();
	return s;
}

/// "SURNAME<<GIVEN<NAMES<<<" -> surname and given names with spaces.
void SplitName(const std::string& field, std::string& surname, std::string& given)
{
	const std::string f = Unpad(field);
	const auto sep = f.find("<<");
	surname = f.substr(0, sep);
	given = sep == std::string::npos ? "" : f.substr(sep + 2);
	for (std::string* s : {&surname, &given})
		for (char& c : *s)
			if (c == '<')
				c = ' ';
}

/// Number and optional data of a TD1 line 1 / TD2 line 2, undoing 9303's overflow: a '<' in the
/// check digit position means the number continues in the optional data up to the character
/// before the first '<' (its check digit).
void SplitNumber(const std::string& number9, char check, const std::string& optional, std::string& number,
				 std::string& rest)
{
	number = Unpad(number9);
	rest = Unpad(optional);
	if (check != '<' || rest.empty())
		return;
	const auto end = optional.find('<');
	number = number9 + optional.substr(0, end - 1);
	rest = end == std::string::npos ? "" : Unpad(optional.substr(end + 1));
}

MrzSpec Td3Spec(const std::array<std::string, 2>& l)
{
	MrzSpec s;
	s.documentCode = l[0].substr(0, 2);
	s.issuingState = l[0].substr(2, 3);
	SplitName(l[0].substr(5), s.surname, s.givenNames);
	s.number = Unpad(l[1].substr(0, 9));
	s.nationality = l[1].substr(10, 3);
	s.birth = FromMrz(l[1].substr(13, 6));
	s.sex = l[1][20];
	s.expiry = FromMrz(l[1].substr(21, 6));
	s.optional = Unpad(l[1].substr(28, 14));
	return s;
}

MrzSpec Td1Spec(const std::array<std::string, 3>& l)
{
	MrzSpec s;
	s.documentCode = l[0].substr(0, 2);
	s.issuingState = l[0].substr(2, 3);
	SplitNumber(l[0].substr(5, 9), l[0][14], l[0].substr(15), s.number, s.optional);
	s.birth = FromMrz(l[1].substr(0, 6));
	s.sex = l[1][7];
	s.expiry = FromMrz(l[1].substr(8, 6));
	s.nationality = l[1].substr(15, 3);
	s.optional2 = Unpad(l[1].substr(18, 11));
	SplitName(l[2], s.surname, s.givenNames);
	return s;
}

MrzSpec Td2Spec(const std::array<std::string, 2>& l)
{
	MrzSpec s;
	s.documentCode = l[0].substr(0, 2);
	s.issuingState = l[0].substr(2, 3);
	SplitName(l[0].substr(5), s.surname, s.givenNames);
	SplitNumber(l[1].substr(0, 9), l[1][9], l[1].substr(28, 7), s.number, s.optional);
	s.nationality = l[1].substr(10, 3);
	s.birth = FromMrz(l[1].substr(13, 6));
	s.sex = l[1][20];
	s.expiry = FromMrz(l[1].substr(21, 6));
	return s;
}

/// The "lines" of the corpus entry whose "test" is `name` (strings.jsonl: one JSON object per
/// line; the MRZ strings hold no quotes or escapes). Empty when the entry is not there.
std::vector<std::string> CorpusLines(const std::string& name)
{
	std::ifstream in(AGECHECK_SOURCE_DIR "/../shared/corpus/mrz/strings.jsonl");
	std::string row;
	while (std::getline(in, row)) {
		if (row.find("\"test\": \"" + name + "\"") == std::string::npos)
			continue;
		std::vector<std::string> lines;
		auto at = row.find("\"lines\": [");
		if (at == std::string::npos)
			return {};
		const auto end = row.find(']', at);
		at = row.find('"', at + 9);
		while (at != std::string::npos && at < end) {
			const auto close = row.find('"', at + 1);
			lines.push_back(row.substr(at + 1, close - at - 1));
			at = row.find('"', close + 1);
		}
		return lines;
	}
	return {};
}

bool CorpusPresent()
{
	return std::ifstream(AGECHECK_SOURCE_DIR "/../shared/corpus/mrz/strings.jsonl").good();
}

/// The ICAO 9303 "Utopia" specimen holder (part 4 appendix, part 5 appendix).
MrzSpec Eriksson()
{
	MrzSpec s;
	s.issuingState = "UTO";
	s.surname = "Eriksson";
	s.givenNames = "Anna Maria";
	s.nationality = "UTO";
	s.birth = Date(1974, 8, 12);
	s.sex = 'F';
	s.expiry = Date(2012, 4, 15);
	return s;
}

// --- check digits and composition --------------------------------------------------------------

TEST(Mrz, CheckDigitsMatchIcaoExamples)
{
	EXPECT_EQ(MrzCheckDigit("L898902C3"), 6);
	EXPECT_EQ(MrzCheckDigit("740812"), 2);
	EXPECT_EQ(MrzCheckDigit("120415"), 9);
	EXPECT_EQ(MrzCheckDigit("ZE184226B<<<<<"), 1);
	EXPECT_EQ(MrzCheckDigit("D23145890"), 7);
	EXPECT_EQ(MrzCheckDigit("520727"), 3); // 9303 part 3, 4.9 worked example
	EXPECT_EQ(MrzCheckDigit(""), 0);
	EXPECT_EQ(MrzCheckDigit("<<<<"), 0);
	EXPECT_EQ(MrzCheckDigit("A"), 0);  // 10 x 7
	EXPECT_EQ(MrzCheckDigit("Z"), 5);  // 35 x 7
	EXPECT_EQ(MrzCheckDigit("<Z"), 5); // 35 x 3
	EXPECT_EQ(MrzCheckDigit("<<Z"), 5); // 35 x 1
	for (const char* s : {"L898902C3", "ZE184226B<<<<<", "X1A2<<9", "000000000"})
		EXPECT_EQ(MrzCheckDigit(s), Check(s)) << "field index";
}

TEST(Mrz, DateAndName)
{
	EXPECT_EQ(MrzDate(Date(1974, 8, 12)), "740812");
	EXPECT_EQ(MrzDate(Date(2001, 1, 2)), "010102");
	EXPECT_THROW(MrzDate(Date(2001, 2, 30)), std::invalid_argument);
	EXPECT_EQ(MrzName("Eriksson", "Anna Maria", 30), "ERIKSSON<<ANNA<MARIA<<<<<<<<<<");
	EXPECT_EQ(MrzName("de la Cruz-Ávila", "Jo", 30), "DE<LA<CRUZ<VILA<<JO<<<<<<<<<<<"); // no transliteration
	EXPECT_EQ(MrzName("O'Neil", "", 12), "ONEIL<<<<<<<");
	EXPECT_EQ(MrzName("", "Anna", 10), "<<ANNA<<<<");
	EXPECT_EQ(MrzName("Averyveryverylongsurname", "Given", 10), "AVERYVERYV");
}

TEST(Mrz, ReproducesIcaoTd3Specimen)
{
	MrzSpec s = Eriksson();
	s.documentCode = "P<";
	s.number = "L898902C3";
	s.optional = "ZE184226B";
	const auto l = MakeTd3(s);
	EXPECT_SAME_LINE(l[0], "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "TD3 line 1");
	EXPECT_SAME_LINE(l[1], "L898902C36UTO7408122F1204159ZE184226B<<<<<10", "TD3 line 2");
}

TEST(Mrz, ReproducesIcaoTd1Specimen)
{
	MrzSpec s = Eriksson();
	s.documentCode = "I<";
	s.number = "D23145890";
	const auto l = MakeTd1(s);
	EXPECT_SAME_LINE(l[0], "I<UTOD231458907<<<<<<<<<<<<<<<", "TD1 line 1");
	EXPECT_SAME_LINE(l[1], "7408122F1204159UTO<<<<<<<<<<<6", "TD1 line 2");
	EXPECT_SAME_LINE(l[2], "ERIKSSON<<ANNA<MARIA<<<<<<<<<<", "TD1 line 3");
}

TEST(Mrz, ReproducesIcaoTd2Specimen)
{
	MrzSpec s = Eriksson();
	s.documentCode = "I<";
	s.number = "D23145890";
	const auto l = MakeTd2(s);
	EXPECT_SAME_LINE(l[0], "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "TD2 line 1");
	EXPECT_SAME_LINE(l[1], "D231458907UTO7408122F1204159<<<<<<<6", "TD2 line 2");
}

TEST(Mrz, LineLengthsAndCharacterSet)
{
	MrzSpec s;
	s.surname = "Sample-Person";
	s.givenNames = "Jo Ann";
	s.optional = "AB 12";
	const auto td3 = MakeTd3(s);
	const auto td1 = MakeTd1(s);
	const auto td2 = MakeTd2(s);
	for (const auto& l : td3)
		EXPECT_EQ(l.size(), 44u);
	for (const auto& l : td1)
		EXPECT_EQ(l.size(), 30u);
	for (const auto& l : td2)
		EXPECT_EQ(l.size(), 36u);
	for (const std::string& l : {td3[0], td3[1], td1[0], td1[1], td1[2], td2[0], td2[1]})
		EXPECT_EQ(l.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"), std::string::npos);
}

// 9303 part 5, 4.2.4 note j: a document number longer than 9 characters.
TEST(Mrz, Td1NumberOverflow)
{
	MrzSpec s = Eriksson();
	s.documentCode = "I<";
	s.number = "D23145890123";
	auto l = MakeTd1(s);
	EXPECT_SAME_LINE(l[0].substr(0, 20), "I<UTOD23145890<1233<", "TD1 overflow line 1");
	EXPECT_EQ(l[0][14], '<');
	EXPECT_TRUE(DigitOk(l[0], 18, "D23145890123"));
	EXPECT_TRUE(DigitOk(l[1], 29, l[0].substr(5, 25) + l[1].substr(0, 7) + l[1].substr(8, 7) + l[1].substr(18, 11)));

	// Optional data follows the overflow after one filler.
	s.optional = "XY7";
	l = MakeTd1(s);
	EXPECT_SAME_LINE(l[0].substr(15), "1233<XY7<<<<<<<", "TD1 overflow + optional");

	// Up to 9 + 13 characters fit (remainder + check digit in 15); more throws.
	s.optional.clear();
	s.number = std::string(22, '7');
	EXPECT_NO_THROW(MakeTd1(s));
	s.number = std::string(24, '7');
	EXPECT_THROW(MakeTd1(s), std::invalid_argument);
	EXPECT_THROW(MakeTd3(s), std::invalid_argument); // TD3 has no overflow

	// TD2: the same scheme in its 7-character optional data.
	s.number = "D23145890123";
	const auto t2 = MakeTd2(s);
	EXPECT_EQ(t2[1][9], '<');
	EXPECT_SAME_LINE(t2[1].substr(28, 7), "1233<<<", "TD2 overflow");
}

/// The check digits of an MRZ and whether each is right.
struct CheckResult {
	bool number, birth, expiry, composite;
};

CheckResult Td3Digits(const std::array<std::string, 2>& l)
{
	const std::string& b = l[1];
	return {DigitOk(b, 9, b.substr(0, 9)), DigitOk(b, 19, b.substr(13, 6)), DigitOk(b, 27, b.substr(21, 6)),
			DigitOk(b, 43, b.substr(0, 10) + b.substr(13, 7) + b.substr(21, 22))};
}

CheckResult Td1Digits(const std::array<std::string, 3>& l)
{
	const std::string& a = l[0];
	const std::string& b = l[1];
	bool number = DigitOk(a, 14, a.substr(5, 9));
	if (a[14] == '<') { // overflow
		const auto end = a.find('<', 15);
		number = DigitOk(a, end - 1, a.substr(5, 9) + a.substr(15, end - 1 - 15));
	}
	return {number, DigitOk(b, 6, b.substr(0, 6)), DigitOk(b, 14, b.substr(8, 6)),
			DigitOk(b, 29, a.substr(5, 25) + b.substr(0, 7) + b.substr(8, 7) + b.substr(18, 11))};
}

CheckResult Td2Digits(const std::array<std::string, 2>& l)
{
	const std::string& b = l[1];
	bool number = DigitOk(b, 9, b.substr(0, 9));
	if (b[9] == '<') {
		const auto end = b.find('<', 28);
		number = DigitOk(b, end - 1, b.substr(0, 9) + b.substr(28, end - 1 - 28));
	}
	return {number, DigitOk(b, 19, b.substr(13, 6)), DigitOk(b, 27, b.substr(21, 6)),
			DigitOk(b, 35, b.substr(0, 10) + b.substr(13, 7) + b.substr(21, 14))};
}

TEST(Mrz, CorruptMakesExactlyTheChosenDigitWrong)
{
	const MrzCorrupt kinds[] = {MrzCorrupt::None, MrzCorrupt::Number, MrzCorrupt::Birth, MrzCorrupt::Expiry,
								MrzCorrupt::Composite};
	for (const char* number : {"L898902C3", "D23145890123"}) {
		for (const MrzCorrupt kind : kinds) {
			MrzSpec s = Eriksson();
			s.number = number;
			s.optional = "ZE1";
			s.corrupt = kind;
			const auto expect = [&](const CheckResult& d, const char* format) {
				EXPECT_EQ(d.number, kind != MrzCorrupt::Number) << format << " corrupt " << static_cast<int>(kind);
				EXPECT_EQ(d.birth, kind != MrzCorrupt::Birth) << format << " corrupt " << static_cast<int>(kind);
				EXPECT_EQ(d.expiry, kind != MrzCorrupt::Expiry) << format << " corrupt " << static_cast<int>(kind);
				EXPECT_EQ(d.composite, kind != MrzCorrupt::Composite) << format << " corrupt " << static_cast<int>(kind);
			};
			if (std::string(number).size() <= 9)
				expect(Td3Digits(MakeTd3(s)), "TD3");
			expect(Td1Digits(MakeTd1(s)), "TD1");
			s.optional.clear();
			expect(Td2Digits(MakeTd2(s)), "TD2");
		}
	}
}

// Valid real-format strings from the public corpus: decompose by 9303 positions, compose again.
// Only entries whose check digits all hold under 9303 (the corpus's helper_checkdigits.all_ok);
// BEL-BO-03003 ("embedded document check digit") is valid upstream but not by 9303's overflow rule.
TEST(Mrz, RoundTripsCorpusStrings)
{
	if (!CorpusPresent())
		GTEST_SKIP() << "corpus not found (../shared/corpus/mrz/strings.jsonl)";
	const char* const td1[] = {
		"td1.test.ts::swiss ID - valid",
		"td1.test.ts::Portuguese ID - valid",                  // overflow
		"td1.test.ts::Finland ID FIN-BO-12001 - valid",         // optional data
		"td1.test.ts::Belgium ID BEL-BO-11005 - valid",         // overflow and optional data 2
		"td1.test.ts::Utopia example",
		"td1.test.ts::Document number field details",
		"td1.test.ts::parse document number ICAO Doc 9303 Sample",
		"td1.test.ts::No last name",
	};
	for (const char* name : td1) {
		const std::vector<std::string> l = CorpusLines(name);
		ASSERT_EQ(l.size(), 3u) << name;
		const auto made = MakeTd1(Td1Spec({l[0], l[1], l[2]}));
		for (std::size_t i = 0; i < 3; ++i)
			EXPECT_SAME_LINE(made[i], l[i], std::string(name) + " line " + std::to_string(i + 1));
	}
	const char* const td3[] = {"td3.test.ts::Utopia example", "td3.test.ts::German example", "td3.test.ts::CHN PO",
							   "td3.test.ts::CHN PT", "td3.test.ts::No last name"};
	for (const char* name : td3) {
		const std::vector<std::string> l = CorpusLines(name);
		ASSERT_EQ(l.size(), 2u) << name;
		const auto made = MakeTd3(Td3Spec({l[0], l[1]}));
		for (std::size_t i = 0; i < 2; ++i)
			EXPECT_SAME_LINE(made[i], l[i], std::string(name) + " line " + std::to_string(i + 1));
	}
	const std::vector<std::string> l = CorpusLines("td2.test.ts::Utopia example");
	ASSERT_EQ(l.size(), 2u);
	const auto made = MakeTd2(Td2Spec({l[0], l[1]}));
	for (std::size_t i = 0; i < 2; ++i)
		EXPECT_SAME_LINE(made[i], l[i], "td2 Utopia line " + std::to_string(i + 1));

	// A corpus string with a wrong check digit is not what the generator composes.
	const std::vector<std::string> bad = CorpusLines("td1.test.ts::Belgium ID BEL-BO-03003, with wrong birth date check digit");
	ASSERT_EQ(bad.size(), 3u);
	EXPECT_NE(MakeTd1(Td1Spec({bad[0], bad[1], bad[2]}))[1], bad[1]);
}

// --- text --------------------------------------------------------------------------------------

TEST(Text, OcrBAdvancesAreEqual)
{
	const std::string mrzChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<";
	for (const double px : {20.0, 41.5, 64.0}) {
		const std::vector<double> adv = GlyphAdvances(mrzChars, std::string(kOcrBFont), px);
		ASSERT_EQ(adv.size(), mrzChars.size());
		for (const double a : adv)
			EXPECT_EQ(a, adv[0]) << "size " << px;
		EXPECT_GT(adv[0], 0.5 * px);
	}
	// DejaVu Sans is proportional: the check can fail.
	const std::vector<double> sans = GlyphAdvances("iW", std::string(kSansFont), 32);
	ASSERT_EQ(sans.size(), 2u);
	EXPECT_LT(sans[0], sans[1]);
}

TEST(Text, DrawsWithinItsBoxAndFailsClearly)
{
	cv::Mat img(120, 600, CV_8UC3, cv::Scalar(255, 255, 255));
	TextStyle style;
	style.pixelHeight = 40;
	const TextBox box = DrawText(img, "Déjà 123", {20, 80}, style);
	EXPECT_EQ(box.baseline, 80);
	EXPECT_EQ(box.box.x, 20);
	EXPECT_GT(box.box.width, 100);
	EXPECT_FALSE(box.ink.empty());
	EXPECT_EQ((box.ink & box.box).area(), box.ink.area());
	const TextBox measured = MeasureText("Déjà 123", {20, 80}, style);
	EXPECT_EQ(measured.box, box.box);
	EXPECT_EQ(measured.ink, box.ink);
	cv::Mat grey;
	cv::cvtColor(img, grey, cv::COLOR_BGR2GRAY);
	double lo = 0;
	cv::minMaxLoc(grey(box.ink), &lo);
	EXPECT_LT(lo, 60);
	cv::Mat outside = grey.clone();
	outside(box.ink).setTo(255);
	EXPECT_EQ(cv::countNonZero(outside != 255), 0);

	TextStyle missing;
	missing.font = "/nonexistent/font.ttf";
	try {
		MeasureText("A", {}, missing);
		ADD_FAILURE() << "no exception for a missing font";
	}
	catch (const std::runtime_error& e) {
		EXPECT_NE(std::string(e.what()).find("/nonexistent/font.ttf"), std::string::npos);
	}
	cv::Mat grey1(10, 10, CV_8U);
	EXPECT_THROW(DrawText(grey1, "A", {0, 8}, style), std::invalid_argument);
}

TEST(Text, FixedPitchPlacesEveryCharacterOnTheGrid)
{
	cv::Mat img(80, 40 * 31, CV_8UC3, cv::Scalar(255, 255, 255));
	TextStyle s;
	s.font = std::string(kOcrBFont);
	s.pixelHeight = 41.5;
	s.pitch = 30;
	const TextBox box = DrawText(img, std::string(40, 'I'), {10, 60}, s);
	EXPECT_EQ(box.box.width, 1200);
	// Each 'I' stem sits at the same place within its 30 px cell.
	cv::Mat grey;
	cv::cvtColor(img, grey, cv::COLOR_BGR2GRAY);
	cv::Mat column;
	cv::reduce(grey.rowRange(30, 55), column, 0, cv::REDUCE_AVG, CV_32F);
	int first = -1;
	for (int x = 10; x < 40; ++x)
		if (column.at<float>(0, x) < 128) {
			first = x;
			break;
		}
	ASSERT_GE(first, 0);
	for (int k = 1; k < 40; ++k)
		EXPECT_LT(column.at<float>(0, first + 30 * k), 128) << "cell " << k;
}

// --- renders -----------------------------------------------------------------------------------

bool Identical(const cv::Mat& a, const cv::Mat& b)
{
	return a.size() == b.size() && a.type() == b.type() && cv::norm(a, b, cv::NORM_INF) == 0;
}

MrzSpec Fictional()
{
	MrzSpec s;
	s.surname = "Specimen";
	s.givenNames = "Alex Jordan";
	s.number = "X12345678";
	s.sex = 'F';
	s.optional = "Z0001";
	return s;
}

TEST(Render, PassportPageSizeAndDeterminism)
{
	const cv::Mat a = RenderPassportPage(Fictional(), 7);
	EXPECT_EQ(a.cols, 1476);
	EXPECT_EQ(a.rows, 1039);
	EXPECT_EQ(a.type(), CV_8UC3);
	EXPECT_TRUE(Identical(a, RenderPassportPage(Fictional(), 7)));
	EXPECT_FALSE(Identical(a, RenderPassportPage(Fictional(), 8)));
	// The MRZ zone (bottom 23 mm) holds dark print over 44 x 30 px, centred.
	cv::Mat grey;
	cv::cvtColor(a(cv::Rect(0, 1039 - 272, 1476, 272)), grey, cv::COLOR_BGR2GRAY);
	cv::Mat dark = grey < 100;
	const cv::Rect ink = cv::boundingRect(dark);
	EXPECT_NEAR(ink.x + ink.width / 2.0, 738, 20);
	EXPECT_NEAR(ink.width, 44 * 30, 30);
	EXPECT_GT(ink.height, 60);
	// Corners outside the rounded page are white.
	EXPECT_EQ(a.at<cv::Vec3b>(0, 0), cv::Vec3b(255, 255, 255));
}

TEST(Render, IdCardSizesAndDeterminism)
{
	const cv::Mat td1 = RenderIdCard(Fictional(), 3);
	EXPECT_EQ(td1.size(), cv::Size(1012, 638));
	EXPECT_TRUE(Identical(td1, RenderIdCard(Fictional(), 3)));
	EXPECT_FALSE(Identical(td1, RenderIdCard(Fictional(), 4)));
	const cv::Mat td2 = RenderIdCard(Fictional(), 3, IdCardFormat::Td2);
	EXPECT_EQ(td2.size(), cv::Size(1240, 874));
	EXPECT_TRUE(Identical(td2, RenderIdCard(Fictional(), 3, IdCardFormat::Td2)));
	MrzSpec tooLong = Fictional();
	tooLong.optional = std::string(20, 'A');
	EXPECT_THROW(RenderIdCard(tooLong, 1), std::invalid_argument);
}

std::string Two(unsigned v)
{
	return (v < 10 ? "0" : "") + std::to_string(v);
}

TEST(Render, LicenceFrontDobFollowsTheProfile)
{
	const Ymd dates[] = {Date(1990, 1, 15), Date(2001, 12, 31), Date(1985, 7, 4), Date(1969, 2, 28)};
	const char* const mon[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
	const FrontProfile profiles[] = {FrontProfile::AuNz, FrontProfile::Us, FrontProfile::Canada, FrontProfile::Uk,
									 FrontProfile::Eu};
	bool auNumeric = false, auText = false;
	for (const FrontProfile p : profiles) {
		for (std::size_t i = 0; i < std::size(dates); ++i) {
			const Ymd d = dates[i];
			const std::string dd = Two(unsigned(d.day())), mm = Two(unsigned(d.month()));
			const std::string yyyy = std::to_string(int(d.year())), yy = Two(unsigned(int(d.year()) % 100));
			FrontSpec spec;
			spec.profile = p;
			spec.birth = d;
			spec.expiry = Date(2031, 3, 9);
			for (std::uint64_t seed = 0; seed < 3; ++seed) {
				const LicenceFront f = RenderLicenceFront(spec, 100 * i + seed);
				const std::string what = "profile " + std::to_string(int(p)) + " date " + std::to_string(i) + " seed " +
										 std::to_string(seed);
				EXPECT_EQ(f.image.size(), cv::Size(1012, 638)) << what;
				switch (p) {
				case FrontProfile::AuNz: {
					const bool numeric = f.dobText == dd + "/" + mm + "/" + yyyy;
					const bool text = f.dobText == dd + " " + mon[unsigned(d.month()) - 1] + " " + yyyy;
					EXPECT_TRUE(numeric || text) << what;
					auNumeric |= numeric;
					auText |= text;
					EXPECT_TRUE(f.dobLabel == "DOB" || f.dobLabel == "Date of Birth") << what;
					EXPECT_TRUE(f.expiryText == "09/03/2031" || f.expiryText == "09 MAR 2031") << what;
					break;
				}
				case FrontProfile::Us:
					EXPECT_TRUE(f.dobText == mm + "/" + dd + "/" + yyyy) << what;
					EXPECT_EQ(f.dobLabel, "DOB");
					EXPECT_EQ(f.expiryText, "03/09/2031");
					break;
				case FrontProfile::Canada:
					EXPECT_TRUE(f.dobText == yyyy + "/" + mm + "/" + dd) << what;
					EXPECT_EQ(f.dobLabel, "Birth Date");
					EXPECT_EQ(f.expiryText, "2031/03/09");
					break;
				case FrontProfile::Uk:
					EXPECT_TRUE(f.dobText == dd + "." + mm + "." + yy) << what;
					EXPECT_EQ(f.dobLabel, "3.");
					EXPECT_EQ(f.expiryText, "09.03.2031");
					break;
				case FrontProfile::Eu:
					EXPECT_TRUE(f.dobText == dd + "." + mm + "." + yyyy) << what;
					EXPECT_EQ(f.dobLabel, "3.");
					EXPECT_EQ(f.expiryText, "09.03.2031");
					break;
				}
				// The date's ink box is on the card and holds dark print.
				ASSERT_FALSE(f.dobBox.empty()) << what;
				EXPECT_EQ((f.dobBox & cv::Rect(0, 0, 1012, 638)), f.dobBox) << what;
				cv::Mat grey;
				cv::cvtColor(f.image(f.dobBox), grey, cv::COLOR_BGR2GRAY);
				double lo = 0;
				cv::minMaxLoc(grey, &lo);
				EXPECT_LT(lo, 110) << what;
			}
		}
	}
	EXPECT_TRUE(auNumeric && auText) << "both AU/NZ date styles occur over the seeds";
}

TEST(Render, LicenceFrontIsDeterministic)
{
	FrontSpec spec;
	spec.profile = FrontProfile::Uk;
	const LicenceFront a = RenderLicenceFront(spec, 11);
	const LicenceFront b = RenderLicenceFront(spec, 11);
	EXPECT_TRUE(Identical(a.image, b.image));
	EXPECT_EQ(a.dobBox, b.dobBox);
	EXPECT_FALSE(Identical(a.image, RenderLicenceFront(spec, 12).image));
	spec.birth = Ymd{year{1990}, month{2}, day{30}};
	EXPECT_THROW(RenderLicenceFront(spec, 1), std::invalid_argument);
}

// --- scenes ------------------------------------------------------------------------------------

TEST(Scene, SizeDeterminismAndCorners)
{
	const cv::Mat page = RenderPassportPage(Fictional(), 5);
	const cv::Mat card = RenderIdCard(Fictional(), 5);
	for (const Level level : {Level::Easy, Level::Medium, Level::Hard}) {
		for (const cv::Mat* flat : {&page, &card}) {
			const DocumentScene a = MakeDocumentScene(*flat, 21, level);
			const std::string what = std::string(ToString(level)) + (flat == &page ? " passport" : " card");
			EXPECT_EQ(a.image.size(), cv::Size(1920, 1080)) << what;
			EXPECT_EQ(a.image.type(), CV_8UC3) << what;
			const DocumentScene b = MakeDocumentScene(*flat, 21, level);
			EXPECT_TRUE(Identical(a.image, b.image)) << what;
			for (const cv::Point2f c : a.corners) {
				EXPECT_GE(c.x, 0) << what;
				EXPECT_GE(c.y, 0) << what;
				EXPECT_LE(c.x, 1920) << what;
				EXPECT_LE(c.y, 1080) << what;
			}
			EXPECT_FALSE(Identical(a.image, MakeDocumentScene(*flat, 22, level).image)) << what;
		}
	}
	EXPECT_THROW(MakeDocumentScene(cv::Mat(), 1, Level::Easy), std::invalid_argument);
}

} // namespace
} // namespace agecheck::synth

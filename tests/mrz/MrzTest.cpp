// SPDX-License-Identifier: Apache-2.0
// Unit tests of mrz::Parse and mrz::CheckDigit (ICAO Doc 9303, 8th ed.): check digits on the
// specimens of Parts 4 to 7, each layout, OCR corrections (accepted only when the check digits then
// pass, never digit into digit), the century rules, bad dates and hostile input. MRZs are the
// fictional ICAO specimens (Utopia, "UTO") or built here.

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

#include "MrzTestUtil.h"

#include "../CountAllocations.h" // proves that Parse allocates nothing

using agecheck::test::g_allocations;

namespace agecheck::mrz {
namespace {

using namespace std::chrono;
using test::Iso;

constexpr year_month_day Today{year{2026}, month{11}, day{25}};

// ICAO 9303 specimens (Part 4 Appendix A, Part 5 Appendix A, Part 6 Appendix A).
const std::string Td3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
						"L898902C36UTO7408122F1204159ZE184226B<<<<<10";
const std::string Td1 = "I<UTOD231458907<<<<<<<<<<<<<<<\n"
						"7408122F1204159UTO<<<<<<<<<<<6\n"
						"ERIKSSON<<ANNA<MARIA<<<<<<<<<<";
const std::string Td2 = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\n"
						"D231458907UTO7408122F1204159<<<<<<<6";

char Digit(std::string_view field)
{
	return static_cast<char>('0' + CheckDigit(field));
}

/// The second line of a TD3 with every check digit computed.
std::string Td3Line2(const std::string& number, const std::string& birth, const std::string& expiry,
					 const std::string& personal = "<<<<<<<<<<<<<<")
{
	std::string l = number + Digit(number) + "UTO" + birth + Digit(birth) + "F" + expiry + Digit(expiry) + personal;
	l += personal.find_first_not_of('<') == std::string::npos ? '<' : Digit(personal);
	l += Digit(l.substr(0, 10) + l.substr(13, 7) + l.substr(21, 22));
	return l;
}

std::string Td3With(const std::string& line2)
{
	return "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n" + line2;
}

Reason ReasonOf(const Result<MrzDocument>& r)
{
	EXPECT_FALSE(r.ok());
	if (r.ok())
		return Reason::Mrz;
	EXPECT_FALSE(IsSource(r.reason()));
	EXPECT_FALSE(r.failure().detail.empty());
	return r.reason();
}

// ---- check digits (Part 3 4.9) ---------------------------------------------------------------

TEST(MrzCheckDigit, IcaoSpecimens)
{
	EXPECT_EQ(CheckDigit("L898902C3"), 6);
	EXPECT_EQ(CheckDigit("740812"), 2);
	EXPECT_EQ(CheckDigit("120415"), 9);
	EXPECT_EQ(CheckDigit("ZE184226B<<<<<"), 1);
	EXPECT_EQ(CheckDigit("L898902C3674081221204159ZE184226B<<<<<1"), 0) << "TD3 composite";
	EXPECT_EQ(CheckDigit("D23145890"), 7);
	EXPECT_EQ(CheckDigit("520727"), 3); // Part 3 4.9 worked example
	EXPECT_EQ(CheckDigit(""), 0);
	EXPECT_EQ(CheckDigit("<<<<<<"), 0);
}

TEST(MrzCheckDigit, RejectsCharactersOutsideTheSet)
{
	EXPECT_EQ(CheckDigit("74081a"), -1);
	EXPECT_EQ(CheckDigit("7408 2"), -1);
	EXPECT_EQ(CheckDigit(std::string_view("74\0812", 6)), -1);
	EXPECT_EQ(CheckDigit("74\xc3\xa9"), -1);
}

// ---- layouts ---------------------------------------------------------------------------------

TEST(MrzParse, Td3Specimen)
{
	const auto r = Parse(Td3, Today);
	ASSERT_TRUE(r.ok()) << ToString(r.reason());
	EXPECT_EQ(r->format, Format::Td3);
	EXPECT_EQ(std::string_view(r->documentCode.data(), 2), "P<");
	EXPECT_EQ(std::string_view(r->issuingState.data(), 3), "UTO");
	EXPECT_EQ(Iso(r->birth), "1974-08-12");
	EXPECT_EQ(Iso(r->expiry), "2012-04-15");
	EXPECT_EQ(r->checks.number, Check::Passed);
	EXPECT_EQ(r->checks.birth, Check::Passed);
	EXPECT_EQ(r->checks.expiry, Check::Passed);
	EXPECT_EQ(r->checks.personal, Check::Passed);
	EXPECT_EQ(r->checks.composite, Check::Passed);
}

TEST(MrzParse, Td1Specimen)
{
	const auto r = Parse(Td1, Today);
	ASSERT_TRUE(r.ok()) << ToString(r.reason());
	EXPECT_EQ(r->format, Format::Td1);
	EXPECT_EQ(std::string_view(r->documentCode.data(), 2), "I<");
	EXPECT_EQ(Iso(r->birth), "1974-08-12");
	EXPECT_EQ(Iso(r->expiry), "2012-04-15");
	EXPECT_EQ(r->checks.composite, Check::Passed);
	EXPECT_EQ(r->checks.personal, Check::Absent);
}

TEST(MrzParse, Td2Specimen)
{
	const auto r = Parse(Td2, Today);
	ASSERT_TRUE(r.ok()) << ToString(r.reason());
	EXPECT_EQ(r->format, Format::Td2);
	EXPECT_EQ(Iso(r->birth), "1974-08-12");
	EXPECT_EQ(Iso(r->expiry), "2012-04-15");
	EXPECT_EQ(r->checks.composite, Check::Passed);
}

TEST(MrzParse, VisasHaveNoComposite)
{
	// MRV-A (Part 7): 2x44, optional data 28-43, no composite check digit.
	const std::string number = "L8988901C";
	std::string line2 = number + Digit(number) + "UTO7408122F1204159" + "<<<<<<<<<<<<<<<<";
	auto a = Parse("V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n" + line2, Today);
	ASSERT_TRUE(a.ok()) << ToString(a.reason());
	EXPECT_EQ(a->format, Format::MrvA);
	EXPECT_EQ(a->checks.composite, Check::Absent);
	EXPECT_EQ(Iso(a->birth), "1974-08-12");
	// MRV-B: 2x36.
	line2 = number + Digit(number) + "UTO7408122F1204159" + "<<<<<<<<";
	auto b = Parse("V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\n" + line2, Today);
	ASSERT_TRUE(b.ok()) << ToString(b.reason());
	EXPECT_EQ(b->format, Format::MrvB);
	EXPECT_EQ(Iso(b->expiry), "2012-04-15");
}

TEST(MrzParse, GermanStateIsDWithFillers)
{
	const auto r = Parse("P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<\n"
						 "C01X0006H1D<<6408125F1710319<<<<<<<<<<<<<<<0",
						 Today);
	ASSERT_TRUE(r.ok()) << ToString(r.reason());
	EXPECT_EQ(std::string_view(r->issuingState.data(), 3), "D<<");
	EXPECT_EQ(Iso(r->birth), "1964-08-12");
	EXPECT_EQ(r->checks.personal, Check::Absent);
}

TEST(MrzParse, Td1LongDocumentNumber)
{
	// Part 5 Appendix A: D23145890734 (12 characters), '<' in the check position, overflow "734"
	// then its check digit 9 in the optional data.
	const auto r = Parse("I<UTOD23145890<7349<<<<<<<<<<<\n"
						 "3407127M9507122UTO<<<<<<<<<<<2\n"
						 "STEVENSON<<PETER<JOHN<<<<<<<<<",
						 Today);
	ASSERT_TRUE(r.ok()) << ToString(r.reason());
	EXPECT_EQ(Iso(r->birth), "1934-07-12");
	EXPECT_EQ(Iso(r->expiry), "1995-07-12");
	// The same with the overflow's check digit wrong, or missing.
	EXPECT_EQ(ReasonOf(Parse("I<UTOD23145890<7348<<<<<<<<<<<\n"
							 "3407127M9507122UTO<<<<<<<<<<<2\n"
							 "STEVENSON<<PETER<JOHN<<<<<<<<<",
							 Today)),
			  Reason::CheckDigit);
	EXPECT_EQ(ReasonOf(Parse("I<UTOD23145890<<<<<<<<<<<<<<<<\n"
							 "3407127M9507122UTO<<<<<<<<<<<2\n"
							 "STEVENSON<<PETER<JOHN<<<<<<<<<",
							 Today)),
			  Reason::CheckDigit);
}

TEST(MrzParse, ToleratesCrLfSpacesBlankLinesAndLowerCase)
{
	const std::string messy = "\r\n  p<utoeriksson<<anna<maria<<<<<<<<<<<<<<<<<<<  \r\n\r\n\tL898902C36UTO7408122F1204159ZE184226B<<<<<10 \r\n";
	const auto r = Parse(messy, Today);
	ASSERT_TRUE(r.ok()) << ToString(r.reason());
	EXPECT_EQ(Iso(r->birth), "1974-08-12");
	EXPECT_TRUE(Parse("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\rL898902C36UTO7408122F1204159ZE184226B<<<<<10", Today).ok());
}

// ---- failing check digits --------------------------------------------------------------------

TEST(MrzParse, EveryFailingCheckDigitIsRefused)
{
	const std::string good = Td3With("L898902C36UTO7408122F1204159ZE184226B<<<<<10");
	ASSERT_TRUE(Parse(good, Today).ok());
	// Number, birth, expiry, personal number, composite: each check digit position of line 2.
	for (std::size_t pos : {9u, 19u, 27u, 42u, 43u}) {
		SCOPED_TRACE(pos);
		std::string bad = good;
		char& c = bad[45 + pos];
		c = c == '9' ? '0' : static_cast<char>(c + 1);
		EXPECT_EQ(ReasonOf(Parse(bad, Today)), Reason::CheckDigit);
	}
	// A field changed under its check digit.
	EXPECT_EQ(ReasonOf(Parse(Td3With("L898902C36UTO7408132F1204159ZE184226B<<<<<10"), Today)), Reason::CheckDigit);
	EXPECT_EQ(ReasonOf(Parse(Td3With("L898902C36UTO7408122F1204159ZE184226C<<<<<10"), Today)), Reason::CheckDigit);
}

// ---- OCR corrections -------------------------------------------------------------------------

TEST(MrzParse, LettersInDigitFieldsAreCorrectedWhenTheChecksThenPass)
{
	// 7408122 read as "74O8I2Z", 1204159 as "I2O4IS9", and the composite 0 as 'O'.
	const auto r = Parse(Td3With("L898902C36UTO74O8I2ZFI2O4IS9ZE184226B<<<<<1O"), Today);
	ASSERT_TRUE(r.ok()) << ToString(r.reason());
	EXPECT_EQ(Iso(r->birth), "1974-08-12");
	EXPECT_EQ(Iso(r->expiry), "2012-04-15");
	EXPECT_EQ(r->checks.birth, Check::Corrected);
	EXPECT_EQ(r->checks.expiry, Check::Corrected);
	EXPECT_EQ(r->checks.number, Check::Passed);
	EXPECT_EQ(r->checks.composite, Check::Corrected);
	// A number's check digit read as a letter ('I' for 1).
	const std::string number = "AB1234567";
	ASSERT_EQ(Digit(number), '1');
	std::string line2 = Td3Line2(number, "900101", "300101");
	line2[9] = 'I';
	const auto n = Parse(Td3With(line2), Today);
	ASSERT_TRUE(n.ok()) << ToString(n.reason());
	EXPECT_EQ(n->checks.number, Check::Corrected);
}

TEST(MrzParse, CorrectionsThatDoNotPassAreRefused)
{
	// "74O8I3" reads as 740813, which check digit 2 does not cover.
	EXPECT_EQ(ReasonOf(Parse(Td3With("L898902C36UTO74O8I32F1204159ZE184226B<<<<<10"), Today)), Reason::CheckDigit);
	// A corrected birth date that passes its own check digit, under a composite that does not.
	std::string line2 = Td3Line2("AB1234567", "000101", "300101");
	line2[13] = 'O';
	ASSERT_TRUE(Parse(Td3With(line2), Today).ok());
	line2[43] = line2[43] == '9' ? '0' : static_cast<char>(line2[43] + 1);
	EXPECT_EQ(ReasonOf(Parse(Td3With(line2), Today)), Reason::CheckDigit);
}

TEST(MrzParse, AnOReadAsZeroInTheDocumentNumberIsCorrectedWhenTheChecksThenPass)
{
	// The demo clip's passport: number O82275804 (a letter O), read by OCR as 082275804.
	std::string line2 = Td3Line2("O82275804", "700419", "280419");
	ASSERT_TRUE(Parse(Td3With(line2), Today).ok());
	line2[0] = '0';
	const auto r = Parse(Td3With(line2), Today);
	ASSERT_TRUE(r.ok());
	EXPECT_EQ(r->checks.number, Check::Corrected);
	EXPECT_EQ(r->checks.composite, Check::Corrected);
	// And the other way round: a 0 read as O.
	line2 = Td3Line2("A0B123456", "700419", "280419");
	line2[1] = 'O';
	EXPECT_TRUE(Parse(Td3With(line2), Today).ok());
	// Only one position, and only when the composite passes too.
	line2 = Td3Line2("O0B123456", "700419", "280419");
	line2[0] = '0';
	line2[1] = 'O';
	EXPECT_EQ(ReasonOf(Parse(Td3With(line2), Today)), Reason::CheckDigit);
	line2 = Td3Line2("O82275804", "700419", "280419");
	line2[0] = '0';
	line2[43] = line2[43] == '9' ? '0' : static_cast<char>(line2[43] + 1);
	EXPECT_EQ(ReasonOf(Parse(Td3With(line2), Today)), Reason::CheckDigit);
}

TEST(MrzParse, NeverChangesADigitIntoAnotherDigit)
{
	// OCR read the 2 of 740812 as 7: the check digit 2 fails, and no digit is guessed back.
	EXPECT_EQ(ReasonOf(Parse(Td3With("L898902C36UTO7408172F1204159ZE184226B<<<<<10"), Today)), Reason::CheckDigit);
	// The same for a check digit: 1204159 read as 1204158.
	EXPECT_EQ(ReasonOf(Parse(Td3With("L898902C36UTO7408122F1204158ZE184226B<<<<<10"), Today)), Reason::CheckDigit);
	// Letters the corrections do not know are not guessed either.
	EXPECT_EQ(ReasonOf(Parse(Td3With("L898902C36UTO74G8122F1204159ZE184226B<<<<<10"), Today)), Reason::CheckDigit);
}

TEST(MrzParse, DigitsInLetterFieldsAreCorrected)
{
	const auto r = Parse("P<UT0ERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
						 "L898902C36UT07408122F1204159ZE184226B<<<<<10",
						 Today);
	ASSERT_TRUE(r.ok()) << ToString(r.reason());
	EXPECT_EQ(std::string_view(r->issuingState.data(), 3), "UTO");
	// A digit the corrections do not know leaves a state that is not a letter code.
	EXPECT_EQ(ReasonOf(Parse("P<U7OERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
							 "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
							 Today)),
			  Reason::Malformed);
}

// ---- dates -----------------------------------------------------------------------------------

TEST(MrzParse, DatesThatAreNotCalendarDates)
{
	for (const char* birth : {"741312", "740230", "740000", "740832", "010229"}) {
		SCOPED_TRACE(birth);
		EXPECT_EQ(ReasonOf(Parse(Td3With(Td3Line2("AB1234567", birth, "300101")), Today)), Reason::InvalidDate);
	}
	EXPECT_EQ(ReasonOf(Parse(Td3With(Td3Line2("AB1234567", "900101", "301301")), Today)), Reason::InvalidDate);
	// 29 February of a leap year is a date.
	EXPECT_EQ(Iso(Parse(Td3With(Td3Line2("AB1234567", "040229", "300101")), Today)->birth), "2004-02-29");
}

TEST(MrzParse, UnknownDatePartsLeaveTheDateAbsent)
{
	// Part 3: an unknown part of a date is filled with '<'.
	const auto r = Parse(Td3With(Td3Line2("AB1234567", "74<<<<", "<<<<<<")), Today);
	ASSERT_TRUE(r.ok()) << ToString(r.reason());
	EXPECT_FALSE(r->birth.has_value());
	EXPECT_FALSE(r->expiry.has_value());
}

TEST(MrzParse, BirthCenturyIsTheMostRecentPast)
{
	auto birth = [](const char* yymmdd, year_month_day today) {
		return Iso(Parse(Td3With(Td3Line2("AB1234567", yymmdd, "300101")), today)->birth);
	};
	EXPECT_EQ(birth("261125", Today), "2026-11-25");
	EXPECT_EQ(birth("261126", Today), "1926-11-26");
	EXPECT_EQ(birth("000101", Today), "2000-01-01");
	EXPECT_EQ(birth("991231", Today), "1999-12-31");
	// Near age 100: born 1925-12-01 reads as 2025 (an infant), which errs towards "under".
	EXPECT_EQ(birth("251201", Today), "2025-12-01");
	// The day before 29 February 2000, "000229" is 1900-02-29: not a date.
	EXPECT_EQ(ReasonOf(Parse(Td3With(Td3Line2("AB1234567", "000229", "300101")), year_month_day{year{2000}, month{2}, day{28}})),
			  Reason::InvalidDate);
}

TEST(MrzParse, ExpiryCenturyIsWithinFiftyYears)
{
	auto expiry = [](const char* yymmdd) {
		return Iso(Parse(Td3With(Td3Line2("AB1234567", "900101", yymmdd)), Today)->expiry);
	};
	EXPECT_EQ(expiry("750101"), "2075-01-01");
	EXPECT_EQ(expiry("760101"), "1976-01-01");
	EXPECT_EQ(expiry("950712"), "1995-07-12");
	EXPECT_EQ(expiry("300101"), "2030-01-01");
}

// ---- layouts that are not an age source, and broken shapes -----------------------------------

TEST(MrzParse, NonIcaoLayoutsAreNotAnId)
{
	EXPECT_EQ(ReasonOf(Parse("D1FRA13AA000026181231MARTIN<<9", Today)), Reason::NotAnId);
	EXPECT_EQ(ReasonOf(Parse("L898902C36UTO7408122F1204159ZE184226B<<<<<10", Today)), Reason::NotAnId);
	EXPECT_EQ(ReasonOf(Parse("IDFRATEST<NAME<<<<<<<<<<<<<<<<0CHE02\n1710GVA123451ROBERTA<<<<<<<9112311F2", Today)),
			  Reason::NotAnId);
	EXPECT_EQ(ReasonOf(Parse("AAA001D<<\nFACHE305142128097<<800126<<<<<\nMARCHAND<<FABIENNE<<<<<<<<<<<<", Today)),
			  Reason::NotAnId);
}

TEST(MrzParse, BelgianLongNumbers)
{
	// BEL-BO-11005 (2013): check digit over the 12 characters, as ICAO says.
	const auto a = Parse("IDBEL600001795<0152<<<<<<<<<<<\n1301014F2311207BEL130101987398\nSPECIMEN<<SPECIMEN<<<<<<<<<<<<", Today);
	ASSERT_TRUE(a.ok()) << ToString(a.reason());
	EXPECT_EQ(Iso(a->birth), "2013-01-01");
	// BEL-BO-03003: check digit over the number with the filler kept.
	const auto b = Parse("IDBEL000590240<6013<<<<<<<<<<<\n8512017F1311048BEL851201002007\nREINARTZ<<ULRIKE<KATIA<E<<<<<<", Today);
	ASSERT_TRUE(b.ok()) << ToString(b.reason());
	EXPECT_EQ(Iso(b->birth), "1985-12-01");
	EXPECT_EQ(ReasonOf(Parse("IDBEL000590240<6016<<<<<<<<<<<\n8512017F1311048BEL851201002007\nREINARTZ<<ULRIKE<KATIA<E<<<<<<", Today)),
			  Reason::CheckDigit);
}

TEST(MrzParse, WrongShapesAreMalformed)
{
	const std::string l1 = Td3.substr(0, 44), l2 = Td3.substr(45);
	EXPECT_EQ(ReasonOf(Parse(l1 + "\n" + l2 + "\n" + l2, Today)), Reason::Malformed);
	EXPECT_EQ(ReasonOf(Parse(l1 + "\n" + l2 + "\n" + l2 + "\n" + l2, Today)), Reason::Malformed);
	EXPECT_EQ(ReasonOf(Parse(l1 + "\n" + l2.substr(1), Today)), Reason::Malformed);
	EXPECT_EQ(ReasonOf(Parse(l1 + "<\n" + l2 + "<", Today)), Reason::Malformed);
	EXPECT_EQ(ReasonOf(Parse(l1.substr(0, 36) + "\n" + l2, Today)), Reason::Malformed);
	// A TD3 whose document code is not a passport's, and a TD1 with a passport's.
	EXPECT_EQ(ReasonOf(Parse("I" + Td3.substr(1), Today)), Reason::Malformed);
	EXPECT_EQ(ReasonOf(Parse("P" + Td1.substr(1), Today)), Reason::Malformed);
}

// ---- hostile input ---------------------------------------------------------------------------

TEST(MrzParse, HostileInput)
{
	EXPECT_EQ(ReasonOf(Parse("", Today)), Reason::Unreadable);
	EXPECT_EQ(ReasonOf(Parse(" \r\n\t\n\n", Today)), Reason::Unreadable);
	EXPECT_EQ(ReasonOf(Parse(std::string(1 << 20, '\n'), Today)), Reason::Unreadable);
	EXPECT_EQ(ReasonOf(Parse(std::string(1 << 20, '<'), Today)), Reason::Malformed);
	EXPECT_EQ(ReasonOf(Parse(std::string(1 << 20, 'A') + "\n" + Td3, Today)), Reason::Malformed);
	std::string many;
	for (int i = 0; i < 100000; ++i)
		many += Td1.substr(0, 30) + "\n";
	EXPECT_EQ(ReasonOf(Parse(many, Today)), Reason::Malformed);
	// NULs and non-ASCII bytes in place of a character (same length), and UTF-8 that changes the length.
	for (const char bad : {'\0', '\x7f', '\xab', '\xff', ' ', '?'}) {
		std::string s = Td3;
		s[60] = bad;
		EXPECT_EQ(ReasonOf(Parse(s, Today)), Reason::Malformed) << int(static_cast<unsigned char>(bad));
	}
	std::string utf8 = Td3;
	utf8.replace(85, 1, "\xc2\xab"); // '«' for '<'
	EXPECT_EQ(ReasonOf(Parse(utf8, Today)), Reason::Malformed);
	EXPECT_EQ(ReasonOf(Parse(std::string("\0\0\0", 3), Today)), Reason::NotAnId);
}

TEST(MrzParse, NeverAllocates)
{
	for (const std::string* s : {&Td1, &Td2, &Td3}) {
		const long before = g_allocations.load();
		const auto r = Parse(*s, Today);
		EXPECT_EQ(g_allocations.load(), before);
		EXPECT_TRUE(r.ok());
	}
}

} // namespace
} // namespace agecheck::mrz

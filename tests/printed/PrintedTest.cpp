// SPDX-License-Identifier: Apache-2.0
// Unit tests of printed::Parse: each profile's labels and formats, labels with the date on the same
// or the next line, OCR noise, ambiguity with several profiles active and its resolution with one,
// two-digit years around today, dates that are not calendar dates, missing labels and hostile
// input. All names, numbers and dates are fictional.

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "../ParserTestUtil.h"
#include "printed/Printed.h"

#include "../CountAllocations.h" // proves that Parse allocates nothing

using agecheck::test::g_allocations;

namespace agecheck::printed {
namespace {

using namespace std::chrono;
using agecheck::test::Iso;

constexpr year_month_day Today{year{2026}, month{11}, day{25}};

/// The built-in profiles named, in that order.
std::vector<const Profile*> Named(std::initializer_list<std::string_view> names)
{
	std::vector<const Profile*> out;
	for (const std::string_view n : names) {
		out.push_back(FindProfile(n));
		EXPECT_NE(out.back(), nullptr) << n;
	}
	return out;
}

/// Every built-in profile.
std::vector<const Profile*> All()
{
	std::vector<const Profile*> out;
	for (const Profile& p : Profiles())
		out.push_back(&p);
	return out;
}

Result<PrintedDates> With(std::string_view text, const std::vector<const Profile*>& active,
                          year_month_day today = Today)
{
	return Parse(text, active, today);
}

/// "YYYY-MM-DD" of the date of birth, or the failure's token.
std::string Birth(const Result<PrintedDates>& r)
{
	if (!r.ok()) {
		EXPECT_FALSE(IsSource(r.reason()));
		EXPECT_FALSE(r.failure().detail.empty());
		return std::string(ToString(r.reason()));
	}
	return Iso(r->birth.get());
}

/// "YYYY-MM-DD" of the expiry date, "none", or the failure's token.
std::string Expiry(const Result<PrintedDates>& r)
{
	if (!r.ok())
		return std::string(ToString(r.reason()));
	return Iso(r->expiry);
}

std::string Birth(std::string_view text, std::initializer_list<std::string_view> names, year_month_day today = Today)
{
	return Birth(With(text, Named(names), today));
}

std::string Expiry(std::string_view text, std::initializer_list<std::string_view> names, year_month_day today = Today)
{
	return Expiry(With(text, Named(names), today));
}

// ---- the profiles table ----------------------------------------------------------------------

TEST(PrintedProfiles, BuiltInTable)
{
	const auto table = Profiles();
	ASSERT_EQ(table.size(), 5u);
	const char* const names[] = {"au-nz", "us", "canada", "uk", "eu"};
	for (std::size_t i = 0; i < table.size(); ++i) {
		EXPECT_EQ(table[i].name, names[i]);
		EXPECT_EQ(FindProfile(names[i]), &table[i]);
		EXPECT_FALSE(table[i].BirthLabels().empty());
		EXPECT_FALSE(table[i].ExpiryLabels().empty());
		EXPECT_FALSE(table[i].Formats().empty());
	}
	EXPECT_EQ(FindProfile("AU-NZ"), nullptr);
	EXPECT_EQ(FindProfile("fr"), nullptr);
	EXPECT_EQ(FindProfile(""), nullptr);
	const Profile& uk = *FindProfile("uk");
	ASSERT_EQ(uk.Formats().size(), 2u);
	EXPECT_EQ(uk.Formats()[0].text, "DD.MM.YY");
	EXPECT_EQ(uk.Formats()[0].parts[2], Part::Year2);
	EXPECT_EQ(uk.BirthLabels()[0], "3.");
	EXPECT_EQ(uk.ExpiryLabels()[0], "4b.");
}

TEST(PrintedProfiles, EmbeddedTextParsesAtRunTimeToTheSameTable)
{
	const std::string text(ProfilesText()); // a copy: the views then point into it
	const ProfileTable t = ParseProfiles(text);
	ASSERT_EQ(t.errorLine, 0u) << t.error;
	ASSERT_EQ(t.Profiles().size(), Profiles().size());
	for (std::size_t i = 0; i < t.count; ++i) {
		const Profile& a = t.profiles[i];
		const Profile& b = Profiles()[i];
		EXPECT_EQ(a.name, b.name);
		ASSERT_EQ(a.BirthLabels().size(), b.BirthLabels().size());
		for (std::size_t k = 0; k < a.BirthLabels().size(); ++k)
			EXPECT_EQ(a.BirthLabels()[k], b.BirthLabels()[k]);
		ASSERT_EQ(a.Formats().size(), b.Formats().size());
		for (std::size_t k = 0; k < a.Formats().size(); ++k) {
			EXPECT_EQ(a.Formats()[k].parts, b.Formats()[k].parts);
			EXPECT_EQ(a.Formats()[k].separators, b.Formats()[k].separators);
		}
	}
}

TEST(PrintedProfiles, FormatsAndLabelsAsWritten)
{
	const ProfileTable t = ParseProfiles("# comment\n"
	                                     "[x-1]\n"
	                                     "  birth_labels = Born ,  D.O.B.  # trailing comment\r\n"
	                                     "expiry_labels=Valid to\n"
	                                     "formats = D/M/YYYY, MON-DD-YY, YYYY.MM.DD, DD MON YYYY\n");
	ASSERT_EQ(t.errorLine, 0u) << t.error;
	ASSERT_EQ(t.count, 1u);
	const Profile& p = t.profiles[0];
	EXPECT_EQ(p.name, "x-1");
	ASSERT_EQ(p.BirthLabels().size(), 2u);
	EXPECT_EQ(p.BirthLabels()[0], "Born");
	EXPECT_EQ(p.BirthLabels()[1], "D.O.B.");
	EXPECT_EQ(p.ExpiryLabels()[0], "Valid to");
	ASSERT_EQ(p.Formats().size(), 4u);
	EXPECT_EQ(p.Formats()[0].parts, (std::array<Part, 3>{Part::Day, Part::Month, Part::Year4}));
	EXPECT_EQ(p.Formats()[1].parts, (std::array<Part, 3>{Part::MonthName, Part::Day2, Part::Year2}));
	EXPECT_EQ(p.Formats()[1].separators, (std::array<char, 2>{'-', '-'}));
	EXPECT_EQ(p.Formats()[2].parts, (std::array<Part, 3>{Part::Year4, Part::Month2, Part::Day2}));
	EXPECT_EQ(p.Formats()[3].separators, (std::array<char, 2>{' ', ' '}));
}

TEST(PrintedProfiles, ErrorsNameTheLine)
{
	const auto error = [](std::string_view text) {
		const ProfileTable t = ParseProfiles(text);
		EXPECT_TRUE(t.Profiles().empty()) << text;
		EXPECT_FALSE(t.error.empty()) << text;
		return std::to_string(t.errorLine) + ": " + std::string(t.error);
	};
	const std::string ok = "birth_labels = DOB\nexpiry_labels = EXP\nformats = DD/MM/YYYY\n";
	EXPECT_EQ(error(""), "1: no profile");
	EXPECT_EQ(error("# nothing\n"), "1: no profile");
	EXPECT_EQ(error("formats = DD/MM/YYYY\n"), "1: a key before the first '[profile]' header");
	EXPECT_EQ(error("[a\n"), "1: a section header must be '[name]'");
	EXPECT_EQ(error("[A]\n"), "1: a profile name is 1 to 16 of a-z, 0-9 and '-', starting with a letter");
	EXPECT_EQ(error("[]\n"), "1: a profile name is 1 to 16 of a-z, 0-9 and '-', starting with a letter");
	EXPECT_EQ(error("[a]\n" + ok + "[a]\n" + ok), "5: a profile name is used twice");
	EXPECT_EQ(error("[a]\nbirth_labels = DOB\n[b]\n"), "3: a profile needs birth_labels, expiry_labels and formats");
	EXPECT_EQ(error("[a]\nbirth_labels = DOB\n"), "2: a profile needs birth_labels, expiry_labels and formats");
	EXPECT_EQ(error("[a]\ncolour = blue\n"), "2: unknown key (expected birth_labels, expiry_labels or formats)");
	EXPECT_EQ(error("[a]\nbirth_labels DOB\n"), "2: expected 'key = value'");
	EXPECT_EQ(error("[a]\nbirth_labels = DOB\nbirth_labels = DOB\n"), "3: a key is given twice in one profile");
	EXPECT_EQ(error("[a]\nbirth_labels =\n"), "2: a key without a value");
	EXPECT_EQ(error("[a]\nbirth_labels = DOB, dob\n"), "2: a label is listed twice");
	EXPECT_EQ(error("[a]\nbirth_labels = DOB,\n").substr(0, 20), "2: a label is 1 to 3");
	EXPECT_EQ(error("[a]\nbirth_labels = .DOB\n").substr(0, 20), "2: a label is 1 to 3");
	EXPECT_EQ(error("[a]\nbirth_labels = " + std::string(33, 'x') + "\n").substr(0, 20), "2: a label is 1 to 3");
	EXPECT_EQ(error("[a]\nbirth_labels = D\xc3\x96"
	                "B\n")
	              .substr(0, 20),
	          "2: a label is 1 to 3");
	EXPECT_EQ(error("[a]\nbirth_labels = A, B, C, D, E, F, G, H, I\n"), "2: more than 8 labels");
	EXPECT_EQ(error("[a]\nbirth_labels = DOB\nexpiry_labels = dob\n"),
	          "3: a label is both a birth and an expiry label");
	EXPECT_EQ(error("[a]\n" + ok + "[b]\nbirth_labels = EXP\n"), "6: a label is both a birth and an expiry label");
	for (const char* bad : {"DD/MM", "DD/MM/YYYY/", "DD/DD/YYYY", "DD/MM/YYY", "DD_MM_YYYY", "DD,MM,YYYY", "dd/mm/yyyy",
	                        "DD//MM/YYYY", "DDD/MM/YYYY", "MON/MM/YYYY", "DD/MM/YYYY!"}) {
		EXPECT_EQ(error("[a]\nformats = " + std::string(bad) + "\n").substr(0, 16), "2: a format is a") << bad;
	}
	EXPECT_EQ(error("[a]\nformats = DD/MM/YYYY, DD/MM/YYYY\n"), "2: a format is listed twice");
	EXPECT_EQ(
	    error("[a]\nformats = D/M/YY, D/M/YYYY, D-M-YY, D-M-YYYY, D.M.YY, D.M.YYYY, D M YY, D M YYYY, DD/MM/YY\n"),
	    "2: more than 8 formats");
	std::string nine;
	for (char c = 'a'; c <= 'i'; ++c)
		nine +=
		    std::string("[") + c + "]\nbirth_labels = B" + c + "\nexpiry_labels = E" + c + "\nformats = DD/MM/YYYY\n";
	EXPECT_EQ(error(nine), "33: more than 8 profiles");
}

// ---- each profile ----------------------------------------------------------------------------

TEST(PrintedParse, AuNzFormatsAndLabels)
{
	for (const char* date : {"15/01/1990", "15-01-1990", "15.01.1990", "15 JAN 1990", "15 Jan 1990", "15 jan 1990"}) {
		for (const char* label : {"Date of Birth", "DOB", "D.O.B.", "Birth Date", "DATE OF BIRTH", "dob"}) {
			const std::string text = std::string("DRIVER LICENCE\n") + label + " " + date + "\n";
			EXPECT_EQ(Birth(text, {"au-nz"}), "1990-01-15") << text;
		}
	}
	for (const char* label :
	     {"Expiry", "Expiry Date", "Expires", "EXP", "Licence Expiry", "License Expiry", "Date of Expiry"}) {
		const std::string text = std::string("DOB 15/01/1990\n") + label + " 09 MAR 2031\n";
		EXPECT_EQ(Expiry(text, {"au-nz"}), "2031-03-09") << text;
	}
}

TEST(PrintedParse, UsCardDesign)
{
	const std::string card = "EXAMPLE DRIVER LICENSE USA\n"
	                         "4d DLN A1234567\n"
	                         "1 SPECIMEN\n"
	                         "2 ALEX\n"
	                         "8 123 MAIN ST\n"
	                         "EXAMPLE CITY, EX 12345\n"
	                         "3 DOB 01/15/1990\n"
	                         "4b EXP 03/09/2031 4a ISS 03/09/2023\n"
	                         "15 SEX F 16 HGT 5'-05\" 18 EYES BRO\n";
	const auto r = With(card, Named({"us"}));
	EXPECT_EQ(Birth(r), "1990-01-15");
	EXPECT_EQ(Expiry(r), "2031-03-09");
	EXPECT_EQ(Birth("Date of Birth 12/31/2001\n", {"us"}), "2001-12-31");
	EXPECT_EQ(Expiry("DOB 12/31/2001\nExpires 01/02/2030\n", {"us"}), "2030-01-02");
	EXPECT_EQ(Expiry("DOB 12/31/2001\nExpiration 01/02/2030\n", {"us"}), "2030-01-02");
}

TEST(PrintedParse, CanadaYearFirst)
{
	EXPECT_EQ(Birth("Birth Date 1990/01/15\n", {"canada"}), "1990-01-15");
	EXPECT_EQ(Birth("DOB 1990-06-05\n", {"canada"}), "1990-06-05");
	EXPECT_EQ(Birth("Date of Birth 1990/06/05\n", {"canada"}), "1990-06-05");
	const std::string card = "EXAMPLE PROVINCE\n"
	                         "DRIVER'S LICENCE \xc2\xb7 PERMIS DE CONDUIRE\n"
	                         "DL No. / No de permis\n"
	                         "A1234-12345-12345\n"
	                         "Birth Date Expiry / Expiration\n"
	                         "1990/06/05 2031/03/09\n"
	                         "Class G Sex F Hgt 170 cm\n";
	const auto r = With(card, Named({"canada"}));
	EXPECT_EQ(Birth(r), "1990-06-05");
	EXPECT_EQ(Expiry(r), "2031-03-09");
	// Year first reads one way whatever else is active.
	EXPECT_EQ(Birth(card, {"au-nz", "us", "canada", "uk", "eu"}), "1990-06-05");
	// As Tesseract gives the generator's card: blank lines, runs of blanks between the columns.
	const std::string ocr = "EXAMPLE PROVINCE\n\nDRIVER'S LICENCE - PERMIS DE CONDUIRE\n\nDL-No. / No de.permis\n\n"
	                        "14407-58038-51745\n\nSAMPLE,\nSAM\n\n615 EXAMPLE RD\nEXAMPLE CITY EX D7F 810\n\n"
	                        "Birth Date                   Expiry / Expiration\n\n2008/11/24       2029/08/09\n\n"
	                        "ClassG SexF Hgt184cm\n";
	const auto o = With(ocr, Named({"canada"}));
	EXPECT_EQ(Birth(o), "2008-11-24");
	EXPECT_EQ(Expiry(o), "2029-08-09");
}

TEST(PrintedParse, UkPhotocard)
{
	const std::string card = "DRIVING LICENCE UK\n"
	                         "1. SPECIMEN\n"
	                         "2. ALEX\n"
	                         "3. 05.06.90 UNITED KINGDOM\n"
	                         "4a. 01.02.2020 4c. DVLA\n"
	                         "4b. 09.03.2031\n"
	                         "5. ABCDE123456AB9CD\n";
	const auto r = With(card, Named({"uk"}));
	EXPECT_EQ(Birth(r), "1990-06-05");
	EXPECT_EQ(Expiry(r), "2031-03-09");
	// uk and eu both active: "05.06.90" only has uk's two-digit format.
	EXPECT_EQ(Birth(card, {"uk", "eu"}), "1990-06-05");
	EXPECT_EQ(Birth(card, {"eu"}), "unreadable");
}

TEST(PrintedParse, EuModel)
{
	const std::string card = "UT DRIVING LICENCE\n"
	                         "PERMIS DE CONDUIRE \xc2\xb7 F\xc3\x9cHRERSCHEIN\n"
	                         "1. SPECIMEN\n"
	                         "2. ALEX\n"
	                         "3. 05.06.1990 EXAMPLETOWN\n"
	                         "4a. 01.02.2020 4c. EXAMPLE AUTHORITY\n"
	                         "4b. 09.03.2031\n";
	const auto r = With(card, Named({"eu"}));
	EXPECT_EQ(Birth(r), "1990-06-05");
	EXPECT_EQ(Expiry(r), "2031-03-09");
	EXPECT_EQ(Birth(card, {"uk", "eu"}), "1990-06-05"); // both read it the same
	EXPECT_EQ(Birth(card, {"au-nz", "us", "canada", "uk", "eu"}), "1990-06-05");
}

// ---- where the date is -----------------------------------------------------------------------

TEST(PrintedParse, DateOnTheNextLine)
{
	EXPECT_EQ(Birth("DOB\n15/01/1990\n", {"au-nz"}), "1990-01-15");
	EXPECT_EQ(Birth("DOB\n\n  \n _ \n15/01/1990\n", {"au-nz"}), "1990-01-15"); // blank and noise lines
	EXPECT_EQ(Birth("DOB\r\n15/01/1990\r\n", {"au-nz"}), "1990-01-15");
	// The AU/NZ card: a row of labels over a row of dates; the label's rank picks its date.
	const std::string card = "DRIVER LICENCE EXAMPLE STATE\n"
	                         "ALEX SPECIMEN\n"
	                         "12 EXAMPLE STREET\n"
	                         "EXAMPLETOWN EXS 1234\n"
	                         "Licence No.\n"
	                         "12345678\n"
	                         "Date of Birth Licence Expiry\n"
	                         "15 JAN 1990 09 MAR 2031\n"
	                         "Licence Class\n"
	                         "C\n";
	const auto r = With(card, Named({"au-nz"}));
	EXPECT_EQ(Birth(r), "1990-01-15");
	EXPECT_EQ(Expiry(r), "2031-03-09");
	// The labels' order decides, not the dates'.
	const auto swapped = With("Expiry DOB\n15/01/2031 09/03/1990\n", Named({"au-nz"}));
	EXPECT_EQ(Birth(swapped), "1990-03-09");
	EXPECT_EQ(Expiry(swapped), "2031-01-15");
	// A field number before the label does not count as a value.
	EXPECT_EQ(Birth("3 DOB\n01/15/1990\n", {"us"}), "1990-01-15");
}

TEST(PrintedParse, NextLineMustMatchTheLabels)
{
	// Two labels but one date: which is which cannot be told.
	EXPECT_EQ(Birth("DOB Expiry\n15/01/1990\n", {"au-nz"}), "unreadable");
	// One label, two dates.
	EXPECT_EQ(Birth("DOB\n15/01/1990 09/03/2031\n", {"au-nz"}), "unreadable");
	// The next line has a label of its own: its date is that label's.
	EXPECT_EQ(Birth("DOB\nExpiry 09/03/2031\n", {"au-nz"}), "unreadable");
	// The label's line has a value of its own that is not a date.
	EXPECT_EQ(Birth("DOB 1990\n15/01/1990\n", {"au-nz"}), "unreadable");
	// A word between the label and the date.
	EXPECT_EQ(Birth("DOB SEX 15/01/1990\n", {"au-nz"}), "unreadable");
	// A word after the label is its value, even when it is not a date.
	EXPECT_EQ(Birth("DOB UNKNOWN\n15/01/1990\n", {"au-nz"}), "unreadable");
	EXPECT_EQ(Birth("DOB ALEX Expiry\n15/01/1990 09/03/2031\n", {"au-nz"}), "unreadable");
	EXPECT_EQ(Expiry("DOB 15/01/1990\nExpiry NONE\n09/03/2031\n", {"au-nz"}), "none");
	// Words before the labels do not matter.
	EXPECT_EQ(Birth("ee | DOB Expiry\n15/01/1990 09/03/2031\n", {"au-nz"}), "1990-01-15");
	// The next line holds something other than dates.
	EXPECT_EQ(Birth("DOB\nIssued 01/02/2020\n", {"au-nz"}), "unreadable");
	EXPECT_EQ(Birth("DOB\n01/02/2020 C\n", {"au-nz"}), "2020-02-01") << "a word after the date is another column's";
	EXPECT_EQ(Birth("DOB\n01/02/2020 C3\n", {"au-nz"}), "unreadable") << "but not a number";
	// A passport page as Tesseract reads it: the sex beside the date, other labels beside the label.
	EXPECT_EQ(Birth("Date of birth / Date de naissance      Sex / Sexe     a   ow\n06 MAY 2009        x\n", {"au-nz"}),
	          "2009-05-06");
	EXPECT_EQ(Birth("DOB\n4a 01/02/2020\n", {"au-nz"}), "unreadable");
	// Only the next line counts.
	EXPECT_EQ(Birth("DOB\nALEX\n15/01/1990\n", {"au-nz"}), "unreadable");
}

TEST(PrintedParse, NoLabelNoDate)
{
	EXPECT_EQ(Birth("", {"au-nz"}), "unreadable");
	EXPECT_EQ(Birth("15/01/1990\n", {"au-nz"}), "unreadable");
	EXPECT_EQ(Birth("DRIVER LICENCE\nALEX SPECIMEN\n15/01/1990 09/03/2031\n", {"au-nz"}), "unreadable");
	EXPECT_EQ(Birth("DOB\n", {"au-nz"}), "unreadable");
	EXPECT_EQ(Birth("DOB unknown\n", {"au-nz"}), "unreadable");
	EXPECT_EQ(With("DOB\n", Named({"au-nz"})).failure().detail, "no date next to a date-of-birth label");
	EXPECT_EQ(With("nothing\n", Named({"au-nz"})).failure().detail, "no date-of-birth label");
	// A label of an inactive profile is no label.
	EXPECT_EQ(Birth("3. 15.01.1990\n", {"au-nz", "us", "canada"}), "unreadable");
	EXPECT_EQ(Birth("Birth Date 1990/01/15\n", {"us"}), "unreadable");
}

TEST(PrintedParse, LabelsAreWholeWords)
{
	EXPECT_EQ(Birth("DOBSON 15/01/1990\n", {"au-nz"}), "unreadable");
	EXPECT_EQ(Birth("XDOB 15/01/1990\n", {"au-nz"}), "unreadable");
	EXPECT_EQ(Birth("DOB15/01/1990\n", {"au-nz"}), "unreadable");
	// The "3" of the AAMVA "3 DOB" is not the uk/eu field "3.".
	EXPECT_EQ(Birth("3 15.01.1990\n", {"uk", "eu"}), "unreadable");
	EXPECT_EQ(Birth("3 DOB 01/15/1990\n", {"uk", "eu"}), "unreadable");
	// A field number stands after a blank or at the start of its line.
	EXPECT_EQ(Birth("x/3. 15.01.1990\n", {"eu"}), "unreadable");
	EXPECT_EQ(Birth("1.3. 15.01.1990\n", {"eu"}), "unreadable");
	EXPECT_EQ(Birth("  3. 15.01.1990\n", {"eu"}), "1990-01-15");
	// Letters are not read as digits in a field number.
	EXPECT_EQ(Expiry("3. 15.01.1990\n48. 09.03.2031\n", {"eu"}), "none");
}

TEST(PrintedParse, DatesAreWholeWords)
{
	EXPECT_EQ(Birth("DOB 15/01/19901\n", {"au-nz"}), "unreadable");
	EXPECT_EQ(Birth("DOB 115/01/1990\n", {"au-nz"}), "unreadable");
	EXPECT_EQ(Birth("DOB 15/01/1990X\n", {"au-nz"}), "unreadable");
	EXPECT_EQ(Birth("DOB 15/01/1990/3\n", {"au-nz"}), "unreadable");
	EXPECT_EQ(Birth("3. 15.01.90.5\n", {"uk"}), "unreadable");
	EXPECT_EQ(Birth("DOB 15 JANUARY 1990\n", {"au-nz"}), "unreadable");
	EXPECT_EQ(Birth("DOB 5/01/1990\n", {"au-nz"}), "unreadable"); // DD: two digits
	EXPECT_EQ(Birth("DOB 15/01/90\n", {"au-nz"}), "unreadable");  // YYYY: four digits
	EXPECT_EQ(Birth("DOB 15/01/1990.\n", {"au-nz"}), "1990-01-15");
	EXPECT_EQ(Birth("DOB (15/01/1990)\n", {"au-nz"}), "1990-01-15");
	EXPECT_EQ(Birth("3. 15.01.90, UNITED KINGDOM\n", {"uk"}), "1990-01-15");
}

// ---- OCR noise -------------------------------------------------------------------------------

TEST(PrintedParse, NoisyLabels)
{
	for (const char* label : {"DOB:",
	                          "D.0.B",
	                          "D.0.B.",
	                          "DO8",
	                          "D0B",
	                          "D.O.B:",
	                          "d.o.b",
	                          "Date  of  Birth",
	                          "Date of Birth:",
	                          "DateofBirth",
	                          "Date-of-Birth",
	                          "Birth Date:",
	                          "8irth Date",
	                          "Date of 8irth",
	                          "Date of Blrth",
	                          "Date of B1rth",
	                          "DOB |",
	                          "DOB :",
	                          "DOB _",
	                          "DOB -"}) {
		const std::string text = std::string(label) + " 15/01/1990\n";
		EXPECT_EQ(Birth(text, {"au-nz"}), "1990-01-15") << text;
	}
	for (const char* label : {"3.", "3,", "3:"})
		EXPECT_EQ(Birth(std::string(label) + " 15.01.1990 EXAMPLETOWN\n", {"eu"}), "1990-01-15") << label;
	EXPECT_EQ(Expiry("3. 15.01.90\n4b, 09.03.2031\n", {"uk"}), "2031-03-09");
	EXPECT_EQ(Expiry("3. 15.01.90\n4B. 09.03.2031\n", {"uk"}), "2031-03-09");
	// OCR joins a field number to its label: "3 DOB" read as "3DOB" or "3doB".
	EXPECT_EQ(Birth("3doB 11/26/2008\n", {"us"}), "2008-11-26");
	EXPECT_EQ(Birth("3DOB 01/15/1990\n", {"us"}), "1990-01-15");
	EXPECT_EQ(Birth("X3DOB 01/15/1990\n", {"us"}), "unreadable") << "but only digits may come before it";
	// The AAMVA card's small capitals as Tesseract reads them from the generator's US fronts:
	// "3 DOB" as "3 p08", "4b EXP" joined as "4bexP".
	EXPECT_EQ(Birth("ee          3 p08 02/02/2011\n", {"us"}), "2011-02-02");
	EXPECT_EQ(Expiry("3 p08 02/02/2011\n4bexP 09/05/2028     4a ISS_ 02/02/2027\n", {"us"}), "2028-09-05");
	EXPECT_EQ(Birth("P08 02/02/2011\n", {"us"}), "unreadable") << "only a lower-case p";
	EXPECT_EQ(Expiry("3 DOB 02/02/2011\n4bbbEXP 09/05/2028\n", {"us"}), "none") << "one letter after the digits, no more (and the numbered \"4b EXP\", one more than its word)";
	EXPECT_EQ(Expiry("3 DOB 02/02/2011\nx4bEXP 09/05/2028\n", {"us"}), "none") << "and only at the start of a word";
	// Tesseract reads the small "4" of a field number as 'a' (seen on the generator's fronts).
	EXPECT_EQ(Expiry("3. 15.01.90\nab. 09.03.2031\n", {"uk"}), "2031-03-09");
	EXPECT_EQ(Expiry("3. 15.01.1990 TOWN\n| Ab. 09.03.2031\n", {"eu"}), "2031-03-09");
	EXPECT_EQ(Expiry("3. 15.01.90\nb. 09.03.2031\n", {"uk"}), "none") << "but a missing digit is not guessed";
	// A letter of a word label misread or missing, as Tesseract reads the generator's fronts: one
	// in a label of 3 to 8 letters, two in a longer one; never a word's first letter.
	EXPECT_EQ(Birth("3 pop 11/15/1933\n", {"us"}), "1933-11-15");
	EXPECT_EQ(Birth("3 pos 11/26/2008\n", {"us"}), "2008-11-26");
	EXPECT_EQ(Birth("ae    | 3008 11/24/2008\n", {"us"}), "2008-11-24") << "\"3 DOB\" joined, its small capitals read as digits";
	EXPECT_EQ(Birth("13008 11/24/2008\n", {"us"}), "unreadable") << "after the field number 3 only";
	EXPECT_EQ(Birth("2008 11/24/2008\n", {"us"}), "unreadable") << "a year is no label";
	EXPECT_EQ(Birth("Date of Bath                 Licence Expiry\n26 NOV 2008       12 DEC 2030\n", {"au-nz"}), "2008-11-26");
	EXPECT_EQ(Expiry("DOB 26/11/2008\nLicence Expry 12/12/2030\n", {"au-nz"}), "2030-12-12");
	// A speck read as one or two letters before a row of values, a column gap before its dates.
	EXPECT_EQ(Birth("hea   Date of Birth     Licence Expiry\nME.   26 NOV 2008       12 DEC 2030\n", {"au-nz"}), "2008-11-26");
	EXPECT_EQ(Birth("Date of Birth     Licence Expiry\nME 26 NOV 2008       12 DEC 2030\n", {"au-nz"}), "unreadable") << "no gap";
	EXPECT_EQ(Birth("Date of Birth     Licence Expiry\nMEX   26 NOV 2008       12 DEC 2030\n", {"au-nz"}), "unreadable") << "a word";
	EXPECT_EQ(Expiry("3 pos 11/26/2008\nabexe 04/29/2027        4a ISS. 11/26/2024\n", {"us"}), "2027-04-29");
	EXPECT_EQ(Expiry("3 pos 11/26/2008\nxabexe 04/29/2027\n", {"us"}), "none") << "the 'a' starts its word";
	// The numbered labels "3 DOB" and "4b EXP" (us): the field number read as printed, its small
	// capitals in any letters, one fewer to one more (as Tesseract read the generator's US fronts).
	EXPECT_EQ(Birth("|  3 vos 05/15/2010\n", {"us"}), "2010-05-15");
	EXPECT_EQ(Birth("3-pes 10/28/1965\n", {"us"}), "1965-10-28");
	EXPECT_EQ(Birth("| 3.008 04/08/1967\n", {"us"}), "1967-04-08");
	EXPECT_EQ(Expiry("3 pop 05/20/1933\n4bexPp. 10/09/2029     4a ISS- 10/10/2019\n", {"us"}), "2029-10-09");
	EXPECT_EQ(Birth("|                 s 008 01/20/2013\n", {"us"}), "2013-01-20") << "the small 3 read as 's'";
	EXPECT_EQ(Birth("| s. 15.01.1990 EXAMPLETOWN\n", {"eu"}), "1990-01-15") << "also the field number 3.";
	EXPECT_EQ(Birth("x 008 01/20/2013\n", {"us"}), "unreadable") << "but no other letter";
	EXPECT_EQ(Expiry("3 DOB 02/02/2011\n~4b vxz 12/21/2026\n", {"us"}), "2026-12-21") << "a mark stuck to the number";
	EXPECT_EQ(Birth("|3. 15.01.1990 EXAMPLETOWN\n", {"eu"}), "1990-01-15") << "a mark stuck to the number";
	EXPECT_EQ(Expiry("3 DOB 02/02/2011\n1/4b vxz 12/21/2026\n", {"us"}), "none") << "but no date separator";
	EXPECT_EQ(Birth("some 05/23/2033\n", {"us"}), "unreadable") << "and not joined to its word: a word starting with s";
	EXPECT_EQ(Birth("3 vosxy 05/15/2010\n", {"us"}), "unreadable") << "two letters too many";
	EXPECT_EQ(Birth("3 v 05/15/2010\n", {"us"}), "unreadable") << "one letter is not a word";
	EXPECT_EQ(Birth("13 vos 05/15/2010\n", {"us"}), "unreadable") << "the field number starts its word";
	EXPECT_EQ(Birth("8 vos 05/15/2010\n", {"us"}), "unreadable") << "and is read as printed";
	EXPECT_EQ(Expiry("3 DOB 02/02/2011\n4a ISS 02/16/2018\n", {"us"}), "none") << "4a is not 4b";
	EXPECT_EQ(Birth("3 12/31/1990\n", {"us"}), "unreadable") << "a date's first number is no word";
	EXPECT_EQ(Birth("3 08 12/31/1990\n", {"us"}), "unreadable") << "digits alone only as many as the word's letters";
	EXPECT_EQ(Birth("3. 05.06.1990 EXAMPLETOWN\n", {"us"}), "unreadable") << "the EU field 3";
	// A date's point read as a colon, as ',' is.
	EXPECT_EQ(Expiry("3. 19.07.10 UNITED KINGDOM\nab. 02.05:2030\n", {"uk"}), "2030-05-02");
	EXPECT_EQ(Birth("DXX 15/01/1990\n", {"au-nz"}), "unreadable") << "two of three letters";
	EXPECT_EQ(Birth("XOB 15/01/1990\n", {"au-nz"}), "unreadable") << "the first letter";
	EXPECT_EQ(Birth("Date of Xirth 15/01/1990\n", {"au-nz"}), "unreadable") << "a word's first letter";
	EXPECT_EQ(Birth("Dxxe of Bxxth 15/01/1990\n", {"au-nz"}), "unreadable") << "more than two";
	EXPECT_EQ(Expiry("3. 15.01.90\n5b. 09.03.2031\n", {"uk"}), "none") << "field numbers are read exactly";
	// A date right after its label's punctuation, with no blank ("3 DOB" read as "3008-").
	EXPECT_EQ(Birth("5 | 3008-02/17/1929\n", {"us"}), "1929-02-17");
	EXPECT_EQ(Birth("DOB-15/01/1990\n", {"au-nz"}), "1990-01-15");
	EXPECT_EQ(Birth("DOB:15/01/1990\n", {"au-nz"}), "1990-01-15");
	EXPECT_EQ(Birth("DOB 1-15/01/1990\n", {"au-nz"}), "unreadable") << "but not the tail of another number";
	// "Date of Birth" with its first words lost: "Birth" alone (au-nz and canada, whose cards
	// print "Birth Date" too; not us, which would make "Birth Date 05/06/1990" ambiguous between
	// them), heading a row of values too.
	EXPECT_EQ(Birth("Birth 15/01/1990\n", {"au-nz"}), "1990-01-15");
	EXPECT_EQ(Birth("Birth                     Licence Expiry\n\n26/11/2008           23/03/2030\n", {"au-nz"}), "2008-11-26");
	EXPECT_EQ(Birth("Place of Birth  SAMPLETOWN 15/01/1990\n", {"au-nz"}), "unreadable") << "a place is not a date";
	EXPECT_EQ(Birth("Rebirth 15/01/1990\n", {"au-nz"}), "unreadable") << "at the start of a word only";
	// A mark stuck to a field number on a row of labels (the edge of a photo read as a quote and
	// a digit) is no value on that row.
	EXPECT_EQ(Birth("\u201c4    }   Birth Date        Expiry / Expiration\n.   2008/11/25    2032/09/20\n", {"canada"}), "2008-11-25");
	EXPECT_EQ(Birth("\u201c427   Birth Date        Expiry / Expiration\n2008/11/25    2032/09/20\n", {"canada"}), "unreadable")
	    << "a number that is no field number is a value of that row";
	// The '/' between a label and its translation read as a '7' (or '1', 'I', 'l'), standing alone:
	// one label still, so the row of labels has no value of its own. A digit that touches a label,
	// or two of them, are values as before.
	EXPECT_EQ(Birth("   Birth-Date                     Expiry 7 Expiration\nh                      |   2006/10/14           2031/02/19\n", {"canada"}), "2006-10-14");
	EXPECT_EQ(Expiry("Birth Date      Expiry 1 Expiration\n2006/10/14      2031/02/19\n", {"canada"}), "2031-02-19");
	EXPECT_EQ(Birth("Birth Date      Expiry 17 Expiration\n2006/10/14      2031/02/19\n", {"canada"}), "unreadable");
	EXPECT_EQ(Birth("Birth Date      Expiry 7Expiration\n2006/10/14      2031/02/19\n", {"canada"}), "unreadable");
	EXPECT_EQ(Birth("Birth Date 7 Expiry\n2006/10/14      2031/02/19\n", {"canada"}), "unreadable") << "not between two fields";
	EXPECT_EQ(Birth("D O B 15/01/1990\n", {"au-nz"}), "1990-01-15");          // D.O.B. with blanks for points
	EXPECT_EQ(Birth("Da te of Birth 15/01/1990\n", {"au-nz"}), "1990-01-15") << "read through its last word, Birth";
	EXPECT_EQ(Birth("Bi rth Date 1990/01/15\n", {"canada"}), "unreadable"); // a blank where the label has none
}

TEST(PrintedParse, NoisyDates)
{
	// Letters OCR confuses with digits, in date digits only.
	EXPECT_EQ(Birth("DOB I5/0I/I99O\n", {"au-nz"}), "1990-01-15");
	EXPECT_EQ(Birth("DOB l5/Ol/l99O\n", {"au-nz"}), "1990-01-15");
	EXPECT_EQ(Birth("DOB |5/01/1990\n", {"au-nz"}), "1990-01-15");
	EXPECT_EQ(Birth("DOB 15/01/I9S8\n", {"au-nz"}), "1958-01-15");
	EXPECT_EQ(Birth("DOB 15/01/I9B8\n", {"au-nz"}), "1988-01-15");
	EXPECT_EQ(Birth("DOB Z5/01/1990\n", {"au-nz"}), "1990-01-25");
	EXPECT_EQ(Birth("3. I5.OI.9O UNITED KINGDOM\n", {"uk"}), "1990-01-15");
	// Spacing and separator noise.
	EXPECT_EQ(Birth("DOB 15 / 01 / 1990\n", {"au-nz"}), "1990-01-15");
	EXPECT_EQ(Birth("DOB 15/ 01/1990\n", {"au-nz"}), "1990-01-15");
	EXPECT_EQ(Birth("DOB 15  /01/1990\n", {"au-nz"}), "unreadable"); // at most one blank
	EXPECT_EQ(Birth("DOB 15   JAN   1990\n", {"au-nz"}), "1990-01-15");
	EXPECT_EQ(Birth("3. 15,01,90 UNITED KINGDOM\n", {"uk"}), "1990-01-15"); // ',' for '.'
	EXPECT_EQ(Birth("DOB\t15/01/1990\n", {"au-nz"}), "1990-01-15");
	EXPECT_EQ(Birth("DOB | 15/01/1990 |\n", {"au-nz"}), "1990-01-15");
	EXPECT_EQ(Birth("DOB: \"15/01/1990\"\n", {"au-nz"}), "1990-01-15");
}

TEST(PrintedParse, NeverChangesADigitOrGuessesALetter)
{
	// Letters outside the confusions are not digits.
	EXPECT_EQ(Birth("DOB 15/01/19G0\n", {"au-nz"}), "unreadable");
	EXPECT_EQ(Birth("DOB 15/0A/1990\n", {"au-nz"}), "unreadable");
	// Lower-case o, s, b, z are not read as digits.
	EXPECT_EQ(Birth("DOB 15/01/199o\n", {"au-nz"}), "unreadable");
	// Month names are exact: no OCR-confused "0CT", no "JANUARY", no "Sept".
	EXPECT_EQ(Birth("DOB 15 0CT 1990\n", {"au-nz"}), "unreadable");
	EXPECT_EQ(Birth("DOB 15 SEPT 1990\n", {"au-nz"}), "unreadable");
	EXPECT_EQ(Birth("DOB 15 J4N 1990\n", {"au-nz"}), "unreadable");
	EXPECT_EQ(Birth("DOB 15 OCT 1990\n", {"au-nz"}), "1990-10-15");
	for (int m = 0; m < 12; ++m) {
		static const char* const names[] = {"jan", "Feb", "MAR", "apr", "May", "JUN",
		                                    "jul", "Aug", "SEP", "oct", "Nov", "DEC"};
		EXPECT_EQ(Birth(std::string("DOB 01 ") + names[m] + " 2000\n", {"au-nz"}),
		          Iso(year_month_day{year{2000}, month{static_cast<unsigned>(m + 1)}, day{1}}));
	}
}

// ---- ambiguity -------------------------------------------------------------------------------

TEST(PrintedParse, AmbiguousDayAndMonth)
{
	// au-nz reads 5 June, us reads May 6: never a guess.
	EXPECT_EQ(Birth("DOB 05/06/1990\n", {"au-nz", "us"}), "ambiguous-date");
	EXPECT_EQ(Birth("DOB 05/06/1990\n", {"au-nz", "us", "canada", "uk", "eu"}), "ambiguous-date");
	EXPECT_EQ(Birth("Date of Birth 05/06/1990\n", {"us", "au-nz"}), "ambiguous-date");
	// One profile active: one reading.
	EXPECT_EQ(Birth("DOB 05/06/1990\n", {"au-nz"}), "1990-06-05");
	EXPECT_EQ(Birth("DOB 05/06/1990\n", {"us"}), "1990-05-06");
	// A profile whose labels did not match is not read: "Birth Date" is not a us label.
	EXPECT_EQ(Birth("Birth Date 05/06/1990\n", {"au-nz", "us"}), "1990-06-05");
	// Readings that agree, or only one calendar date.
	EXPECT_EQ(Birth("DOB 15/01/1990\n", {"au-nz", "us"}), "1990-01-15");
	EXPECT_EQ(Birth("DOB 01/15/1990\n", {"au-nz", "us"}), "1990-01-15");
	EXPECT_EQ(Birth("DOB 06/06/1990\n", {"au-nz", "us"}), "1990-06-06");
	EXPECT_EQ(Birth("DOB 05 JUN 1990\n", {"au-nz", "us", "canada", "uk", "eu"}), "1990-06-05");
	EXPECT_EQ(Birth("DOB 1990/06/05\n", {"au-nz", "us", "canada", "uk", "eu"}), "1990-06-05");
	// The ambiguity is the same when the date is under its label.
	EXPECT_EQ(Birth("DOB Expiry\n05/06/1990 15/01/2031\n", {"au-nz", "us"}), "ambiguous-date");
}

TEST(PrintedParse, ExpiryIsReadWithTheProfilesOfTheBirthDate)
{
	// 15/01/1990 is only au-nz's: the card is read as au-nz, so 03/09/2031 is 3 September.
	EXPECT_EQ(Expiry("DOB 15/01/1990\nEXP 03/09/2031\n", {"au-nz", "us"}), "2031-09-03");
	EXPECT_EQ(Expiry("DOB 01/15/1990\nEXP 03/09/2031\n", {"au-nz", "us"}), "2031-03-09");
	// Both read the birth date alike (12 December): the expiry date stays ambiguous.
	EXPECT_EQ(Expiry("DOB 12/12/1990\nEXP 03/09/2031\n", {"au-nz", "us"}), "ambiguous-date");
	EXPECT_EQ(Expiry("DOB 12/12/1990\nEXP 13/09/2031\n", {"au-nz", "us"}), "2031-09-13");
	// An expiry label only a profile that did not read the birth date has is ignored.
	EXPECT_EQ(Expiry("3. 15.01.1990\nEXP 03/09/2031\n", {"au-nz", "eu"}), "none");
	// An expiry date the birth date's profile cannot read as a calendar date.
	EXPECT_EQ(Expiry("DOB 15/01/1990\nEXP 01/15/2031\n", {"au-nz", "us"}), "invalid-date");
}

TEST(PrintedParse, TwoDatesOfBirth)
{
	EXPECT_EQ(Birth("DOB 15/01/1990\nDate of Birth 16/01/1990\n", {"au-nz"}), "ambiguous-date");
	EXPECT_EQ(Birth("DOB 15/01/1990\nDOB 15 JAN 1990\n", {"au-nz"}), "1990-01-15");
	// A label without a date next to it does not matter.
	EXPECT_EQ(Birth("DOB\nALEX\nDOB 15/01/1990\n", {"au-nz"}), "1990-01-15");
	// Two expiry dates.
	EXPECT_EQ(Expiry("DOB 15/01/1990\nEXP 09/03/2031\nExpiry 09/03/2032\n", {"au-nz"}), "ambiguous-date");
	EXPECT_EQ(Expiry("DOB 15/01/1990\nEXP 09/03/2031\nExpiry 09 MAR 2031\n", {"au-nz"}), "2031-03-09");
}

// ---- calendar --------------------------------------------------------------------------------

TEST(PrintedParse, DatesThatAreNotCalendarDates)
{
	EXPECT_EQ(Birth("DOB 31/02/1990\n", {"au-nz"}), "invalid-date");
	EXPECT_EQ(Birth("DOB 31/02/1990\n", {"au-nz", "us"}), "invalid-date");
	EXPECT_EQ(Birth("DOB 15/13/1990\n", {"au-nz"}), "invalid-date");
	EXPECT_EQ(Birth("DOB 00/01/1990\n", {"au-nz"}), "invalid-date");
	EXPECT_EQ(Birth("DOB 29/02/2001\n", {"au-nz"}), "invalid-date");
	EXPECT_EQ(Birth("DOB 29/02/2004\n", {"au-nz"}), "2004-02-29");
	EXPECT_EQ(Birth("DOB 29/02/2000\n", {"au-nz"}), "2000-02-29");
	EXPECT_EQ(Birth("DOB 29/02/1900\n", {"au-nz"}), "invalid-date");
	EXPECT_EQ(Birth("DOB 01/15/1990\n", {"au-nz"}), "invalid-date");
	EXPECT_EQ(Birth("Birth Date 1990/13/01\n", {"canada"}), "invalid-date");
	EXPECT_EQ(Birth("3. 31.04.90\n", {"uk"}), "invalid-date");
	// An invalid date is reported even when another label gives a valid one.
	EXPECT_EQ(Birth("DOB 15/01/1990\nDate of Birth 31/02/1990\n", {"au-nz"}), "invalid-date");
	// The expiry date likewise.
	EXPECT_EQ(Expiry("DOB 15/01/1990\nExpiry 31/09/2031\n", {"au-nz"}), "invalid-date");
	EXPECT_EQ(With("DOB 15/01/1990\nExpiry 31/09/2031\n", Named({"au-nz"})).failure().detail,
	          "a printed expiry date is not a real calendar date");
}

TEST(PrintedParse, TwoDigitYearsOfBirthAreTheMostRecentPast)
{
	EXPECT_EQ(Birth("3. 25.11.26\n", {"uk"}), "2026-11-25"); // today
	EXPECT_EQ(Birth("3. 26.11.26\n", {"uk"}), "1926-11-26"); // tomorrow, a century ago
	EXPECT_EQ(Birth("3. 01.01.00\n", {"uk"}), "2000-01-01");
	EXPECT_EQ(Birth("3. 31.12.99\n", {"uk"}), "1999-12-31");
	EXPECT_EQ(Birth("3. 01.12.25\n", {"uk"}), "2025-12-01"); // aged 100: reads as an infant ("under")
	// Across a century: today 2000-02-28, "29.02.00" is 1900-02-29, not a date.
	const year_month_day y2k{year{2000}, month{2}, day{28}};
	EXPECT_EQ(Birth("3. 29.02.00\n", {"uk"}, y2k), "invalid-date");
	EXPECT_EQ(Birth("3. 28.02.00\n", {"uk"}, y2k), "2000-02-28");
	EXPECT_EQ(Birth("3. 01.03.00\n", {"uk"}, y2k), "1900-03-01");
	// Four digits are kept as printed.
	EXPECT_EQ(Birth("3. 26.11.2026\n", {"uk"}), "2026-11-26");
}

TEST(PrintedParse, TwoDigitExpiryYearsAreWithinFiftyYears)
{
	EXPECT_EQ(Expiry("3. 15.01.90\n4b. 01.01.75\n", {"uk"}), "2075-01-01");
	EXPECT_EQ(Expiry("3. 15.01.90\n4b. 01.01.76\n", {"uk"}), "1976-01-01");
	EXPECT_EQ(Expiry("3. 15.01.90\n4b. 09.03.31\n", {"uk"}), "2031-03-09");
}

TEST(PrintedParse, FutureAndOldDatesAreReturnedAsRead)
{
	// age::Decide refuses these (FutureBirthDate, InvalidDate for an expiry before the birth).
	EXPECT_EQ(Birth("DOB 15/01/2030\n", {"au-nz"}), "2030-01-15");
	EXPECT_EQ(Expiry("DOB 15/01/1990\nExpiry 15/01/1980\n", {"au-nz"}), "1980-01-15");
	EXPECT_EQ(Birth("DOB 15/01/1890\n", {"au-nz"}), "1890-01-15");
}

TEST(PrintedParse, ExpiryAbsentOrWithoutDate)
{
	EXPECT_EQ(Expiry("DOB 15/01/1990\n", {"au-nz"}), "none");
	EXPECT_EQ(Expiry("DOB 15/01/1990\nExpiry\n", {"au-nz"}), "none");
	EXPECT_EQ(Expiry("DOB 15/01/1990\nExpiry NONE\n", {"au-nz"}), "none");
	EXPECT_EQ(Expiry("DOB 15/01/1990\nExpiry\nALEX 09/03/2031\n", {"au-nz"}), "none"); // not a row of dates
	EXPECT_EQ(Expiry("DOB 15/01/1990\nExpiry\n| 09/03/2031 _\n", {"au-nz"}), "2031-03-09");
}

// ---- arguments and hostile input -------------------------------------------------------------

TEST(PrintedParse, ActiveProfiles)
{
	EXPECT_EQ(Birth(With("DOB 15/01/1990\n", {})), "unreadable");
	EXPECT_EQ(With("DOB 15/01/1990\n", {}).failure().detail, "no printed-date profile is active");
	EXPECT_EQ(Birth(With("DOB 15/01/1990\n", {nullptr, nullptr})), "unreadable");
	const Profile* au = FindProfile("au-nz");
	EXPECT_EQ(Birth(With("DOB 15/01/1990\n", {nullptr, au, au, nullptr})), "1990-01-15");
	// The same profile twice is not two readings.
	EXPECT_EQ(Birth(With("DOB 05/06/1990\n", {au, au})), "1990-06-05");
	std::vector<const Profile*> many;
	const ProfileTable t = ParseProfiles(ProfilesText());
	for (int i = 0; i < 40; ++i)
		many.push_back(&t.profiles[0]); // repeats
	EXPECT_EQ(Birth(With("DOB 05/06/1990\n", many)), "1990-06-05");
	// A table parsed at run time works like the built-in one.
	std::vector<ProfileTable> tables(
	    33, ParseProfiles("[x]\nbirth_labels = Born\nexpiry_labels = Valid\nformats = D/M/YYYY\n"));
	std::vector<const Profile*> distinct;
	for (const ProfileTable& table : tables)
		distinct.push_back(&table.profiles[0]);
	EXPECT_EQ(Birth(With("Born 5/6/1990\n", {distinct[0]})), "1990-06-05");
	EXPECT_EQ(Birth(With("Born 5/6/1990\n", distinct)), "malformed"); // more than 32 profiles
}

TEST(PrintedParse, TodayMustBeADate)
{
	EXPECT_EQ(Birth("DOB 15/01/1990\n", {"au-nz"}, year_month_day{year{2026}, month{2}, day{30}}), "invalid-date");
}

TEST(PrintedParse, HostileInput)
{
	const auto all = All();
	EXPECT_EQ(Birth(With(std::string(1 << 20, '\n'), all)), "unreadable");
	EXPECT_EQ(Birth(With(std::string(1 << 20, 'D'), all)), "unreadable");
	EXPECT_EQ(Birth(With(std::string(1 << 20, '\0'), all)), "unreadable");
	std::string dobs;
	while (dobs.size() < (1 << 20))
		dobs += "DOB ";
	EXPECT_EQ(Birth(With(dobs, all)), "unreadable");
	// A huge line is not a card's line, even with a date of birth in it.
	EXPECT_EQ(Birth(With(std::string(300, 'x') + " DOB 15/01/2000\n", all)), "unreadable");
	// Many lines of labels: linear, and the dates still have to agree.
	std::string lines;
	for (int i = 0; i < 20000; ++i)
		lines += "DOB 15 JAN 1990\n";
	EXPECT_EQ(Birth(With(lines, all)), "1990-01-15");
	lines += "DOB 16 JAN 1990\n";
	EXPECT_EQ(Birth(With(lines, all)), "ambiguous-date");
	// A line full of labels is ignored.
	std::string crowded;
	for (int i = 0; i < 20; ++i)
		crowded += "DOB EXP ";
	EXPECT_EQ(Birth(With(crowded + "\n15/01/1990\n", all)), "unreadable");
	// Non-ASCII bytes and NULs around and inside.
	EXPECT_EQ(Birth(With("\xff\xfe\xc3\xa9 DOB \xe2\x80\x94 15 JAN 1990 \xc2\xb7\n", all)), "1990-01-15");
	EXPECT_EQ(Birth(With(std::string("DOB\0 15 JAN 1990\n", 17), all)), "1990-01-15");
	EXPECT_EQ(Birth(With("DOB 15/01\xc2\xa0/1990\n", all)), "unreadable");
	EXPECT_EQ(Birth(With("DOB 15 JAN 1990\xe2\x80\x8b\n", all)), "unreadable"); // a zero-width space after it
	EXPECT_EQ(Birth(With("D\xc3\x96"
	                     "B 15 JAN 1990\n",
	                     all)),
	          "unreadable");
	// Text that ends anywhere inside a field.
	const std::string full = "Date of Birth 15 JAN 1990";
	for (std::size_t n = 0; n < full.size(); ++n)
		EXPECT_NE(Birth(With(full.substr(0, n), all)), "1990-01-15") << n;
	EXPECT_EQ(Birth(With(full, all)), "1990-01-15");
}

TEST(PrintedParse, NeverAllocates)
{
	const auto all = All();
	const std::string texts[] = {
	    "DRIVER LICENCE\nDate of Birth Licence Expiry\n15 JAN 1990 09 MAR 2031\n",
	    "3 DOB 01/15/1990\n4b EXP 03/09/2031\n",
	    "3. 05.06.90 UNITED KINGDOM\n4b. 09.03.2031\n",
	    "DOB 05/06/1990\n",
	    "nothing",
	};
	for (const std::string& text : texts) {
		const long before = g_allocations.load();
		const auto r = Parse(text, all, Today);
		EXPECT_EQ(g_allocations.load(), before) << text;
		(void)r;
	}
}

} // namespace
} // namespace agecheck::printed

// SPDX-License-Identifier: Apache-2.0
// Unit tests of aamva::Parse: every failure reason, every tolerated scanner quirk, the date-order
// decision (AAMVA DL/ID 2020 D.12.5.1) and the promise that Parse never allocates.
// Payloads are built here from fictional values.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdlib>
#include <new>
#include <random>
#include <string>
#include <vector>

#include "AamvaTestUtil.h"

#include "../CountAllocations.h" // proves that Parse allocates nothing

using agecheck::test::g_allocations;

namespace agecheck::aamva {
namespace {

using namespace std::chrono;
using test::Iso;

year_month_day D(int y, unsigned m, unsigned d)
{
	return year_month_day{year{y}, month{m}, day{d}};
}

std::string Digits(int value, int width)
{
	std::string s = std::to_string(value);
	return std::string(static_cast<std::size_t>(std::max(0, width - static_cast<int>(s.size()))), '0') + s;
}

using Elements = std::vector<std::string>;

/// A US licence with fictional values: born 7 Jul 1977, issued 29 Jun 2022, expires 7 Jul 2030.
Elements UsElements()
{
	return {"DCAD", "DCBNONE", "DCDNONE", "DBA07072030", "DCSSAMPLE", "DACJANE", "DADNONE", "DBD06292022",
			"DBB07071977", "DBC2", "DAYBRO", "DAU065 IN", "DAG1 MAIN ST", "DAIANYTOWN", "DAJMA", "DAK012340000  ",
			"DAQS12345678", "DCF0000000000", "DCGUSA", "DDEN", "DDFN", "DDGN"};
}

/// `elements` with the element `id` given `value` (replaced in place, or appended).
Elements With(Elements elements, const std::string& id, const std::string& value)
{
	for (auto& e : elements)
		if (e.compare(0, 3, id) == 0) {
			e = id + value;
			return elements;
		}
	elements.push_back(id + value);
	return elements;
}

/// `elements` without the element `id`.
Elements Without(Elements elements, const std::string& id)
{
	std::erase_if(elements, [&](const std::string& e) { return e.compare(0, 3, id) == 0; });
	return elements;
}

/// A subfile: its type, then the elements separated by LF and ended by CR (D.12.4, D.12.5).
std::string Subfile(const std::string& type, const Elements& elements)
{
	std::string subfile = type;
	for (const auto& e : elements)
		subfile += e + "\n";
	subfile.back() = '\r';
	return subfile;
}

/// A payload as the standard writes it (D.12.3, D.12.4): header, two subfile designators with the
/// right offsets and lengths, the DL subfile (type, elements separated by LF, ended by CR), then a
/// jurisdiction subfile "ZZ". Version 01 uses the file type "AAMVA" and no jurisdiction version.
std::string Build(const Elements& elements, int version = 9, const std::string& iin = "636002",
				  const std::string& type = "DL", const std::string& jurisdictionElements = "ZZAX")
{
	const std::string dl = Subfile(type, elements);
	const std::string zz = Subfile("ZZ", {jurisdictionElements});
	std::string header = std::string("@\n\x1e\r") + (version == 1 ? "AAMVA" : "ANSI ") + iin + Digits(version, 2)
					   + (version == 1 ? "" : "00") + "02";
	const std::size_t offset = header.size() + 20;
	header += type + Digits(static_cast<int>(offset), 4) + Digits(static_cast<int>(dl.size()), 4);
	header += "ZZ" + Digits(static_cast<int>(offset + dl.size()), 4) + Digits(static_cast<int>(zz.size()), 4);
	return header + dl + zz;
}

/// Like Build, but the jurisdiction subfile comes first while the DL designator is still listed
/// first. An empty `type` leaves the subfile type out.
std::string BuildJurisdictionFirst(const Elements& elements, const std::string& type, const std::string& jurisdictionElements)
{
	const std::string dl = Subfile(type, elements);
	const std::string zz = Subfile("ZZ", {jurisdictionElements});
	std::string header = "@\n\x1e\rANSI 636002090002";
	const std::size_t zOffset = header.size() + 20, dlOffset = zOffset + zz.size();
	header += "DL" + Digits(static_cast<int>(dlOffset), 4) + Digits(static_cast<int>(dl.size()), 4);
	header += "ZZ" + Digits(static_cast<int>(zOffset), 4) + Digits(static_cast<int>(zz.size()), 4);
	return header + zz + dl;
}

std::string Replace(std::string s, const std::string& from, const std::string& to)
{
	for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size()))
		s.replace(p, from.size(), to);
	return s;
}

std::string Remove(std::string s, const std::string& chars)
{
	std::erase_if(s, [&](char c) { return chars.find(c) != std::string::npos; });
	return s;
}

/// Expects a document born 7 Jul 1977, issued 29 Jun 2022, expiring 7 Jul 2030 (UsElements).
void ExpectUsDates(const Result<Document>& r)
{
	ASSERT_TRUE(r.ok()) << ToString(r.reason()) << " (" << r.failure().detail << ")";
	EXPECT_EQ(r->birth.get(), D(1977, 7, 7));
	ASSERT_TRUE(r->expiry);
	EXPECT_EQ(r->expiry->get(), D(2030, 7, 7));
	ASSERT_TRUE(r->issue);
	EXPECT_EQ(r->issue->get(), D(2022, 6, 29));
	EXPECT_TRUE(test::DatesAreValidated(*r));
}

Reason ReasonOf(const Result<Document>& r)
{
	return r.ok() ? Reason::Aamva : r.reason();
}

// ---- the well-formed case ---------------------------------------------------------------------

TEST(AamvaParse, WellFormedPayload)
{
	const auto r = Parse(Build(UsElements()));
	ExpectUsDates(r);
	EXPECT_EQ(r->version, 9);
	EXPECT_EQ(r->jurisdiction, "MA");
	EXPECT_FALSE(r->under18Until);
	EXPECT_FALSE(r->under21Until);
}

TEST(AamvaParse, BytesOverloadMatchesText)
{
	const std::string payload = Build(UsElements());
	ExpectUsDates(Parse(std::as_bytes(std::span<const char>(payload.data(), payload.size()))));
}

// AAMVA DL/ID 2020 D.12.3: versions 01 to 10. Version 10 (2020) is the newest.
TEST(AamvaParse, EveryVersionFrom01To10)
{
	for (int version = 2; version <= 10; ++version) {
		SCOPED_TRACE(version);
		const auto r = Parse(Build(UsElements(), version));
		ExpectUsDates(r);
		EXPECT_EQ(r->version, version);
	}
	// Version 01 (AAMVA DL/ID 2000): file type "AAMVA", no jurisdiction version, CCYYMMDD dates.
	const auto v1 = Parse(Build({"DAQ123", "DAASAMPLE,JANE", "DBA20300707", "DBB19770707", "DBD20220629"}, 1, "636006"));
	ExpectUsDates(v1);
	EXPECT_EQ(v1->version, 1);
	EXPECT_EQ(v1->jurisdiction, "CT");
}

TEST(AamvaParse, IdCardSubfile)
{
	ExpectUsDates(Parse(Build(UsElements(), 9, "636002", "ID")));
}

TEST(AamvaParse, UnknownIinGivesEmptyJurisdiction)
{
	const auto r = Parse(Build(UsElements(), 9, "999999"));
	ExpectUsDates(r);
	EXPECT_TRUE(r->jurisdiction.empty());
}

TEST(AamvaParse, UnderAgeDates)
{
	// D.12.5.2: DDH under 18 until, DDJ under 21 until.
	const auto r = Parse(Build(With(With(UsElements(), "DDH", "07071995"), "DDJ", "07071998")));
	ExpectUsDates(r);
	ASSERT_TRUE(r->under18Until && r->under21Until);
	EXPECT_EQ(r->under18Until->get(), D(1995, 7, 7));
	EXPECT_EQ(r->under21Until->get(), D(1998, 7, 7));
}

TEST(AamvaParse, OptionalDatesNoneOrEmptyAreAbsent)
{
	for (const char* none : {"NONE", "", "00000000", "none", "NONE   "}) {
		SCOPED_TRACE(none);
		const auto r = Parse(Build(With(With(UsElements(), "DBA", none), "DBD", none)));
		ASSERT_TRUE(r.ok()) << ToString(r.reason());
		EXPECT_EQ(r->birth.get(), D(1977, 7, 7));
		EXPECT_FALSE(r->expiry);
		EXPECT_FALSE(r->issue);
	}
}

// ---- not an ID --------------------------------------------------------------------------------

TEST(AamvaParse, NotAnId)
{
	std::mt19937 random(1234);
	std::string binary(512, '\0');
	for (auto& c : binary)
		c = static_cast<char>(random() & 0xff);
	std::erase(binary, '@');
	const std::string atBinary = "@" + binary;
	const std::string inputs[] = {
		"",
		"@",
		"@@@@",
		"https://example.com/verify?id=636002",
		"mailto:someone@example.com",
		"WIFI:S:kiosk;T:WPA;P:secret;;",
		"BEGIN:VCARD\nVERSION:3.0\nN:Sample;Jane\nEMAIL:jane@example.com\nEND:VCARD",
		"@ansible/core 2.15",
		"4006381333931",
		"DBB07071977",
		"DLDBB07071977DBA07072030",
		binary,
		atBinary,
		std::string(1000, '@'),
	};
	for (const auto& input : inputs) {
		SCOPED_TRACE(testing::Message() << "input #" << (&input - inputs));
		EXPECT_EQ(ReasonOf(Parse(input)), Reason::NotAnId);
	}
}

// ---- malformed --------------------------------------------------------------------------------

TEST(AamvaParse, MalformedHeader)
{
	const std::string good = Build(UsElements());
	EXPECT_EQ(ReasonOf(Parse(Replace(good, "ANSI 636002", "ANSI 63X002"))), Reason::Malformed);
	EXPECT_EQ(ReasonOf(Parse(Replace(good, "ANSI 63600209", "ANSI 636002XX"))), Reason::Malformed);
	EXPECT_EQ(ReasonOf(Parse(std::string("@\n\x1e\rXXXX 636002090002"))), Reason::Malformed);
	EXPECT_EQ(ReasonOf(Parse(std::string("@\n\x1e\r"))), Reason::Malformed);
	EXPECT_EQ(ReasonOf(Parse(std::string("@\n\x1e\rANSI 6"))), Reason::Malformed);
	EXPECT_EQ(ReasonOf(Parse(std::string("@\n\x1e\rANSI 636002"))), Reason::Malformed);
}

TEST(AamvaParse, UnsupportedVersionIsMalformed)
{
	EXPECT_EQ(ReasonOf(Parse(Replace(Build(UsElements()), "ANSI 63600209", "ANSI 63600200"))), Reason::Malformed);
	EXPECT_EQ(ReasonOf(Parse(Replace(Build(UsElements()), "ANSI 63600209", "ANSI 63600211"))), Reason::Malformed);
	EXPECT_EQ(ReasonOf(Parse(Replace(Build(UsElements()), "ANSI 63600209", "ANSI 63600299"))), Reason::Malformed);
}

TEST(AamvaParse, NoDlOrIdSubfileIsMalformed)
{
	// Only a jurisdiction subfile.
	EXPECT_EQ(ReasonOf(Parse(std::string("@\n\x1e\rANSI 636002090001ZM00310012ZMZMAY\nZMBN\r"))), Reason::Malformed);
	// A header and nothing else.
	EXPECT_EQ(ReasonOf(Parse(std::string("@\n\x1e\rANSI 636002090001DL00310100"))), Reason::Malformed);
	// A subfile type with no element after it.
	EXPECT_EQ(ReasonOf(Parse(std::string("@\n\x1e\rANSI 636002090001DL00310100DL\nXYZ\r"))), Reason::Malformed);
}

TEST(AamvaParse, ConflictingDuplicateIsMalformed)
{
	auto elements = UsElements();
	elements.push_back("DBB07081977");
	EXPECT_EQ(ReasonOf(Parse(Build(elements))), Reason::Malformed);
	// The same value twice is harmless.
	elements.back() = "DBB07071977";
	ExpectUsDates(Parse(Build(elements)));
}

// ---- birth date -------------------------------------------------------------------------------

TEST(AamvaParse, MissingBirthDate)
{
	EXPECT_EQ(ReasonOf(Parse(Build(Without(UsElements(), "DBB")))), Reason::MissingBirthDate);
	for (const char* none : {"NONE", "", "00000000"})
		EXPECT_EQ(ReasonOf(Parse(Build(With(UsElements(), "DBB", none)))), Reason::MissingBirthDate) << none;
}

// ---- invalid dates ----------------------------------------------------------------------------

TEST(AamvaParse, NotACalendarDate)
{
	for (const char* dbb : {"02301977", // 30 February
							"13071977", // month 13
							"00071977", // month 0
							"07321977", // day 32
							"07001977", // day 0
							"02291977", // 29 February of a common year
							"07071899", // before 1900
							"19770230", // 30 February, CCYYMMDD
							"19771307"}) { // month 13, CCYYMMDD
		SCOPED_TRACE(dbb);
		EXPECT_EQ(ReasonOf(Parse(Build(With(UsElements(), "DBB", dbb)))), Reason::InvalidDate);
	}
	EXPECT_EQ(ReasonOf(Parse(Build(With(UsElements(), "DBA", "07072201")))), Reason::InvalidDate);
}

TEST(AamvaParse, NotEightDigits)
{
	for (const char* dbb : {"0707197", "070719771", "07-07-1977", "1977-07-07", "O7O71977", "0707 1977", "07071977.", "7/7/1977"}) {
		SCOPED_TRACE(dbb);
		EXPECT_EQ(ReasonOf(Parse(Build(With(UsElements(), "DBB", dbb)))), Reason::InvalidDate);
	}
}

TEST(AamvaParse, LeapDayBirth)
{
	// 29 Feb 2000 is a real date; 2100 is not a leap year.
	const auto r = Parse(Build(With(With(With(UsElements(), "DBB", "02292000"), "DBD", "03012022"), "DBA", "02292028")));
	ASSERT_TRUE(r.ok()) << ToString(r.reason());
	EXPECT_EQ(r->birth.get(), D(2000, 2, 29));
	EXPECT_EQ(ReasonOf(Parse(Build(With(UsElements(), "DBA", "02292100")))), Reason::InvalidDate);
}

TEST(AamvaParse, ExpiryBeforeIssue)
{
	EXPECT_EQ(ReasonOf(Parse(Build(With(UsElements(), "DBA", "06282022")))), Reason::InvalidDate);
	// Issued and expiring the same day is odd but not a contradiction.
	EXPECT_TRUE(Parse(Build(With(UsElements(), "DBA", "06292022"))).ok());
}

TEST(AamvaParse, BirthAfterIssueOrExpiry)
{
	EXPECT_EQ(ReasonOf(Parse(Build(With(UsElements(), "DBB", "06302022")))), Reason::InvalidDate);
	EXPECT_EQ(ReasonOf(Parse(Build(With(Without(UsElements(), "DBD"), "DBB", "07082030")))), Reason::InvalidDate);
}

TEST(AamvaParse, UnderAgeDatesMustMatchBirth)
{
	EXPECT_EQ(ReasonOf(Parse(Build(With(UsElements(), "DDH", "07081995")))), Reason::InvalidDate);
	EXPECT_EQ(ReasonOf(Parse(Build(With(UsElements(), "DDH", "07071996")))), Reason::InvalidDate);
	EXPECT_EQ(ReasonOf(Parse(Build(With(UsElements(), "DDJ", "07071995")))), Reason::InvalidDate);
	EXPECT_EQ(ReasonOf(Parse(Build(With(UsElements(), "DDJ", "02301998")))), Reason::InvalidDate);
	EXPECT_TRUE(Parse(Build(With(UsElements(), "DDJ", "07071998"))).ok());
}

TEST(AamvaParse, UnderAgeDatesOfALeapDayBirth)
{
	// Born 29 Feb 2000: 18 on 28 Feb or 1 Mar 2018 depending on the issuer; 21 likewise in 2021.
	const auto leap = With(With(UsElements(), "DBB", "02292000"), "DBD", "03012022");
	for (const char* ddh : {"02282018", "03012018"}) {
		SCOPED_TRACE(ddh);
		const auto r = Parse(Build(With(leap, "DDH", ddh)));
		ASSERT_TRUE(r.ok()) << ToString(r.reason());
		EXPECT_EQ(Iso(r->under18Until), ddh[0] == '0' && ddh[1] == '2' ? "2018-02-28" : "2018-03-01");
	}
	for (const char* ddj : {"02282021", "03012021"})
		EXPECT_TRUE(Parse(Build(With(leap, "DDJ", ddj))).ok()) << ddj;
	for (const char* ddh : {"02272018", "03022018", "02282019", "02292018"})
		EXPECT_EQ(ReasonOf(Parse(Build(With(leap, "DDH", ddh)))), Reason::InvalidDate) << ddh;
}

// ---- date order (D.12.5.1) --------------------------------------------------------------------

TEST(AamvaParse, CanadaWritesYearFirst)
{
	const auto on = Without(With(With(With(With(UsElements(), "DBA", "20300707"), "DBD", "20220629"), "DBB", "19770707"),
								 "DCG", "CAN"), "DAJ");
	const auto r = Parse(Build(on, 9, "636012"));
	ExpectUsDates(r);
	EXPECT_EQ(r->jurisdiction, "ON");
}

TEST(AamvaParse, NewBrunswickWritesMonthFirst)
{
	const auto r = Parse(Build(With(UsElements(), "DCG", "CAN"), 9, "636017"));
	ExpectUsDates(r);
	EXPECT_EQ(r->jurisdiction, "NB");
}

TEST(AamvaParse, StructureBeatsTheCountry)
{
	// A US issuer writing CCYYMMDD (seen on Wyoming and West Virginia cards): only one reading is a date.
	const auto r = Parse(Build(With(With(With(UsElements(), "DBA", "20300707"), "DBD", "20220629"), "DBB", "19770707")));
	ExpectUsDates(r);
}

TEST(AamvaParse, MixedOrdersAreAmbiguous)
{
	// Every date is real in one order, but not all in the same one: the order cannot be decided.
	EXPECT_EQ(ReasonOf(Parse(Build(With(UsElements(), "DBB", "19770707")))), Reason::AmbiguousDate);
	EXPECT_EQ(ReasonOf(Parse(Build(With(UsElements(), "DBA", "20300707")))), Reason::AmbiguousDate);
	EXPECT_EQ(ReasonOf(Parse(Build(With(UsElements(), "DDH", "19950707")))), Reason::AmbiguousDate);
	// Even when the country says which order the issuer should use.
	EXPECT_EQ(ReasonOf(Parse(Build(With(With(UsElements(), "DBB", "19770707"), "DCG", "CAN"), 9, "636012"))),
			  Reason::AmbiguousDate);
}

// ---- tolerated quirks -------------------------------------------------------------------------

TEST(AamvaParse, SeparatorVariants)
{
	const std::string good = Build(UsElements());
	const std::string body = good.substr(4);
	struct Case {
		const char* name;
		std::string payload;
	};
	const Case cases[] = {
		{"LF where CR belongs", Replace(good, "\r", "\n")},
		{"CR LF between elements", Replace(good, "\n", "\r\n")},
		{"CR instead of LF", Replace(good, "\n", "\r")},
		{"missing RS", Replace(good, "\x1e", "")},
		{"@a header", "@a\n" + body},
		{"@ac header", "@ac" + body},
		{"@6 header", "@\n6" + body},
		{"non-ASCII bytes in the header", "@\n\xc3\x83\xc2\x9cM" + body},
		{"pipes for separators", Replace(Replace(Replace(good, "\n", "|"), "\r", "|"), "\x1e", "|")},
		{"leading whitespace", " \r\n" + good},
		{"AIM symbology identifier", "]L2" + good},
		{"trailing garbage", good + "\x01\x02garbage\xff"},
		{"no trailing terminator", good.substr(0, good.size() - 1)},
		{"blank lines", Replace(good, "\n", "\n\n")},
		{"undefined characters around separators", Replace(good, "\n", "\xc2\x90\n\xc2\x90")},
	};
	for (const auto& c : cases) {
		SCOPED_TRACE(c.name);
		ExpectUsDates(Parse(c.payload));
	}
}

TEST(AamvaParse, Lowercase)
{
	std::string payload = Build(With(UsElements(), "DDH", "07071995"));
	std::transform(payload.begin(), payload.end(), payload.begin(), [](char c) { return static_cast<char>(std::tolower(c)); });
	const auto r = Parse(payload);
	ExpectUsDates(r);
	ASSERT_TRUE(r->under18Until);
	EXPECT_EQ(r->jurisdiction, "MA");
}

TEST(AamvaParse, TrailingSpacesAndLetters)
{
	ExpectUsDates(Parse(Build(With(With(UsElements(), "DBB", "07071977   "), "DBA", "07072030\t "))));
	ExpectUsDates(Parse(Build(With(UsElements(), "DBB", " 07071977"))));
	// New Hampshire writes a letter after the date in the same element.
	ExpectUsDates(Parse(Build(With(UsElements(), "DBB", "07071977M"))));
}

TEST(AamvaParse, WrongOffsetsAndCounts)
{
	const std::string good = Build(UsElements());
	const std::string designator = good.substr(21, 10); // "DL" + offset + length
	ExpectUsDates(Parse(Replace(good, designator, "DL00000000")));          // zero offset (Ontario)
	ExpectUsDates(Parse(Replace(good, designator, "DL99999999")));          // past the end
	ExpectUsDates(Parse(Replace(good, designator, "DLabac0268")));          // letters (Alberta)
	ExpectUsDates(Parse(Replace(good, "ANSI 636002090002", "ANSI 636002090009"))); // wrong number of entries
	ExpectUsDates(Parse(Replace(good, "ANSI 636002090002", "ANSI 636002090000")));
	ExpectUsDates(Parse(Replace(good, "DLDCAD", "DCAD")));                  // subfile type missing (West Virginia)
	ExpectUsDates(Parse(Replace(good, "DLDCAD", "DL\nDCAD")));             // separator after the type (Colorado)
}

TEST(AamvaParse, SubfilesInAnyOrder)
{
	// D.12.4: the designators say where each subfile is; the DL subfile need not come first.
	ExpectUsDates(Parse(BuildJurisdictionFirst(UsElements(), "DL", "ZZAX")));
	// Without its type, only the designator's offset finds it.
	ExpectUsDates(Parse(BuildJurisdictionFirst(UsElements(), "", "ZZAX")));
	// Once the offsets are wrong, the subfile is found by its type, not by the first element-like text.
	ExpectUsDates(Parse(Remove(BuildJurisdictionFirst(UsElements(), "DL", "ZZADBB01011990"), "\n\r\x1e")));
}

TEST(AamvaParse, KeyboardWedgeWithoutSeparators)
{
	// Element separators stripped entirely: element IDs are found by scanning.
	ExpectUsDates(Parse(Remove(Build(UsElements()), "\n\r\x1e")));
	ExpectUsDates(Parse(Remove(Build(With(UsElements(), "DDH", "07071995")), "\n\r\x1e")));
	ExpectUsDates(Parse(Remove(Build({"DAQ123", "DAASAMPLE,JANE", "DBA20300707", "DBB19770707", "DBD20220629"}, 1), "\n\r\x1e")));
	// A name that starts like a date element is not one.
	ExpectUsDates(Parse(Remove(Build(With(UsElements(), "DCS", "DBBOTT")), "\n\r\x1e")));
	// Without separators a date is exactly eight digits: a ninth makes it no date element at all.
	EXPECT_FALSE(Parse(Remove(Build(With(UsElements(), "DBB", "070719771")), "\n\r\x1e")).ok());
	// The DL subfile ends where the jurisdiction subfile begins: a date-like element there is not read.
	ExpectUsDates(Parse(Remove(Build(UsElements(), 9, "636002", "DL", "ZZADBB01011990"), "\n\r\x1e")));
	// Invalid and missing dates are still caught.
	EXPECT_EQ(ReasonOf(Parse(Remove(Build(With(UsElements(), "DBB", "02301977")), "\n\r\x1e"))), Reason::InvalidDate);
	EXPECT_EQ(ReasonOf(Parse(Remove(Build(Without(UsElements(), "DBB")), "\n\r\x1e"))), Reason::MissingBirthDate);
}

// ---- robustness -------------------------------------------------------------------------------

// A read cut short anywhere never crashes and never gives a date that was not validated, nor one
// that differs from the whole payload's.
TEST(AamvaParse, EveryTruncationIsSafe)
{
	const std::string payloads[] = {
		Build(With(With(UsElements(), "DDH", "07071995"), "DDJ", "07071998")),
		Remove(Build(UsElements()), "\n\r\x1e"),
		Build({"DAQ123", "DAASAMPLE,JANE", "DBA20300707", "DBB19770707", "DBD20220629"}, 1),
	};
	for (const auto& payload : payloads) {
		const auto full = Parse(payload);
		ExpectUsDates(full);
		for (std::size_t n = 0; n < payload.size(); ++n) {
			const auto r = Parse(std::string_view(payload).substr(0, n));
			if (!r.ok()) {
				EXPECT_NE(r.failure().detail, "");
				continue;
			}
			SCOPED_TRACE(n);
			EXPECT_TRUE(test::DatesAreValidated(*r));
			EXPECT_EQ(r->birth.get(), full->birth.get());
			if (r->expiry) {
				EXPECT_EQ(r->expiry->get(), full->expiry->get());
			}
			if (r->issue) {
				EXPECT_EQ(r->issue->get(), full->issue->get());
			}
		}
	}
}

TEST(AamvaParse, RandomDamageNeverGivesAnUnvalidatedDate)
{
	const std::string good = Build(With(UsElements(), "DDH", "07071995"));
	std::mt19937 random(42);
	for (int i = 0; i < 20000; ++i) {
		std::string damaged = good;
		const int edits = 1 + static_cast<int>(random() % 4);
		for (int e = 0; e < edits; ++e) {
			const std::size_t at = random() % damaged.size();
			switch (random() % 3) {
			case 0: damaged[at] = static_cast<char>(random() & 0xff); break;
			case 1: damaged.erase(at, 1); break;
			default: damaged.insert(at, 1, static_cast<char>(random() & 0xff)); break;
			}
		}
		const auto r = Parse(damaged);
		if (r.ok()) {
			ASSERT_TRUE(test::DatesAreValidated(*r)) << "iteration " << i;
		}
	}
}

TEST(AamvaParse, FailuresCarryNoIdentityData)
{
	const std::string inputs[] = {
		Build(With(UsElements(), "DBB", "02301977")),
		Build(With(UsElements(), "DBB", "19770707")),
		Build(With(UsElements(), "DBA", "06282022")),
		Build(Without(UsElements(), "DBB")),
		Replace(Build(UsElements()), "ANSI 63600209", "ANSI 63600211"),
	};
	for (const auto& input : inputs) {
		const auto r = Parse(input);
		ASSERT_FALSE(r.ok());
		const std::string detail(r.failure().detail);
		EXPECT_FALSE(detail.empty());
		for (const char* secret : {"1977", "2030", "2022", "SAMPLE", "JANE", "S12345678"})
			EXPECT_EQ(detail.find(secret), std::string::npos);
	}
}

TEST(AamvaParse, NeverAllocates)
{
	const std::string inputs[] = {
		Build(UsElements()),
		Remove(Build(UsElements()), "\n\r\x1e"),
		Build(With(UsElements(), "DBB", "02301977")),
		"not an id",
		std::string(5000, 'D'),
	};
	for (const auto& input : inputs) {
		const long before = g_allocations.load();
		[[maybe_unused]] const auto r = Parse(input);
		EXPECT_EQ(g_allocations.load(), before);
	}
}

} // namespace
} // namespace agecheck::aamva

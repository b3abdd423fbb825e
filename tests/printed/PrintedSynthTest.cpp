// SPDX-License-Identifier: Apache-2.0
// Round trip through the licence-front generator (tools/synth): for each FrontProfile and many
// seeds, RenderLicenceFront says what it printed (the date-of-birth label and text, the expiry
// text); an OCR text laid out as the card is (label rows over value rows, field numbers, places of
// birth) must give back the spec's dates with that profile alone active, and with every profile
// active either the same dates or "ambiguous-date", never another date. The generator's data is
// fictional; nothing is printed but dates the test made up.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "../ParserTestUtil.h"
#include "printed/Printed.h"
#include "synth/Documents.h"

namespace agecheck::printed {
namespace {

using namespace std::chrono;
using agecheck::test::Iso;
using synth::FrontProfile;

constexpr year_month_day Today{year{2026}, month{11}, day{25}};

const char* NameOf(FrontProfile p)
{
	switch (p) {
	case FrontProfile::AuNz:
		return "au-nz";
	case FrontProfile::Us:
		return "us";
	case FrontProfile::Canada:
		return "canada";
	case FrontProfile::Uk:
		return "uk";
	case FrontProfile::Eu:
		return "eu";
	}
	return "";
}

/// A date of birth from 1927 to 2008 (within 100 years of Today, for the uk's two-digit years),
/// and an expiry date from 2020 to 2035, both drawn from `seed`; days over and under 13 both occur.
synth::FrontSpec SpecFor(FrontProfile profile, std::uint64_t seed)
{
	synth::FrontSpec spec;
	spec.profile = profile;
	std::uint64_t x = seed * 6364136223846793005ULL + 1442695040888963407ULL;
	const auto next = [&x](unsigned n) {
		x ^= x >> 29;
		x *= 0xBF58476D1CE4E5B9ULL;
		x ^= x >> 32;
		return static_cast<unsigned>(x % n);
	};
	spec.birth = year_month_day{year{1927 + static_cast<int>(next(82))}, month{1 + next(12)}, day{1 + next(28)}};
	spec.expiry = year_month_day{year{2020 + static_cast<int>(next(16))}, month{1 + next(12)}, day{1 + next(28)}};
	if (seed % 5 == 0)
		spec.birth = year_month_day{spec.birth.year(), month{1 + next(12)}, day{29 + next(2)}}; // day 29 or 30
	if (!spec.birth.ok())
		spec.birth = year_month_day{spec.birth.year(), spec.birth.month(), day{28}};
	return spec;
}

/// The OCR text of the card as Tesseract lays it out: the lines of RenderLicenceFront, top to
/// bottom, left to right, with the generated date strings in place.
std::string OcrText(const synth::LicenceFront& f, FrontProfile profile, bool sameLine)
{
	switch (profile) {
	case FrontProfile::AuNz: {
		const std::string expiryLabel = f.dobLabel == "DOB" ? "Expiry" : "Licence Expiry";
		std::string t = "DRIVER LICENCE EXAMPLE STATE\nALEX SPECIMEN\n12 EXAMPLE STREET\nEXAMPLETOWN EXS 1234\n"
		                "Licence No.\n12345678\n";
		if (sameLine)
			t += f.dobLabel + " " + f.dobText + "\n" + expiryLabel + " " + f.expiryText + "\n";
		else
			t += f.dobLabel + " " + expiryLabel + "\n" + f.dobText + " " + f.expiryText + "\n";
		return t + "Licence Class\nC\n";
	}
	case FrontProfile::Us:
		return "EXAMPLE DRIVER LICENSE USA\n4d DLN A1234567\n1 SPECIMEN\n2 ALEX\n8 12 EXAMPLE ST\n"
		       "EXAMPLETOWN, EX 12345\n3 " +
		       f.dobLabel + " " + f.dobText + "\n4b EXP " + f.expiryText +
		       " 4a ISS 01/02/2020\n15 SEX F 16 HGT 5'-05\" 18 EYES BRO\n9 CLASS D 12 RESTR NONE\n";
	case FrontProfile::Canada: {
		std::string t = "EXAMPLE PROVINCE\nDRIVER'S LICENCE \xc2\xb7 PERMIS DE CONDUIRE\nDL No. / No de permis\n"
		                "A1234-12345-12345\nSPECIMEN,\nALEX\n";
		if (sameLine)
			t += f.dobLabel + " " + f.dobText + "\nExpiry / Expiration " + f.expiryText + "\n";
		else
			t += f.dobLabel + " Expiry / Expiration\n" + f.dobText + " " + f.expiryText + "\n";
		return t + "Class G Sex F Hgt 170 cm\n";
	}
	case FrontProfile::Uk:
	case FrontProfile::Eu: {
		const bool uk = profile == FrontProfile::Uk;
		return std::string(uk ? "DRIVING LICENCE UK\n" : "UT DRIVING LICENCE\nPERMIS DE CONDUIRE\n") +
		       "1. SPECIMEN\n2. ALEX\n" + f.dobLabel + " " + f.dobText + (uk ? " UNITED KINGDOM" : " EXAMPLETOWN") +
		       "\n4a. 01.02.2020 4c. " + (uk ? "DVLA" : "EXAMPLE AUTHORITY") + "\n4b. " + f.expiryText +
		       "\n5. 12AB345678\n8. 12 EXAMPLE STREET, EXAMPLETOWN\n9. AM/B1/B\n";
	}
	}
	return {};
}

TEST(PrintedSynth, RoundTripThroughTheLicenceFrontGenerator)
{
	const FrontProfile profiles[] = {FrontProfile::AuNz, FrontProfile::Us, FrontProfile::Canada, FrontProfile::Uk,
	                                 FrontProfile::Eu};
	std::vector<const Profile*> all;
	for (const Profile& p : Profiles())
		all.push_back(&p);
	for (const FrontProfile fp : profiles) {
		const Profile* profile = FindProfile(NameOf(fp));
		ASSERT_NE(profile, nullptr) << NameOf(fp);
		const std::vector<const Profile*> one{profile};
		int ambiguous = 0;
		constexpr std::uint64_t Seeds = 40;
		for (std::uint64_t seed = 0; seed < Seeds; ++seed) {
			const synth::FrontSpec spec = SpecFor(fp, seed);
			const synth::LicenceFront f = synth::RenderLicenceFront(spec, seed);
			for (const bool sameLine : {false, true}) {
				const std::string text = OcrText(f, fp, sameLine);
				const std::string what =
				    std::string(NameOf(fp)) + " seed " + std::to_string(seed) + (sameLine ? " same line" : " rows");
				const auto r = Parse(text, one, Today);
				ASSERT_TRUE(r.ok()) << what << ": " << ToString(r.reason()) << " " << r.failure().detail;
				EXPECT_EQ(Iso(r->birth.get()), Iso(spec.birth)) << what;
				EXPECT_EQ(Iso(r->expiry), Iso(spec.expiry)) << what;
				// Every profile active: the same dates, or no answer; never another date.
				const auto a = Parse(text, all, Today);
				if (a.ok()) {
					EXPECT_EQ(Iso(a->birth.get()), Iso(spec.birth)) << what << " (all profiles)";
					EXPECT_EQ(Iso(a->expiry), Iso(spec.expiry)) << what << " (all profiles)";
				} else {
					EXPECT_EQ(a.reason(), Reason::AmbiguousDate) << what << " (all profiles)";
					++ambiguous;
				}
			}
		}
		// Day-first and month-first cards are ambiguous with every profile active when both the day
		// and the month are 12 or less; the year-first and two-digit-year cards never are.
		if (fp == FrontProfile::Canada || fp == FrontProfile::Uk || fp == FrontProfile::Eu)
			EXPECT_EQ(ambiguous, 0) << NameOf(fp);
		else
			EXPECT_TRUE(ambiguous > 0 && ambiguous < static_cast<int>(Seeds)) << NameOf(fp) << ": " << ambiguous;
	}
}

} // namespace
} // namespace agecheck::printed

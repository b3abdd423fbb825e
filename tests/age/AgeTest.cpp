// SPDX-License-Identifier: Apache-2.0
// Calendar arithmetic (AgeOn) and the verdict for one threshold (Decide).

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <ostream>
#include <vector>

#include "age/Policy.h"

namespace agecheck {
// gtest prints verdicts and reasons by their tokens.
void PrintTo(Verdict v, std::ostream* os)
{
	*os << ToString(v);
}
void PrintTo(Reason r, std::ostream* os)
{
	*os << ToString(r);
}
} // namespace agecheck

namespace agecheck::age {
namespace {

using namespace std::chrono;

year_month_day D(int y, unsigned m, unsigned d)
{
	return year_month_day{year{y}, month{m}, day{d}};
}
year_month_day AddDays(year_month_day d, int n)
{
	return year_month_day{sys_days{d} + days{n}};
}

constexpr auto kMar1 = LeapDayRule::March1;
constexpr auto kFeb28 = LeapDayRule::February28;

// ---- the calendar facts the tests rely on --------------------------------------------------------

TEST(Calendar, CenturyLeapYears)
{
	EXPECT_TRUE(year{2000}.is_leap());
	EXPECT_FALSE(year{1900}.is_leap());
	EXPECT_FALSE(year{2100}.is_leap());
	EXPECT_TRUE(D(2000, 2, 29).ok());
	EXPECT_FALSE(D(1900, 2, 29).ok());
	EXPECT_FALSE(D(2100, 2, 29).ok());
}

// ---- AgeOn ---------------------------------------------------------------------------------------

TEST(AgeOn, EighteenthBirthday)
{
	const auto birth = D(2008, 6, 15);
	for (auto rule : {kMar1, kFeb28}) {
		EXPECT_EQ(AgeOn(birth, D(2026, 6, 14), rule), 17);
		EXPECT_EQ(AgeOn(birth, D(2026, 6, 15), rule), 18);
		EXPECT_EQ(AgeOn(birth, D(2026, 6, 16), rule), 18);
	}
}

TEST(AgeOn, TwentyFirstBirthday)
{
	const auto birth = D(2005, 6, 15);
	for (auto rule : {kMar1, kFeb28}) {
		EXPECT_EQ(AgeOn(birth, D(2026, 6, 14), rule), 20);
		EXPECT_EQ(AgeOn(birth, D(2026, 6, 15), rule), 21);
		EXPECT_EQ(AgeOn(birth, D(2026, 6, 16), rule), 21);
	}
}

TEST(AgeOn, BirthdayAcrossMonthAndYearEnds)
{
	// Born on 1 January: the day before the birthday is 31 December of the previous year.
	EXPECT_EQ(AgeOn(D(2008, 1, 1), D(2025, 12, 31), kMar1), 17);
	EXPECT_EQ(AgeOn(D(2008, 1, 1), D(2026, 1, 1), kMar1), 18);
	// Born on 31 December: the day after the birthday is 1 January.
	EXPECT_EQ(AgeOn(D(2007, 12, 31), D(2025, 12, 30), kMar1), 17);
	EXPECT_EQ(AgeOn(D(2007, 12, 31), D(2025, 12, 31), kMar1), 18);
	EXPECT_EQ(AgeOn(D(2007, 12, 31), D(2026, 1, 1), kMar1), 18);
	// Born on the last day of a month: compared against the first of the next.
	EXPECT_EQ(AgeOn(D(2008, 4, 30), D(2026, 4, 30), kMar1), 18);
	EXPECT_EQ(AgeOn(D(2008, 5, 1), D(2026, 4, 30), kMar1), 17);
}

TEST(AgeOn, LeapDayBirthMarch1Rule)
{
	const auto birth = D(2008, 2, 29);
	EXPECT_EQ(AgeOn(birth, D(2026, 2, 28), kMar1), 17); // common year: not yet
	EXPECT_EQ(AgeOn(birth, D(2026, 3, 1), kMar1), 18);
	EXPECT_EQ(AgeOn(birth, D(2028, 2, 28), kMar1), 19); // leap year: the birthday is 29 February
	EXPECT_EQ(AgeOn(birth, D(2028, 2, 29), kMar1), 20);
	EXPECT_EQ(AgeOn(birth, D(2028, 3, 1), kMar1), 20);
}

TEST(AgeOn, LeapDayBirthFebruary28Rule)
{
	const auto birth = D(2008, 2, 29);
	EXPECT_EQ(AgeOn(birth, D(2026, 2, 27), kFeb28), 17);
	EXPECT_EQ(AgeOn(birth, D(2026, 2, 28), kFeb28), 18); // common year: a day earlier than March1
	EXPECT_EQ(AgeOn(birth, D(2026, 3, 1), kFeb28), 18);
	EXPECT_EQ(AgeOn(birth, D(2028, 2, 28), kFeb28), 19); // leap year: still 29 February
	EXPECT_EQ(AgeOn(birth, D(2028, 2, 29), kFeb28), 20);
}

TEST(AgeOn, LeapDayBirthInCenturyYears)
{
	// 2000 is a leap year; 2100 is not.
	const auto birth2000 = D(2000, 2, 29);
	EXPECT_EQ(AgeOn(birth2000, D(2100, 2, 28), kMar1), 99);
	EXPECT_EQ(AgeOn(birth2000, D(2100, 2, 28), kFeb28), 100);
	EXPECT_EQ(AgeOn(birth2000, D(2100, 3, 1), kMar1), 100);
	EXPECT_EQ(AgeOn(birth2000, D(2100, 3, 1), kFeb28), 100);
	EXPECT_EQ(AgeOn(birth2000, D(2024, 2, 29), kMar1), 24);
	// 1900 is not a leap year; 1896 and 1904 are.
	const auto birth1896 = D(1896, 2, 29);
	EXPECT_EQ(AgeOn(birth1896, D(1900, 2, 28), kMar1), 3);
	EXPECT_EQ(AgeOn(birth1896, D(1900, 2, 28), kFeb28), 4);
	EXPECT_EQ(AgeOn(birth1896, D(1900, 3, 1), kMar1), 4);
	EXPECT_EQ(AgeOn(birth1896, D(1904, 2, 28), kFeb28), 7);
	EXPECT_EQ(AgeOn(birth1896, D(1904, 2, 29), kMar1), 8);
	// An ordinary 28 February or 1 March birth is unaffected by the century rule.
	EXPECT_EQ(AgeOn(D(2000, 2, 28), D(2100, 2, 28), kMar1), 100);
	EXPECT_EQ(AgeOn(D(2000, 3, 1), D(2100, 2, 28), kFeb28), 99);
}

TEST(AgeOn, TodayIsLeapDay)
{
	for (auto rule : {kMar1, kFeb28}) {
		EXPECT_EQ(AgeOn(D(2000, 2, 28), D(2024, 2, 29), rule), 24);
		EXPECT_EQ(AgeOn(D(2000, 2, 29), D(2024, 2, 29), rule), 24);
		EXPECT_EQ(AgeOn(D(2000, 3, 1), D(2024, 2, 29), rule), 23);
		EXPECT_EQ(AgeOn(D(2001, 2, 28), D(2024, 2, 29), rule), 23);
		EXPECT_EQ(AgeOn(D(2024, 2, 29), D(2024, 2, 29), rule), 0);
	}
}

TEST(AgeOn, BornToday)
{
	for (auto rule : {kMar1, kFeb28}) {
		EXPECT_EQ(AgeOn(D(2026, 5, 4), D(2026, 5, 4), rule), 0);
		EXPECT_EQ(AgeOn(D(2025, 5, 5), D(2026, 5, 4), rule), 0);
		EXPECT_EQ(AgeOn(D(2025, 5, 4), D(2026, 5, 4), rule), 1);
	}
}

TEST(AgeOn, VeryOld)
{
	EXPECT_EQ(AgeOn(D(1901, 5, 4), D(2026, 5, 4), kMar1), 125);
	EXPECT_EQ(AgeOn(D(1900, 5, 4), D(2026, 5, 4), kMar1), 126);
	EXPECT_EQ(AgeOn(D(1900, 5, 5), D(2026, 5, 4), kMar1), 125);
}

/// The obvious reference: count the anniversaries that have come, one at a time, placing the
/// anniversary of a 29 February birth in a common year where the rule says.
int NaiveAge(year_month_day birth, year_month_day today, LeapDayRule rule)
{
	int age = 0;
	while (true) {
		year_month_day next = (birth.year() + years{age + 1}) / birth.month() / birth.day();
		if (!next.ok()) // 29 February in a common year
			next = rule == kMar1 ? next.year() / March / 1 : next.year() / February / 28;
		if (sys_days{next} > sys_days{today})
			return age;
		++age;
	}
}

TEST(AgeOn, MatchesNaiveReferenceForEveryBirthDay)
{
	// Every day of births around three century years and a recent leap year...
	const std::vector<int> birthYears = {1895, 1896, 1897, 1899, 1900, 1901, 1999, 2000,
	                                     2001, 2007, 2008, 2009, 2023, 2024, 2025};
	// ...against todays that straddle month ends, leap days and century years.
	std::vector<year_month_day> todays;
	for (int y : {1900, 1904, 1999, 2000, 2001, 2024, 2025, 2026, 2028, 2100}) {
		for (auto md : {January / 1, February / 27, February / 28, March / 1, March / 2, June / 15, December / 31})
			todays.push_back(year{y} / md);
		if (year{y}.is_leap())
			todays.push_back(year{y} / February / 29);
	}
	long checked = 0;
	for (int by : birthYears) {
		for (year_month_day b = year{by} / January / 1; b.year() == year{by}; b = AddDays(b, 1)) {
			for (const auto& t : todays) {
				if (b > t)
					continue;
				for (auto rule : {kMar1, kFeb28}) {
					ASSERT_EQ(AgeOn(b, t, rule), NaiveAge(b, t, rule))
					    << "birth " << static_cast<int>(b.year()) << '-' << static_cast<unsigned>(b.month()) << '-'
					    << static_cast<unsigned>(b.day()) << " today " << static_cast<int>(t.year()) << '-'
					    << static_cast<unsigned>(t.month()) << '-' << static_cast<unsigned>(t.day());
					++checked;
				}
			}
		}
	}
	EXPECT_GT(checked, 100000);
}

TEST(AgeOn, MatchesNaiveReferenceForEveryToday)
{
	// A few births, including leap days, against every day from 2023 to 2030.
	const std::vector<year_month_day> births = {D(2000, 2, 29), D(2004, 2, 29),  D(2008, 2, 29), D(2008, 2, 28),
	                                            D(2008, 3, 1),  D(2005, 12, 31), D(2006, 1, 1),  D(1912, 7, 4)};
	long checked = 0;
	for (year_month_day t = D(2023, 1, 1); t <= D(2030, 12, 31); t = AddDays(t, 1)) {
		for (const auto& b : births) {
			for (auto rule : {kMar1, kFeb28}) {
				ASSERT_EQ(AgeOn(b, t, rule), NaiveAge(b, t, rule))
				    << "today " << static_cast<int>(t.year()) << '-' << static_cast<unsigned>(t.month()) << '-'
				    << static_cast<unsigned>(t.day());
				++checked;
			}
		}
	}
	EXPECT_GT(checked, 40000);
}

// ---- Decide --------------------------------------------------------------------------------------

/// A document with a birth date and, optionally, an expiry date, decided for one threshold.
Decision DecideFor(year_month_day birth, std::optional<year_month_day> expiry, year_month_day today, int threshold,
                   const Policy& policy = DefaultPolicy(), Reason source = Reason::Aamva)
{
	const SecretDate b{birth};
	std::optional<SecretDate> e;
	if (expiry)
		e.emplace(*expiry);
	return Decide(b, e, source, today, policy, threshold);
}

constexpr auto kFarExpiry = std::optional<year_month_day>{year_month_day{year{2035}, month{1}, day{1}}};

void ExpectVerdict(Decision d, Verdict verdict, Reason reason)
{
	EXPECT_EQ(d.verdict, verdict);
	EXPECT_EQ(d.reason, reason);
}

TEST(Decide, EighteenthBirthdayBoundaries)
{
	const auto birth = D(2008, 6, 15);
	ExpectVerdict(DecideFor(birth, kFarExpiry, D(2026, 6, 14), 18), Verdict::Under, Reason::Aamva);
	ExpectVerdict(DecideFor(birth, kFarExpiry, D(2026, 6, 15), 18), Verdict::Over, Reason::Aamva);
	ExpectVerdict(DecideFor(birth, kFarExpiry, D(2026, 6, 16), 18), Verdict::Over, Reason::Aamva);
	ExpectVerdict(DecideFor(birth, kFarExpiry, D(2026, 6, 15), 21), Verdict::Under, Reason::Aamva);
}

TEST(Decide, TwentyFirstBirthdayBoundaries)
{
	const auto birth = D(2005, 6, 15);
	ExpectVerdict(DecideFor(birth, kFarExpiry, D(2026, 6, 14), 21), Verdict::Under, Reason::Aamva);
	ExpectVerdict(DecideFor(birth, kFarExpiry, D(2026, 6, 15), 21), Verdict::Over, Reason::Aamva);
	ExpectVerdict(DecideFor(birth, kFarExpiry, D(2026, 6, 16), 21), Verdict::Over, Reason::Aamva);
	ExpectVerdict(DecideFor(birth, kFarExpiry, D(2026, 6, 14), 18), Verdict::Over, Reason::Aamva);
}

TEST(Decide, ReasonIsTheSource)
{
	const auto birth = D(1990, 1, 1);
	for (Reason source : {Reason::Aamva, Reason::Mrz, Reason::Printed})
		ExpectVerdict(DecideFor(birth, kFarExpiry, D(2026, 1, 1), 18, DefaultPolicy(), source), Verdict::Over, source);
}

TEST(Decide, NonSourceReasonPassesThrough)
{
	for (Reason failure : {Reason::Unreadable, Reason::CheckDigit, Reason::Mismatch, Reason::InvalidDate,
	                       Reason::MissingBirthDate, Reason::Expired})
		ExpectVerdict(DecideFor(D(1990, 1, 1), kFarExpiry, D(2026, 1, 1), 18, DefaultPolicy(), failure),
		              Verdict::Unverified, failure);
	// It wins over every other check.
	ExpectVerdict(DecideFor(D(2023, 2, 29), std::nullopt, D(2026, 1, 1), 0, DefaultPolicy(), Reason::NotAnId),
	              Verdict::Unverified, Reason::NotAnId);
}

TEST(Decide, LeapDayRuleFromPolicy)
{
	const auto birth = D(2008, 2, 29);
	Policy feb28 = DefaultPolicy();
	feb28.leapDay = LeapDayRule::February28;
	ExpectVerdict(DecideFor(birth, kFarExpiry, D(2026, 2, 28), 18), Verdict::Under, Reason::Aamva);
	ExpectVerdict(DecideFor(birth, kFarExpiry, D(2026, 3, 1), 18), Verdict::Over, Reason::Aamva);
	ExpectVerdict(DecideFor(birth, kFarExpiry, D(2026, 2, 27), 18, feb28), Verdict::Under, Reason::Aamva);
	ExpectVerdict(DecideFor(birth, kFarExpiry, D(2026, 2, 28), 18, feb28), Verdict::Over, Reason::Aamva);
}

TEST(Decide, BornTodayIsAgeZero)
{
	ExpectVerdict(DecideFor(D(2026, 5, 4), kFarExpiry, D(2026, 5, 4), 1), Verdict::Under, Reason::Aamva);
}

TEST(Decide, FutureBirthDate)
{
	ExpectVerdict(DecideFor(D(2026, 5, 5), kFarExpiry, D(2026, 5, 4), 18), Verdict::Unverified,
	              Reason::FutureBirthDate);
	ExpectVerdict(DecideFor(D(2090, 1, 1), kFarExpiry, D(2026, 5, 4), 18), Verdict::Unverified,
	              Reason::FutureBirthDate);
}

TEST(Decide, ImplausibleAge)
{
	ExpectVerdict(DecideFor(D(1901, 5, 4), kFarExpiry, D(2026, 5, 4), 21), Verdict::Over, Reason::Aamva); // 125
	ExpectVerdict(DecideFor(D(1900, 5, 5), kFarExpiry, D(2026, 5, 4), 21), Verdict::Over, Reason::Aamva); // 125
	ExpectVerdict(DecideFor(D(1900, 5, 4), kFarExpiry, D(2026, 5, 4), 21), Verdict::Unverified,
	              Reason::ImplausibleAge); // 126
	Policy p = DefaultPolicy();
	p.maxAge = 100;
	ExpectVerdict(DecideFor(D(1926, 5, 4), kFarExpiry, D(2026, 5, 4), 21, p), Verdict::Over, Reason::Aamva);
	ExpectVerdict(DecideFor(D(1925, 5, 5), kFarExpiry, D(2026, 5, 4), 21, p), Verdict::Over, Reason::Aamva);
	ExpectVerdict(DecideFor(D(1925, 5, 4), kFarExpiry, D(2026, 5, 4), 21, p), Verdict::Unverified,
	              Reason::ImplausibleAge);
}

TEST(Decide, ValidThroughTheExpiryDate)
{
	const auto birth = D(1990, 1, 1);
	const auto expiry = D(2026, 5, 4);
	ExpectVerdict(DecideFor(birth, expiry, D(2026, 5, 3), 18), Verdict::Over, Reason::Aamva);
	ExpectVerdict(DecideFor(birth, expiry, D(2026, 5, 4), 18), Verdict::Over, Reason::Aamva);
	ExpectVerdict(DecideFor(birth, expiry, D(2026, 5, 5), 18), Verdict::Unverified, Reason::Expired);
	ExpectVerdict(DecideFor(birth, expiry, D(2030, 1, 1), 18), Verdict::Unverified, Reason::Expired);
	// Expired wins over Under too: an expired document says nothing.
	ExpectVerdict(DecideFor(D(2010, 1, 1), expiry, D(2026, 5, 5), 18), Verdict::Unverified, Reason::Expired);
}

TEST(Decide, AcceptExpiredPolicy)
{
	Policy p = DefaultPolicy();
	p.expired = ExpiredDocuments::Accept;
	ExpectVerdict(DecideFor(D(1990, 1, 1), D(2026, 5, 4), D(2026, 5, 5), 18, p), Verdict::Over, Reason::Aamva);
	ExpectVerdict(DecideFor(D(2010, 1, 1), D(2020, 1, 1), D(2026, 5, 5), 18, p), Verdict::Under, Reason::Aamva);
	ExpectVerdict(DecideFor(D(1990, 1, 1), std::nullopt, D(2026, 5, 5), 18, p), Verdict::Over, Reason::Aamva);
}

TEST(Decide, MissingExpiryDate)
{
	ExpectVerdict(DecideFor(D(1990, 1, 1), std::nullopt, D(2026, 5, 4), 18), Verdict::Unverified,
	              Reason::MissingExpiryDate);
	ExpectVerdict(DecideFor(D(2010, 1, 1), std::nullopt, D(2026, 5, 4), 18), Verdict::Unverified,
	              Reason::MissingExpiryDate);
}

TEST(Decide, InvalidBirthDate)
{
	for (const auto& birth : {D(2023, 2, 29), D(1900, 2, 29), D(2000, 13, 1), D(2000, 0, 1), D(2000, 1, 0),
	                          D(2000, 1, 32), D(2000, 4, 31), year_month_day{}})
		ExpectVerdict(DecideFor(birth, kFarExpiry, D(2026, 5, 4), 18), Verdict::Unverified, Reason::InvalidDate);
}

TEST(Decide, InvalidExpiryDate)
{
	Policy accept = DefaultPolicy();
	accept.expired = ExpiredDocuments::Accept;
	for (const auto& policy : {DefaultPolicy(), accept}) {
		ExpectVerdict(DecideFor(D(1990, 1, 1), D(2027, 2, 29), D(2026, 5, 4), 18, policy), Verdict::Unverified,
		              Reason::InvalidDate);
		ExpectVerdict(DecideFor(D(1990, 1, 1), D(2027, 6, 31), D(2026, 5, 4), 18, policy), Verdict::Unverified,
		              Reason::InvalidDate);
		// An expiry before the birth date contradicts it.
		ExpectVerdict(DecideFor(D(1990, 1, 1), D(1989, 12, 31), D(2026, 5, 4), 18, policy), Verdict::Unverified,
		              Reason::InvalidDate);
	}
}

TEST(Decide, InvalidToday)
{
	ExpectVerdict(DecideFor(D(1990, 1, 1), kFarExpiry, D(2026, 2, 30), 18), Verdict::Unverified, Reason::InvalidDate);
}

TEST(Decide, ThresholdOutOfRangeIsMalformed)
{
	for (int threshold : {-1, 0, 126, 1000})
		ExpectVerdict(DecideFor(D(1990, 1, 1), kFarExpiry, D(2026, 5, 4), threshold), Verdict::Unverified,
		              Reason::Malformed);
	ExpectVerdict(DecideFor(D(1990, 1, 1), kFarExpiry, D(2026, 5, 4), 1), Verdict::Over, Reason::Aamva);
	ExpectVerdict(DecideFor(D(1990, 1, 1), kFarExpiry, D(2026, 5, 4), 125), Verdict::Under, Reason::Aamva);
	ExpectVerdict(DecideFor(D(1901, 5, 4), kFarExpiry, D(2026, 5, 4), 125), Verdict::Over, Reason::Aamva);
}

TEST(Decide, ChecksInDocumentedOrder)
{
	// Invalid birth date before anything about the expiry.
	ExpectVerdict(DecideFor(D(2023, 2, 29), std::nullopt, D(2026, 5, 4), 18), Verdict::Unverified, Reason::InvalidDate);
	// Future birth date before a missing or passed expiry.
	ExpectVerdict(DecideFor(D(2027, 1, 1), std::nullopt, D(2026, 5, 4), 18), Verdict::Unverified,
	              Reason::FutureBirthDate);
	// Implausible age before a passed expiry.
	ExpectVerdict(DecideFor(D(1800, 1, 1), D(2000, 1, 1), D(2026, 5, 4), 18), Verdict::Unverified,
	              Reason::ImplausibleAge);
}

TEST(Decide, LeavesTheSecretDatesIntact)
{
	const SecretDate birth{D(1990, 1, 1)};
	const std::optional<SecretDate> expiry{std::in_place, D(2030, 1, 1)};
	(void)Decide(birth, expiry, Reason::Aamva, D(2026, 5, 4), DefaultPolicy(), 18);
	EXPECT_EQ(birth.get(), D(1990, 1, 1));
	EXPECT_EQ(expiry->get(), D(2030, 1, 1));
}

} // namespace
} // namespace agecheck::age

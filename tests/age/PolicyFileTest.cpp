// SPDX-License-Identifier: Apache-2.0
// The policy file: ParsePolicy, LoadPolicy and the shipped src/age/policy.conf.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h> // getpid

#include "age/Policy.h"

namespace agecheck::age {
namespace {

void ExpectDefaults(const Policy& p)
{
	EXPECT_EQ(p.thresholds, (std::vector<int>{18, 21}));
	EXPECT_EQ(p.leapDay, LeapDayRule::March1);
	EXPECT_EQ(p.expired, ExpiredDocuments::Reject);
	EXPECT_EQ(p.maxAge, 125);
	EXPECT_EQ(p.printedProfiles, (std::vector<std::string>{"au-nz", "us", "canada", "uk", "eu"}));
}

/// Parses text that must be rejected, and returns the message.
std::string ErrorOf(std::string_view text)
{
	std::string error;
	const auto policy = ParsePolicy(text, &error);
	EXPECT_FALSE(policy.has_value()) << text;
	EXPECT_FALSE(error.empty()) << text;
	return error;
}

/// Parses text that must be accepted.
Policy Parsed(std::string_view text)
{
	std::string error = "untouched";
	auto policy = ParsePolicy(text, &error);
	EXPECT_TRUE(policy.has_value()) << error;
	EXPECT_EQ(error, "untouched");
	return policy.value_or(Policy{});
}

TEST(PolicyFile, DefaultPolicy)
{
	ExpectDefaults(DefaultPolicy());
}

TEST(PolicyFile, EmptyTextGivesDefaults)
{
	ExpectDefaults(Parsed(""));
	ExpectDefaults(Parsed("\n\n"));
	ExpectDefaults(Parsed("   \t \n"));
	ExpectDefaults(Parsed("# only a comment\n\n  # another\n"));
}

TEST(PolicyFile, EveryKey)
{
	const Policy p = Parsed("thresholds = 19\n"
	                        "leap_day_birthday = feb28\n"
	                        "expired_documents = accept\n"
	                        "max_age = 110\n"
	                        "printed_profiles = uk\n");
	EXPECT_EQ(p.thresholds, (std::vector<int>{19}));
	EXPECT_EQ(p.leapDay, LeapDayRule::February28);
	EXPECT_EQ(p.expired, ExpiredDocuments::Accept);
	EXPECT_EQ(p.maxAge, 110);
	EXPECT_EQ(p.printedProfiles, (std::vector<std::string>{"uk"}));
}

TEST(PolicyFile, PrintedProfiles)
{
	EXPECT_EQ(AllPrintedProfiles(), (std::vector<std::string>{"au-nz", "us", "canada", "uk", "eu"}));
	EXPECT_EQ(Parsed("printed_profiles = us").printedProfiles, (std::vector<std::string>{"us"}));
	EXPECT_EQ(Parsed("printed_profiles = eu, au-nz").printedProfiles, (std::vector<std::string>{"eu", "au-nz"}));
	EXPECT_EQ(Parsed("printed_profiles =au-nz ,\tus ,canada,uk,eu # all\r\n").printedProfiles,
	          (std::vector<std::string>{"au-nz", "us", "canada", "uk", "eu"}));
	EXPECT_TRUE(Parsed("printed_profiles = none").printedProfiles.empty());
	// Other keys leave the default, all of them.
	EXPECT_EQ(Parsed("max_age = 100").printedProfiles.size(), 5u);
}

TEST(PolicyFile, BadPrintedProfiles)
{
	EXPECT_EQ(ErrorOf("printed_profiles = fr"),
	          "line 1: unknown printed profile 'fr' (expected au-nz, us, canada, uk, eu or none)");
	EXPECT_EQ(ErrorOf("printed_profiles = us, US"),
	          "line 1: unknown printed profile 'US' (expected au-nz, us, canada, uk, eu or none)");
	EXPECT_EQ(ErrorOf("printed_profiles = au nz"),
	          "line 1: unknown printed profile 'au nz' (expected au-nz, us, canada, uk, eu or none)");
	EXPECT_EQ(ErrorOf("printed_profiles = uk, uk"), "line 1: printed profile 'uk' is listed twice");
	EXPECT_EQ(ErrorOf("printed_profiles = uk,"), "line 1: empty printed profile in the list");
	EXPECT_EQ(ErrorOf("printed_profiles = ,uk"), "line 1: empty printed profile in the list");
	EXPECT_EQ(ErrorOf("printed_profiles = none, uk"), "line 1: printed_profiles = none cannot list profiles too");
	EXPECT_EQ(ErrorOf("printed_profiles = uk, none"), "line 1: printed_profiles = none cannot list profiles too");
	EXPECT_EQ(ErrorOf("printed_profiles = "), "line 1: missing value for 'printed_profiles'");
	EXPECT_EQ(ErrorOf("printed_profiles = uk\nprinted_profiles = eu"),
	          "line 2: duplicate key 'printed_profiles' (first set on line 1)");
}

TEST(PolicyFile, EachValueOfEachKey)
{
	EXPECT_EQ(Parsed("leap_day_birthday = mar1").leapDay, LeapDayRule::March1);
	EXPECT_EQ(Parsed("leap_day_birthday = feb28").leapDay, LeapDayRule::February28);
	EXPECT_EQ(Parsed("expired_documents = reject").expired, ExpiredDocuments::Reject);
	EXPECT_EQ(Parsed("expired_documents = accept").expired, ExpiredDocuments::Accept);
	EXPECT_EQ(Parsed("max_age = 150").maxAge, 150);
	EXPECT_EQ(Parsed("max_age = 21").maxAge, 21);
	EXPECT_EQ(Parsed("thresholds = 1").thresholds, (std::vector<int>{1}));
	EXPECT_EQ(Parsed("thresholds = 125").thresholds, (std::vector<int>{125}));
	EXPECT_EQ(Parsed("thresholds = 1, 125").thresholds, (std::vector<int>{1, 125}));
}

TEST(PolicyFile, UnsetKeysKeepTheirDefaults)
{
	const Policy p = Parsed("expired_documents = accept\n");
	EXPECT_EQ(p.thresholds, (std::vector<int>{18, 21}));
	EXPECT_EQ(p.leapDay, LeapDayRule::March1);
	EXPECT_EQ(p.maxAge, 125);
}

TEST(PolicyFile, UnsortedThresholdsAreSorted)
{
	EXPECT_EQ(Parsed("thresholds = 21, 18").thresholds, (std::vector<int>{18, 21}));
	EXPECT_EQ(Parsed("thresholds = 25,16").thresholds, (std::vector<int>{16, 25}));
}

TEST(PolicyFile, Comments)
{
	const Policy p = Parsed("# agecheck policy\n"
	                        "thresholds = 18, 20 # two at most\n"
	                        "leap_day_birthday = feb28# no space before the comment\n"
	                        "#max_age = 10\n"
	                        "   # indented comment\n");
	EXPECT_EQ(p.thresholds, (std::vector<int>{18, 20}));
	EXPECT_EQ(p.leapDay, LeapDayRule::February28);
	EXPECT_EQ(p.maxAge, 125);
}

TEST(PolicyFile, Whitespace)
{
	const Policy p = Parsed("  thresholds=18 ,\t21  \r\n"
	                        "\tleap_day_birthday\t=\tfeb28\t\r\n"
	                        "\r\n"
	                        "expired_documents   =   accept\r\n"
	                        "max_age=99"); // no final newline
	EXPECT_EQ(p.thresholds, (std::vector<int>{18, 21}));
	EXPECT_EQ(p.leapDay, LeapDayRule::February28);
	EXPECT_EQ(p.expired, ExpiredDocuments::Accept);
	EXPECT_EQ(p.maxAge, 99);
}

TEST(PolicyFile, NullErrorPointerIsAllowed)
{
	EXPECT_FALSE(ParsePolicy("bogus = 1", nullptr).has_value());
	EXPECT_TRUE(ParsePolicy("max_age = 90", nullptr).has_value());
}

TEST(PolicyFile, UnknownKey)
{
	EXPECT_EQ(ErrorOf("\n# comment\ncolour = blue\n"),
	          "line 3: unknown key 'colour' (expected thresholds, leap_day_birthday, expired_documents, max_age or "
	          "printed_profiles)");
	EXPECT_EQ(ErrorOf("Thresholds = 18").substr(0, 28), "line 1: unknown key 'Thresho"); // keys are lower case
	// A long or binary key is quoted short and printable.
	EXPECT_EQ(ErrorOf(std::string(100, 'k') + " = 1").substr(0, 58),
	          "line 1: unknown key '" + std::string(32, 'k') + "...' ");
	EXPECT_EQ(ErrorOf(std::string("a\x01\xff = 1", 7)).substr(0, 26), "line 1: unknown key 'a?\?' ");
}

TEST(PolicyFile, MalformedLines)
{
	EXPECT_EQ(ErrorOf("thresholds = 18\nmax_age 125\n"), "line 2: expected 'key = value'");
	EXPECT_EQ(ErrorOf("= 18"), "line 1: missing key before '='");
	EXPECT_EQ(ErrorOf("max_age =\n"), "line 1: missing value for 'max_age'");
	EXPECT_EQ(ErrorOf("max_age = # comment only\n"), "line 1: missing value for 'max_age'");
	EXPECT_EQ(ErrorOf("thresholds =  "), "line 1: missing value for 'thresholds'");
}

TEST(PolicyFile, BadLeapDayValue)
{
	EXPECT_EQ(ErrorOf("\n\nleap_day_birthday = march1"),
	          "line 3: leap_day_birthday must be mar1 or feb28, not 'march1'");
	EXPECT_EQ(ErrorOf("leap_day_birthday = MAR1"), "line 1: leap_day_birthday must be mar1 or feb28, not 'MAR1'");
	EXPECT_EQ(ErrorOf("leap_day_birthday = mar1 feb28"),
	          "line 1: leap_day_birthday must be mar1 or feb28, not 'mar1 feb28'");
}

TEST(PolicyFile, BadExpiredValue)
{
	EXPECT_EQ(ErrorOf("expired_documents = yes"), "line 1: expired_documents must be reject or accept, not 'yes'");
}

TEST(PolicyFile, BadMaxAge)
{
	for (const char* value : {"0", "151", "-5", "+90", "90.5", "ninety", "99999999999999999999", "0x10", "1 2"})
		EXPECT_EQ(ErrorOf(std::string("max_age = ") + value),
		          std::string("line 1: max_age must be a whole number from 1 to 150, not '") + value + "'");
}

TEST(PolicyFile, MaxAgeBelowLargestThreshold)
{
	EXPECT_EQ(ErrorOf("thresholds = 18, 21\nmax_age = 20\n"), "line 2: max_age is below the largest threshold");
	EXPECT_EQ(ErrorOf("max_age = 20\n"), "line 1: max_age is below the largest threshold"); // default thresholds
	EXPECT_EQ(ErrorOf("max_age = 30\nthresholds = 40\n"), "line 1: max_age is below the largest threshold");
	EXPECT_EQ(Parsed("thresholds = 18\nmax_age = 18\n").maxAge, 18);
}

TEST(PolicyFile, ThresholdsOutOfRange)
{
	EXPECT_EQ(ErrorOf("thresholds = 0"), "line 1: a threshold must be a whole number from 1 to 125, not '0'");
	EXPECT_EQ(ErrorOf("thresholds = 18, 126"), "line 1: a threshold must be a whole number from 1 to 125, not '126'");
	EXPECT_EQ(ErrorOf("thresholds = -18"), "line 1: a threshold must be a whole number from 1 to 125, not '-18'");
	EXPECT_EQ(ErrorOf("thresholds = 18a"), "line 1: a threshold must be a whole number from 1 to 125, not '18a'");
	EXPECT_EQ(ErrorOf("thresholds = 18 21"), "line 1: a threshold must be a whole number from 1 to 125, not '18 21'");
}

TEST(PolicyFile, AtMostTwoThresholds)
{
	EXPECT_EQ(ErrorOf("# header\nthresholds = 16, 18, 21\n"), "line 2: at most 2 thresholds (the POS protocol limit)");
	EXPECT_EQ(ErrorOf("thresholds = 18, 19, 20, 21"), "line 1: at most 2 thresholds (the POS protocol limit)");
}

TEST(PolicyFile, DuplicateThreshold)
{
	EXPECT_EQ(ErrorOf("thresholds = 18, 18"), "line 1: threshold 18 is listed twice");
	EXPECT_EQ(ErrorOf("thresholds = 18, 018"), "line 1: threshold 18 is listed twice");
}

TEST(PolicyFile, EmptyThresholdInList)
{
	EXPECT_EQ(ErrorOf("thresholds = 18,"), "line 1: empty threshold in the list");
	EXPECT_EQ(ErrorOf("thresholds = ,18"), "line 1: empty threshold in the list");
	EXPECT_EQ(ErrorOf("thresholds = 18,,21"), "line 1: empty threshold in the list");
}

TEST(PolicyFile, DuplicateKey)
{
	EXPECT_EQ(ErrorOf("max_age = 100\n\nmax_age = 100\n"), "line 3: duplicate key 'max_age' (first set on line 1)");
	EXPECT_EQ(ErrorOf("thresholds = 18\n# x\nleap_day_birthday = mar1\nthresholds = 21\n"),
	          "line 4: duplicate key 'thresholds' (first set on line 1)");
}

TEST(PolicyFile, FirstErrorWins)
{
	EXPECT_EQ(ErrorOf("max_age = 0\ncolour = blue\n"), "line 1: max_age must be a whole number from 1 to 150, not '0'");
}

// ---- LoadPolicy ----------------------------------------------------------------------------------

/// A file of the test's own in the test temp directory, removed afterwards.
class PolicyFileOnDisk : public ::testing::Test {
protected:
	void SetUp() override
	{
		const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
		_dir = std::filesystem::path(::testing::TempDir()) /
		       (std::string("agecheck_age_") + info->name() + "_" + std::to_string(::getpid()));
		std::filesystem::create_directories(_dir);
	}
	void TearDown() override
	{
		std::error_code ec;
		std::filesystem::remove_all(_dir, ec);
	}
	std::string Write(const std::string& name, const std::string& text)
	{
		const auto path = _dir / name;
		std::ofstream(path, std::ios::binary) << text;
		return path.string();
	}
	std::filesystem::path _dir;
};

TEST_F(PolicyFileOnDisk, LoadsAFile)
{
	const std::string path = Write("policy.conf", "thresholds = 21\nexpired_documents = accept\n");
	std::string error;
	const auto policy = LoadPolicy(path, &error);
	ASSERT_TRUE(policy.has_value()) << error;
	EXPECT_EQ(policy->thresholds, (std::vector<int>{21}));
	EXPECT_EQ(policy->expired, ExpiredDocuments::Accept);
}

TEST_F(PolicyFileOnDisk, EmptyFileGivesDefaults)
{
	std::string error;
	const auto policy = LoadPolicy(Write("empty.conf", ""), &error);
	ASSERT_TRUE(policy.has_value()) << error;
	ExpectDefaults(*policy);
}

TEST_F(PolicyFileOnDisk, ParseErrorNamesFileAndLine)
{
	const std::string path = Write("bad.conf", "# policy\nthresholds = 16, 18, 21\n");
	std::string error;
	EXPECT_FALSE(LoadPolicy(path, &error).has_value());
	EXPECT_EQ(error, path + ": line 2: at most 2 thresholds (the POS protocol limit)");
}

TEST_F(PolicyFileOnDisk, MissingFile)
{
	const std::string path = (_dir / "no-such.conf").string();
	std::string error;
	EXPECT_FALSE(LoadPolicy(path, &error).has_value());
	EXPECT_EQ(error, path + ": cannot open: No such file or directory");
	EXPECT_FALSE(LoadPolicy("", &error).has_value());
	EXPECT_EQ(error, ": cannot open: No such file or directory");
	EXPECT_FALSE(LoadPolicy(path, nullptr).has_value());
}

TEST_F(PolicyFileOnDisk, DirectoryIsUnreadable)
{
	std::string error;
	EXPECT_FALSE(LoadPolicy(_dir.string(), &error).has_value());
	EXPECT_EQ(error, _dir.string() + ": cannot read: Is a directory");
}

TEST_F(PolicyFileOnDisk, OversizedFileIsRejected)
{
	std::string big = "# padding\n";
	while (big.size() <= 64 * 1024)
		big += "# " + std::string(70, 'x') + "\n";
	const std::string path = Write("big.conf", big);
	std::string error;
	EXPECT_FALSE(LoadPolicy(path, &error).has_value());
	EXPECT_EQ(error, path + ": larger than 64 KiB; not a policy file");
	// Exactly 64 KiB of comments is fine.
	const std::string path2 = Write("limit.conf", big.substr(0, 64 * 1024 - 1) + "\n");
	EXPECT_TRUE(LoadPolicy(path2, &error).has_value()) << error;
}

TEST(PolicyFile, ShippedExampleIsTheDefault)
{
	std::string error;
	const auto policy = LoadPolicy(AGECHECK_SOURCE_DIR "/src/age/policy.conf", &error);
	ASSERT_TRUE(policy.has_value()) << error;
	ExpectDefaults(*policy);
}

} // namespace
} // namespace agecheck::age

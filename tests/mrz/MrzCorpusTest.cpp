// SPDX-License-Identifier: Apache-2.0
// The public MRZ corpus (../shared/corpus/mrz/strings.jsonl: cheminfo/mrz test data, MIT): every row
// gives its expected result. The corpus' `dob`/`expiry` are upstream's reading, which also reads
// formats that are not ICAO 9303 MRZs and fields whose check digits fail; where this parser refuses
// on purpose the row is listed below with its reason. MRZ text is never printed: failures name the
// row's `test`.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "MrzTestUtil.h"

namespace agecheck::mrz {
namespace {

using namespace std::chrono;
using test::Iso;

constexpr const char* CorpusPath = AGECHECK_SOURCE_DIR "/../shared/corpus/mrz/strings.jsonl";
constexpr std::size_t CorpusRows = 33; // see ../shared/corpus/SOURCES.md

// A fixed "today" for the century rules of Mrz.h; every corpus date reads the same from 2013-11-05
// (the latest birth) to 2044 (the oldest expiry, 1995, stays within 50 years).
constexpr year_month_day Today{year{2026}, month{1}, day{1}};

// Rows this parser refuses, and why. Every other row must parse to the corpus' dob and expiry.
const std::map<std::string, Reason>& Refused()
{
	static const std::map<std::string, Reason> refused = {
		{"errors.test.ts::More than 3 lines", Reason::Malformed},
		{"errors.test.ts::Wrong format", Reason::Malformed},
		// One-line and national layouts: not ICAO 9303, no age source (Mrz.h).
		{"frenchDrivingLicense.test.ts::valid MRZ", Reason::NotAnId},
		{"frenchNationalId.test.ts::valid MRZ", Reason::NotAnId},
		{"frenchNationalId.test.ts::valid MRZ with no administrative code", Reason::NotAnId},
		{"frenchNationalId.test.ts::invalid MRZ", Reason::NotAnId},
		{"frenchNationalId.test.ts::Use autocorrect", Reason::NotAnId},
		{"swissDrivingLicense.test.ts::valid MRZ", Reason::NotAnId},
		{"swissDrivingLicense.test.ts::invalid text", Reason::NotAnId},
		{"swissDrivingLicense.test.ts::Use autocorrect", Reason::NotAnId},
		// A printed check digit fails: never a date (upstream still reads one).
		{"td1.test.ts::Belgium ID BEL-BO-03003, with wrong document number check digit", Reason::CheckDigit},
		{"td1.test.ts::Belgium ID BEL-BO-03003, with wrong birth date check digit", Reason::CheckDigit},
		{"td3.test.ts::Utopia example - wrong personal number check digit", Reason::CheckDigit},
	};
	return refused;
}

class MrzCorpus : public testing::Test {
protected:
	void SetUp() override
	{
		std::ifstream in(CorpusPath);
		for (std::string line; std::getline(in, line);)
			if (!line.empty())
				rows.push_back(nlohmann::json::parse(line));
		// A missing or truncated corpus fails here; it never skips.
		ASSERT_EQ(rows.size(), CorpusRows) << "corpus not found or incomplete: " << CorpusPath;
	}

	std::vector<nlohmann::json> rows;
};

std::string Expected(const nlohmann::json& row, const char* key)
{
	return row.contains(key) && !row[key].is_null() ? row[key].get<std::string>() : std::string("none");
}

TEST_F(MrzCorpus, EveryRowGivesItsExpectedResult)
{
	int parsed = 0, refused = 0;
	std::map<std::string, int> seen;
	for (const auto& row : rows) {
		const auto name = row.at("test").get<std::string>();
		SCOPED_TRACE(name);
		++seen[name];
		const auto r = Parse(row.at("input").get<std::string>(), Today);
		if (const auto it = Refused().find(name); it != Refused().end()) {
			ASSERT_FALSE(r.ok()) << "parsed a row that must be refused";
			EXPECT_EQ(r.reason(), it->second) << r.failure().detail;
			++refused;
			continue;
		}
		if (!r.ok()) {
			ADD_FAILURE() << "no document: " << ToString(r.reason()) << " (" << r.failure().detail << ")";
			continue;
		}
		EXPECT_EQ(Iso(r->birth), Expected(row, "dob"));
		EXPECT_EQ(Iso(r->expiry), Expected(row, "expiry"));
		EXPECT_TRUE(test::DatesAreValidated(*r, Today));
		// The independent helper's per-field check digits agree wherever it understood the layout
		// (it does not know long document numbers, so its number verdict is not compared).
		const auto& h = row.at("helper_checkdigits");
		if (h.contains("dob_ok")) {
			EXPECT_TRUE(h.at("dob_ok").get<bool>());
		}
		if (h.contains("exp_ok")) {
			EXPECT_TRUE(h.at("exp_ok").get<bool>());
		}
		++parsed;
	}
	for (const auto& [name, count] : Refused())
		EXPECT_EQ(seen[name], 1) << "refused row not in the corpus: " << name;
	EXPECT_EQ(parsed, 20);
	EXPECT_EQ(refused, 13);
}

// A read cut short anywhere never crashes and never yields a date the whole text does not give.
TEST_F(MrzCorpus, EveryPrefixOfEveryRowIsSafe)
{
	for (const auto& row : rows) {
		SCOPED_TRACE(row.at("test").get<std::string>());
		const auto input = row.at("input").get<std::string>();
		const auto full = Parse(input, Today);
		for (std::size_t n = 0; n < input.size(); ++n) {
			const auto r = Parse(std::string_view(input).substr(0, n), Today);
			if (!r.ok())
				continue;
			ASSERT_TRUE(full.ok());
			EXPECT_EQ(Iso(r->birth), Iso(full->birth));
			EXPECT_EQ(Iso(r->expiry), Iso(full->expiry));
		}
	}
}

} // namespace
} // namespace agecheck::mrz

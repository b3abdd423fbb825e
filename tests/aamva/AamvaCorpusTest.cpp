// SPDX-License-Identifier: Apache-2.0
// The public AAMVA corpus (../shared/corpus/aamva/payloads.jsonl: c0shea/IdParser test data, MIT):
// every row must give its expected dates, jurisdiction and version, and no prefix of a row may give
// a date that was not validated. Payloads are never printed: failures name the row's `test`.

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "AamvaTestUtil.h"

namespace agecheck::aamva {
namespace {

using test::Iso;

constexpr const char* CorpusPath = AGECHECK_SOURCE_DIR "/../shared/corpus/aamva/payloads.jsonl";
constexpr int CorpusRows = 32; // see ../shared/corpus/SOURCES.md

class AamvaCorpus : public testing::Test {
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

// The expected value of an optional date key: "none" when the key is absent or null.
std::string Expected(const nlohmann::json& row, const char* key)
{
	return row.contains(key) && !row[key].is_null() ? row[key].get<std::string>() : std::string("none");
}

TEST_F(AamvaCorpus, EveryRowGivesItsExpectedValues)
{
	for (const auto& row : rows) {
		SCOPED_TRACE(row.at("test").get<std::string>());
		const auto input = row.at("input").get<std::string>();
		const auto r = Parse(input);
		if (!r.ok()) {
			ADD_FAILURE() << "no document: " << ToString(r.reason()) << " (" << r.failure().detail << ")";
			continue;
		}
		EXPECT_EQ(Iso(r->birth.get()), row.at("dob").get<std::string>());
		EXPECT_EQ(Iso(r->expiry), Expected(row, "expiry"));
		EXPECT_EQ(Iso(r->issue), Expected(row, "issue"));
		EXPECT_EQ(Iso(r->under18Until), Expected(row, "Under18Until"));
		EXPECT_EQ(Iso(r->under21Until), Expected(row, "Under21Until"));
		EXPECT_EQ(r->jurisdiction, row.at("jurisdiction").get<std::string>());
		EXPECT_EQ(r->version, row.at("aamva_version").get<int>());
	}
}

// A scan cut short anywhere (a truncated read) never crashes and never yields an unvalidated date,
// nor a date that differs from the one in the whole payload.
TEST_F(AamvaCorpus, EveryPrefixOfEveryRowIsSafe)
{
	for (const auto& row : rows) {
		SCOPED_TRACE(row.at("test").get<std::string>());
		const auto input = row.at("input").get<std::string>();
		const auto full = Parse(input);
		ASSERT_TRUE(full.ok());
		for (std::size_t n = 0; n < input.size(); ++n) {
			const auto r = Parse(std::string_view(input).substr(0, n));
			if (!r.ok())
				continue;
			SCOPED_TRACE("prefix length " + std::to_string(n));
			EXPECT_TRUE(test::DatesAreValidated(*r));
			EXPECT_EQ(Iso(r->birth.get()), Iso(full->birth.get()));
			if (r->expiry) {
				EXPECT_EQ(Iso(r->expiry), Iso(full->expiry));
			}
			if (r->issue) {
				EXPECT_EQ(Iso(r->issue), Iso(full->issue));
			}
		}
	}
}

} // namespace
} // namespace agecheck::aamva

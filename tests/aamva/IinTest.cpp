// SPDX-License-Identifier: Apache-2.0
// The AAMVA IIN table: well-known entries, Canadian ones, and numbers that are not in it.

#include <gtest/gtest.h>

#include "aamva/Iin.h"

namespace agecheck::aamva {
namespace {

TEST(AamvaIin, KnownIssuers)
{
	struct Case {
		int iin;
		const char* code;
	};
	for (const Case& c : {Case{636002, "MA"}, Case{636014, "CA"}, Case{636043, "DC"}, Case{604431, "PR"},
						  Case{636012, "ON"}, Case{636017, "NB"}, Case{604428, "QC"}, Case{604432, "AB"},
						  Case{636000, "VA"}, Case{636062, "VI"}, Case{604426, "PE"}, Case{636016, "NL"}})
		EXPECT_EQ(JurisdictionOfIin(c.iin), c.code) << c.iin;
}

TEST(AamvaIin, UnknownIssuers)
{
	for (int iin : {0, -1, 123456, 636027 /* State Department */, 636056 /* Coahuila */, 636063, 604425, 999999})
		EXPECT_TRUE(JurisdictionOfIin(iin).empty()) << iin;
}

} // namespace
} // namespace agecheck::aamva

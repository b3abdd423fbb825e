// SPDX-License-Identifier: Apache-2.0
// The AAMVA IIN table: US states, DC and territories, Canadian provinces and territories.
// Source: the AAMVA "Issuer Identification Numbers (IIN)" list, as published by AAMVA.
// Left out on purpose: 636027 (US State Department, no jurisdiction code) and the Mexican
// states 636056 (Coahuila) and 636057 (Hidalgo), which have no two-letter code.

#include "aamva/Iin.h"

#include <algorithm>
#include <array>

namespace agecheck::aamva {
namespace {

struct Issuer {
	int iin;
	std::string_view code;
};

// Sorted by IIN for the binary search below (checked by a static_assert).
constexpr std::array Issuers{
	Issuer{604426, "PE"}, // Prince Edward Island
	Issuer{604427, "AS"}, // American Samoa
	Issuer{604428, "QC"}, // Quebec
	Issuer{604429, "YT"}, // Yukon
	Issuer{604430, "MP"}, // Northern Mariana Islands
	Issuer{604431, "PR"}, // Puerto Rico
	Issuer{604432, "AB"}, // Alberta
	Issuer{604433, "NU"}, // Nunavut
	Issuer{604434, "NT"}, // Northwest Territories
	Issuer{636000, "VA"},
	Issuer{636001, "NY"},
	Issuer{636002, "MA"},
	Issuer{636003, "MD"},
	Issuer{636004, "NC"},
	Issuer{636005, "SC"},
	Issuer{636006, "CT"},
	Issuer{636007, "LA"},
	Issuer{636008, "MT"},
	Issuer{636009, "NM"},
	Issuer{636010, "FL"},
	Issuer{636011, "DE"},
	Issuer{636012, "ON"}, // Ontario
	Issuer{636013, "NS"}, // Nova Scotia
	Issuer{636014, "CA"},
	Issuer{636015, "TX"},
	Issuer{636016, "NL"}, // Newfoundland and Labrador ("NF" on the AAMVA list)
	Issuer{636017, "NB"}, // New Brunswick
	Issuer{636018, "IA"},
	Issuer{636019, "GU"}, // Guam
	Issuer{636020, "CO"},
	Issuer{636021, "AR"},
	Issuer{636022, "KS"},
	Issuer{636023, "OH"},
	Issuer{636024, "VT"},
	Issuer{636025, "PA"},
	Issuer{636026, "AZ"},
	Issuer{636028, "BC"}, // British Columbia
	Issuer{636029, "OR"},
	Issuer{636030, "MO"},
	Issuer{636031, "WI"},
	Issuer{636032, "MI"},
	Issuer{636033, "AL"},
	Issuer{636034, "ND"},
	Issuer{636035, "IL"},
	Issuer{636036, "NJ"},
	Issuer{636037, "IN"},
	Issuer{636038, "MN"},
	Issuer{636039, "NH"},
	Issuer{636040, "UT"},
	Issuer{636041, "ME"},
	Issuer{636042, "SD"},
	Issuer{636043, "DC"},
	Issuer{636044, "SK"}, // Saskatchewan
	Issuer{636045, "WA"},
	Issuer{636046, "KY"},
	Issuer{636047, "HI"},
	Issuer{636048, "MB"}, // Manitoba
	Issuer{636049, "NV"},
	Issuer{636050, "ID"},
	Issuer{636051, "MS"},
	Issuer{636052, "RI"},
	Issuer{636053, "TN"},
	Issuer{636054, "NE"},
	Issuer{636055, "GA"},
	Issuer{636058, "OK"},
	Issuer{636059, "AK"},
	Issuer{636060, "WY"},
	Issuer{636061, "WV"},
	Issuer{636062, "VI"}, // US Virgin Islands
};

constexpr bool LessIin(const Issuer& a, const Issuer& b) noexcept { return a.iin < b.iin; }
static_assert(std::is_sorted(Issuers.begin(), Issuers.end(), LessIin), "keep the IIN table sorted");
static_assert(std::adjacent_find(Issuers.begin(), Issuers.end(),
	[](const Issuer& a, const Issuer& b) { return a.iin == b.iin; }) == Issuers.end(), "duplicate IIN");

} // namespace

std::string_view JurisdictionOfIin(int iin) noexcept
{
	const auto it = std::lower_bound(Issuers.begin(), Issuers.end(), Issuer{iin, {}}, LessIin);
	return it != Issuers.end() && it->iin == iin ? it->code : std::string_view{};
}

} // namespace agecheck::aamva

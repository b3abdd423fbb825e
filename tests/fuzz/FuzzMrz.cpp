// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for mrz::Parse. Whatever the bytes: no crash, no read outside them, and a
// returned document keeps Parse's promises (real dates in the century windows of Mrz.h, every
// check digit of its layout present and passed; the same check the unit tests use). A failure
// names no source and carries a fixed explanation. Anything else abort()s: a libFuzzer finding.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "MrzTestUtil.h"
#include "mrz/Mrz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
	using namespace std::chrono;
	constexpr year_month_day today{year{2026}, month{1}, day{1}};
	const std::string_view text(reinterpret_cast<const char*>(data), size);
	const auto r = agecheck::mrz::Parse(text, today);
	if (!r.ok()) {
		if (agecheck::IsSource(r.reason()) || r.failure().detail.empty())
			std::abort();
		return 0;
	}
	if (!agecheck::mrz::test::DatesAreValidated(*r, today))
		std::abort();
	return 0;
}

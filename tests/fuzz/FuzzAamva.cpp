// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for aamva::Parse. Whatever the bytes: no crash, no read outside them, and a
// returned document holds only validated dates (real calendar dates in 1900-2200, birth <= issue
// <= expiry; the same check the unit tests use). Anything else abort()s: a libFuzzer finding.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "AamvaTestUtil.h"
#include "aamva/Aamva.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
	const auto r = agecheck::aamva::Parse(std::as_bytes(std::span<const std::uint8_t>(data, size)));
	if (!r.ok()) {
		// A failure is a reason that names no source, with a fixed explanation.
		if (agecheck::IsSource(r.reason()) || r.failure().detail.empty())
			std::abort();
		return 0;
	}
	if (!agecheck::aamva::test::DatesAreValidated(*r) || (!r->jurisdiction.empty() && r->jurisdiction.size() != 2))
		std::abort();
	return 0;
}

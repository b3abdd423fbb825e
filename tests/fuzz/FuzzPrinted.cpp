// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for printed::Parse. Whatever the bytes, with every built-in profile active and
// with each alone: no crash, no read outside them, the same answer twice, and a returned date of
// birth (and expiry date) that is a real calendar date. A failure names no source and carries a
// fixed explanation. Anything else abort()s: a libFuzzer finding.

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string_view>

#include "printed/Printed.h"

namespace {

using namespace agecheck;

/// Parses `text` with `active` twice and checks Parse's promises.
void Check(std::string_view text, std::span<const printed::Profile* const> active)
{
	using namespace std::chrono;
	constexpr year_month_day today{year{2026}, month{1}, day{1}};
	const auto r = printed::Parse(text, active, today);
	const auto again = printed::Parse(text, active, today);
	if (r.ok() != again.ok())
		std::abort();
	if (!r.ok()) {
		if (IsSource(r.reason()) || r.failure().detail.empty() || again.reason() != r.reason())
			std::abort();
		return;
	}
	if (!r->birth.ok() || r->birth.get() != again->birth.get())
		std::abort();
	if (r->expiry.has_value() != again->expiry.has_value())
		std::abort();
	if (r->expiry && (!r->expiry->ok() || r->expiry->get() != again->expiry->get()))
		std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
	const std::string_view text(reinterpret_cast<const char*>(data), size);
	std::array<const printed::Profile*, printed::MaxProfiles> all{};
	std::size_t n = 0;
	for (const printed::Profile& p : printed::Profiles())
		all[n++] = &p;
	Check(text, std::span(all.data(), n));
	for (std::size_t i = 0; i < n; ++i)
		Check(text, std::span(all.data() + i, 1));
	return 0;
}

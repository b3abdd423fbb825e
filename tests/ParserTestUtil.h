// SPDX-License-Identifier: Apache-2.0
#pragma once
// What the parsers' tests and fuzzers share (tests/aamva, tests/mrz, tests/fuzz): how gtest prints
// reasons, and dates as ISO text. No gtest dependency.

#include <chrono>
#include <cstdio>
#include <optional>
#include <ostream>
#include <string>

#include "common/Reason.h"
#include "common/Secret.h"

namespace agecheck {
// gtest prints reasons by their tokens.
inline void PrintTo(Reason r, std::ostream* os)
{
	*os << ToString(r);
}
} // namespace agecheck

namespace agecheck::test {

/// A date as "YYYY-MM-DD" (the corpus' notation).
inline std::string Iso(std::chrono::year_month_day d)
{
	char text[16];
	std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
	              static_cast<unsigned>(d.day()));
	return text;
}

/// An optional date as "YYYY-MM-DD", or "none".
inline std::string Iso(const std::optional<SecretDate>& d)
{
	return d ? Iso(d->get()) : std::string("none");
}

} // namespace agecheck::test

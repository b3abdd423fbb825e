// SPDX-License-Identifier: Apache-2.0
#pragma once
// Helpers shared by the mrz tests (and tests/fuzz/FuzzMrz.cpp): how gtest prints reasons, dates as
// ISO text, and the promise Parse makes about any document it returns. No gtest dependency.

#include <chrono>
#include <cstdio>
#include <optional>
#include <ostream>
#include <string>

#include "mrz/Mrz.h"
#include "../ParserTestUtil.h"

namespace agecheck::mrz::test {

using agecheck::test::Iso;

/// True when `doc` keeps Parse's promises for `today`: real dates, birth not after today and at
/// most 100 years before it, expiry within [today - 50 years, today + 50 years), no failed check.
inline bool DatesAreValidated(const MrzDocument& doc, std::chrono::year_month_day today)
{
	using namespace std::chrono;
	if (doc.birth && (!doc.birth->ok() || doc.birth->get() > today || doc.birth->get().year() < today.year() - years{100}))
		return false;
	if (doc.expiry
		&& (!doc.expiry->ok() || doc.expiry->get().year() < today.year() - years{50}
			|| doc.expiry->get().year() >= today.year() + years{50}))
		return false;
	const bool composite = doc.format == Format::MrvA || doc.format == Format::MrvB;
	return doc.checks.number != Check::Absent && doc.checks.birth != Check::Absent && doc.checks.expiry != Check::Absent
		&& (doc.checks.composite == Check::Absent) == composite;
}

} // namespace agecheck::mrz::test

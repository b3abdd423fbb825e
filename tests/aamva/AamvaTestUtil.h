// SPDX-License-Identifier: Apache-2.0
#pragma once
// Helpers shared by the aamva tests and tests/fuzz/FuzzAamva.cpp: how gtest prints reasons, dates
// as ISO text, and the check that a document holds only validated dates. No gtest dependency.

#include <chrono>
#include <cstdio>
#include <optional>
#include <ostream>
#include <string>

#include "aamva/Aamva.h"
#include "../ParserTestUtil.h"

namespace agecheck::aamva::test {

using agecheck::test::Iso;

/// True when every date of `doc` is a real date in [1900, 2200] and they are in order:
/// birth <= issue <= expiry. What Parse promises about any document it returns.
inline bool DatesAreValidated(const Document& doc)
{
	using namespace std::chrono;
	auto ok = [](const SecretDate& d) { return d.ok() && d.get().year() >= year{1900} && d.get().year() <= year{2200}; };
	auto okOpt = [&](const std::optional<SecretDate>& d) { return !d || ok(*d); };
	if (!ok(doc.birth) || !okOpt(doc.expiry) || !okOpt(doc.issue) || !okOpt(doc.under18Until) || !okOpt(doc.under21Until))
		return false;
	if (doc.issue && doc.birth.get() > doc.issue->get())
		return false;
	if (doc.expiry && doc.birth.get() > doc.expiry->get())
		return false;
	if (doc.issue && doc.expiry && doc.issue->get() > doc.expiry->get())
		return false;
	return doc.version >= 1 && doc.version <= 10;
}

} // namespace agecheck::aamva::test

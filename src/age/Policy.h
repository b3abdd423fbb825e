// SPDX-License-Identifier: Apache-2.0
#pragma once
// The age policy: which thresholds the POS may ask about, the leap-day rule and expiry handling,
// and the pure calendar arithmetic that turns a date of birth into a verdict.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/Reason.h"
#include "common/Secret.h"

namespace agecheck::age {

/// When someone born on 29 February has their birthday in a common year.
enum class LeapDayRule {
	March1,     ///< on 1 March (never sells a day early); the default
	February28, ///< on 28 February
};

/// What to do with a document whose expiry date has passed.
enum class ExpiredDocuments {
	Reject, ///< unverified, reason "expired"; the default (Australian and NZ rules require a current document)
	Accept, ///< the date of birth still counts
};

/// The policy. Every member has a default; `DefaultPolicy()` is the built-in one.
struct Policy {
	std::vector<int> thresholds{18, 21};            ///< ages the POS may ask about; default 18 and 21
	LeapDayRule leapDay = LeapDayRule::March1;      ///< default March1
	ExpiredDocuments expired = ExpiredDocuments::Reject; ///< default Reject
	int maxAge = 125;                               ///< older than this is implausible; default 125
};

/// The built-in policy.
Policy DefaultPolicy();

/// Parses a policy file's text. On error returns nullopt and sets `error` to "line N: what".
std::optional<Policy> ParsePolicy(std::string_view text, std::string* error);

/// Reads and parses a policy file. On error returns nullopt and sets `error`.
std::optional<Policy> LoadPolicy(const std::string& path, std::string* error);

/// Whole years from `birth` to `today`; reaching N on the birthday itself counts as N.
/// Both dates must be ok() and birth <= today.
int AgeOn(std::chrono::year_month_day birth, std::chrono::year_month_day today, LeapDayRule rule) noexcept;

/// The verdict about one threshold, and its reason (the source when verified).
struct Decision {
	Verdict verdict = Verdict::Unverified;
	Reason reason = Reason::Unreadable;
};

/// Decides one threshold for a document whose dates were read from `source` (Aamva, Mrz, Printed).
/// Fails closed: an invalid birth date, a birth date after today, an age over maxAge, a missing
/// expiry date or an expired document (unless the policy accepts them) give Unverified.
/// A document is valid through its expiry date and expired the day after.
Decision Decide(const SecretDate& birth, const std::optional<SecretDate>& expiry, Reason source,
				std::chrono::year_month_day today, const Policy& policy, int threshold) noexcept;

} // namespace agecheck::age

// SPDX-License-Identifier: Apache-2.0
#pragma once
// The age policy: which thresholds the POS may ask about, the leap-day rule and expiry handling,
// and the pure calendar arithmetic that turns a date of birth into a verdict.
// Standard library only. Nothing here prints, logs or keeps a date; the file format is described
// in src/age/README.md and the commented default file is src/age/policy.conf.

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

/// The names of every built-in printed-date profile (src/printed/profiles.conf), in file order:
/// "au-nz", "us", "canada", "uk", "eu".
std::vector<std::string> AllPrintedProfiles();

/// The policy. Every member has a default; `DefaultPolicy()` is the built-in one.
/// `ParsePolicy` only produces policies with 1 or 2 unique thresholds in 1..125, ascending,
/// maxAge in 1..150 and not below the largest threshold, and unique, known printed profiles.
/// A policy built by hand is not checked beyond what `Decide` needs to fail closed.
struct Policy {
	std::vector<int> thresholds{18, 21};            ///< ages the POS may ask about; default 18 and 21
	LeapDayRule leapDay = LeapDayRule::March1;      ///< default March1
	ExpiredDocuments expired = ExpiredDocuments::Reject; ///< default Reject
	int maxAge = 125;                               ///< older than this is implausible; default 125
	/// The printed-date profiles (src/printed) used to read the printed date of birth on a card
	/// front, by name; empty: printed dates are not read. Default: all of them (AllPrintedProfiles).
	std::vector<std::string> printedProfiles = AllPrintedProfiles();
};

/// The built-in policy: thresholds 18 and 21, March1, Reject, maxAge 125, every printed profile.
Policy DefaultPolicy();

/// Parses a policy file's text. On error returns nullopt and sets `error` (when not null) to
/// "line N: what"; on success leaves `error` untouched. An empty text gives `DefaultPolicy()`.
/// Never throws.
std::optional<Policy> ParsePolicy(std::string_view text, std::string* error);

/// Reads (at most 64 KiB) and parses a policy file. On error returns nullopt and sets `error`
/// (when not null) to "PATH: why", e.g. "PATH: cannot read: No such file or directory" or
/// "PATH: line N: what". Never throws.
std::optional<Policy> LoadPolicy(const std::string& path, std::string* error);

/// Whole years from `birth` to `today`; reaching N on the birthday itself counts as N. Someone born
/// on 29 February reaches N in a common year on the day `rule` says.
/// Both dates must be ok() and birth <= today; otherwise the result is meaningless (but defined).
/// Wipes its copies of the dates before returning.
int AgeOn(std::chrono::year_month_day birth, std::chrono::year_month_day today, LeapDayRule rule) noexcept;

/// The verdict about one threshold, and its reason (the source when verified).
struct Decision {
	Verdict verdict = Verdict::Unverified;
	Reason reason = Reason::Unreadable;
};

/// Decides one threshold for a document whose dates were read from `source` (Aamva, Mrz, Printed).
/// Verified: Over when the age on `today` is at least `threshold`, else Under; the reason is `source`.
/// Fails closed with Unverified and, checked in this order:
///  - `source` itself when it is not a source reason (IsSource false): a failure passes through;
///  - Malformed for a threshold outside 1..125 (callers are expected to check that the threshold is
///    one the policy offers; this function does not consult `policy.thresholds`);
///  - InvalidDate when the birth date or `today` is not a calendar date;
///  - FutureBirthDate for a birth date after today;
///  - ImplausibleAge for an age over `policy.maxAge`;
///  - InvalidDate for an expiry date that is not a calendar date or is before the birth date
///    (whatever the policy says about expired documents);
///  - MissingExpiryDate when there is no expiry date and the policy rejects expired documents;
///  - Expired when today is after the expiry date and the policy rejects expired documents.
/// A document is valid through its expiry date and expired the day after.
/// Wipes its copies of the dates before returning; nothing is printed or logged.
Decision Decide(const SecretDate& birth, const std::optional<SecretDate>& expiry, Reason source,
				std::chrono::year_month_day today, const Policy& policy, int threshold) noexcept;

} // namespace agecheck::age

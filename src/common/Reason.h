// SPDX-License-Identifier: Apache-2.0
#pragma once
// Verdicts and reason codes: the only things about a sighting that leave the pipeline.

#include <cstdint>
#include <optional>
#include <string_view>

namespace agecheck {

/// The answer about one threshold: over it, under it, or not verified (fail closed).
enum class Verdict : std::uint8_t { Unverified, Under, Over };

/// Why a verdict was reached: its source when there is one, else why there is none.
/// Every code is a fixed, documented token that carries no identity data.
enum class Reason : std::uint8_t {
	// Sources of a verdict.
	Aamva,   ///< "aamva": a validated AAMVA PDF417 payload
	Mrz,     ///< "mrz": a machine-readable zone whose check digits pass
	Printed, ///< "printed": the printed date of birth on a card front
	// Why there is no verdict.
	Unreadable,      ///< "unreadable": nothing could be decoded in the input
	UnreadableFile,  ///< "unreadable-file": the file could not be opened or decoded as an image or video
	NotAnId,         ///< "not-an-id": a barcode was read but it is not an identity document
	Malformed,       ///< "malformed": an ID payload whose structure is broken beyond repair
	MissingBirthDate,///< "no-birth-date": an ID payload without a date of birth
	MissingExpiryDate,///< "no-expiry-date": no expiry date, and the policy requires a current document
	InvalidDate,     ///< "invalid-date": a date that is not a real calendar date or contradicts the others
	AmbiguousDate,   ///< "ambiguous-date": a date whose field order cannot be decided
	FutureBirthDate, ///< "future-birth-date": a date of birth after today
	ImplausibleAge,  ///< "implausible-age": an age over the policy's maximum (125 by default)
	Expired,         ///< "expired": the document expired and the policy requires a current one
	CheckDigit,      ///< "check-digit": a printed check digit disagrees with its field
	Mismatch,        ///< "mismatch": two sources on one card disagree (a sign of tampering)
};

/// The token printed for a reason, e.g. "aamva" or "unreadable-file".
std::string_view ToString(Reason reason) noexcept;
/// The token printed for a verdict: "over", "under" or "unverified".
std::string_view ToString(Verdict verdict) noexcept;
/// The reason whose token is `token`, if any.
std::optional<Reason> ReasonFromString(std::string_view token) noexcept;
/// True for the reasons that name the source of a verified verdict.
constexpr bool IsSource(Reason r) noexcept { return r == Reason::Aamva || r == Reason::Mrz || r == Reason::Printed; }

} // namespace agecheck

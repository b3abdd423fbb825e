// SPDX-License-Identifier: Apache-2.0
#pragma once
// Parsing of the AAMVA DL/ID Card Design Standard PDF417 payload (versions 01 to 10).
// Pure: standard library only. The payload is a view; nothing is copied out of it but the dates.

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

#include "common/Result.h"
#include "common/Secret.h"

namespace agecheck::aamva {

/// The dates of one AAMVA document, each validated as a real calendar date and consistent with
/// the others (issue <= expiry, birth <= issue, DDH/DDJ agree with the birth date when present).
struct Document {
	SecretDate birth;                       ///< DBB, always present in a parsed document
	std::optional<SecretDate> expiry;       ///< DBA
	std::optional<SecretDate> issue;        ///< DBD
	std::optional<SecretDate> under18Until; ///< DDH
	std::optional<SecretDate> under21Until; ///< DDJ
	int version = 0;                        ///< AAMVA version number, 1 to 10
	std::string_view jurisdiction;          ///< issuer's code from the IIN ("MA", "ON", ...), static storage; empty if the IIN is unknown
};

/// Parses an AAMVA payload. Failures: NotAnId (not an AAMVA payload at all), Malformed (an AAMVA
/// header but no usable subfile), MissingBirthDate, InvalidDate (not a calendar date, or dates that
/// contradict each other), AmbiguousDate (the date order cannot be decided).
/// Never throws; never allocates; never reads outside `payload`; the Failure carries no identity data.
///
/// Dates are MMDDCCYY or CCYYMMDD (AAMVA DL/ID 2020 D.12.5.1); the digits decide which, since a
/// month (01-12) never reads as a century (19-22). All dates of a document must use the same order,
/// lie in 1900-2200 and agree with each other. Tolerated: mangled or prefixed headers, LF/CR/RS
/// swapped or missing, wrong offsets and entry counts, a missing subfile type, stripped element
/// separators (keyboard wedges), lower case, padding, stray non-ASCII bytes.
Result<Document> Parse(std::span<const std::byte> payload) noexcept;

/// Convenience overload for text held in secret memory or in tests.
inline Result<Document> Parse(std::string_view payload) noexcept
{
	return Parse(std::as_bytes(std::span<const char>(payload.data(), payload.size())));
}

} // namespace agecheck::aamva

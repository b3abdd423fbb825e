// SPDX-License-Identifier: Apache-2.0
#include "common/Reason.h"

#include <array>
#include <utility>

namespace agecheck {

namespace {
constexpr std::array kReasonTokens = {
	std::pair{Reason::Aamva, std::string_view{"aamva"}},
	std::pair{Reason::Mrz, std::string_view{"mrz"}},
	std::pair{Reason::Printed, std::string_view{"printed"}},
	std::pair{Reason::Unreadable, std::string_view{"unreadable"}},
	std::pair{Reason::UnreadableFile, std::string_view{"unreadable-file"}},
	std::pair{Reason::NotAnId, std::string_view{"not-an-id"}},
	std::pair{Reason::Malformed, std::string_view{"malformed"}},
	std::pair{Reason::MissingBirthDate, std::string_view{"no-birth-date"}},
	std::pair{Reason::MissingExpiryDate, std::string_view{"no-expiry-date"}},
	std::pair{Reason::InvalidDate, std::string_view{"invalid-date"}},
	std::pair{Reason::AmbiguousDate, std::string_view{"ambiguous-date"}},
	std::pair{Reason::FutureBirthDate, std::string_view{"future-birth-date"}},
	std::pair{Reason::ImplausibleAge, std::string_view{"implausible-age"}},
	std::pair{Reason::Expired, std::string_view{"expired"}},
	std::pair{Reason::CheckDigit, std::string_view{"check-digit"}},
	std::pair{Reason::Mismatch, std::string_view{"mismatch"}},
};
} // namespace

std::string_view ToString(Reason reason) noexcept
{
	for (const auto& [r, token] : kReasonTokens)
		if (r == reason)
			return token;
	return "unknown";
}

std::string_view ToString(Verdict verdict) noexcept
{
	switch (verdict) {
	case Verdict::Over: return "over";
	case Verdict::Under: return "under";
	case Verdict::Unverified: return "unverified";
	}
	return "unverified";
}

std::optional<Reason> ReasonFromString(std::string_view token) noexcept
{
	for (const auto& [r, t] : kReasonTokens)
		if (t == token)
			return r;
	return std::nullopt;
}

} // namespace agecheck

// SPDX-License-Identifier: Apache-2.0
#pragma once
// Dates given on command lines and read from the clock (not from IDs: those are SecretDates).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace agecheck {

/// Parses YYYY-MM-DD strictly: ten characters, digits where digits belong, a real calendar date.
std::optional<std::chrono::year_month_day> ParseIsoDate(std::string_view text) noexcept;

/// Writes `date` as YYYY-MM-DD.
std::string IsoDate(std::chrono::year_month_day date);

/// Today's date in the local time zone.
std::chrono::year_month_day LocalToday() noexcept;

} // namespace agecheck

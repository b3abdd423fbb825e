// SPDX-License-Identifier: Apache-2.0
#pragma once
// Issuer Identification Numbers (IIN) of the AAMVA jurisdictions: public facts from the AAMVA IIN
// list (AAMVA DL/ID Card Design Standard 2020, D.12.3 "Header": the IIN is the six digits that
// follow the file type "ANSI ").

#include <string_view>

namespace agecheck::aamva {

/// The two-letter code ("MA", "ON", ...) of the jurisdiction with this six-digit IIN, in static
/// storage; empty when the IIN is not in the table.
std::string_view JurisdictionOfIin(int iin) noexcept;

} // namespace agecheck::aamva

// SPDX-License-Identifier: Apache-2.0
#pragma once
// Parsing of the machine-readable zone of ICAO Doc 9303 travel documents (8th ed., 2021):
// TD1 (3x30, Part 5), TD2 (2x36, Part 6), TD3 (2x44, Part 4) and the MRV-A (2x44) and MRV-B
// (2x36) visas (Part 7). Pure: standard library only, no allocation, no I/O. The text is copied
// into one fixed scratch buffer on the stack (for OCR corrections) that is wiped before Parse
// returns; nothing of it is kept but the dates, the format, the document code and the issuing state.

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "common/Result.h"
#include "common/Secret.h"

namespace agecheck::mrz {

/// The ICAO 9303 layout of a machine-readable zone.
enum class Format : std::uint8_t {
	Td1,  ///< 3 lines of 30: identity cards (Part 5)
	Td2,  ///< 2 lines of 36: identity cards (Part 6)
	Td3,  ///< 2 lines of 44: passports (Part 4)
	MrvA, ///< 2 lines of 44 starting with 'V': visa, format A (Part 7)
	MrvB, ///< 2 lines of 36 starting with 'V': visa, format B (Part 7)
};

/// The state of one printed check digit in a parsed document. A check digit that fails makes
/// Parse fail with Reason::CheckDigit, so a parsed document never holds a failed one.
enum class Check : std::uint8_t {
	Absent,    ///< the format has no such check digit, or it is a filler over an empty field
	Passed,    ///< it passed on the text as read
	Corrected, ///< it passed after OCR confusions in its field were corrected (see Parse)
};

/// The check digits of a document (Doc 9303 Part 3, 4.9).
struct Checks {
	Check number = Check::Absent;    ///< document number (including a TD1/TD2 long number's overflow)
	Check birth = Check::Absent;     ///< date of birth
	Check expiry = Check::Absent;    ///< date of expiry
	Check personal = Check::Absent;  ///< TD3 personal number / optional data (Absent when all fillers)
	Check composite = Check::Absent; ///< composite (TD1, TD2, TD3; visas have none)
};

/// What an MRZ says that matters for an age check. Names and numbers are not kept.
struct MrzDocument {
	Format format = Format::Td3;
	std::array<char, 2> documentCode{};   ///< e.g. "P<", "PO", "ID", "I<", "V<" (fillers kept)
	std::array<char, 3> issuingState{};   ///< e.g. "UTO", "D<<" (Germany; fillers kept)
	std::optional<SecretDate> birth;      ///< absent when the MRZ marks it unknown ('<' fillers)
	std::optional<SecretDate> expiry;     ///< absent when the MRZ marks it unknown ('<' fillers)
	Checks checks;
};

/// The ICAO 9303 check digit (Part 3, 4.9: weights 7-3-1, '0'-'9' = 0-9, 'A'-'Z' = 10-35,
/// '<' = 0) of `field`, or -1 when it holds any other character.
int CheckDigit(std::string_view field) noexcept;

/// Parses the MRZ in `lines` (lines separated by '\n', "\r\n" or '\r'; blank lines, spaces and tabs
/// around a line are ignored; lower case is folded to upper case).
///
/// Failures:
///  - Unreadable: no text at all.
///  - NotAnId: a layout that exists but is not an ICAO 9303 MRZ and is not an age source: any
///    single line (French driving licence 1x30, ...), 9/30/30 (Swiss driving licence), and 2x36
///    starting "IDFRA" (French identity card, 1988-2021 layout, which has no expiry and no
///    ICAO check digits).
///  - Malformed: any other shape (more than 3 lines, wrong lengths), a character outside
///    [A-Z0-9<], a document code or issuing state that is not a letter code, letters left in a date.
///  - CheckDigit: a printed check digit (number, birth, expiry, TD3 personal number, composite)
///    disagrees with its field, after the corrections below.
///  - InvalidDate: a date whose six digits pass their check digit but are not a calendar date.
///
/// OCR corrections: in fields that hold only digits (dates and every check digit) the letters
/// O I B S Z are read as 0 1 8 5 2; in fields that hold only letters (document code, issuing state,
/// nationality) the digits 0 1 8 5 2 are read as O I B S Z. A corrected date or check digit counts
/// only when its check digit and the composite then pass (else CheckDigit). A digit is never changed
/// into another digit; alphanumeric fields (names, optional data) are never changed, but for one
/// case: in a 9-character document number whose check digit fails, one '0' read for 'O' (or 'O'
/// for '0') is corrected when the number's check digit and the composite then pass (OCR-B's O and 0
/// differ by a few pixels; the number says nothing about age, and the dates keep their own checks).
///
/// Long document numbers (TD1 and TD2, Part 5 4.2.4 note j, as on Belgian cards): when the number's
/// check digit position holds '<', the number continues in the optional data up to the next '<', and
/// the last character before that '<' is its check digit, computed over the 9 + overflow
/// characters (ICAO) or over them with the filler between (Belgian cards of 2003): either passes.
///
/// Centuries of two-digit years, relative to `today`:
///  - Birth: the most recent year ending in YY whose date is not after `today` (today 2026-11-25:
///    "261125" is 2026-11-25, "261126" is 1926-11-26). So a holder aged 100 or more reads as
///    100 years younger (a centenarian born 1925-12-01 reads as born 2025): an MRZ cannot tell them
///    apart, and the error goes towards "under", never "over".
///  - Expiry: the year ending in YY within [today's year - 50, today's year + 49].
/// Never throws; never allocates; the Failure carries no identity data.
Result<MrzDocument> Parse(std::string_view lines, std::chrono::year_month_day today) noexcept;

} // namespace agecheck::mrz

// SPDX-License-Identifier: Apache-2.0
#pragma once
// The printed date of birth (and expiry date) on the front of a driving licence, read from the OCR
// text of the whole card (many noisy lines, e.g. Tesseract's output for the card with the stock
// English model). The labels and date formats come from the jurisdiction profiles of Profiles.h;
// the caller passes the active ones (the policy's printed_profiles). Pure: standard library only,
// no allocation, no I/O. Parse works on the caller's text in place and keeps no copy of it; the
// few numbers it reads from a date are wiped before it returns. See src/printed/README.md.

#include <chrono>
#include <optional>
#include <span>
#include <string_view>

#include "common/Result.h"
#include "common/Secret.h"
#include "printed/Profiles.h"

namespace agecheck::printed {

/// What a licence front says that matters for an age check. Names and numbers are not kept.
struct PrintedDates {
	SecretDate birth;                 ///< the date of birth
	std::optional<SecretDate> expiry; ///< absent when no expiry label with a date next to it was found
};

/// Reads the date of birth and the expiry date from `ocrText` (lines separated by '\n', "\r\n",
/// '\r' or '\f') with the profiles in `active` (null entries and repeats are ignored).
///
/// Labels. A field is found by one of its labels, case-insensitively, at the start of a word (or,
/// for a label starting with a letter, right after the digits a word starts with: OCR joins "3 DOB"
/// into "3DOB") and not followed by a letter or digit ("DOB" is not found in "DOBSON"). Spaces and
/// punctuation in a label may be missing or doubled in the text ("D.0.B:", "DateofBirth"), and the
/// letters O, I, L, B, S of a label also match the digits 0, 1, 1, 8, 5 (and I, L also 'l' and
/// '|'); the digit 4 also matches 'a' or 'A', and 3 's' (Tesseract reads the small "4b." of a
/// licence as "ab.", "3 DOB" as "s 008"). Beyond these, a word label's letters may be misread or
/// missing, one in a label of 3 to 8 letters and two in a longer one, but never the first letter of
/// a word ("3 pos" for "3 DOB", "Date of Bath"): such a slip can only take a card's other dates
/// (issue, expiry) for its date of birth, which makes the holder younger, never older. A label that
/// starts with a digit is a field number ("3.", "4b."): it must stand after a blank, at the start
/// of its line or after a mark stuck to it ("|3."; not a letter, digit or date separator), and its
/// final point must be printed ('.', ',' or ':' is accepted), so that the "3" of "3 DOB" is not the
/// uk/eu field 3. A field number and one word ("3 DOB", "4b EXP": a numbered label) stands there
/// too; its field number must be read (its small '4' and '3' may be read as 'a' and 's'), its word
/// may be misread in every letter: any 2 or more letters or digits, one fewer to one more than the
/// word's letters (digits alone: as many), after a gap or joined to the number (when some of it is
/// read as printed: "3008", not "sexe"), and followed by a blank, the end of the line or one
/// punctuation mark ("3 vos", "3.008", "abexPp"). The same argument holds: a card's other dates
/// make the holder younger or expired. Labels of one field that touch or overlap ("Expiry /
/// Expiration", "Expiry Date") are one occurrence, also when the '/' between them is read as a lone
/// '7', '1', 'I' or 'l' ("Expiry 7 Expiration"); the profiles read at an occurrence are those with
/// a label matched anywhere in it.
///
/// The date next to a label: on the same line, after at most 8 characters of blanks and
/// punctuation ("DOB: 15/01/1990", "3. 15.01.90 PLACE"; the date may touch that punctuation,
/// "DOB-15/01/1990"); else, when nothing but the next label follows the label on its line and the
/// line holds no digits apart from its labels and field numbers (a mark stuck to the front of a
/// field number, a quote or a bracket, is passed over) ("DOB   Expiry", "3 DOB"), on the next line that holds a letter or digit, provided that
/// line starts with a date (a speck of one or two letters three blanks or more before it is
/// passed over) and holds as many dates as the label's line holds labels, and no other
/// number (words of letters after its first date, such as the "F" under "Sex" on a passport page,
/// are passed over): the label's rank on its line picks the date ("15/01/1990  15/01/2030").
/// Anything else is no date for that label (never the nearest date by guess).
///
/// Dates. A date must match a format of a profile read at the label exactly, as a whole word: a
/// day, a month and a year with the format's separators (blanks around '/', '-', '.' are allowed,
/// ',' and ':' are read as '.'), and be a real calendar date. Month names are the exact three-letter English
/// abbreviations JAN to DEC in any case. In date digits only, the letters O I l | S B Z are read as
/// 0 1 1 1 5 8 2; a digit is never changed into another digit.
///
/// Centuries of two-digit years (YY), relative to `today`, as src/mrz does:
///  - Birth: the most recent year ending in YY whose date is not after `today` (today 2026-11-25:
///    "25.11.26" is 2026-11-25, "26.11.26" is 1926-11-26). A holder aged 100 or more reads as 100
///    years younger, an error towards "under".
///  - Expiry: the year ending in YY within [today's year - 50, today's year + 49].
///
/// Never a guess. Each profile read at an occurrence gives at most one reading per format; when
/// the readings that are calendar dates disagree (e.g. "05/06/1990" after "DOB" with au-nz and us
/// active), the date is ambiguous. Readings that agree are fine ("15/01/1990": only au-nz reads
/// it; "05 JUN 1990"; "1990/06/05"). Every occurrence of a field must give the same date. The
/// expiry date is read only with the profiles that read the date of birth: a "15/01/1990" birth
/// date read by au-nz alone makes "03/09/2031" after "EXP" 3 September 2031.
///
/// Failures, checked in this order (the date of birth first, then the expiry date):
///  - Unreadable: `active` holds no profile. Malformed: it holds more than 32 (distinct ones).
///  - InvalidDate: `today` is not a calendar date.
///  - AmbiguousDate: a date of birth with readings that disagree, or two occurrences of the date of
///    birth with different dates (two dates of birth on one card cannot be told apart; this is a
///    reading problem, not the Mismatch of two independent sources).
///  - InvalidDate: a date-of-birth label followed by text of a date format that is not a calendar
///    date under any profile read there ("31/02/1990", "15/13/1990" with au-nz alone).
///  - Unreadable: no date-of-birth label; or labels but no date next to any of them.
///  - AmbiguousDate, InvalidDate: the same for the expiry date. An expiry label without a date next
///    to it, or none at all, leaves `expiry` empty (the policy decides).
/// A date of birth after today is returned as read: age::Decide refuses it (FutureBirthDate).
/// Lines longer than 256 bytes, or with more than 16 label occurrences, are not a card's and are
/// skipped, which keeps the work linear in the size of the text.
/// Never throws; never allocates; the Failure carries no identity data.
Result<PrintedDates> Parse(std::string_view ocrText, std::span<const Profile* const> active,
						   std::chrono::year_month_day today) noexcept;

} // namespace agecheck::printed

// SPDX-License-Identifier: Apache-2.0
#pragma once
// Seeded, deterministic synthetic printed documents: ICAO 9303 machine-readable zones (TD1, TD2,
// TD3), passport data pages, ID cards and licence fronts rendered with FreeType, and 1080p camera
// scenes of them. Test data and benchmark input for MRZ and printed-date reading. Every person,
// number and address in here is fictional.
//
// Determinism: as in Synth.h, everything random comes from the seed through the generator's own
// PRNG (xoshiro256**) and explicitly seeded cv::RNGs. The same seed gives the same bytes with the
// same OpenCV, FreeType, font files and libjpeg builds (Debian 12 pins them).
//
// Fonts: OCR-B (fonts-ocr-b) for MRZ lines, DejaVu Sans (fonts-dejavu-core) for other text. A
// missing font file throws std::runtime_error naming the file.
//
// WARNING: an MrzSpec, a FrontSpec, MRZ lines and a LicenceFront carry fictional identity data.
// Tools must not print, log or write it anywhere except the images themselves.

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <opencv2/core.hpp>

#include "synth/Synth.h"

namespace agecheck::synth {

// ---------------------------------------------------------------------------------------------
// ICAO 9303 machine-readable zone (pure functions, no fonts or images).

/// Which check digit an MRZ composition makes wrong on purpose.
enum class MrzCorrupt : std::uint8_t {
	None,      ///< all check digits correct
	Number,    ///< the document number's (in the optional field when the number overflows)
	Birth,     ///< the date of birth's
	Expiry,    ///< the date of expiry's
	Composite, ///< the composite (last) check digit
};

/// What to put into an MRZ. Text fields are upper-cased; in names, spaces and hyphens become '<'
/// and other characters are dropped; in the other fields, spaces become '<' and characters outside
/// A-Z, 0-9 and '<' are dropped (no transliteration of accented letters).
struct MrzSpec {
	std::string documentCode = "P<";   ///< 1-2 characters, '<'-padded: "P<" passport, "ID" or "I<" identity card
	std::string issuingState = "UTO";  ///< 1-3 characters, '<'-padded: "UTO", "D<<"
	std::string surname = "SPECIMEN";  ///< primary identifier (spaces allowed)
	std::string givenNames = "ALEX";   ///< secondary identifier, names separated by spaces; may be empty
	/// Document number. TD3: up to 9 characters; TD1 and TD2: longer numbers overflow into the
	/// optional data (9303 parts 5 and 6).
	std::string number = "X12345678";
	std::string nationality = "UTO";   ///< 1-3 characters, '<'-padded
	std::chrono::year_month_day birth{std::chrono::year{1990}, std::chrono::month{1}, std::chrono::day{15}}; ///< printed YYMMDD
	char sex = '<';                    ///< 'M', 'F' or '<' (anything else prints '<')
	std::chrono::year_month_day expiry{std::chrono::year{2031}, std::chrono::month{1}, std::chrono::day{14}}; ///< printed YYMMDD
	/// TD3 personal number (14), TD1 line 1 optional data (15), TD2 optional data (7); default empty.
	std::string optional;
	std::string optional2;             ///< TD1 only: line 2 optional data (11); default empty
	MrzCorrupt corrupt = MrzCorrupt::None; ///< a check digit to make wrong on purpose; default none
};

/// The ICAO 9303 check digit of `field` (weights 7, 3, 1 repeating; '0'-'9' = 0-9, 'A'-'Z' = 10-35,
/// '<' = 0), 0..9. Any other character counts as '<'.
int MrzCheckDigit(std::string_view field) noexcept;

/// A date as the MRZ writes it: YYMMDD. Throws std::invalid_argument for an invalid date.
std::string MrzDate(std::chrono::year_month_day date);

/// The name field: SURNAME<<GIVEN<NAMES, '<'-filled to `width` and cut at `width` (9303's finer
/// truncation rules are not applied).
std::string MrzName(std::string_view surname, std::string_view givenNames, std::size_t width);

/// TD3 (passport, 9303 part 4): 2 lines of 44. Throws std::invalid_argument when a field does not
/// fit (e.g. a number longer than 9) or a date is invalid; the message names the field only.
std::array<std::string, 2> MakeTd3(const MrzSpec& spec);

/// TD1 (ID card, 9303 part 5): 3 lines of 30. A number longer than 9 puts its first 9 characters
/// in positions 6-14 and '<' in 15; positions 16-30 then hold the rest of the number, the check
/// digit over the whole number, '<' and the optional data. Throws std::invalid_argument as MakeTd3
/// does (here: more than 23 characters of number, or no room left for the optional data).
std::array<std::string, 3> MakeTd1(const MrzSpec& spec);

/// TD2 (9303 part 6): 2 lines of 36, with the same number overflow as TD1 (into the 7-character
/// optional data). Throws std::invalid_argument as MakeTd3 does.
std::array<std::string, 2> MakeTd2(const MrzSpec& spec);

// ---------------------------------------------------------------------------------------------
// Text rendering (FreeType). Faces are loaded once and cached; calls are serialised by a mutex.

/// OCR-B (fixed pitch), for MRZ lines.
inline constexpr std::string_view kOcrBFont = "/usr/share/fonts/opentype/ocr-b/OCRB.otf";
/// DejaVu Sans, for other printed text.
inline constexpr std::string_view kSansFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
/// DejaVu Sans Bold, for titles and values.
inline constexpr std::string_view kSansBoldFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

/// How to draw a string.
struct TextStyle {
	std::string font{kSansFont};   ///< font file; default DejaVu Sans
	double pixelHeight = 32;       ///< em size in pixels; default 32
	cv::Scalar colour{20, 20, 20}; ///< BGR ink; default near-black
	/// Fixed advance per character in px, each glyph centred in its cell; default 0: the font's advances.
	double pitch = 0;
};

/// Where a string went.
struct TextBox {
	cv::Rect box;     ///< layout box: from the origin over the total advance, from ascender to descender
	cv::Rect ink;     ///< union of the glyph bitmaps (empty for blank text)
	int baseline = 0; ///< baseline y
};

/// The box `utf8` would take when drawn at `origin` (left end of the baseline). Throws
/// std::runtime_error if the font file is missing or unreadable.
TextBox MeasureText(std::string_view utf8, cv::Point origin, const TextStyle& style);

/// Draws UTF-8 text into a CV_8UC3 image with its left baseline end at `origin`, anti-aliased,
/// clipped to the image; returns its box. No kerning or shaping. Throws as MeasureText does, and
/// std::invalid_argument for an image that is not CV_8UC3.
TextBox DrawText(cv::Mat& bgr, std::string_view utf8, cv::Point origin, const TextStyle& style);

/// The font's horizontal advance of each character of `utf8`, in px, as DrawText uses them with
/// pitch 0. Throws as MeasureText does.
std::vector<double> GlyphAdvances(std::string_view utf8, const std::string& fontFile, double pixelHeight);

// ---------------------------------------------------------------------------------------------
// Flat documents (about 300 dpi, 11.8 px/mm, BGR). Corners outside the document are pure white.

/// A TD3 passport data page, 125 x 88 mm (1476 x 1039): a photo box with a drawn face, labelled
/// values (type, code, number, surname, given names, nationality, date of birth as "15 JAN 1990",
/// sex, place of birth, dates of issue and expiry, authority) and the MakeTd3 lines in OCR-B at
/// 2.54 mm pitch in a 23 mm zone at the bottom. `seed` picks the design and the unlisted values.
/// Throws as MakeTd3 does.
cv::Mat RenderPassportPage(const MrzSpec& spec, std::uint64_t seed);

/// Which ID card RenderIdCard draws.
enum class IdCardFormat : std::uint8_t {
	Td1, ///< CR80 card back (1012 x 638): a few printed fields and the 3 MakeTd1 lines
	Td2, ///< 105 x 74 mm card front (1240 x 874): photo, fields and the 2 MakeTd2 lines
};

/// An ID card with its MRZ in OCR-B at 2.54 mm pitch; `format` defaults to a TD1 back. Throws as
/// MakeTd1 / MakeTd2 do.
cv::Mat RenderIdCard(const MrzSpec& spec, std::uint64_t seed, IdCardFormat format = IdCardFormat::Td1);

/// A flat document printed with given MRZ lines, and where they lie on it.
struct MrzFlat {
	cv::Mat image; ///< BGR, as RenderPassportPage or RenderIdCard
	/// Each line's left and right ink ends on its centreline, top line first.
	std::vector<std::array<cv::Point2f, 2>> ends;
	float capHeight = 0; ///< the characters' height, px
};

/// For training the MRZ line model: a passport page (2 lines of 44), a TD2 card (2 of 36) or a
/// TD1 card back (3 of 30) printed with `lines` (any text of A-Z, 0-9 and '<', check digits or
/// not) in place of its own MRZ. `seed` picks the design. Throws std::invalid_argument for any
/// other number or length of lines or another character.
MrzFlat RenderMrzTrainingFlat(std::span<const std::string> lines, std::uint64_t seed);

/// The printed-date conventions of a licence front.
enum class FrontProfile : std::uint8_t {
	AuNz,   ///< "Date of Birth" or "DOB" (seed picks), "15/01/1990" or "15 JAN 1990" (seed picks); expiry likewise
	Us,     ///< AAMVA card design: "3 DOB 01/15/1990", "4b EXP 01/15/2030"
	Canada, ///< "Birth Date 1990/01/15", "Expiry 2030/01/15"
	Uk,     ///< photocard: "3." then "15.01.90" and the place of birth; "4b." then "15.01.2030"
	Eu,     ///< EU model: "3." then "15.01.1990" and the place of birth; "4b." then "15.01.2030"
};

/// What to print on a licence front. All names and numbers are fictional.
struct FrontSpec {
	FrontProfile profile = FrontProfile::AuNz; ///< default AU/NZ
	std::string surname = "SPECIMEN";          ///< printed upper-case
	std::string givenNames = "ALEX";           ///< printed upper-case
	std::chrono::year_month_day birth{std::chrono::year{1990}, std::chrono::month{1}, std::chrono::day{15}}; ///< date of birth
	std::chrono::year_month_day expiry{std::chrono::year{2030}, std::chrono::month{1}, std::chrono::day{15}}; ///< licence expiry
	std::string number;  ///< licence number; default empty = drawn from the seed
	std::string address; ///< one street line; default empty = drawn from the seed
};

/// A rendered licence front and what it shows. WARNING: fictional identity data, never print it.
struct LicenceFront {
	cv::Mat image;          ///< BGR, 1012 x 638 (CR80), rounded corners white
	std::string dobLabel;   ///< the label printed with the date of birth, e.g. "DOB", "3."
	std::string dobText;    ///< exactly the date-of-birth string printed
	std::string expiryText; ///< exactly the expiry string printed
	cv::Rect dobBox;        ///< ink box of dobText on the image
};

/// A licence front for `spec`: title band, photo box, name, address, licence number, date of
/// birth with its label, expiry; `seed` picks the design and the unspecified values. Throws
/// std::invalid_argument for an invalid date.
LicenceFront RenderLicenceFront(const FrontSpec& spec, std::uint64_t seed);

// ---------------------------------------------------------------------------------------------
// Scenes.

/// A flat document in a camera frame.
struct DocumentScene {
	cv::Mat image; ///< BGR 1920 x 1080, after lighting, blur, noise and JPEG
	/// The flat's corners in the frame: top-left, top-right, bottom-right, bottom-left.
	std::array<cv::Point2f, 4> corners{};
};

/// Places `flat` (any CV_8UC3 document, e.g. from the renders above) on a desk in a 1920 x 1080
/// frame, as MakeLicenceSample does for licence backs: background and clutter, perspective pose,
/// contact shadow, glare, sometimes a thumb on an upper corner, uneven light, blur, noise and a
/// JPEG round trip, with the ranges of `level` (see Synth.cpp's table). The document is always
/// wholly in frame. Pure-white pixels connected to the flat's corners are treated as outside the
/// document. Throws std::invalid_argument for an empty or non-CV_8UC3 flat.
DocumentScene MakeDocumentScene(const cv::Mat& flat, std::uint64_t seed, Level level);

// ---------------------------------------------------------------------------------------------
// Benchmark and test samples: a document in a scene, with the verdict it must produce.

/// Which document a sample shows.
enum class DocumentKind : std::uint8_t {
	Passport, ///< TD3 data page
	IdTd1,    ///< TD1 identity card back
	IdTd2,    ///< TD2 identity card
	Front,    ///< licence front with a printed date of birth
};

/// The token for a kind: "passport", "id-td1", "id-td2" or "front".
std::string_view ToString(DocumentKind kind) noexcept;
/// The kind whose token is `token`, if any.
std::optional<DocumentKind> DocumentKindFromString(std::string_view token) noexcept;

/// One synthetic camera frame of a passport, ID card or licence front, with its ground truth.
struct DocumentSample {
	cv::Mat image;                          ///< BGR 1920x1080 scene (MakeDocumentScene)
	DocumentKind kind = DocumentKind::Passport;
	Level level = Level::Easy;
	Case kase = Case::ClearlyOver;
	int threshold = 18;
	std::chrono::year_month_day today{};
	FrontProfile profile = FrontProfile::AuNz; ///< fronts only
	MrzCorrupt corrupt = MrzCorrupt::None;  ///< MRZ kinds: a check digit made wrong on purpose
	/// By construction, as MakeLicenceCase decides it; unverified with reason check-digit for a
	/// corrupted MRZ, expired for an expired document.
	Verdict expected = Verdict::Unverified;
	Reason expectedReason = Reason::Mrz;    ///< Mrz or Printed when verified, else CheckDigit or Expired
	std::array<cv::Point2f, 4> corners{};   ///< the document's corners in the scene
};

/// A scene of `kind` for `seed` at `level`, its verdict computed for `threshold` on `today`. Dates
/// of birth sit around the threshold as in MakeLicenceCase, but every holder is under 99 (an MRZ's
/// two-digit year cannot tell 100-year-olds apart; see src/mrz). About 8% of MRZ samples carry a
/// wrong birth or composite check digit. Fronts use a profile drawn from the seed.
DocumentSample MakeDocumentSample(std::uint64_t seed, DocumentKind kind, Level level,
                                  std::chrono::year_month_day today, int threshold = 18);

} // namespace agecheck::synth

// SPDX-License-Identifier: Apache-2.0
#pragma once
// Seeded, deterministic synthetic driver-licence backs and 1080p camera scenes: test data and
// benchmark input for the PDF417 pipeline. Every person, number and address in here is fictional.
//
// Determinism: everything random comes from the seed through our own PRNG (xoshiro256**) and
// explicitly seeded cv::RNGs, never from std:: distributions or cv::theRNG(). The same seed gives
// the same bytes with the same OpenCV, zxing-cpp and libjpeg builds (Debian 12 pins them).
//
// WARNING: a Sample carries fictional identity data (the payload, the dates in `spec`). Tools must
// not print, log or write it anywhere: manifests hold verdicts, reason codes and geometry only.

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <opencv2/core.hpp>

#include "common/Reason.h"

namespace agecheck::synth {

/// How hard a scene is: geometry, blur, noise, lighting and JPEG quality (see Synth.cpp's table).
enum class Level : std::uint8_t { Easy, Medium, Hard };

/// The order of a date's digits in an AAMVA payload (version 1 always uses CCYYMMDD).
enum class DateOrder : std::uint8_t {
	US,     ///< MMDDCCYY
	Canada, ///< CCYYMMDD
};

/// A real AAMVA issuer identification number with its jurisdiction and the date order it uses.
struct Issuer {
	std::string_view iin;  ///< six digits, e.g. "636002"
	std::string_view code; ///< jurisdiction code, e.g. "MA"
	bool canada;           ///< country CAN (else USA)
	DateOrder order;       ///< the date order the issuer writes (New Brunswick writes US order)
};

/// The issuers the generator draws from (a subset of AAMVA's IIN table).
std::span<const Issuer> Issuers() noexcept;
/// The issuer with this IIN, or nullptr.
const Issuer* FindIssuer(std::string_view iin) noexcept;

/// What to put into an AAMVA payload. All names and numbers are fictional.
struct PayloadSpec {
	int version = 10;                 ///< AAMVA version 1..10 (clamped)
	std::string iin = "636002";       ///< issuer; jurisdiction and country follow from Issuers()
	DateOrder order = DateOrder::US;  ///< ignored for version 1 (CCYYMMDD)
	std::chrono::year_month_day birth{std::chrono::year{1990}, std::chrono::month{6}, std::chrono::day{15}}; ///< DBB
	std::chrono::year_month_day issue{std::chrono::year{2022}, std::chrono::month{3}, std::chrono::day{1}};  ///< DBD
	std::chrono::year_month_day expiry{std::chrono::year{2030}, std::chrono::month{6}, std::chrono::day{15}}; ///< DBA
	bool withUnderAgeDates = true;    ///< DDH/DDI/DDJ (under 18/19/21 until), versions >= 4 only
	bool withJurisdictionSubfile = true; ///< a second, jurisdiction-specific "Z?" subfile
	std::string familyName = "SPECIMEN"; ///< DCS (DAA "FAMILY,GIVEN" in version 1)
	std::string givenName = "ALEX";      ///< DAC (DCT in versions 2 and 3)
	std::string number;                  ///< DAQ, the licence number; empty (the default): drawn from the seed
	std::uint64_t seed = 0;           ///< drives everything else: licence number, address, element order, ...
};

/// An AAMVA DL/ID payload for `spec`: "@\n\x1e\r", file type ("ANSI " or, in some version-1
/// payloads, "AAMVA"), IIN, version, jurisdiction version (versions >= 2), number of entries,
/// subfile designators with correct offsets and lengths, a "DL" subfile and an optional "Z?"
/// subfile. Elements end in LF, subfiles in CR. Pure ASCII.
std::string MakeAamvaPayload(const PayloadSpec& spec);

/// A consistent random spec: an issuer that writes `order` (version 1: any issuer), birth between
/// 16 and 80 years before `today` (never 29 February), issue between birth + 16 y and today,
/// expiry after today, fictional names.
PayloadSpec RandomPayloadSpec(std::uint64_t seed, int version, DateOrder order, std::chrono::year_month_day today);

/// Where the date of birth sits relative to the threshold (or that the document is expired).
enum class Case : std::uint8_t {
	BirthdayToday, ///< reaches the threshold today: over
	OneDayShort,   ///< reaches it tomorrow: under
	OneDayOver,    ///< reached it yesterday: over
	ClearlyOver,   ///< a month to decades over
	ClearlyUnder,  ///< a month to several years under
	Expired,       ///< expiry before today: unverified, reason expired
};

/// The token for a case, e.g. "birthday-today".
std::string_view ToString(Case kase) noexcept;
/// The token for a level: "easy", "medium" or "hard".
std::string_view ToString(Level level) noexcept;
/// The level whose token is `token`, if any.
std::optional<Level> LevelFromString(std::string_view token) noexcept;

/// A document and the verdict it must produce, decided by construction from the dates (whole
/// years, reaching N on the birthday; no 29 February birth, so the leap-day rule never matters;
/// valid through the expiry date). Independent of the project's age code on purpose.
struct LicenceCase {
	PayloadSpec spec;                    ///< WARNING: fictional identity data, never print it
	Case kase = Case::ClearlyOver;       ///< the case after any 29 February shift
	Verdict expected = Verdict::Unverified; ///< over / under / unverified (expired)
	Reason expectedReason = Reason::Aamva;  ///< Aamva, or Expired
};

/// Draws a case: ~19% each birthday-today, one-day-short, one-day-over; ~19% each clearly over
/// and clearly under; ~5% expired. `threshold` must be in 1..125.
LicenceCase MakeLicenceCase(std::uint64_t seed, std::chrono::year_month_day today, int threshold = 18);

/// One synthetic camera frame of a licence back, with its ground truth.
struct Sample {
	cv::Mat image;                  ///< BGR scene, 1920x1080, after blur, noise and JPEG
	Level level = Level::Easy;
	Case kase = Case::ClearlyOver;
	int threshold = 18;
	std::chrono::year_month_day today{};
	Verdict expected = Verdict::Unverified; ///< by construction (see LicenceCase)
	Reason expectedReason = Reason::Aamva;  ///< Reason::Aamva, or Reason::Expired
	std::array<cv::Point2f, 4> barcodeCorners{}; ///< PDF417 symbol (no quiet zone) in the scene: its top-left, top-right, bottom-right, bottom-left
	float moduleWidth = 0;          ///< narrowest module width of the symbol in the scene, px
	int columns = 0;                ///< PDF417 data columns
	int rows = 0;                   ///< PDF417 rows
	int eccLevel = 0;               ///< PDF417 error-correction level
	std::string payload;            ///< WARNING: fictional identity data, never print it
	PayloadSpec spec;               ///< WARNING: fictional identity data, never print it
};

/// A licence-back scene for `seed` at `level`, verdict computed for `threshold` on `today`.
Sample MakeLicenceSample(std::uint64_t seed, Level level, std::chrono::year_month_day today, int threshold = 18);

/// A 1920x1080 BGR scene without any barcode: desk, clutter, a hand, usually a card front (text
/// and photo box, no dates) warped and degraded as for `level`. Expected: unverified, unreadable.
cv::Mat MakeEmptyScene(std::uint64_t seed, Level level);

/// A 1920x1080 BGR scene holding a PDF417 whose content is not an AAMVA payload (a shipping
/// label or a loyalty card), as decodable as a licence at `level`. Expected: unverified, not-an-id.
cv::Mat MakeNonIdBarcodeScene(std::uint64_t seed, Level level);

/// The flat licence back (1012x638 BGR, CR80 at ~300 dpi) with `payload` as PDF417; the card's
/// rounded corners are left white. `seed` picks the stock, fine print and ECC level (3..5). The
/// design is re-drawn (up to 8 times) until zxing-cpp's ReadBarcode reads `payload` back from it,
/// so the flat card is a clean reference. A sample's card is RenderLicenceBack(sample.payload, seed).
/// Throws std::invalid_argument from zxing-cpp when `payload` does not fit one PDF417 symbol.
cv::Mat RenderLicenceBack(const std::string& payload, std::uint64_t seed);

/// A per-index seed derived from a base seed (splitmix64), for generating numbered sets.
std::uint64_t DeriveSeed(std::uint64_t base, std::uint64_t index) noexcept;

} // namespace agecheck::synth

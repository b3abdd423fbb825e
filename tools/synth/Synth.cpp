// SPDX-License-Identifier: Apache-2.0
// Synthetic licence backs and camera scenes. See Synth.h. Every name, number and address is fictional.
//
// Levels (all frames 1920x1080, JPEG round trip at the end):
//   easy:   card 40-60% of the frame width, fully in frame; in-plane rotation <= 5 deg, tilt <= 10 deg;
//           blur sigma 0.3-0.7 px, noise sigma 1.5-3.5, JPEG 80-95, mild lighting gradient.
//   medium: narrowest PDF417 module >= 3 px; rotation +-30 deg, tilt <= 25 deg; glare spot (60%);
//           Gaussian blur sigma 0.5-1.2 px or motion blur 2-4 px (25%); noise 3-6; JPEG 60-85.
//   hard:   narrowest module >= 2.5 px; any rotation, tilt <= 40 deg; glare (50%); blur sigma 1-2 px
//           or motion 3-7 px; noise 5-9; dynamic range compressed to 35-45%; strong uneven light;
//           JPEG 50-75.
// Blur is capped at sigma <= 0.5 x the narrowest module width (motion length <= 1.7 x), so that the
// finest bars keep ~30% modulation: hard, but decodable in principle. The symbol and its quiet zone
// always lie inside the frame; hands and glare never cover it whole (glare over the symbol is
// limited in size and strength; hands never touch it).

#include "synth/Synth.h"

#include "synth/Random.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <numbers>
#include <stdexcept>
#include <utility>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#define ZX_USE_UTF8 // zxing-cpp 1.4: the std::string text() API (we only use bytes())
#include <ZXing/BarcodeFormat.h>
#include <ZXing/BitMatrix.h>
#include <ZXing/CharacterSet.h>
#include <ZXing/DecodeHints.h>
#include <ZXing/ImageView.h>
#include <ZXing/MultiFormatWriter.h>
#include <ZXing/ReadBarcode.h>

namespace agecheck::synth {
namespace {

using std::chrono::year_month_day;
using Ymd = std::chrono::year_month_day;

// ---------------------------------------------------------------------------------------------
// Random numbers: splitmix64 seeding + xoshiro256**, our own uniform/normal (portable, unlike
// std:: distributions).

using detail::AddDays;
using detail::AddYears;
using detail::Mix;
using detail::Rng;
using detail::SplitMix64;
using detail::PickFrom;
using detail::Digits;
using detail::Letters;
using detail::Alnum;

// ---------------------------------------------------------------------------------------------
// Dates.


int DaysBetween(Ymd from, Ymd to)
{
	return static_cast<int>((std::chrono::sys_days{to} - std::chrono::sys_days{from}).count());
}


bool IsLeapDay(Ymd d)
{
	return d.month() == std::chrono::February && d.day() == std::chrono::day{29};
}

/// The latest birth date that is `threshold` whole years old on `today` (a 29 February today in a
/// common birth year gives 28 February).
Ymd EdgeBirth(Ymd today, int threshold)
{
	return AddYears(today, -threshold);
}

std::string FormatDate(Ymd d, DateOrder order)
{
	char buf[16];
	const int y = static_cast<int>(d.year());
	const unsigned m = static_cast<unsigned>(d.month());
	const unsigned dd = static_cast<unsigned>(d.day());
	if (order == DateOrder::US)
		std::snprintf(buf, sizeof buf, "%02u%02u%04d", m, dd, y);
	else
		std::snprintf(buf, sizeof buf, "%04d%02u%02u", y, m, dd);
	return buf;
}

std::string Num(int value, int width)
{
	char buf[32];
	std::snprintf(buf, sizeof buf, "%0*d", width, value);
	return buf;
}




/// Upper-case printable ASCII only (the payload must stay ASCII).
std::string Clean(std::string_view in)
{
	std::string out;
	for (char c : in) {
		if (c >= 'a' && c <= 'z')
			c = static_cast<char>(c - 'a' + 'A');
		if (c >= 0x20 && c < 0x7f)
			out += c;
	}
	return out;
}

// ---------------------------------------------------------------------------------------------
// Issuers and fictional people.

constexpr Issuer kIssuers[] = {
	{"636014", "CA", false, DateOrder::US},     {"636015", "TX", false, DateOrder::US},
	{"636001", "NY", false, DateOrder::US},     {"636002", "MA", false, DateOrder::US},
	{"636010", "FL", false, DateOrder::US},     {"636025", "PA", false, DateOrder::US},
	{"636035", "IL", false, DateOrder::US},     {"636020", "CO", false, DateOrder::US},
	{"636045", "WA", false, DateOrder::US},     {"636000", "VA", false, DateOrder::US},
	{"636023", "OH", false, DateOrder::US},     {"636040", "UT", false, DateOrder::US},
	{"636012", "ON", true, DateOrder::Canada},  {"636028", "BC", true, DateOrder::Canada},
	{"636013", "NS", true, DateOrder::Canada},  {"636048", "MB", true, DateOrder::Canada},
	{"604432", "AB", true, DateOrder::Canada},  {"604428", "QC", true, DateOrder::Canada},
	{"636017", "NB", true, DateOrder::US}, // New Brunswick writes MMDDCCYY
};

constexpr std::string_view kFamilyNames[] = {"SPECIMEN", "SAMPLE", "EXAMPLE", "TESTER", "MOTORIST", "PUBLIC",
											 "CITIZEN", "DOE", "ROE", "MODELSON", "PROTOTYPE", "DEMOLA"};
constexpr std::string_view kGivenNames[] = {"ALEX", "SAM", "JORDAN", "TAYLOR", "CASEY", "MORGAN",
											"RILEY", "JAMIE", "ROBIN", "DREW", "PAT", "KIM"};
constexpr std::string_view kStreets[] = {"FICTION ST", "SAMPLE AVE", "EXAMPLE RD", "SPECIMEN BLVD",
										 "TEST LN", "NOWHERE WAY", "PLACEHOLDER CT"};
constexpr std::string_view kCities[] = {"ANYTOWN", "SAMPLEVILLE", "EXAMPLE CITY", "TESTBURG", "NOWHERE",
										"FAKEFIELD"};


std::string LicenceNumber(Rng& rng, std::string_view code)
{
	if (code == "ON")
		return Letters(rng, 1) + Digits(rng, 4) + "-" + Digits(rng, 5) + "-" + Digits(rng, 5);
	if (code == "NY")
		return Digits(rng, 9);
	if (code == "CA")
		return Letters(rng, 1) + Digits(rng, 7);
	if (code == "BC" || code == "AB")
		return Digits(rng, 7);
	return Letters(rng, 1) + Digits(rng, rng.uniformInt(7, 12));
}

struct Element {
	std::string id;
	std::string value;
};

/// Consistent issue and expiry dates for `birth`: issue between birth + 16 y (or earlier for the
/// very young) and min(today, expiry - 1 day), expiry after today unless `expired`.
void FillDocumentDates(Rng& rng, PayloadSpec& spec, Ymd today, bool expired)
{
	const int age = DaysBetween(spec.birth, today);
	if (expired)
		spec.expiry = AddDays(today, -rng.uniformInt(1, std::clamp(age / 3, 1, 3 * 365)));
	else
		spec.expiry = AddDays(today, rng.uniformInt(1, 6 * 365));
	Ymd hi = std::min(today, AddDays(spec.expiry, -1));
	if (hi < spec.birth)
		hi = spec.birth;
	Ymd lo = std::max(AddYears(spec.birth, 16), AddYears(spec.expiry, -9));
	if (lo > hi)
		lo = hi;
	spec.issue = AddDays(lo, rng.uniformInt(0, DaysBetween(lo, hi)));
}

void FillPerson(Rng& rng, PayloadSpec& spec)
{
	spec.familyName = std::string(PickFrom(rng, kFamilyNames));
	spec.givenName = std::string(PickFrom(rng, kGivenNames));
	spec.withUnderAgeDates = rng.chance(0.7);
	spec.withJurisdictionSubfile = rng.chance(0.6);
	spec.seed = rng.next();
}

// ---------------------------------------------------------------------------------------------
// PDF417.

/// A PDF417 symbol as a module grid: rows x (17 * columns + 69), 0 = bar, 255 = space.
struct Symbol {
	cv::Mat modules;
	int columns = 0;
	int rows = 0;
};

/// Encodes bytes (Latin-1, no ECI) with zxing-cpp's PDF417 writer at error-correction level `ecc`.
Symbol EncodePdf417(const std::string& bytes, int ecc)
{
	// One wchar_t per byte + ISO8859_1: every byte 0..255, control characters included, maps to
	// itself and no ECI is emitted (AAMVA symbols carry none).
	std::wstring text;
	text.reserve(bytes.size());
	for (char c : bytes)
		text += static_cast<wchar_t>(static_cast<unsigned char>(c));
	ZXing::MultiFormatWriter writer(ZXing::BarcodeFormat::PDF417);
	writer.setEncoding(ZXing::CharacterSet::ISO8859_1).setEccLevel(ecc).setMargin(0);
	// Asking for a 1 px high image keeps the writer's native scale: 1 px per module, 4 px per row.
	const ZXing::BitMatrix bits = writer.encode(text, 8192, 1);
	const int w = bits.width();
	const int h = bits.height();
	if (w < 69 + 17 || (w - 69) % 17 != 0 || h < 4 || h % 4 != 0)
		throw std::runtime_error("unexpected PDF417 writer output");
	Symbol s;
	s.columns = (w - 69) / 17;
	s.rows = h / 4;
	s.modules = cv::Mat(s.rows, w, CV_8U);
	for (int r = 0; r < s.rows; ++r) {
		auto* row = s.modules.ptr<std::uint8_t>(r);
		for (int x = 0; x < w; ++x)
			row[x] = bits.get(x, 4 * r + 1) ? 0 : 255;
	}
	return s;
}

/// A Code 128 symbol as one row of modules (0 = bar).
cv::Mat EncodeCode128(const std::string& text)
{
	ZXing::MultiFormatWriter writer(ZXing::BarcodeFormat::Code128);
	writer.setMargin(0);
	const ZXing::BitMatrix bits = writer.encode(text, 1, 1);
	cv::Mat row(1, bits.width(), CV_8U);
	for (int x = 0; x < bits.width(); ++x)
		row.at<std::uint8_t>(0, x) = bits.get(x, 0) ? 0 : 255;
	return row;
}

/// Paints a module grid (0 = ink) into `img` at `rect` (integer px), anti-aliased by area
/// sampling, blending `ink` over what is there.
void PaintModules(cv::Mat& img, const cv::Mat& modules, cv::Rect rect, cv::Vec3b ink)
{
	rect &= cv::Rect(0, 0, img.cols, img.rows);
	if (rect.empty())
		return;
	const int k = 8;
	cv::Mat big;
	cv::resize(modules, big, {modules.cols * k, modules.rows * k}, 0, 0, cv::INTER_NEAREST);
	cv::Mat cover;
	cv::resize(big, cover, rect.size(), 0, 0, cv::INTER_AREA);
	for (int y = 0; y < rect.height; ++y) {
		auto* dst = img.ptr<cv::Vec3b>(rect.y + y) + rect.x;
		const auto* c = cover.ptr<std::uint8_t>(y);
		for (int x = 0; x < rect.width; ++x) {
			const int a = c[x]; // 255 = paper, 0 = ink
			for (int ch = 0; ch < 3; ++ch)
				dst[x][ch] = static_cast<std::uint8_t>((dst[x][ch] * a + ink[ch] * (255 - a) + 127) / 255);
		}
	}
}

// ---------------------------------------------------------------------------------------------
// Flat cards.

constexpr int kCardW = 1012; // CR80, 85.6 mm at ~300 dpi
constexpr int kCardH = 638;  // 54 mm
constexpr int kFrameW = 1920;
constexpr int kFrameH = 1080;

/// A flat card or label, with its mask and the barcode's place on it.
struct Flat {
	cv::Mat bgr;  ///< CV_8UC3 kCardW x kCardH
	cv::Mat mask; ///< CV_8U, 255 on the card
	bool hasCode = false;
	std::array<cv::Point2f, 4> code{}; ///< symbol corners TL, TR, BR, BL
	cv::Rect2f keepOut;                ///< symbol + quiet zone: hands stay off it
	float module = 0;                  ///< module width on the flat card, px
	int columns = 0;
	int rows = 0;
	int ecc = 0;
};

cv::Mat RoundedMask(int w, int h, int radius)
{
	cv::Mat m(h, w, CV_8U, cv::Scalar(0));
	cv::rectangle(m, cv::Rect(radius, 0, w - 2 * radius, h), cv::Scalar(255), cv::FILLED);
	cv::rectangle(m, cv::Rect(0, radius, w, h - 2 * radius), cv::Scalar(255), cv::FILLED);
	for (const cv::Point c : {cv::Point(radius, radius), cv::Point(w - 1 - radius, radius),
							  cv::Point(radius, h - 1 - radius), cv::Point(w - 1 - radius, h - 1 - radius)})
		cv::circle(m, c, radius, cv::Scalar(255), cv::FILLED, cv::LINE_AA);
	return m;
}

cv::Scalar Tint(Rng& rng, double lo, double hi)
{
	return cv::Scalar(rng.uniform(lo, hi), rng.uniform(lo, hi), rng.uniform(lo, hi));
}

/// Card stock: a two-tone gradient, guilloche waves and a rosette, all low contrast.
cv::Mat CardStock(Rng& rng, double lo, double hi)
{
	cv::Mat small(2, 2, CV_8UC3);
	for (int i = 0; i < 4; ++i) {
		const cv::Scalar t = Tint(rng, lo, hi);
		small.at<cv::Vec3b>(i / 2, i % 2) = cv::Vec3b(cv::saturate_cast<std::uint8_t>(t[0]),
													  cv::saturate_cast<std::uint8_t>(t[1]),
													  cv::saturate_cast<std::uint8_t>(t[2]));
	}
	cv::Mat img;
	cv::resize(small, img, {kCardW, kCardH}, 0, 0, cv::INTER_LINEAR);

	// Guilloche: families of interleaved sine waves.
	const int families = rng.uniformInt(1, 3);
	for (int f = 0; f < families; ++f) {
		const cv::Scalar colour = Tint(rng, lo - 35, lo - 8);
		const double period = rng.uniform(80, 260);
		const double period2 = rng.uniform(300, 900);
		const double amp = rng.uniform(6, 30);
		const double amp2 = rng.uniform(5, 25);
		const int lines = rng.uniformInt(10, 26);
		const double spacing = kCardH / static_cast<double>(lines);
		const double phaseStep = rng.uniform(0.15, 0.6);
		for (int l = 0; l < lines; ++l) {
			std::vector<cv::Point> pts;
			for (int x = -8; x <= kCardW + 8; x += 6) {
				const double y = l * spacing + amp * std::sin(2 * std::numbers::pi * x / period + l * phaseStep) +
								 amp2 * std::sin(2 * std::numbers::pi * x / period2 + f);
				pts.emplace_back(x * 4, cvRound(y * 4));
			}
			cv::polylines(img, pts, false, colour, 1, cv::LINE_AA, 2);
		}
	}
	// Rosette: rotated ellipses around a centre.
	const cv::Point centre(rng.uniformInt(150, kCardW - 150), rng.uniformInt(120, kCardH - 120));
	const cv::Scalar rosette = Tint(rng, lo - 35, lo - 8);
	const int petals = rng.uniformInt(12, 30);
	const cv::Size axes(rng.uniformInt(60, 130), rng.uniformInt(15, 50));
	for (int p = 0; p < petals; ++p)
		cv::ellipse(img, centre, axes, 180.0 * p / petals, 0, 360, rosette, 1, cv::LINE_AA);
	return img;
}

const char* const kFinePrint[] = {
	"THIS CARD IS THE PROPERTY OF THE ISSUING AUTHORITY AND MUST BE SURRENDERED UPON DEMAND.",
	"ALTERING OR MISUSING THIS CARD IS AN OFFENCE. SPECIMEN - NOT A VALID DOCUMENT.",
	"IF FOUND, PLEASE RETURN TO ANY LICENSING OFFICE OR DROP IN A MAILBOX.",
	"CLASS D: ANY MOTOR VEHICLE EXCEPT THOSE REQUIRING A COMMERCIAL OR MOTORCYCLE CLASS.",
	"RESTRICTIONS: NONE          ENDORSEMENTS: NONE",
	"CHANGE OF ADDRESS MUST BE REPORTED WITHIN 10 DAYS.",
	"ORGAN AND TISSUE DONOR REGISTRY INFORMATION IS AVAILABLE ONLINE.",
	"THIS DOCUMENT IS FICTIONAL TEST MATERIAL PRODUCED BY A GENERATOR.",
	"B: CORRECTIVE LENSES   C: MECHANICAL AID   D: PROSTHETIC AID   E: AUTOMATIC TRANSMISSION",
};

void FinePrint(cv::Mat& img, Rng& rng, int yTop, int yBottom, int xLeft, int xRight)
{
	const double scale = rng.uniform(0.40, 0.50);
	const cv::Scalar colour = Tint(rng, 40, 90);
	const int step = static_cast<int>(scale * 40) + rng.uniformInt(2, 6);
	int y = yTop + step;
	std::size_t line = static_cast<std::size_t>(rng.uniformInt(0, static_cast<int>(std::size(kFinePrint)) - 1));
	while (y < yBottom) {
		std::string text = kFinePrint[line % std::size(kFinePrint)];
		int baseline = 0;
		while (!text.empty() && cv::getTextSize(text, cv::FONT_HERSHEY_SIMPLEX, scale, 1, &baseline).width > xRight - xLeft)
			text.pop_back();
		cv::putText(img, text, {xLeft, y}, cv::FONT_HERSHEY_SIMPLEX, scale, colour, 1, cv::LINE_AA);
		y += step;
		++line;
	}
}

/// Places a PDF417 for `content` in the lower part of `flat`, spanning 84-90% of its width.
void PlacePdf417(Flat& flat, const std::string& content, Rng& rng, cv::Vec3b ink)
{
	const int ecc = rng.uniformInt(3, 5);
	const Symbol sym = EncodePdf417(content, ecc);
	const int moduleCount = sym.modules.cols;
	const int w = std::min(kCardW - 40, static_cast<int>(kCardW * rng.uniform(0.84, 0.90)));
	const float module = static_cast<float>(w) / static_cast<float>(moduleCount);
	const double rowRatio = rng.uniform(3.0, 4.0);
	int h = cvRound(static_cast<double>(sym.rows) * module * rowRatio);
	h = std::min(h, 360);
	h = std::max(h, cvRound(static_cast<double>(sym.rows) * module * 2.0));
	const int x0 = (kCardW - w) / 2 + rng.uniformInt(-8, 8);
	const int y0 = kCardH - rng.uniformInt(32, 50) - h;
	// A lighter panel behind the symbol, quiet zone included.
	const int qz = static_cast<int>(std::ceil(3 * module));
	const cv::Rect panel(x0 - qz, y0 - qz, w + 2 * qz, h + 2 * qz);
	cv::Mat roi = flat.bgr(panel & cv::Rect(0, 0, kCardW, kCardH));
	roi.convertTo(roi, -1, 0.35, 255 * 0.65);
	PaintModules(flat.bgr, sym.modules, {x0, y0, w, h}, ink);

	flat.hasCode = true;
	flat.code = {cv::Point2f(static_cast<float>(x0), static_cast<float>(y0)),
				 cv::Point2f(static_cast<float>(x0 + w), static_cast<float>(y0)),
				 cv::Point2f(static_cast<float>(x0 + w), static_cast<float>(y0 + h)),
				 cv::Point2f(static_cast<float>(x0), static_cast<float>(y0 + h))};
	flat.keepOut = cv::Rect2f(static_cast<float>(panel.x), static_cast<float>(panel.y),
							  static_cast<float>(panel.width), static_cast<float>(panel.height));
	flat.module = module;
	flat.columns = sym.columns;
	flat.rows = sym.rows;
	flat.ecc = ecc;
}

cv::Vec3b InkColour(Rng& rng)
{
	return cv::Vec3b(static_cast<std::uint8_t>(rng.uniformInt(15, 55)), static_cast<std::uint8_t>(rng.uniformInt(15, 45)),
					 static_cast<std::uint8_t>(rng.uniformInt(10, 40)));
}

/// One design of a licence back: stock, optional magnetic stripe or 1D barcode, fine print, PDF417.
Flat RenderBackDesign(const std::string& payload, Rng& rng)
{
	Flat flat;
	flat.bgr = CardStock(rng, 215, 250);
	flat.mask = RoundedMask(kCardW, kCardH, 38);
	const cv::Vec3b ink = InkColour(rng);
	PlacePdf417(flat, payload, rng, ink);
	const int codeTop = static_cast<int>(flat.keepOut.y);

	int top = 30;
	if (rng.chance(0.3)) { // magnetic stripe, ISO 7811 position (5.5 mm to 15.8 mm)
		const cv::Scalar stripe = Tint(rng, 20, 55);
		const int y0 = 65;
		const int y1 = std::min(187, codeTop - 40);
		if (y1 > y0 + 40) {
			cv::rectangle(flat.bgr, cv::Rect(0, y0, kCardW, y1 - y0), stripe, cv::FILLED);
			top = y1 + 8;
		}
	}
	else if (rng.chance(0.45)) { // a 1D barcode with an inventory-like number
		const cv::Mat bars = EncodeCode128(Digits(rng, rng.uniformInt(10, 14)));
		const int moduleW = 2;
		const int bw = bars.cols * moduleW;
		const int bh = rng.uniformInt(45, 70);
		const int bx = kCardW - 50 - bw;
		const int by = 40;
		if (by + bh + 20 < codeTop && bx > 300) {
			cv::Mat bars2d;
			cv::repeat(bars, 2, 1, bars2d);
			PaintModules(flat.bgr, bars2d, {bx, by, bw, bh}, ink);
			FinePrint(flat.bgr, rng, 30, by + bh, 45, bx - 30);
			top = by + bh + 10;
		}
	}
	FinePrint(flat.bgr, rng, top, codeTop - 8, 45, kCardW - 45);
	flat.bgr.setTo(cv::Scalar(255, 255, 255), ~flat.mask);
	return flat;
}

/// The front of a card: header band, photo box, labelled lines. No barcode and no dates.
Flat RenderFront(Rng& rng)
{
	Flat flat;
	flat.bgr = CardStock(rng, 200, 245);
	flat.mask = RoundedMask(kCardW, kCardH, 38);
	const cv::Scalar band = Tint(rng, 40, 170);
	cv::rectangle(flat.bgr, cv::Rect(0, 0, kCardW, 110), band, cv::FILLED);
	cv::putText(flat.bgr, rng.chance(0.5) ? "DRIVER LICENSE" : "IDENTIFICATION CARD", {40, 75},
				cv::FONT_HERSHEY_DUPLEX, 1.6, cv::Scalar(250, 250, 250), 2, cv::LINE_AA);
	cv::putText(flat.bgr, "SPECIMEN", {kCardW - 250, 60}, cv::FONT_HERSHEY_SIMPLEX, 0.9, cv::Scalar(235, 235, 235), 2,
				cv::LINE_AA);
	// Photo box with a silhouette.
	const cv::Rect photo(40, 140, 250, 320);
	cv::rectangle(flat.bgr, photo, Tint(rng, 150, 200), cv::FILLED);
	const cv::Scalar person = Tint(rng, 70, 120);
	cv::circle(flat.bgr, {photo.x + photo.width / 2, photo.y + 120}, 62, person, cv::FILLED, cv::LINE_AA);
	cv::ellipse(flat.bgr, cv::Point(photo.x + photo.width / 2, photo.y + photo.height + 10), cv::Size(110, 120), 0, 180,
				360, person, cv::FILLED, cv::LINE_AA);
	cv::rectangle(flat.bgr, photo, cv::Scalar(90, 90, 90), 1, cv::LINE_AA);
	// Labelled lines: placeholders only.
	const cv::Scalar label = Tint(rng, 60, 120);
	const cv::Scalar value = Tint(rng, 10, 40);
	const std::string lines[] = {
		"4d DLN  " + Letters(rng, 1) + Digits(rng, 7),
		"1  " + std::string(PickFrom(rng, kFamilyNames)),
		"2  " + std::string(PickFrom(rng, kGivenNames)),
		"8  " + std::to_string(rng.uniformInt(10, 9999)) + " " + std::string(PickFrom(rng, kStreets)),
		"   " + std::string(PickFrom(rng, kCities)),
		"9  CLASS D    12 REST NONE",
		"15 SEX " + std::string(rng.chance(0.5) ? "F" : "M") + "   18 EYES BRO   16 HGT 5-09",
	};
	int y = 175;
	for (const std::string& line : lines) {
		cv::putText(flat.bgr, line.substr(0, 3), {330, y}, cv::FONT_HERSHEY_SIMPLEX, 0.5, label, 1, cv::LINE_AA);
		cv::putText(flat.bgr, line.substr(3), {370, y}, cv::FONT_HERSHEY_SIMPLEX, 0.85, value, 2, cv::LINE_AA);
		y += 52;
	}
	// Signature.
	std::vector<cv::Point> sig;
	double sx = 330;
	for (int i = 0; i < 40; ++i) {
		sx += rng.uniform(4, 12);
		sig.emplace_back(cvRound(sx), 580 + cvRound(18 * std::sin(i * 0.9 + rng.uniform(0, 0.6))));
	}
	cv::polylines(flat.bgr, sig, false, value, 2, cv::LINE_AA);
	flat.bgr.setTo(cv::Scalar(255, 255, 255), ~flat.mask);
	return flat;
}

/// The text of a non-ID PDF417: a shipping label's or a loyalty card's.
std::string NonIdContent(Rng& rng, bool label)
{
	if (label)
		return "SHIPMENT\nCARRIER EXAMPLE FREIGHT\nTRACKING " + Alnum(rng, 18) + "\nORDER " + Digits(rng, 4) + "-" +
			   Digits(rng, 3) + "\nSHIP TO WAREHOUSE " + Digits(rng, 2) + " DOCK " + Letters(rng, 1) + "\nWEIGHT " +
			   std::to_string(rng.uniformInt(1, 40)) + "." + Digits(rng, 1) + " KG\nPIECES " +
			   std::to_string(rng.uniformInt(1, 9)) + " OF 9\nSERVICE GROUND\nREF " + Alnum(rng, 24) +
			   "\nHANDLE WITH CARE\n";
	return "MEMBER " + Digits(rng, 10) + "\nPROGRAM EXAMPLE REWARDS\nTIER " +
		   std::string(rng.pick({"SILVER", "GOLD", "BASIC"})) + "\nSTORE " + Digits(rng, 4) + "\nPOINTS " +
		   Digits(rng, 5) + "\nCODE " + Alnum(rng, 32) + "\nTERMS APPLY SEE EXAMPLE.COM\n";
}

/// One design of a non-ID item holding `content` as PDF417: a shipping label or a loyalty card.
Flat RenderNonIdDesign(const std::string& content, bool label, Rng& rng)
{
	Flat flat;
	if (label) {
		flat.bgr = cv::Mat(kCardH, kCardW, CV_8UC3, Tint(rng, 235, 252));
		flat.mask = RoundedMask(kCardW, kCardH, 6);
		const cv::Scalar ink = Tint(rng, 10, 40);
		cv::rectangle(flat.bgr, cv::Rect(20, 20, kCardW - 40, kCardH - 40), ink, 2);
		cv::line(flat.bgr, {20, 130}, {kCardW - 20, 130}, ink, 2);
		cv::putText(flat.bgr, "EXAMPLE FREIGHT", {40, 80}, cv::FONT_HERSHEY_DUPLEX, 1.4, ink, 2, cv::LINE_AA);
		cv::putText(flat.bgr, "SHIP TO: WAREHOUSE " + Digits(rng, 2), {40, 118}, cv::FONT_HERSHEY_SIMPLEX, 0.7, ink, 1,
					cv::LINE_AA);
	}
	else {
		flat.bgr = CardStock(rng, 180, 240);
		flat.mask = RoundedMask(kCardW, kCardH, 38);
		cv::putText(flat.bgr, "EXAMPLE REWARDS", {45, 80}, cv::FONT_HERSHEY_TRIPLEX, 1.3, Tint(rng, 30, 90), 2,
					cv::LINE_AA);
	}
	PlacePdf417(flat, content, rng, InkColour(rng));
	FinePrint(flat.bgr, rng, 140, static_cast<int>(flat.keepOut.y) - 8, 45, kCardW - 45);
	flat.bgr.setTo(cv::Scalar(255, 255, 255), ~flat.mask);
	return flat;
}

/// True when zxing-cpp reads exactly `bytes` from the upright flat card.
bool DecodesTo(const cv::Mat& bgr, const std::string& bytes)
{
	const ZXing::ImageView view(bgr.data, bgr.cols, bgr.rows, ZXing::ImageFormat::BGR, static_cast<int>(bgr.step));
	const auto hints =
		ZXing::DecodeHints().setFormats(ZXing::BarcodeFormat::PDF417).setTryRotate(false).setTryDownscale(false);
	const ZXing::Result r = ZXing::ReadBarcode(view, hints);
	return r.isValid() && r.bytes().size() == bytes.size() && std::equal(bytes.begin(), bytes.end(), r.bytes().begin(),
		[](char a, std::uint8_t b) { return static_cast<std::uint8_t>(a) == b; });
}

/// Renders designs from `seed` until zxing-cpp 1.4's ReadBarcode reads `bytes` back from the flat
/// card (at most 8 designs; the last one is returned regardless). Why: its PDF417 detector stops
/// at the first image row with a start-pattern-like run that does not continue for 10 rows, and
/// small fine print sometimes has one above the symbol (~4% of designs). The re-render keeps the
/// flat card a clean reference: whatever fails on a scene fails because of the scene.
template <typename Render>
Flat VerifiedDesign(std::uint64_t seed, const std::string& bytes, Render render)
{
	Flat flat;
	for (std::uint64_t attempt = 0; attempt < 8; ++attempt) {
		Rng rng(Mix(seed, 0xBAC4 + attempt));
		flat = render(rng);
		if (DecodesTo(flat.bgr, bytes))
			break;
	}
	return flat;
}

Flat RenderBack(const std::string& payload, std::uint64_t seed)
{
	return VerifiedDesign(seed, payload, [&](Rng& rng) { return RenderBackDesign(payload, rng); });
}

// ---------------------------------------------------------------------------------------------
// Geometry: a pinhole camera (f = 1500 px, ~65 deg horizontal field) looking at the card plane.

cv::Point2f Apply(const cv::Matx33d& h, cv::Point2f p)
{
	const cv::Vec3d q = h * cv::Vec3d(p.x, p.y, 1.0);
	return {static_cast<float>(q[0] / q[2]), static_cast<float>(q[1] / q[2])};
}

/// Card -> frame homography for a card of pixel scale `s` at the optical axis, rotated in plane by
/// `theta` and tilted by `alpha` (about x) and `beta` (about y), degrees.
cv::Matx33d CardHomography(double s, double theta, double alpha, double beta)
{
	const double f = 1500;
	const double t = theta * std::numbers::pi / 180;
	const double a = alpha * std::numbers::pi / 180;
	const double b = beta * std::numbers::pi / 180;
	const cv::Matx33d rz(std::cos(t), -std::sin(t), 0, std::sin(t), std::cos(t), 0, 0, 0, 1);
	const cv::Matx33d rx(1, 0, 0, 0, std::cos(a), -std::sin(a), 0, std::sin(a), std::cos(a));
	const cv::Matx33d ry(std::cos(b), 0, std::sin(b), 0, 1, 0, -std::sin(b), 0, std::cos(b));
	const cv::Matx33d r = rx * ry * rz;
	std::array<cv::Point2f, 4> src{cv::Point2f(0, 0), cv::Point2f(kCardW, 0), cv::Point2f(kCardW, kCardH),
								   cv::Point2f(0, kCardH)};
	std::array<cv::Point2f, 4> dst;
	for (int i = 0; i < 4; ++i) {
		const cv::Vec3d p((src[i].x - kCardW / 2.0) * s, (src[i].y - kCardH / 2.0) * s, 0);
		const cv::Vec3d q = r * p + cv::Vec3d(0, 0, f);
		dst[i] = cv::Point2f(static_cast<float>(f * q[0] / q[2] + kFrameW / 2.0),
							 static_cast<float>(f * q[1] / q[2] + kFrameH / 2.0));
	}
	return cv::Matx33d(cv::getPerspectiveTransform(src.data(), dst.data()));
}

/// The narrowest module width of the symbol in the frame, sampled at its corners and edge midpoints.
float MinModule(const cv::Matx33d& h, const Flat& flat)
{
	float best = 1e9f;
	const cv::Point2f step(flat.module, 0);
	for (int i = 0; i < 4; ++i) {
		const cv::Point2f a = flat.code[i];
		const cv::Point2f b = flat.code[(i + 1) % 4];
		for (const cv::Point2f p : {a, (a + b) * 0.5f}) {
			const float len = static_cast<float>(cv::norm(Apply(h, p + step) - Apply(h, p)));
			best = std::min(best, len);
		}
	}
	return best;
}

struct Pose {
	cv::Matx33d h;
	float module = 0; ///< narrowest module in the frame (0 without a symbol)
};

/// Samples a pose for `level`. With a symbol, medium and hard keep its narrowest module at least
/// `minModule` px; the symbol and its quiet zone always stay inside the frame. Easy keeps the whole
/// card inside the frame.
Pose SamplePose(Rng& rng, Level level, const Flat& flat, float minModule)
{
	std::vector<cv::Point2f> cardCorners{cv::Point2f(0, 0), cv::Point2f(kCardW, 0), cv::Point2f(kCardW, kCardH),
										 cv::Point2f(0, kCardH)};
	for (int attempt = 0; attempt < 80; ++attempt) {
		double s = 1;
		double theta = 0;
		double tilt = 0;
		if (level == Level::Easy) {
			s = rng.uniform(0.40, 0.60) * kFrameW / kCardW;
			theta = rng.uniform(-5, 5);
			tilt = rng.uniform(0, 10);
		}
		else {
			theta = level == Level::Medium ? rng.uniform(-30, 30) : rng.uniform(0, 360);
			tilt = level == Level::Medium ? rng.uniform(0, 25) : rng.uniform(0, 40);
			if (flat.hasCode)
				s = minModule * rng.uniform(1.0, level == Level::Medium ? 1.35 : 1.5) / flat.module;
			else
				s = rng.uniform(0.8, 1.35);
		}
		const double phi = rng.uniform(0, 2 * std::numbers::pi);
		const double alpha = tilt * std::cos(phi);
		const double beta = tilt * std::sin(phi);
		cv::Matx33d h = CardHomography(s, theta, alpha, beta);
		if (level != Level::Easy && flat.hasCode) {
			const float m = MinModule(h, flat);
			if (m < minModule) {
				s *= 1.01 * minModule / m;
				h = CardHomography(s, theta, alpha, beta);
				if (MinModule(h, flat) < minModule)
					continue;
			}
		}
		// What must stay in the frame.
		std::vector<cv::Point2f> keep;
		float margin = 12;
		if (level == Level::Easy || !flat.hasCode) {
			if (level == Level::Easy)
				keep = cardCorners;
			else
				keep = {cv::Point2f(kCardW * 0.3f, kCardH * 0.3f), cv::Point2f(kCardW * 0.7f, kCardH * 0.7f)};
		}
		else {
			const cv::Rect2f k = flat.keepOut;
			keep = {k.tl(), cv::Point2f(k.x + k.width, k.y), k.br(), cv::Point2f(k.x, k.y + k.height),
					cv::Point2f(kCardW / 2.0f, kCardH / 2.0f)};
			margin = 6;
		}
		float x0 = 1e9f, y0 = 1e9f, x1 = -1e9f, y1 = -1e9f;
		for (const cv::Point2f p : keep) {
			const cv::Point2f q = Apply(h, p);
			x0 = std::min(x0, q.x);
			y0 = std::min(y0, q.y);
			x1 = std::max(x1, q.x);
			y1 = std::max(y1, q.y);
		}
		const double dxLo = margin - x0, dxHi = kFrameW - margin - x1;
		const double dyLo = margin - y0, dyHi = kFrameH - margin - y1;
		if (dxLo > dxHi || dyLo > dyHi)
			continue;
		const double dx = rng.uniform(dxLo, dxHi);
		const double dy = rng.uniform(dyLo, dyHi);
		const cv::Matx33d shift(1, 0, dx, 0, 1, dy, 0, 0, 1);
		Pose pose{shift * h, 0};
		if (flat.hasCode)
			pose.module = MinModule(pose.h, flat);
		return pose;
	}
	// Fallback: flat, upright, centred, just large enough.
	double s = level == Level::Easy ? 0.5 * kFrameW / kCardW : 1.0;
	if (level != Level::Easy && flat.hasCode)
		s = 1.02 * minModule / flat.module;
	Pose pose{CardHomography(s, 0, 0, 0), 0};
	if (flat.hasCode)
		pose.module = MinModule(pose.h, flat);
	return pose;
}

// ---------------------------------------------------------------------------------------------
// Scene.

const char* const kWords[] = {"RECEIPT", "TOTAL", "THANK", "YOU", "COFFEE", "CASH", "CHANGE", "ITEM", "QTY",
							   "STORE", "MENU", "SPECIAL", "TODAY", "OPEN", "DAILY", "FRESH", "PRICE", "SAVE",
							   "VISIT", "AGAIN", "12.99", "4.50", "SUBTOTAL", "TAX", "NO.", "#42", "LOTTERY",
							   "SNACKS", "DRINKS", "PLEASE", "WAIT", "HERE"};

std::string Words(Rng& rng, int n)
{
	std::string s;
	for (int i = 0; i < n; ++i) {
		if (i)
			s += ' ';
		s += kWords[static_cast<std::size_t>(rng.uniformInt(0, static_cast<int>(std::size(kWords)) - 1))];
	}
	return s;
}

/// A desk or counter: wood grain, laminate or cloth, as low-frequency noise over a base colour.
cv::Mat Background(Rng& rng)
{
	const int kind = rng.uniformInt(0, 2);
	cv::Scalar base;
	double grainAmp = 0.08;
	double blotchAmp = 0.05;
	cv::Size grainSize(12, 220);
	if (kind == 0) { // wood: a brown, grain along one axis
		const double v = rng.uniform(0.6, 1.15);
		base = cv::Scalar(rng.uniform(55, 85) * v, rng.uniform(95, 125) * v, rng.uniform(135, 170) * v);
		grainAmp = rng.uniform(0.05, 0.11);
		grainSize = rng.chance(0.5) ? cv::Size(90, 16) : cv::Size(16, 90);
	}
	else if (kind == 1) { // laminate
		const double g = rng.uniform(120, 210);
		base = cv::Scalar(g + rng.uniform(-15, 15), g + rng.uniform(-15, 15), g + rng.uniform(-15, 15));
		grainAmp = rng.uniform(0.02, 0.05);
		grainSize = cv::Size(120, 68);
	}
	else { // cloth or mat
		base = cv::Scalar(rng.uniform(30, 110), rng.uniform(30, 110), rng.uniform(30, 110));
		grainAmp = rng.uniform(0.03, 0.08);
		grainSize = cv::Size(240, 135);
		blotchAmp = 0.08;
	}
	// Texture at half resolution (the camera adds per-pixel noise later), then upsampled.
	const cv::Size half(kFrameW / 2, kFrameH / 2);
	cv::RNG cr = rng.cvRng();
	cv::Mat grain(grainSize, CV_32F);
	cr.fill(grain, cv::RNG::NORMAL, 0.0, 1.0);
	cv::Mat blotch(9, 16, CV_32F);
	cr.fill(blotch, cv::RNG::NORMAL, 0.0, 1.0);
	cv::Mat fine(half.height / 2, half.width / 2, CV_32F);
	cr.fill(fine, cv::RNG::NORMAL, 0.0, 1.0);
	cv::Mat g1, g2, g3;
	cv::resize(grain, g1, half, 0, 0, cv::INTER_CUBIC);
	cv::resize(blotch, g2, half, 0, 0, cv::INTER_CUBIC);
	cv::resize(fine, g3, half, 0, 0, cv::INTER_LINEAR);
	cv::Mat n;
	cv::addWeighted(g1, grainAmp, g2, blotchAmp, 0, n);
	cv::scaleAdd(g3, 0.025, n, n);
	std::vector<cv::Mat> ch(3);
	for (int c = 0; c < 3; ++c)
		n.convertTo(ch[c], CV_8U, base[c], base[c]);
	cv::Mat small, out;
	cv::merge(ch, small);
	cv::resize(small, out, {kFrameW, kFrameH}, 0, 0, cv::INTER_LINEAR);
	return out;
}

/// Pastes `src` (with `mask`) rotated by `angle` degrees about its centre at `centre` in `dst`.
void PasteRotated(cv::Mat& dst, const cv::Mat& src, const cv::Mat& mask, cv::Point2f centre, double angle)
{
	const double diag = std::hypot(src.cols, src.rows);
	const cv::Rect roi = cv::Rect(cvRound(centre.x - diag / 2), cvRound(centre.y - diag / 2), cvRound(diag), cvRound(diag)) &
						 cv::Rect(0, 0, dst.cols, dst.rows);
	if (roi.empty())
		return;
	cv::Mat m = cv::getRotationMatrix2D(cv::Point2f(static_cast<float>(src.cols) / 2, static_cast<float>(src.rows) / 2), angle, 1.0);
	m.at<double>(0, 2) += centre.x - src.cols / 2.0 - roi.x;
	m.at<double>(1, 2) += centre.y - src.rows / 2.0 - roi.y;
	cv::Mat warped, wmask;
	cv::warpAffine(src, warped, m, roi.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT);
	cv::warpAffine(mask, wmask, m, roi.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT);
	cv::Mat target = dst(roi);
	for (int y = 0; y < roi.height; ++y) {
		auto* d = target.ptr<cv::Vec3b>(y);
		const auto* s = warped.ptr<cv::Vec3b>(y);
		const auto* a = wmask.ptr<std::uint8_t>(y);
		for (int x = 0; x < roi.width; ++x)
			if (a[x])
				for (int c = 0; c < 3; ++c)
					d[x][c] = static_cast<std::uint8_t>((d[x][c] * (255 - a[x]) + s[x][c] * a[x] + 127) / 255);
	}
}

/// Receipts, notes, coins, pens and a phone strewn over the desk.
void Clutter(cv::Mat& scene, Rng& rng)
{
	const int n = rng.uniformInt(3, 8);
	for (int i = 0; i < n; ++i) {
		const cv::Point2f at(static_cast<float>(rng.uniform(0, kFrameW)), static_cast<float>(rng.uniform(0, kFrameH)));
		switch (rng.uniformInt(0, 4)) {
		case 0: { // receipt or note with text
			const int w = rng.uniformInt(180, 420);
			const int h = rng.uniformInt(160, 560);
			cv::Mat note(h, w, CV_8UC3, Tint(rng, 200, 250));
			const cv::Scalar ink = Tint(rng, 20, 90);
			const double scale = rng.uniform(0.45, 0.8);
			for (int y = 30; y < h - 10; y += static_cast<int>(scale * 45))
				cv::putText(note, Words(rng, rng.uniformInt(1, 4)), {12, y}, cv::FONT_HERSHEY_SIMPLEX, scale, ink, 1,
							cv::LINE_AA);
			PasteRotated(scene, note, cv::Mat(h, w, CV_8U, cv::Scalar(255)), at, rng.uniform(-60, 60));
			break;
		}
		case 1: { // coin
			const int r = rng.uniformInt(25, 48);
			const cv::Scalar metal = rng.chance(0.5) ? cv::Scalar(150, 160, 170) : cv::Scalar(60, 150, 190);
			cv::circle(scene, at, r, metal * 0.7, cv::FILLED, cv::LINE_AA);
			cv::circle(scene, at, r - 4, metal, cv::FILLED, cv::LINE_AA);
			cv::circle(scene, at + cv::Point2f(-static_cast<float>(r) / 3, -static_cast<float>(r) / 3), r / 4, metal * 1.25, cv::FILLED, cv::LINE_AA);
			break;
		}
		case 2: { // pen
			const double a = rng.uniform(0, std::numbers::pi);
			const double len = rng.uniform(220, 480);
			const cv::Point2f d(static_cast<float>(std::cos(a) * len / 2), static_cast<float>(std::sin(a) * len / 2));
			const int thick = rng.uniformInt(10, 16);
			cv::line(scene, at - d, at + d, Tint(rng, 20, 220), thick, cv::LINE_AA);
			cv::line(scene, at + d, at + d * 1.06f, cv::Scalar(40, 40, 40), thick / 2, cv::LINE_AA);
			break;
		}
		case 3: { // phone
			const int w = rng.uniformInt(150, 200);
			const int h = w * 2;
			cv::Mat phone(h, w, CV_8UC3, Tint(rng, 15, 45));
			cv::rectangle(phone, cv::Rect(8, 20, w - 16, h - 40), Tint(rng, 25, 70), cv::FILLED);
			PasteRotated(scene, phone, RoundedMask(w, h, 18), at, rng.uniform(0, 180));
			break;
		}
		default: { // printed sign text straight on the counter
			cv::putText(scene, Words(rng, rng.uniformInt(1, 3)), at, cv::FONT_HERSHEY_DUPLEX, rng.uniform(1.0, 2.2),
						Tint(rng, 10, 240), rng.uniformInt(2, 4), cv::LINE_AA);
			break;
		}
		}
	}
}

/// A soft specular highlight on the flat card. Over the symbol it stays small and weak enough
/// that the bars keep contrast.
void ApplyGlare(Flat& flat, Rng& rng, Level level)
{
	cv::Point2f c(static_cast<float>(rng.uniform(60, kCardW - 60)), static_cast<float>(rng.uniform(60, kCardH - 60)));
	double a = rng.uniform(70, 220);
	double b = rng.uniform(40, 120);
	double peak = rng.uniform(90, level == Level::Hard ? 200 : 170);
	if (flat.hasCode && flat.keepOut.contains(c)) {
		a = std::min(a, 0.22 * flat.keepOut.width);
		b = std::min(b, 0.5 * flat.keepOut.height);
		peak = std::min(peak, 110.0);
	}
	const double ang = rng.uniform(0, std::numbers::pi);
	const double ca = std::cos(ang), sa = std::sin(ang);
	const int r = static_cast<int>(std::ceil(std::max(a, b) * 1.6));
	const cv::Rect box = cv::Rect(cvRound(c.x) - r, cvRound(c.y) - r, 2 * r, 2 * r) & cv::Rect(0, 0, kCardW, kCardH);
	for (int y = box.y; y < box.y + box.height; ++y) {
		auto* row = flat.bgr.ptr<cv::Vec3b>(y);
		for (int x = box.x; x < box.x + box.width; ++x) {
			const double dx = x - static_cast<double>(c.x), dy = y - static_cast<double>(c.y);
			const double u = (dx * ca + dy * sa) / a, v = (-dx * sa + dy * ca) / b;
			const double g = peak * std::exp(-1.5 * (u * u + v * v));
			if (g < 0.5)
				continue;
			for (int ch = 0; ch < 3; ++ch)
				row[x][ch] = cv::saturate_cast<std::uint8_t>(row[x][ch] + g);
		}
	}
}

/// Warps the flat card into the scene with a soft contact shadow.
void Composite(cv::Mat& scene, const Flat& flat, const cv::Matx33d& h, Rng& rng)
{
	std::vector<cv::Point2f> corners;
	for (const cv::Point2f p : {cv::Point2f(0, 0), cv::Point2f(kCardW, 0), cv::Point2f(kCardW, kCardH), cv::Point2f(0, kCardH)})
		corners.push_back(Apply(h, p));
	const int pad = 40;
	const cv::Rect roi = (cv::boundingRect(corners) + cv::Size(2 * pad, 2 * pad) - cv::Point(pad, pad)) &
						 cv::Rect(0, 0, kFrameW, kFrameH);
	if (roi.empty())
		return;
	const cv::Matx33d toRoi(1, 0, -roi.x, 0, 1, -roi.y, 0, 0, 1);
	const cv::Matx33d hr = toRoi * h;
	cv::Mat warped, alpha;
	cv::warpPerspective(flat.bgr, warped, hr, roi.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT);
	cv::warpPerspective(flat.mask, alpha, hr, roi.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT);

	// Shadow: the mask, blurred at 1/8 scale and shifted a little.
	cv::Mat small, shadow;
	cv::resize(alpha, small, {std::max(1, roi.width / 8), std::max(1, roi.height / 8)}, 0, 0, cv::INTER_AREA);
	cv::GaussianBlur(small, small, {0, 0}, 1.8);
	cv::resize(small, shadow, roi.size(), 0, 0, cv::INTER_LINEAR);
	const int ox = rng.uniformInt(-8, 12), oy = rng.uniformInt(4, 16);
	const int strength = rng.uniformInt(64, 128); // darkening at full shadow, /256
	cv::Mat target = scene(roi);
	for (int y = 0; y < roi.height; ++y) {
		auto* d = target.ptr<cv::Vec3b>(y);
		const auto* s = warped.ptr<cv::Vec3b>(y);
		const auto* a = alpha.ptr<std::uint8_t>(y);
		const int sy = std::clamp(y - oy, 0, roi.height - 1);
		const auto* sh = shadow.ptr<std::uint8_t>(sy);
		for (int x = 0; x < roi.width; ++x) {
			const int dark = 256 * 255 - strength * sh[std::clamp(x - ox, 0, roi.width - 1)]; // /(256*255)
			const int w = a[x];
			for (int c = 0; c < 3; ++c) {
				const int bg = d[x][c] * dark / (256 * 255);
				d[x][c] = static_cast<std::uint8_t>((bg * (255 - w) + s[x][c] * w + 127) / 255);
			}
		}
	}
}

void FillPolygon(cv::Mat& scene, const std::vector<cv::Point2d>& flatPts, const cv::Matx33d& h, const cv::Scalar& colour)
{
	std::vector<cv::Point> pts;
	pts.reserve(flatPts.size());
	for (const cv::Point2d& p : flatPts) {
		const cv::Point2f q = Apply(h, cv::Point2f(static_cast<float>(p.x), static_cast<float>(p.y)));
		pts.emplace_back(cvRound(q.x * 8), cvRound(q.y * 8));
	}
	cv::fillPoly(scene, std::vector<std::vector<cv::Point>>{pts}, colour, cv::LINE_AA, 3);
}

std::vector<cv::Point2d> EllipsePts(cv::Point2d c, cv::Size2d axes, int angle)
{
	std::vector<cv::Point2d> pts;
	cv::ellipse2Poly(c, axes, angle, 0, 360, 8, pts);
	return pts;
}

bool Touches(const std::vector<cv::Point2d>& pts, const cv::Rect2f& r)
{
	for (const cv::Point2d& p : pts)
		if (r.contains(cv::Point2f(static_cast<float>(p.x), static_cast<float>(p.y))))
			return true;
	return false;
}

/// A hand holding the card by one short edge: palm beside the card, thumb over its upper part,
/// never over the symbol. Drawn in the card's plane so that it follows the perspective.
void Hand(cv::Mat& scene, const Flat& flat, const cv::Matx33d& h, Rng& rng)
{
	const cv::Scalar skin = rng.pick({cv::Scalar(150, 175, 225), cv::Scalar(115, 150, 205), cv::Scalar(85, 115, 165),
									  cv::Scalar(60, 85, 125), cv::Scalar(175, 195, 235)});
	const bool left = rng.chance(0.5);
	const double edge = left ? 0 : kCardW;
	const double out = left ? -1 : 1; // outward direction along x
	double y = rng.uniform(0.12, 0.45) * kCardH;
	const cv::Rect2f keep = flat.hasCode ? flat.keepOut : cv::Rect2f();

	cv::Point2d palmCentre(edge + out * rng.uniform(175, 210), y + rng.uniform(30, 90));
	const int palmAngle = rng.uniformInt(-25, 25);
	for (int i = 0; i < 20 && Touches(EllipsePts(palmCentre, {170, 125}, palmAngle), keep); ++i)
		palmCentre.x += out * 15;
	// Palm: a darker rim and a lighter middle stand in for shading.
	FillPolygon(scene, EllipsePts(palmCentre, {170, 125}, palmAngle), h, skin * 0.7);
	FillPolygon(scene, EllipsePts(palmCentre + cv::Point2d(out * 10, -12), {140, 98}, palmAngle), h, skin * 0.85);
	FillPolygon(scene, EllipsePts(palmCentre + cv::Point2d(out * 18, -22), {95, 62}, palmAngle), h, skin * 0.95);

	const int thumbAngle = rng.uniformInt(-20, 20);
	auto thumb = EllipsePts({edge - out * 25, y}, {78, 32}, thumbAngle);
	for (int i = 0; i < 20 && Touches(thumb, keep); ++i) {
		y -= 15;
		thumb = EllipsePts({edge - out * 25, y}, {78, 32}, thumbAngle);
	}
	if (Touches(thumb, keep) || y < 25)
		return;
	auto shade = EllipsePts({edge - out * 25 + 3, y + 4}, {80, 34}, thumbAngle);
	if (!Touches(shade, keep))
		FillPolygon(scene, shade, h, skin * 0.55);
	FillPolygon(scene, thumb, h, skin);
	FillPolygon(scene, EllipsePts({edge - out * 70, y - 2}, {22, 17}, thumbAngle), h, skin * 1.12);
}

struct Photometric {
	double sigma = 0.5;     ///< Gaussian blur, px
	int motion = 0;         ///< motion blur length, px (0 = none)
	double motionAngle = 0; ///< degrees
	double noise = 2;       ///< Gaussian noise sigma, grey levels
	int jpeg = 90;          ///< JPEG quality
	double contrast = 1;    ///< dynamic range factor
	double offset = 0;      ///< added after the range compression
	double gainAmp = 0.05;  ///< uneven lighting: gain in [1 - amp, 1 + amp]
	double exposure = 1;    ///< global gain
	bool glare = false;
};

Photometric SamplePhotometric(Rng& rng, Level level)
{
	Photometric p;
	switch (level) {
	case Level::Easy:
		p.sigma = rng.uniform(0.3, 0.7);
		p.noise = rng.uniform(1.5, 3.5);
		p.jpeg = rng.uniformInt(80, 95);
		p.contrast = rng.uniform(0.9, 1.0);
		p.offset = rng.uniform(0, 12);
		p.gainAmp = rng.uniform(0.03, 0.10);
		p.exposure = rng.uniform(0.95, 1.05);
		break;
	case Level::Medium:
		p.sigma = rng.uniform(0.5, 1.2);
		if (rng.chance(0.25))
			p.motion = rng.uniformInt(2, 4);
		p.noise = rng.uniform(3, 6);
		p.jpeg = rng.uniformInt(60, 85);
		p.contrast = rng.uniform(0.75, 0.95);
		p.offset = rng.uniform(5, 30);
		p.gainAmp = rng.uniform(0.10, 0.25);
		p.exposure = rng.uniform(0.85, 1.1);
		p.glare = rng.chance(0.6);
		break;
	case Level::Hard:
		p.sigma = rng.uniform(1.0, 2.0);
		if (rng.chance(0.25))
			p.motion = rng.uniformInt(3, 7);
		p.noise = rng.uniform(5, 9);
		p.jpeg = rng.uniformInt(50, 75);
		p.contrast = rng.uniform(0.35, 0.45);
		p.offset = rng.uniform(25, 90);
		p.gainAmp = rng.uniform(0.30, 0.50);
		p.exposure = rng.uniform(0.8, 1.15);
		p.glare = rng.chance(0.5);
		break;
	}
	p.motionAngle = rng.uniform(0, 180);
	return p;
}

/// Caps the blur so that the finest bars keep some modulation (sigma <= 0.5 module).
void CapBlur(Photometric& p, float module)
{
	if (module <= 0)
		return;
	p.sigma = std::min(p.sigma, 0.5 * module);
	p.motion = std::min(p.motion, static_cast<int>(1.7 * module));
}

constexpr double kNoiseTileSigma = 24;

/// Gaussian noise (sigma kNoiseTileSigma, CV_8SC3) a little larger than a frame, made once from a
/// fixed seed. Frames add a randomly placed and flipped window of it, scaled: filling 6 M normal
/// samples per frame would cost ~15 ms, a quarter of a sample's budget.
const cv::Mat& NoiseTile()
{
	static const cv::Mat tile = [] {
		cv::Mat t(kFrameH + 96, kFrameW + 160, CV_8SC3);
		cv::RNG rng(0x5EED'0015'E000ULL);
		rng.fill(t, cv::RNG::NORMAL, 0.0, kNoiseTileSigma);
		return t;
	}();
	return tile;
}

/// Lighting, blur, range compression, noise and a JPEG round trip, in that order.
void Degrade(cv::Mat& scene, Rng& rng, const Photometric& p)
{
	// Uneven lighting: a smooth random gain field.
	cv::Mat field(3, 5, CV_32F);
	for (int i = 0; i < field.rows * field.cols; ++i)
		field.at<float>(i / field.cols, i % field.cols) =
			static_cast<float>(128.0 * p.exposure * (1.0 + p.gainAmp * rng.uniform(-1, 1)));
	cv::Mat gainSmall, gain8, gain, gain3;
	cv::resize(field, gainSmall, {kFrameW / 8, kFrameH / 8}, 0, 0, cv::INTER_CUBIC);
	gainSmall.convertTo(gain8, CV_8U);
	cv::resize(gain8, gain, {kFrameW, kFrameH}, 0, 0, cv::INTER_LINEAR);
	cv::cvtColor(gain, gain3, cv::COLOR_GRAY2BGR);
	cv::multiply(scene, gain3, scene, 1.0 / 128.0);

	// Optics.
	if (p.sigma > 0.05)
		cv::GaussianBlur(scene, scene, {0, 0}, p.sigma);
	if (p.motion >= 2) {
		const int k = p.motion | 1;
		cv::Mat line8(k * 4, k * 4, CV_8U, cv::Scalar(0));
		const double a = p.motionAngle * std::numbers::pi / 180;
		const cv::Point2d d(std::cos(a) * p.motion * 2, std::sin(a) * p.motion * 2);
		const cv::Point2d c(k * 2.0, k * 2.0);
		cv::line(line8, c - d, c + d, cv::Scalar(255), 1, cv::LINE_AA);
		cv::Mat kernel;
		line8.convertTo(kernel, CV_32F);
		cv::resize(kernel, kernel, {k, k}, 0, 0, cv::INTER_AREA);
		kernel /= cv::sum(kernel)[0];
		cv::filter2D(scene, scene, -1, kernel);
	}

	// Sensor: range, noise.
	scene.convertTo(scene, -1, p.contrast, p.offset);
	const cv::Mat& tile = NoiseTile();
	const cv::Rect window(rng.uniformInt(0, tile.cols - kFrameW), rng.uniformInt(0, tile.rows - kFrameH), kFrameW, kFrameH);
	cv::Mat noise;
	cv::flip(tile(window), noise, rng.uniformInt(-1, 1));
	cv::addWeighted(scene, 1.0, noise, p.noise / kNoiseTileSigma, 0.0, scene, CV_8U);

	// Camera compression.
	std::vector<std::uint8_t> jpeg;
	cv::imencode(".jpg", scene, jpeg, {cv::IMWRITE_JPEG_QUALITY, p.jpeg});
	scene = cv::imdecode(jpeg, cv::IMREAD_COLOR);
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Public API.

std::span<const Issuer> Issuers() noexcept
{
	return kIssuers;
}

const Issuer* FindIssuer(std::string_view iin) noexcept
{
	for (const Issuer& i : kIssuers)
		if (i.iin == iin)
			return &i;
	return nullptr;
}

std::uint64_t DeriveSeed(std::uint64_t base, std::uint64_t index) noexcept
{
	return Mix(base, index + 1);
}

std::string_view ToString(Case kase) noexcept
{
	switch (kase) {
	case Case::BirthdayToday: return "birthday-today";
	case Case::OneDayShort: return "one-day-short";
	case Case::OneDayOver: return "one-day-over";
	case Case::ClearlyOver: return "clearly-over";
	case Case::ClearlyUnder: return "clearly-under";
	case Case::Expired: return "expired";
	}
	return "?";
}

std::string_view ToString(Level level) noexcept
{
	switch (level) {
	case Level::Easy: return "easy";
	case Level::Medium: return "medium";
	case Level::Hard: return "hard";
	}
	return "?";
}

std::optional<Level> LevelFromString(std::string_view token) noexcept
{
	for (const Level l : {Level::Easy, Level::Medium, Level::Hard})
		if (ToString(l) == token)
			return l;
	return std::nullopt;
}

std::string MakeAamvaPayload(const PayloadSpec& spec)
{
	Rng rng(Mix(spec.seed, 0xAA3A));
	const int v = std::clamp(spec.version, 1, 10);
	const Issuer* issuer = FindIssuer(spec.iin);
	const std::string code = issuer ? std::string(issuer->code) : "ZZ";
	const bool canada = issuer && issuer->canada;
	const DateOrder order = v == 1 ? DateOrder::Canada : spec.order;
	const auto date = [&](Ymd d) { return FormatDate(d, order); };
	const std::string family = Clean(spec.familyName);
	const std::string given = Clean(spec.givenName);

	std::string number = LicenceNumber(rng, code); // drawn always, so the rest of the payload stays the same
	if (!spec.number.empty())
		number = Clean(spec.number);
	const std::string street = std::to_string(rng.uniformInt(1, 9999)) + " " + std::string(PickFrom(rng, kStreets));
	const std::string city(PickFrom(rng, kCities));
	std::string postal = canada ? Letters(rng, 1) + Digits(rng, 1) + Letters(rng, 1) + " " + Digits(rng, 1) +
									  Letters(rng, 1) + Digits(rng, 1)
								: Digits(rng, 5) + (rng.chance(0.7) ? "0000" : Digits(rng, 4));
	postal.resize(11, ' ');
	const std::string sex = rng.chance(0.5) ? "1" : "2";
	const std::string eyes = std::string(rng.pick<std::string_view>({"BRO", "BLU", "GRN", "HAZ", "GRY"}));
	const int inches = rng.uniformInt(58, 78);
	const std::string middle = std::string(rng.pick<std::string_view>({"NONE", "A", "J", "LEE", "MARIE", "R"}));

	std::vector<Element> e;
	if (v == 1) {
		e = {{"DAQ", number},
			 {"DAA", family + "," + given},
			 {"DAG", street},
			 {"DAI", city},
			 {"DAJ", code},
			 {"DAK", postal},
			 {"DAR", "D   "},
			 {"DAS", "NONE"},
			 {"DAT", "NONE"},
			 {"DBA", date(spec.expiry)},
			 {"DBB", date(spec.birth)},
			 {"DBC", sex},
			 {"DBD", date(spec.issue)},
			 {"DAU", std::to_string(inches / 12) + Num(inches % 12, 2)},
			 {"DAY", eyes}};
	}
	else {
		const std::string height = canada ? Num(cvRound(inches * 2.54), 3) + " CM" : Num(inches, 3) + " IN";
		e = {{"DCA", canada ? "G" : "D"}, {"DCB", "NONE"}, {"DCD", "NONE"}, {"DBA", date(spec.expiry)}, {"DCS", family}};
		if (v <= 3)
			e.push_back({"DCT", given + (middle == "NONE" ? "" : "," + middle)});
		else {
			e.push_back({"DAC", given});
			e.push_back({"DAD", middle});
		}
		for (Element x : std::initializer_list<Element>{{"DBD", date(spec.issue)},
														{"DBB", date(spec.birth)},
														{"DBC", sex},
														{"DAY", eyes},
														{"DAU", height},
														{"DAG", street},
														{"DAI", city},
														{"DAJ", code},
														{"DAK", postal},
														{"DAQ", number},
														{"DCF", Alnum(rng, rng.uniformInt(10, 22))},
														{"DCG", canada ? "CAN" : "USA"}})
			e.push_back(std::move(x));
		if (v <= 3)
			e.push_back({"DCH", "NONE"});
		else {
			e.push_back({"DDE", "N"});
			e.push_back({"DDF", "N"});
			e.push_back({"DDG", "N"});
			if (rng.chance(0.5))
				e.push_back({"DAW", Num(rng.uniformInt(100, 250), 3)});
			if (rng.chance(0.5))
				e.push_back({"DAZ", std::string(rng.pick<std::string_view>({"BRO", "BLK", "BLN", "RED", "GRY"}))});
			e.push_back({"DCK", Alnum(rng, rng.uniformInt(12, 21))});
			const Ymd revision = std::max(Ymd{std::chrono::year{2009}, std::chrono::January, std::chrono::day{15}},
										  AddDays(spec.issue, -rng.uniformInt(100, 2500)));
			e.push_back({"DDB", date(std::min(revision, spec.issue))});
			if (v >= 5)
				e.push_back({"DDA", rng.chance(0.7) ? "F" : "N"});
			if (spec.withUnderAgeDates) {
				e.push_back({"DDH", date(AddYears(spec.birth, 18))});
				e.push_back({"DDI", date(AddYears(spec.birth, 19))});
				e.push_back({"DDJ", date(AddYears(spec.birth, 21))});
			}
			if (v >= 5 && rng.chance(0.4))
				e.push_back({"DDK", "1"});
		}
	}
	if (rng.chance(0.35)) { // some issuers lead with the licence number
		const auto it = std::find_if(e.begin(), e.end(), [](const Element& x) { return x.id == "DAQ"; });
		std::rotate(e.begin(), it, it + 1);
	}

	std::vector<std::pair<std::string, std::string>> subfiles;
	std::string dl = "DL";
	for (std::size_t i = 0; i < e.size(); ++i)
		dl += e[i].id + e[i].value + (i + 1 < e.size() ? "\n" : "\r");
	subfiles.emplace_back("DL", std::move(dl));
	if (spec.withJurisdictionSubfile) {
		const std::string z = "Z" + code.substr(0, 1);
		std::string sub = z;
		sub += z + "A" + std::string(rng.chance(0.5) ? "N" : "Y") + "\n";
		sub += z + "B" + Digits(rng, rng.uniformInt(0, 6)) + "\n";
		sub += z + "C" + Alnum(rng, rng.uniformInt(0, 10)) + "\r";
		subfiles.emplace_back(z, std::move(sub));
	}

	const std::string fileType = (v == 1 && rng.chance(0.5)) ? "AAMVA" : "ANSI ";
	std::string header = "@\n\x1e\r" + fileType + spec.iin + Num(v, 2);
	if (v >= 2)
		header += Num(rng.uniformInt(0, 2), 2);
	header += Num(static_cast<int>(subfiles.size()), 2);
	int offset = static_cast<int>(header.size() + 10 * subfiles.size());
	std::string out = header;
	for (const auto& [type, body] : subfiles) {
		out += type + Num(offset, 4) + Num(static_cast<int>(body.size()), 4);
		offset += static_cast<int>(body.size());
	}
	for (const auto& sub : subfiles)
		out += sub.second;
	return out;
}

PayloadSpec RandomPayloadSpec(std::uint64_t seed, int version, DateOrder order, year_month_day today)
{
	Rng rng(Mix(seed, 0x5BEC));
	PayloadSpec spec;
	spec.version = std::clamp(version, 1, 10);
	std::vector<const Issuer*> pool;
	for (const Issuer& i : kIssuers)
		if (spec.version == 1 || i.order == order)
			pool.push_back(&i);
	const Issuer* issuer = pool[static_cast<std::size_t>(rng.uniformInt(0, static_cast<int>(pool.size()) - 1))];
	spec.iin = std::string(issuer->iin);
	spec.order = order;
	spec.birth = AddDays(today, -rng.uniformInt(16 * 365 + 5, 80 * 365));
	if (IsLeapDay(spec.birth))
		spec.birth = AddDays(spec.birth, -1);
	FillDocumentDates(rng, spec, today, false);
	FillPerson(rng, spec);
	return spec;
}

LicenceCase MakeLicenceCase(std::uint64_t seed, year_month_day today, int threshold)
{
	Rng rng(Mix(seed, 0xCA5E));
	threshold = std::clamp(threshold, 1, 125);
	const Ymd edge = EdgeBirth(today, threshold);
	LicenceCase lc;
	Ymd birth = edge;
	if (rng.chance(0.05)) {
		lc.kase = Case::Expired; // expired wins over any age (see age::Decide): ages 17 to 90
		birth = AddDays(today, -rng.uniformInt(17 * 365 + 10, 90 * 365));
	}
	else {
		const int r = rng.uniformInt(0, 99);
		if (r < 19)
			lc.kase = Case::BirthdayToday;
		else if (r < 38)
			lc.kase = Case::OneDayShort;
		else if (r < 57)
			lc.kase = Case::OneDayOver;
		else if (r < 79)
			lc.kase = Case::ClearlyOver;
		else
			lc.kase = Case::ClearlyUnder;
		switch (lc.kase) {
		case Case::BirthdayToday: birth = edge; break;
		case Case::OneDayShort: birth = AddDays(edge, 1); break;
		case Case::OneDayOver: birth = AddDays(edge, -1); break;
		case Case::ClearlyOver: birth = AddDays(edge, -rng.uniformInt(30, std::max(31, (105 - threshold) * 365))); break;
		default: {
			const int room = DaysBetween(edge, today) - 30; // stay born before today
			birth = AddDays(edge, rng.uniformInt(30, std::clamp(room, 30, 5 * 365)));
			break;
		}
		}
	}
	// No 29 February births: the leap-day rule must not matter. Shift, then classify again.
	if (IsLeapDay(birth))
		birth = AddDays(birth, rng.chance(0.5) ? -1 : 1);
	if (lc.kase != Case::Expired) {
		// The day the threshold is reached (exact: the birth is never 29 February). On a
		// 29 February today nobody born in a common year reaches it today: the "edge" then gives
		// one-day-over (born 28 February) and one-day-short (1 March).
		const int sinceReached = DaysBetween(AddYears(birth, threshold), today);
		if (sinceReached == 0)
			lc.kase = Case::BirthdayToday;
		else if (sinceReached == -1)
			lc.kase = Case::OneDayShort;
		else if (sinceReached == 1)
			lc.kase = Case::OneDayOver;
		else
			lc.kase = sinceReached > 0 ? Case::ClearlyOver : Case::ClearlyUnder;
		lc.expected = sinceReached >= 0 ? Verdict::Over : Verdict::Under;
		lc.expectedReason = Reason::Aamva;
	}
	else {
		lc.expected = Verdict::Unverified;
		lc.expectedReason = Reason::Expired;
	}

	PayloadSpec& spec = lc.spec;
	spec.version = rng.uniformInt(1, 10);
	const Issuer& issuer = kIssuers[static_cast<std::size_t>(rng.uniformInt(0, static_cast<int>(std::size(kIssuers)) - 1))];
	spec.iin = std::string(issuer.iin);
	spec.order = issuer.order;
	spec.birth = birth;
	FillDocumentDates(rng, spec, today, lc.kase == Case::Expired);
	FillPerson(rng, spec);
	return lc;
}

cv::Mat RenderLicenceBack(const std::string& payload, std::uint64_t seed)
{
	return RenderBack(payload, seed).bgr;
}

Sample MakeLicenceSample(std::uint64_t seed, Level level, year_month_day today, int threshold)
{
	Sample sample;
	LicenceCase lc = MakeLicenceCase(Mix(seed, 1), today, threshold);
	sample.payload = MakeAamvaPayload(lc.spec);
	Rng rng(Mix(seed, 2 + static_cast<std::uint64_t>(level)));
	Flat flat = RenderBack(sample.payload, seed);

	Photometric photo = SamplePhotometric(rng, level);
	const float minModule = level == Level::Medium ? 3.0f : 2.5f;
	const Pose pose = SamplePose(rng, level, flat, minModule);
	CapBlur(photo, pose.module);
	if (photo.glare)
		ApplyGlare(flat, rng, level);

	cv::Mat scene = Background(rng);
	Clutter(scene, rng);
	Composite(scene, flat, pose.h, rng);
	if (rng.chance(0.7))
		Hand(scene, flat, pose.h, rng);
	Degrade(scene, rng, photo);

	sample.image = std::move(scene);
	sample.level = level;
	sample.kase = lc.kase;
	sample.threshold = std::clamp(threshold, 1, 125);
	sample.today = today;
	sample.expected = lc.expected;
	sample.expectedReason = lc.expectedReason;
	for (int i = 0; i < 4; ++i)
		sample.barcodeCorners[static_cast<std::size_t>(i)] = Apply(pose.h, flat.code[static_cast<std::size_t>(i)]);
	sample.moduleWidth = pose.module;
	sample.columns = flat.columns;
	sample.rows = flat.rows;
	sample.eccLevel = flat.ecc;
	sample.spec = std::move(lc.spec);
	return sample;
}

cv::Mat MakeEmptyScene(std::uint64_t seed, Level level)
{
	Rng rng(Mix(seed, 0xE777 + static_cast<std::uint64_t>(level)));
	Photometric photo = SamplePhotometric(rng, level);
	cv::Mat scene = Background(rng);
	Clutter(scene, rng);
	if (rng.chance(0.85)) {
		Flat flat = RenderFront(rng);
		const Pose pose = SamplePose(rng, level, flat, 0);
		if (photo.glare)
			ApplyGlare(flat, rng, level);
		Composite(scene, flat, pose.h, rng);
		if (rng.chance(0.7))
			Hand(scene, flat, pose.h, rng);
	}
	Degrade(scene, rng, photo);
	return scene;
}

cv::Mat MakeNonIdBarcodeScene(std::uint64_t seed, Level level)
{
	Rng contentRng(Mix(seed, 0x401D));
	const bool label = contentRng.chance(0.6);
	const std::string content = NonIdContent(contentRng, label);
	Flat flat = VerifiedDesign(contentRng.next(), content,
							   [&](Rng& design) { return RenderNonIdDesign(content, label, design); });
	Rng rng(Mix(seed, 0x401E + static_cast<std::uint64_t>(level)));
	Photometric photo = SamplePhotometric(rng, level);
	const Pose pose = SamplePose(rng, level, flat, level == Level::Medium ? 3.0f : 2.5f);
	CapBlur(photo, pose.module);
	if (photo.glare)
		ApplyGlare(flat, rng, level);
	cv::Mat scene = Background(rng);
	Clutter(scene, rng);
	Composite(scene, flat, pose.h, rng);
	if (rng.chance(0.5))
		Hand(scene, flat, pose.h, rng);
	Degrade(scene, rng, photo);
	return scene;
}

} // namespace agecheck::synth

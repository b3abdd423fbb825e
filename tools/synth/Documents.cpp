// SPDX-License-Identifier: Apache-2.0
// Synthetic printed documents: ICAO 9303 MRZ composition, FreeType text, passport pages, ID cards,
// licence fronts and document scenes. See Documents.h. Every name, number and address is fictional.
//
// Geometry: flats are drawn at 300 dpi (11.81 px/mm). MRZ lines are OCR-B at a 30 px (2.54 mm)
// pitch with a 30 px (2.54 mm) cap height, inside the MRZ clear zone at the bottom (TD3 and TD2:
// about 23 and 21 mm tall, TD1: 17.9 mm); the line centrelines sit 6 mm (TD1: 5.1 mm) above the
// bottom edge and 4.3 mm (TD1: 4.4 mm) apart, close to, not exactly, 9303's print positions.
//
// DUPLICATION to fold later: Synth.cpp keeps its PRNG, card stock and scene code (pose, background,
// clutter, compositing, glare, hand, photometric table, degradation) in an anonymous namespace,
// sized for 1012 x 638 cards. The "Random numbers" and "Scenes" sections below are small
// equivalents generalised to any flat size; both files should share one internal header.

#include "synth/Documents.h"
#include "synth/Random.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <initializer_list>
#include <map>
#include <mutex>
#include <numbers>
#include <span>
#include <stdexcept>
#include <utility>

#include <ft2build.h>
#include FT_FREETYPE_H

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace agecheck::synth {
namespace {

using Ymd = std::chrono::year_month_day;

// ---------------------------------------------------------------------------------------------
// Random numbers (same generator as Synth.cpp: splitmix64 seeding + xoshiro256**).

using detail::AddDays;
using detail::AddYears;
using detail::Mix;
using detail::Rng;
using detail::SplitMix64;
using detail::PickFrom;
using detail::Digits;
using detail::Letters;
using detail::Alnum;




constexpr std::string_view kStreets[] = {"FICTION ST", "SAMPLE AVE", "EXAMPLE RD", "SPECIMEN BLVD",
										 "TEST LN", "NOWHERE WAY", "PLACEHOLDER CT"};
constexpr std::string_view kCities[] = {"ANYTOWN", "SAMPLEVILLE", "EXAMPLE CITY", "TESTBURG", "NOWHERE",
										"FAKEFIELD", "ZENITH"};

// ---------------------------------------------------------------------------------------------
// Dates.



void RequireValid(Ymd d, const char* what)
{
	if (!d.ok())
		throw std::invalid_argument(std::string("invalid date: ") + what);
}

unsigned Month(Ymd d)
{
	return static_cast<unsigned>(d.month());
}

unsigned Day(Ymd d)
{
	return static_cast<unsigned>(d.day());
}

int Year(Ymd d)
{
	return static_cast<int>(d.year());
}

constexpr std::string_view kMonths[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
										"JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};

/// "15 JAN 1990".
std::string DayMonYear(Ymd d)
{
	char buf[24];
	std::snprintf(buf, sizeof buf, "%02u %s %04d", Day(d), kMonths[Month(d) - 1].data(), Year(d));
	return buf;
}

/// "15/01/1990" (sep '/'), "15.01.1990", or with `shortYear` "15.01.90".
std::string DayMonthYear(Ymd d, char sep, bool shortYear = false)
{
	char buf[24];
	if (shortYear)
		std::snprintf(buf, sizeof buf, "%02u%c%02u%c%02d", Day(d), sep, Month(d), sep, Year(d) % 100);
	else
		std::snprintf(buf, sizeof buf, "%02u%c%02u%c%04d", Day(d), sep, Month(d), sep, Year(d));
	return buf;
}

/// "01/15/1990".
std::string MonthDayYear(Ymd d)
{
	char buf[24];
	std::snprintf(buf, sizeof buf, "%02u/%02u/%04d", Month(d), Day(d), Year(d));
	return buf;
}

/// "1990/01/15".
std::string YearMonthDay(Ymd d)
{
	char buf[24];
	std::snprintf(buf, sizeof buf, "%04d/%02u/%02u", Year(d), Month(d), Day(d));
	return buf;
}

// ---------------------------------------------------------------------------------------------
// MRZ.

char Upper(char c)
{
	return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

/// A non-name field: upper case, spaces to '<', only A-Z, 0-9 and '<' kept.
std::string FieldText(std::string_view in)
{
	std::string out;
	for (char c : in) {
		c = Upper(c);
		if (c == ' ')
			c = '<';
		if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '<')
			out += c;
	}
	return out;
}

/// A name: upper-case letters; spaces, hyphens and '<' separate components (one '<' each);
/// apostrophes and everything else are dropped.
std::string NameText(std::string_view in)
{
	std::string out;
	bool pendingSeparator = false;
	for (char c : in) {
		c = Upper(c);
		if (c == ' ' || c == '-' || c == '<') {
			pendingSeparator = !out.empty();
			continue;
		}
		if (c < 'A' || c > 'Z')
			continue;
		if (pendingSeparator)
			out += '<';
		pendingSeparator = false;
		out += c;
	}
	return out;
}

/// `s` padded with '<' to `width`; throws when it is longer.
std::string Fit(std::string s, std::size_t width, const char* what)
{
	if (s.size() > width)
		throw std::invalid_argument(std::string("MRZ field too long: ") + what);
	s.resize(width, '<');
	return s;
}

char CheckChar(std::string_view field)
{
	return static_cast<char>('0' + MrzCheckDigit(field));
}

/// Makes a check digit wrong: d -> (d + 1) mod 10.
void Bump(char& c)
{
	c = static_cast<char>('0' + (c - '0' + 1) % 10);
}

char SexChar(char sex)
{
	sex = Upper(sex);
	return (sex == 'M' || sex == 'F') ? sex : '<';
}

/// The document number without leading or trailing fillers.
std::string NumberText(std::string_view number)
{
	std::string n = FieldText(number);
	const auto first = n.find_first_not_of('<');
	if (first == std::string::npos)
		return {};
	const auto last = n.find_last_not_of('<');
	return n.substr(first, last - first + 1);
}

/// A document number in the 9-character field, its check digit position, and the optional data
/// field of `width` (TD1: 15, TD2: 7), with 9303's overflow for numbers longer than 9: the first 9
/// characters, '<' where the check digit would be, then in the optional data the remaining
/// characters, the check digit over the whole number, '<' and the caller's optional data.
struct NumberAndOptional {
	std::string number;   ///< 9 characters + 1 check digit or '<'
	std::string optional; ///< `width` characters
	std::size_t checkAt;  ///< index of the number's check digit: in `number` (9) or, overflowing, in `optional`
	bool overflow = false;
};

NumberAndOptional ComposeNumber(std::string_view numberIn, std::string_view optionalIn, std::size_t width)
{
	const std::string number = NumberText(numberIn);
	const std::string optional = FieldText(optionalIn);
	NumberAndOptional r;
	if (number.size() <= 9) {
		r.number = Fit(number, 9, "document number");
		r.number += CheckChar(r.number);
		r.optional = Fit(optional, width, "optional data");
		r.checkAt = 9;
		return r;
	}
	r.overflow = true;
	r.number = number.substr(0, 9) + "<";
	std::string rest = number.substr(9);
	r.checkAt = rest.size();
	rest += CheckChar(number);
	if (!optional.empty())
		rest += "<" + optional;
	r.optional = Fit(std::move(rest), width, "document number overflow and optional data");
	return r;
}

std::string Header(const MrzSpec& spec)
{
	return Fit(FieldText(spec.documentCode), 2, "document code") + Fit(FieldText(spec.issuingState), 3, "issuing state");
}

std::string Nationality(const MrzSpec& spec)
{
	return Fit(FieldText(spec.nationality), 3, "nationality");
}

// ---------------------------------------------------------------------------------------------
// FreeType text.

/// The FreeType library and the faces loaded so far, by file name. Every use holds `mutex`:
/// FT_Face objects are not thread-safe and their size is set per call.
class FontCache {
public:
	static FontCache& Get()
	{
		static FontCache cache;
		return cache;
	}
	FontCache(const FontCache&) = delete;
	FontCache& operator=(const FontCache&) = delete;
	~FontCache()
	{
		for (auto& [path, face] : _faces)
			FT_Done_Face(face);
		if (_library)
			FT_Done_FreeType(_library);
	}

	std::mutex mutex;

	/// The face for `path`, loaded on first use. Caller holds `mutex`.
	FT_Face face(const std::string& path)
	{
		if (const auto it = _faces.find(path); it != _faces.end())
			return it->second;
		std::error_code ec;
		if (!std::filesystem::is_regular_file(path, ec))
			throw std::runtime_error("font file not found: " + path);
		if (!_library && FT_Init_FreeType(&_library) != 0) {
			_library = nullptr;
			throw std::runtime_error("FreeType initialisation failed");
		}
		FT_Face f = nullptr;
		if (FT_New_Face(_library, path.c_str(), 0, &f) != 0)
			throw std::runtime_error("cannot load font file: " + path);
		_faces.emplace(path, f);
		return f;
	}

private:
	FontCache() = default;
	FT_Library _library = nullptr;
	std::map<std::string, FT_Face> _faces;
};

/// Light hinting: vertical only, advances rounded to whole pixels.
constexpr FT_Int32 kLoadFlags = FT_LOAD_TARGET_LIGHT;

std::u32string DecodeUtf8(std::string_view s)
{
	std::u32string out;
	std::size_t i = 0;
	while (i < s.size()) {
		const auto b = static_cast<unsigned char>(s[i]);
		char32_t cp = 0xFFFD;
		std::size_t len = 1;
		if (b < 0x80)
			cp = b;
		else {
			const std::size_t extra = (b & 0xE0) == 0xC0 ? 1 : (b & 0xF0) == 0xE0 ? 2 : (b & 0xF8) == 0xF0 ? 3 : 0;
			if (extra > 0 && i + extra < s.size()) {
				char32_t v = b & (0x3Fu >> extra);
				bool ok = true;
				for (std::size_t k = 1; k <= extra; ++k) {
					const auto c = static_cast<unsigned char>(s[i + k]);
					ok = ok && (c & 0xC0) == 0x80;
					v = (v << 6) | (c & 0x3Fu);
				}
				if (ok) {
					cp = v;
					len = extra + 1;
				}
			}
		}
		out += cp;
		i += len;
	}
	return out;
}

void SetSize(FT_Face face, double pixelHeight)
{
	if (!(pixelHeight > 0) || pixelHeight > 2000)
		throw std::invalid_argument("text pixel height out of range");
	if (FT_Set_Char_Size(face, 0, static_cast<FT_F26Dot6>(std::lround(pixelHeight * 64)), 72, 72) != 0)
		throw std::runtime_error("font cannot be scaled");
}

int Px(FT_Pos v26)
{
	return static_cast<int>(std::lround(static_cast<double>(v26) / 64.0));
}

/// Alpha-blends a glyph bitmap (8-bit grey or 1-bit) in `ink` onto `img` at (x0, y0), clipped.
void Blit(cv::Mat& img, const FT_Bitmap& bm, int x0, int y0, const cv::Scalar& ink)
{
	const int inkB[3] = {static_cast<int>(std::clamp(ink[0], 0.0, 255.0)), static_cast<int>(std::clamp(ink[1], 0.0, 255.0)),
						 static_cast<int>(std::clamp(ink[2], 0.0, 255.0))};
	const bool mono = bm.pixel_mode == FT_PIXEL_MODE_MONO;
	if (!mono && bm.pixel_mode != FT_PIXEL_MODE_GRAY)
		return;
	for (unsigned r = 0; r < bm.rows; ++r) {
		const int y = y0 + static_cast<int>(r);
		if (y < 0 || y >= img.rows)
			continue;
		const unsigned char* src = bm.buffer + static_cast<std::ptrdiff_t>(r) * bm.pitch;
		auto* dst = img.ptr<cv::Vec3b>(y);
		for (unsigned c = 0; c < bm.width; ++c) {
			const int x = x0 + static_cast<int>(c);
			if (x < 0 || x >= img.cols)
				continue;
			const int a = mono ? ((src[c >> 3] >> (7 - (c & 7))) & 1) * 255 : src[c];
			if (a == 0)
				continue;
			for (int ch = 0; ch < 3; ++ch)
				dst[x][ch] = static_cast<std::uint8_t>((dst[x][ch] * (255 - a) + inkB[ch] * a + 127) / 255);
		}
	}
}

/// Lays out (and, with `img`, draws) `utf8`; the face lock is held throughout.
TextBox RunText(cv::Mat* img, std::string_view utf8, cv::Point origin, const TextStyle& style)
{
	FontCache& cache = FontCache::Get();
	const std::lock_guard lock(cache.mutex);
	const FT_Face face = cache.face(style.font);
	SetSize(face, style.pixelHeight);
	const FT_Pos pitch = std::lround(std::max(0.0, style.pitch) * 64);
	FT_Pos pen = 0;
	int x0 = INT_MAX, y0 = INT_MAX, x1 = INT_MIN, y1 = INT_MIN;
	for (const char32_t cp : DecodeUtf8(utf8)) {
		if (FT_Load_Char(face, cp, kLoadFlags | FT_LOAD_RENDER) != 0) {
			pen += pitch;
			continue;
		}
		const FT_GlyphSlot g = face->glyph;
		FT_Pos at = pen;
		FT_Pos advance = g->advance.x;
		if (pitch > 0) {
			at = pen + (pitch - advance) / 2;
			advance = pitch;
		}
		const FT_Bitmap& bm = g->bitmap;
		if (bm.width > 0 && bm.rows > 0) {
			const int gx = origin.x + Px(at) + g->bitmap_left;
			const int gy = origin.y - g->bitmap_top;
			x0 = std::min(x0, gx);
			y0 = std::min(y0, gy);
			x1 = std::max(x1, gx + static_cast<int>(bm.width));
			y1 = std::max(y1, gy + static_cast<int>(bm.rows));
			if (img)
				Blit(*img, bm, gx, gy, style.colour);
		}
		pen += advance;
	}
	TextBox box;
	const int ascender = Px(face->size->metrics.ascender);
	const int descender = Px(face->size->metrics.descender);
	box.box = cv::Rect(origin.x, origin.y - ascender, Px(pen), ascender - descender);
	if (x1 > x0)
		box.ink = cv::Rect(x0, y0, x1 - x0, y1 - y0);
	box.baseline = origin.y;
	return box;
}

// ---------------------------------------------------------------------------------------------
// Drawing.

constexpr double kPxPerMm = 1476.0 / 125.0; // ~300 dpi
constexpr int kPassportW = 1476;            // 125 mm
constexpr int kPassportH = 1039;            // 88 mm
constexpr int kCardW = 1012;                // CR80, 85.6 mm
constexpr int kCardH = 638;                 // 54 mm
constexpr int kTd2W = 1240;                 // 105 mm
constexpr int kTd2H = 874;                  // 74 mm
constexpr double kMrzPitch = 30;            // 2.54 mm
constexpr double kMrzEm = 30 / 0.723;       // OCR-B cap height is 0.723 em: 30 px capitals

int Mm(double mm)
{
	return static_cast<int>(std::lround(mm * kPxPerMm));
}

cv::Scalar Tint(Rng& rng, double lo, double hi)
{
	return cv::Scalar(rng.uniform(lo, hi), rng.uniform(lo, hi), rng.uniform(lo, hi));
}

/// Draws `text` with its baseline's left end at (x, y).
TextBox Put(cv::Mat& img, std::string_view text, int x, int y, double px, const cv::Scalar& colour,
			std::string_view font = kSansFont)
{
	TextStyle s;
	s.font = std::string(font);
	s.pixelHeight = px;
	s.colour = colour;
	return DrawText(img, text, {x, y}, s);
}

/// Upper-case ASCII for display; other bytes are kept (DrawText takes UTF-8).
std::string Display(std::string_view in)
{
	std::string out(in);
	for (char& c : out)
		c = Upper(c);
	return out;
}

/// A field value without '<' fillers: "D<<" -> "D".
std::string Unfilled(std::string_view in)
{
	std::string out;
	for (char c : FieldText(in))
		out += c == '<' ? ' ' : c;
	while (!out.empty() && out.back() == ' ')
		out.pop_back();
	return out;
}

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

/// Whitens everything outside rounded corners of `radius` (the scenes cut the document out there).
void RoundCorners(cv::Mat& img, int radius)
{
	const cv::Mat mask = RoundedMask(img.cols, img.rows, radius);
	img.setTo(cv::Scalar(255, 255, 255), ~mask);
}

/// Security-printed stock of `size`: a two-tone gradient, guilloche waves and a rosette, low
/// contrast, never pure white (as Synth.cpp's CardStock, any size).
cv::Mat Stock(Rng& rng, cv::Size size, double lo, double hi)
{
	cv::Mat small(2, 2, CV_8UC3);
	for (int i = 0; i < 4; ++i) {
		const cv::Scalar t = Tint(rng, lo, hi);
		small.at<cv::Vec3b>(i / 2, i % 2) = cv::Vec3b(cv::saturate_cast<std::uint8_t>(t[0]),
													  cv::saturate_cast<std::uint8_t>(t[1]),
													  cv::saturate_cast<std::uint8_t>(t[2]));
	}
	cv::Mat img;
	cv::resize(small, img, size, 0, 0, cv::INTER_LINEAR);
	const int families = rng.uniformInt(1, 3);
	for (int f = 0; f < families; ++f) {
		const cv::Scalar colour = Tint(rng, lo - 30, lo - 8);
		const double period = rng.uniform(80, 260);
		const double period2 = rng.uniform(300, 900);
		const double amp = rng.uniform(6, 30);
		const double amp2 = rng.uniform(5, 25);
		const int lines = rng.uniformInt(12, 30);
		const double spacing = size.height / static_cast<double>(lines);
		const double phaseStep = rng.uniform(0.15, 0.6);
		for (int l = 0; l < lines; ++l) {
			std::vector<cv::Point> pts;
			for (int x = -8; x <= size.width + 8; x += 6) {
				const double y = l * spacing + amp * std::sin(2 * std::numbers::pi * x / period + l * phaseStep) +
								 amp2 * std::sin(2 * std::numbers::pi * x / period2 + f);
				pts.emplace_back(x * 4, cvRound(y * 4));
			}
			cv::polylines(img, pts, false, colour, 1, cv::LINE_AA, 2);
		}
	}
	const cv::Point centre(rng.uniformInt(size.width / 5, size.width * 4 / 5),
						   rng.uniformInt(size.height / 5, size.height * 4 / 5));
	const cv::Scalar rosette = Tint(rng, lo - 30, lo - 8);
	const int petals = rng.uniformInt(12, 30);
	const cv::Size axes(rng.uniformInt(60, 150), rng.uniformInt(15, 55));
	for (int p = 0; p < petals; ++p)
		cv::ellipse(img, centre, axes, 180.0 * p / petals, 0, 360, rosette, 1, cv::LINE_AA);
	return img;
}

/// A drawn face in `box`: backdrop, shoulders, neck, head, hair, eyes, brows, nose and mouth, softly
/// blurred. `ghost`: a faint grey copy (the secondary portrait of passports and ID cards).
void Portrait(cv::Mat& img, cv::Rect box, Rng& rng, bool ghost = false)
{
	box &= cv::Rect(0, 0, img.cols, img.rows);
	if (box.width < 8 || box.height < 8)
		return;
	cv::Mat p(box.size(), CV_8UC3, Tint(rng, 190, 235));
	const double w = box.width;
	const double h = box.height;
	const auto pt = [&](double fx, double fy) { return cv::Point(cvRound(w * fx), cvRound(h * fy)); };
	const auto sz = [&](double fx, double fy) { return cv::Size(cvRound(w * fx), cvRound(h * fy)); };
	const cv::Scalar skin = rng.pick({cv::Scalar(150, 175, 225), cv::Scalar(115, 150, 205), cv::Scalar(85, 115, 165),
									  cv::Scalar(60, 85, 125), cv::Scalar(175, 195, 235)});
	const cv::Scalar hair = rng.pick({cv::Scalar(20, 25, 30), cv::Scalar(30, 50, 80), cv::Scalar(90, 150, 190),
									  cv::Scalar(150, 150, 150), cv::Scalar(25, 40, 110)});
	const cv::Scalar clothes = Tint(rng, 30, 160);
	const double headW = rng.uniform(0.19, 0.24);
	const double headH = rng.uniform(0.23, 0.27);
	const double hairW = headW * rng.uniform(1.05, 1.3);
	const double hairLen = rng.uniform(0.3, 0.62);
	cv::ellipse(p, pt(0.5, 1.05), sz(0.5, 0.3), 0, 180, 360, clothes, cv::FILLED, cv::LINE_AA);
	if (rng.chance(0.6)) // long hair behind the head
		cv::ellipse(p, pt(0.5, hairLen), sz(hairW, hairLen - 0.12), 0, 0, 360, hair, cv::FILLED, cv::LINE_AA);
	cv::rectangle(p, cv::Rect(pt(0.42, 0.55), sz(0.16, 0.24)), skin * 0.88, cv::FILLED);
	cv::ellipse(p, pt(0.5, 0.43), sz(headW, headH), 0, 0, 360, skin, cv::FILLED, cv::LINE_AA);
	cv::ellipse(p, pt(0.5, 0.34), sz(headW * 1.06, 0.15), 0, 180, 360, hair, cv::FILLED, cv::LINE_AA);
	const cv::Scalar dark(35, 35, 40);
	for (const double ex : {0.41, 0.59}) {
		cv::ellipse(p, pt(ex, 0.42), sz(0.035, 0.014), 0, 0, 360, cv::Scalar(245, 245, 245), cv::FILLED, cv::LINE_AA);
		cv::circle(p, pt(ex, 0.42), std::max(2, cvRound(w * 0.014)), dark, cv::FILLED, cv::LINE_AA);
		cv::line(p, pt(ex - 0.045, 0.385), pt(ex + 0.045, 0.38), hair * 0.8, std::max(2, cvRound(w * 0.012)), cv::LINE_AA);
	}
	cv::line(p, pt(0.5, 0.44), pt(0.49, 0.5), skin * 0.7, std::max(1, cvRound(w * 0.008)), cv::LINE_AA);
	cv::ellipse(p, pt(0.5, 0.54), sz(0.06, 0.018), 0, 10, 170, cv::Scalar(70, 70, 150), std::max(2, cvRound(w * 0.01)),
				cv::LINE_AA);
	cv::GaussianBlur(p, p, {0, 0}, std::max(0.8, w / 250));
	if (ghost) {
		cv::Mat grey;
		cv::cvtColor(p, grey, cv::COLOR_BGR2GRAY);
		cv::cvtColor(grey, p, cv::COLOR_GRAY2BGR);
		cv::Mat under = img(box);
		cv::addWeighted(under, 0.65, p, 0.35, 0, under);
		return;
	}
	p.copyTo(img(box));
	cv::rectangle(img, box, cv::Scalar(90, 90, 90), 1, cv::LINE_AA);
}

/// A scribbled signature starting at `at`, about `width` px long: loops of varying size on a
/// drifting baseline, in two or three strokes.
void Signature(cv::Mat& img, cv::Point at, int width, Rng& rng, const cv::Scalar& ink)
{
	double sx = at.x;
	double drift = 0;
	double phase = rng.uniform(0, 3);
	const int strokes = rng.uniformInt(2, 3);
	for (int k = 0; k < strokes && sx < at.x + width; ++k) {
		std::vector<cv::Point> sig;
		const double end = at.x + width * (k + 1.0) / strokes;
		double amp = rng.uniform(6, 18);
		while (sx < end) {
			const double step = rng.uniform(0.25, 0.6);
			phase += step;
			sx += rng.uniform(1.5, 4.5) + 2.5 * std::cos(phase); // forward, with small back-loops
			drift = std::clamp(drift + rng.uniform(-1.2, 1.2), -8.0, 8.0);
			if (rng.chance(0.06))
				amp = rng.uniform(6, 18);
			sig.emplace_back(cvRound(sx * 4), cvRound((at.y + drift + amp * std::sin(phase)) * 4));
		}
		cv::polylines(img, sig, false, ink, 2, cv::LINE_AA, 2);
		sx += rng.uniform(6, 16);
	}
}

/// Lightens a band so that the MRZ sits on a quiet background (the MRZ clear zone).
void ClearZone(cv::Mat& img, int top)
{
	cv::Mat zone = img(cv::Rect(0, top, img.cols, img.rows - top));
	zone.convertTo(zone, -1, 0.3, 255 * 0.66);
}

/// MRZ lines in OCR-B at a 30 px (2.54 mm) pitch, centred; the last line's centreline at
/// `lastCentre`, lines `spacing` px apart.
void DrawMrz(cv::Mat& img, std::span<const std::string> lines, int lastCentre, int spacing, const cv::Scalar& ink)
{
	TextStyle s;
	s.font = std::string(kOcrBFont);
	s.pixelHeight = kMrzEm;
	s.pitch = kMrzPitch;
	s.colour = ink;
	const int width = static_cast<int>(lines[0].size()) * static_cast<int>(kMrzPitch);
	const int x0 = (img.cols - width) / 2;
	const int n = static_cast<int>(lines.size());
	for (int i = 0; i < n; ++i)
		DrawText(img, lines[static_cast<std::size_t>(i)], {x0, lastCentre - (n - 1 - i) * spacing + cvRound(kMrzPitch / 2)}, s);
}

/// Where DrawMrz puts the lines of a format, by their length: the last line's centreline and the
/// spacing of the passport page (44), the TD2 card (36) and the TD1 back (30).
struct MrzPlace {
	int lastCentre = 0;
	int spacing = 0;
};

MrzPlace MrzPlacement(std::size_t lineLength)
{
	if (lineLength == 44)
		return {kPassportH - Mm(6), Mm(4.3)};
	if (lineLength == 36)
		return {kTd2H - Mm(6), Mm(4.3)};
	return {kCardH - Mm(5.1), Mm(4.4)};
}

cv::Scalar MrzInk(Rng& rng)
{
	return cv::Scalar(rng.uniform(10, 35), rng.uniform(10, 30), rng.uniform(10, 30));
}

/// A label (small) over a value.
struct Field {
	std::string label;
	std::string value;
	int x = 0;
};

void DrawFieldRow(cv::Mat& img, std::span<const Field> fields, int y, double labelPx, double valuePx,
				  const cv::Scalar& labelInk, const cv::Scalar& valueInk)
{
	for (const Field& f : fields) {
		Put(img, f.label, f.x, y, labelPx, labelInk);
		Put(img, f.value, f.x, y + cvRound(valuePx * 1.15), valuePx, valueInk);
	}
}

std::string SexDisplay(char sex)
{
	const char c = SexChar(sex);
	return c == '<' ? "X" : std::string(1, c);
}

std::string StateName(std::string_view code)
{
	const std::string c = Unfilled(code);
	if (c == "UTO")
		return "UTOPIA";
	return c.empty() ? "SPECIMEN STATE" : "SPECIMEN " + c;
}

std::string NationalityName(std::string_view code)
{
	const std::string c = Unfilled(code);
	return c == "UTO" ? "UTOPIAN" : c;
}

/// Date of issue for display: ten (or five) years before expiry, plus a day.
Ymd IssueDate(Rng& rng, Ymd expiry)
{
	return AddDays(AddYears(expiry, rng.chance(0.7) ? -10 : -5), 1);
}

} // namespace

// ---------------------------------------------------------------------------------------------
// MRZ (public).

int MrzCheckDigit(std::string_view field) noexcept
{
	static constexpr int kWeights[3] = {7, 3, 1};
	int sum = 0;
	for (std::size_t i = 0; i < field.size(); ++i) {
		const char c = field[i];
		int v = 0;
		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'A' && c <= 'Z')
			v = c - 'A' + 10;
		sum += v * kWeights[i % 3];
	}
	return sum % 10;
}

std::string MrzDate(std::chrono::year_month_day date)
{
	RequireValid(date, "MRZ date");
	char buf[16];
	std::snprintf(buf, sizeof buf, "%02d%02u%02u", ((Year(date) % 100) + 100) % 100, Month(date), Day(date));
	return buf;
}

std::string MrzName(std::string_view surname, std::string_view givenNames, std::size_t width)
{
	std::string out = NameText(surname);
	const std::string given = NameText(givenNames);
	if (!given.empty())
		out += "<<" + given;
	out.resize(width, '<');
	return out;
}

std::array<std::string, 2> MakeTd3(const MrzSpec& spec)
{
	const std::string number = NumberText(spec.number);
	if (number.size() > 9)
		throw std::invalid_argument("MRZ field too long: document number (TD3 has no overflow)");
	const std::string line1 = Header(spec) + MrzName(spec.surname, spec.givenNames, 39);
	std::string l2 = Fit(number, 9, "document number");
	l2 += CheckChar(l2);
	l2 += Nationality(spec);
	const std::string birth = MrzDate(spec.birth);
	l2 += birth + CheckChar(birth);
	l2 += SexChar(spec.sex);
	const std::string expiry = MrzDate(spec.expiry);
	l2 += expiry + CheckChar(expiry);
	const std::string personal = Fit(FieldText(spec.optional), 14, "personal number");
	l2 += personal;
	// 9303 part 4: the personal number's check digit may be '<' when the field is all fillers.
	l2 += personal.find_first_not_of('<') == std::string::npos ? '<' : CheckChar(personal);
	switch (spec.corrupt) {
	case MrzCorrupt::Number: Bump(l2[9]); break;
	case MrzCorrupt::Birth: Bump(l2[19]); break;
	case MrzCorrupt::Expiry: Bump(l2[27]); break;
	default: break;
	}
	l2 += CheckChar(l2.substr(0, 10) + l2.substr(13, 7) + l2.substr(21, 22));
	if (spec.corrupt == MrzCorrupt::Composite)
		Bump(l2[43]);
	return {line1, l2};
}

std::array<std::string, 3> MakeTd1(const MrzSpec& spec)
{
	NumberAndOptional no = ComposeNumber(spec.number, spec.optional, 15);
	std::string l1 = Header(spec) + no.number + no.optional;
	const std::string birth = MrzDate(spec.birth);
	const std::string expiry = MrzDate(spec.expiry);
	std::string l2 = birth + CheckChar(birth) + SexChar(spec.sex) + expiry + CheckChar(expiry) + Nationality(spec) +
					 Fit(FieldText(spec.optional2), 11, "optional data 2");
	switch (spec.corrupt) {
	case MrzCorrupt::Number: Bump(l1[no.overflow ? 15 + no.checkAt : 14]); break;
	case MrzCorrupt::Birth: Bump(l2[6]); break;
	case MrzCorrupt::Expiry: Bump(l2[14]); break;
	default: break;
	}
	l2 += CheckChar(l1.substr(5, 25) + l2.substr(0, 7) + l2.substr(8, 7) + l2.substr(18, 11));
	if (spec.corrupt == MrzCorrupt::Composite)
		Bump(l2[29]);
	return {l1, l2, MrzName(spec.surname, spec.givenNames, 30)};
}

std::array<std::string, 2> MakeTd2(const MrzSpec& spec)
{
	const std::string line1 = Header(spec) + MrzName(spec.surname, spec.givenNames, 31);
	NumberAndOptional no = ComposeNumber(spec.number, spec.optional, 7);
	const std::string birth = MrzDate(spec.birth);
	const std::string expiry = MrzDate(spec.expiry);
	std::string l2 = no.number + Nationality(spec) + birth + CheckChar(birth) + SexChar(spec.sex) + expiry +
					 CheckChar(expiry) + no.optional;
	switch (spec.corrupt) {
	case MrzCorrupt::Number: Bump(l2[no.overflow ? 28 + no.checkAt : 9]); break;
	case MrzCorrupt::Birth: Bump(l2[19]); break;
	case MrzCorrupt::Expiry: Bump(l2[27]); break;
	default: break;
	}
	l2 += CheckChar(l2.substr(0, 10) + l2.substr(13, 7) + l2.substr(21, 14));
	if (spec.corrupt == MrzCorrupt::Composite)
		Bump(l2[35]);
	return {line1, l2};
}

// ---------------------------------------------------------------------------------------------
// Text (public).

TextBox MeasureText(std::string_view utf8, cv::Point origin, const TextStyle& style)
{
	return RunText(nullptr, utf8, origin, style);
}

TextBox DrawText(cv::Mat& bgr, std::string_view utf8, cv::Point origin, const TextStyle& style)
{
	if (bgr.type() != CV_8UC3)
		throw std::invalid_argument("DrawText needs a CV_8UC3 image");
	return RunText(&bgr, utf8, origin, style);
}

std::vector<double> GlyphAdvances(std::string_view utf8, const std::string& fontFile, double pixelHeight)
{
	FontCache& cache = FontCache::Get();
	const std::lock_guard lock(cache.mutex);
	const FT_Face face = cache.face(fontFile);
	SetSize(face, pixelHeight);
	std::vector<double> out;
	for (const char32_t cp : DecodeUtf8(utf8)) {
		if (FT_Load_Char(face, cp, kLoadFlags) != 0)
			out.push_back(0);
		else
			out.push_back(static_cast<double>(face->glyph->advance.x) / 64.0);
	}
	return out;
}

// ---------------------------------------------------------------------------------------------
// Flat documents (public).

namespace {

/// RenderPassportPage with the MRZ lines given (MakeTd3's, or any 2 lines for training).
cv::Mat PassportPage(const MrzSpec& spec, std::span<const std::string> mrz, std::uint64_t seed)
{
	Rng rng(Mix(seed, 0xDA7A));
	cv::Mat page = Stock(rng, {kPassportW, kPassportH}, 215, 247);
	const int zoneTop = kPassportH - Mm(23.2);
	ClearZone(page, zoneTop);

	const cv::Scalar heading = Tint(rng, 40, 110);
	const cv::Scalar labelInk = Tint(rng, 60, 120);
	const cv::Scalar valueInk = Tint(rng, 10, 35);
	const std::string state = StateName(spec.issuingState);
	const TextBox title = Put(page, "PASSPORT", Mm(5), Mm(8), 44, heading, kSansBoldFont);
	Put(page, "PASSEPORT  ·  PASAPORTE", title.box.br().x + 30, Mm(8), 24, heading);
	const TextBox stateBox = MeasureText(state, {}, TextStyle{std::string(kSansBoldFont), 34, heading, 0});
	Put(page, state, kPassportW - Mm(6) - stateBox.box.width, Mm(8), 34, heading, kSansBoldFont);
	cv::line(page, {Mm(5), Mm(10.5)}, {kPassportW - Mm(5), Mm(10.5)}, heading, 2, cv::LINE_AA);

	const cv::Rect photo(Mm(6), Mm(14), Mm(32), Mm(41));
	Portrait(page, photo, rng);
	Signature(page, {photo.x + 20, photo.y + photo.height + Mm(6)}, photo.width - 60, rng, valueInk);
	Portrait(page, cv::Rect(kPassportW - Mm(24), Mm(20), Mm(16), Mm(15)), rng, true);

	const int c0 = Mm(43);
	const int c1 = Mm(80);
	const std::string type(1, FieldText(spec.documentCode).empty() ? 'P' : FieldText(spec.documentCode)[0]);
	const std::string place(PickFrom(rng, kCities));
	const std::string authority = rng.pick<std::string_view>({"PASSPORT OFFICE", "MINISTRY OF EXAMPLE", "EXAMPLE AGENCY"}).data();
	const Ymd issue = IssueDate(rng, spec.expiry);
	RequireValid(issue, "date of issue");
	const std::vector<std::vector<Field>> rows = {
		{{"Type / Type", type, c0}, {"Code / Code", Unfilled(spec.issuingState), c0 + Mm(16)},
		 {"Passport No. / N° de passeport", NumberText(spec.number), c1}},
		{{"Surname / Nom", Display(spec.surname), c0}},
		{{"Given names / Prénoms", Display(spec.givenNames), c0}},
		{{"Nationality / Nationalité", NationalityName(spec.nationality), c0}},
		{{"Date of birth / Date de naissance", DayMonYear(spec.birth), c0}, {"Sex / Sexe", SexDisplay(spec.sex), c1}},
		{{"Place of birth / Lieu de naissance", place, c0}},
		{{"Date of issue / Date de délivrance", DayMonYear(issue), c0}, {"Authority / Autorité", authority, c1}},
		{{"Date of expiry / Date d'expiration", DayMonYear(spec.expiry), c0}},
	};
	int y = Mm(15.5);
	for (const auto& row : rows) {
		DrawFieldRow(page, row, y, 19, 29, labelInk, valueInk);
		y += Mm(5.3);
	}

	const MrzPlace at = MrzPlacement(44);
	DrawMrz(page, mrz, at.lastCentre, at.spacing, MrzInk(rng));
	RoundCorners(page, Mm(3));
	return page;
}

/// RenderIdCard with the MRZ lines given (MakeTd1's or MakeTd2's, or any for training).
cv::Mat IdCard(const MrzSpec& spec, std::span<const std::string> mrz, std::uint64_t seed, IdCardFormat format)
{
	Rng rng(Mix(seed, 0x1DCA + static_cast<std::uint64_t>(format)));
	const cv::Scalar labelInk = Tint(rng, 60, 120);
	const cv::Scalar valueInk = Tint(rng, 10, 35);
	const std::string place(PickFrom(rng, kCities));
	const Ymd issue = IssueDate(rng, spec.expiry);
	RequireValid(issue, "date of issue");
	if (format == IdCardFormat::Td1) {
		cv::Mat card = Stock(rng, {kCardW, kCardH}, 212, 247);
		const int zoneTop = kCardH - Mm(17.9);
		ClearZone(card, zoneTop);
		const int c0 = 50;
		const int c1 = 390;
		const std::vector<std::vector<Field>> rows = {
			{{"Date of issue / Date de délivrance", DayMonYear(issue), c0},
			 {"Height / Taille", std::to_string(rng.uniformInt(150, 195)) + " cm", c1 + 200}},
			{{"Place of birth / Lieu de naissance", place, c0}},
			{{"Authority / Autorité", rng.pick<std::string_view>({"CITY OF EXAMPLE", "EXAMPLE REGISTRY"}).data(), c0}},
			{{"Address / Adresse", std::to_string(rng.uniformInt(1, 999)) + " " + std::string(PickFrom(rng, kStreets)), c0}},
		};
		int y = 70;
		for (const auto& row : rows) {
			DrawFieldRow(card, row, y, 17, 26, labelInk, valueInk);
			y += 78;
		}
		Portrait(card, cv::Rect(kCardW - 200, 120, 150, 190), rng, true);
		const MrzPlace at = MrzPlacement(30);
		DrawMrz(card, mrz, at.lastCentre, at.spacing, MrzInk(rng));
		RoundCorners(card, 38);
		return card;
	}
	cv::Mat card = Stock(rng, {kTd2W, kTd2H}, 212, 247);
	ClearZone(card, kTd2H - Mm(21));
	const cv::Scalar heading = Tint(rng, 40, 110);
	Put(card, "IDENTITY CARD", Mm(5), Mm(8), 40, heading, kSansBoldFont);
	Put(card, "CARTE D'IDENTITÉ", Mm(5) + 360, Mm(8), 26, heading);
	const std::string state = StateName(spec.issuingState);
	const TextBox stateBox = MeasureText(state, {}, TextStyle{std::string(kSansBoldFont), 30, heading, 0});
	Put(card, state, kTd2W - Mm(5) - stateBox.box.width, Mm(8), 30, heading, kSansBoldFont);
	const cv::Rect photo(Mm(5), Mm(13), Mm(27), Mm(34));
	Portrait(card, photo, rng);
	Signature(card, {photo.x + 20, photo.y + photo.height + Mm(3)}, photo.width - 40, rng, valueInk);
	const int c0 = Mm(38);
	const int c1 = Mm(70);
	const std::vector<std::vector<Field>> rows = {
		{{"Surname / Nom", Display(spec.surname), c0}},
		{{"Given names / Prénoms", Display(spec.givenNames), c0}},
		{{"Nationality / Nationalité", NationalityName(spec.nationality), c0}, {"Sex / Sexe", SexDisplay(spec.sex), c1}},
		{{"Date of birth / Date de naissance", DayMonYear(spec.birth), c0}},
		{{"Document no. / N° du document", NumberText(spec.number), c0}, {"Date of expiry / Expiration", DayMonYear(spec.expiry), c1}},
	};
	int y = Mm(15.5);
	for (const auto& row : rows) {
		DrawFieldRow(card, row, y, 18, 28, labelInk, valueInk);
		y += Mm(5.6);
	}
	const MrzPlace at = MrzPlacement(36);
	DrawMrz(card, mrz, at.lastCentre, at.spacing, MrzInk(rng));
	RoundCorners(card, 38);
	return card;
}

} // namespace

cv::Mat RenderPassportPage(const MrzSpec& spec, std::uint64_t seed)
{
	const std::array<std::string, 2> mrz = MakeTd3(spec); // validates the spec first
	return PassportPage(spec, mrz, seed);
}

cv::Mat RenderIdCard(const MrzSpec& spec, std::uint64_t seed, IdCardFormat format)
{
	if (format == IdCardFormat::Td1) {
		const std::array<std::string, 3> mrz = MakeTd1(spec);
		return IdCard(spec, mrz, seed, format);
	}
	const std::array<std::string, 2> mrz = MakeTd2(spec);
	return IdCard(spec, mrz, seed, format);
}

MrzFlat RenderMrzTrainingFlat(std::span<const std::string> lines, std::uint64_t seed)
{
	const std::size_t len = lines.empty() ? 0 : lines[0].size();
	const bool ok = (len == 44 && lines.size() == 2) || (len == 36 && lines.size() == 2) || (len == 30 && lines.size() == 3);
	if (!ok || std::any_of(lines.begin(), lines.end(), [&](const std::string& l) {
		    return l.size() != len || l.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<") != std::string::npos;
	    }))
		throw std::invalid_argument("RenderMrzTrainingFlat needs 2 lines of 44 or 36, or 3 of 30, of A-Z 0-9 <");
	MrzFlat out;
	out.image = len == 44 ? PassportPage(MrzSpec{}, lines, seed)
	                      : IdCard(MrzSpec{}, lines, seed, len == 36 ? IdCardFormat::Td2 : IdCardFormat::Td1);
	const MrzPlace at = MrzPlacement(len);
	// As DrawMrz lays them out: fixed cells of kMrzPitch, centred; the glyphs' ink starts about
	// a sixth of a cell in from either end.
	const double width = static_cast<double>(len) * kMrzPitch;
	const double x0 = (out.image.cols - static_cast<int>(width)) / 2;
	const int n = static_cast<int>(lines.size());
	for (int i = 0; i < n; ++i) {
		const float y = static_cast<float>(at.lastCentre - (n - 1 - i) * at.spacing);
		out.ends.push_back({cv::Point2f(static_cast<float>(x0 + kMrzPitch / 6), y),
		                    cv::Point2f(static_cast<float>(x0 + width - kMrzPitch / 6), y)});
	}
	out.capHeight = 30;
	return out;
}

LicenceFront RenderLicenceFront(const FrontSpec& spec, std::uint64_t seed)
{
	RequireValid(spec.birth, "date of birth");
	RequireValid(spec.expiry, "expiry");
	Rng rng(Mix(seed, 0xF0F7 + static_cast<std::uint64_t>(spec.profile)));
	LicenceFront out;
	cv::Mat card = Stock(rng, {kCardW, kCardH}, 205, 246);
	const cv::Scalar band = Tint(rng, 50, 160);
	const cv::Scalar white(250, 250, 250);
	const cv::Scalar labelInk = Tint(rng, 60, 120);
	const cv::Scalar valueInk = Tint(rng, 10, 35);
	const cv::Scalar red(40, 40, 170);
	const std::string surname = Display(spec.surname);
	const std::string given = Display(spec.givenNames);
	const std::string street = spec.address.empty()
								   ? std::to_string(rng.uniformInt(1, 999)) + " " + std::string(PickFrom(rng, kStreets))
								   : Display(spec.address);
	const std::string city(PickFrom(rng, kCities));
	const Ymd issue = std::max(AddYears(spec.birth, 16), IssueDate(rng, spec.expiry));
	cv::rectangle(card, cv::Rect(0, 0, kCardW, 110), band, cv::FILLED);
	const cv::Rect photo(40, 140, 250, 320);
	Portrait(card, photo, rng);
	Signature(card, {330, 585}, 260, rng, valueInk);

	// Draws the date of birth value and records it.
	const auto dob = [&](const std::string& label, const std::string& text, int x, int y, double px,
						 const cv::Scalar& ink) {
		out.dobLabel = label;
		out.dobText = text;
		out.dobBox = Put(card, text, x, y, px, ink, kSansBoldFont).ink;
	};

	switch (spec.profile) {
	case FrontProfile::AuNz: {
		const bool shortLabel = rng.chance(0.5);
		const bool textDate = rng.chance(0.5);
		const auto date = [&](Ymd d) { return textDate ? DayMonYear(d) : DayMonthYear(d, '/'); };
		Put(card, "DRIVER LICENCE", 40, 72, 48, white, kSansBoldFont);
		Put(card, "EXAMPLE STATE", kCardW - 300, 62, 28, white, kSansBoldFont);
		Put(card, given + " " + surname, 320, 178, 34, valueInk, kSansBoldFont);
		Put(card, street, 320, 222, 26, valueInk);
		Put(card, city + " EXS " + Digits(rng, 4), 320, 258, 26, valueInk);
		const std::string number = spec.number.empty() ? Digits(rng, 8) : Display(spec.number);
		Put(card, "Licence No.", 320, 305, 19, labelInk);
		Put(card, number, 320, 342, 32, red, kSansBoldFont);
		const std::string label = shortLabel ? "DOB" : "Date of Birth";
		Put(card, label, 320, 395, 19, labelInk);
		dob(label, date(spec.birth), 320, 432, 30, valueInk);
		Put(card, shortLabel ? "Expiry" : "Licence Expiry", 620, 395, 19, labelInk);
		out.expiryText = date(spec.expiry);
		Put(card, out.expiryText, 620, 432, 30, valueInk, kSansBoldFont);
		Put(card, "Licence Class", 320, 485, 19, labelInk);
		Put(card, "C", 320, 520, 30, valueInk, kSansBoldFont);
		break;
	}
	case FrontProfile::Us: {
		Put(card, "EXAMPLE", 40, 70, 50, white, kSansBoldFont);
		Put(card, "DRIVER LICENSE", 330, 66, 36, white, kSansBoldFont);
		Put(card, "USA", kCardW - 120, 66, 30, white, kSansBoldFont);
		const std::string number = spec.number.empty() ? Letters(rng, 1) + Digits(rng, 7) : Display(spec.number);
		Put(card, "4d DLN", 320, 170, 18, labelInk);
		Put(card, number, 400, 172, 30, red, kSansBoldFont);
		Put(card, "1", 320, 215, 18, labelInk);
		Put(card, surname, 345, 217, 30, valueInk, kSansBoldFont);
		Put(card, "2", 320, 255, 18, labelInk);
		Put(card, given, 345, 257, 30, valueInk, kSansBoldFont);
		Put(card, "8", 320, 295, 18, labelInk);
		Put(card, street, 345, 297, 24, valueInk);
		Put(card, city + ", EX " + Digits(rng, 5), 345, 330, 24, valueInk);
		Put(card, "3", 320, 385, 18, labelInk);
		Put(card, "DOB", 340, 385, 18, labelInk);
		dob("DOB", MonthDayYear(spec.birth), 395, 388, 32, red);
		Put(card, "4b", 320, 430, 18, labelInk);
		Put(card, "EXP", 345, 430, 18, labelInk);
		out.expiryText = MonthDayYear(spec.expiry);
		Put(card, out.expiryText, 395, 432, 28, valueInk, kSansBoldFont);
		Put(card, "4a ISS", 650, 430, 18, labelInk);
		Put(card, MonthDayYear(issue), 720, 432, 22, valueInk);
		Put(card, "15 SEX " + std::string(rng.chance(0.5) ? "F" : "M") + "   16 HGT 5'-0" +
					  std::to_string(rng.uniformInt(1, 9)) + "\"   18 EYES BRO",
			320, 480, 20, valueInk);
		Put(card, "9 CLASS D   12 RESTR NONE", 320, 520, 20, valueInk);
		break;
	}
	case FrontProfile::Canada: {
		Put(card, "EXAMPLE PROVINCE", 40, 50, 34, white, kSansBoldFont);
		Put(card, "DRIVER'S LICENCE  ·  PERMIS DE CONDUIRE", 40, 92, 24, white);
		const std::string number = spec.number.empty()
									   ? Letters(rng, 1) + Digits(rng, 4) + "-" + Digits(rng, 5) + "-" + Digits(rng, 5)
									   : Display(spec.number);
		Put(card, "DL No. / No de permis", 320, 165, 18, labelInk);
		Put(card, number, 320, 200, 30, valueInk, kSansBoldFont);
		Put(card, surname + ",", 320, 250, 30, valueInk, kSansBoldFont);
		Put(card, given, 320, 287, 30, valueInk, kSansBoldFont);
		Put(card, street, 320, 325, 24, valueInk);
		Put(card, city + " EX " + Letters(rng, 1) + Digits(rng, 1) + Letters(rng, 1) + " " + Digits(rng, 1) +
					  Letters(rng, 1) + Digits(rng, 1),
			320, 358, 24, valueInk);
		Put(card, "Birth Date", 320, 405, 19, labelInk);
		dob("Birth Date", YearMonthDay(spec.birth), 320, 442, 30, valueInk);
		Put(card, "Expiry / Expiration", 620, 405, 19, labelInk);
		out.expiryText = YearMonthDay(spec.expiry);
		Put(card, out.expiryText, 620, 442, 30, valueInk, kSansBoldFont);
		Put(card, "Class G    Sex " + std::string(rng.chance(0.5) ? "F" : "M") + "    Hgt " +
					  std::to_string(rng.uniformInt(150, 195)) + " cm",
			320, 500, 22, valueInk);
		break;
	}
	case FrontProfile::Uk:
	case FrontProfile::Eu: {
		const bool uk = spec.profile == FrontProfile::Uk;
		if (uk) {
			Put(card, "DRIVING LICENCE", 40, 72, 46, white, kSansBoldFont);
			Put(card, "UK", kCardW - 110, 72, 46, white, kSansBoldFont);
		}
		else {
			const cv::Rect eu(20, 14, 110, 82);
			cv::rectangle(card, eu, cv::Scalar(140, 50, 10), cv::FILLED);
			for (int k = 0; k < 12; ++k) {
				const double a = k * std::numbers::pi / 6;
				cv::circle(card, {eu.x + 55 + cvRound(26 * std::cos(a)), eu.y + 34 + cvRound(26 * std::sin(a))}, 3,
						   cv::Scalar(0, 210, 255), cv::FILLED, cv::LINE_AA);
			}
			Put(card, "UT", eu.x + 36, eu.y + 78, 22, white, kSansBoldFont);
			Put(card, "DRIVING LICENCE", 150, 52, 34, white, kSansBoldFont);
			Put(card, "PERMIS DE CONDUIRE  ·  FÜHRERSCHEIN", 150, 90, 22, white);
		}
		const int lx = 320;
		const int vx = 372;
		const auto row = [&](const char* label, int y) { Put(card, label, lx, y, 22, labelInk, kSansBoldFont); };
		row("1.", 168);
		Put(card, surname, vx, 168, 30, valueInk, kSansBoldFont);
		row("2.", 212);
		Put(card, given, vx, 212, 30, valueInk, kSansBoldFont);
		row("3.", 256);
		if (uk)
			dob("3.", DayMonthYear(spec.birth, '.', true), vx, 256, 28, valueInk);
		else
			dob("3.", DayMonthYear(spec.birth, '.'), vx, 256, 28, valueInk);
		Put(card, uk ? "UNITED KINGDOM" : std::string(PickFrom(rng, kCities)), out.dobBox.x + out.dobBox.width + 24, 256,
			24, valueInk);
		row("4a.", 300);
		Put(card, DayMonthYear(issue, '.'), vx + 20, 300, 24, valueInk);
		Put(card, "4c.", 620, 300, 22, labelInk, kSansBoldFont);
		Put(card, uk ? "DVLA" : "EXAMPLE AUTHORITY", 672, 300, 24, valueInk);
		row("4b.", 340);
		out.expiryText = DayMonthYear(spec.expiry, '.');
		Put(card, out.expiryText, vx + 20, 340, 24, valueInk);
		const std::string number = spec.number.empty()
									   ? (uk ? Letters(rng, 5) + Digits(rng, 6) + Letters(rng, 2) + "9" + Letters(rng, 2)
											 : Digits(rng, 2) + Letters(rng, 2) + Digits(rng, 6))
									   : Display(spec.number);
		row("5.", 384);
		Put(card, number, vx, 384, 26, valueInk, kSansBoldFont);
		row("8.", 428);
		Put(card, street + ", " + city, vx, 428, 22, valueInk);
		row("9.", 472);
		Put(card, uk ? "AM/A/B1/B/f/k/l/n/p/q" : "AM/B1/B", vx, 472, 24, valueInk);
		break;
	}
	}
	RoundCorners(card, 38);
	out.image = std::move(card);
	return out;
}

// ---------------------------------------------------------------------------------------------
// Scenes. Equivalents of Synth.cpp's scene code for a flat of any size (see DUPLICATION above).

namespace {

constexpr int kFrameW = 1920;
constexpr int kFrameH = 1080;

cv::Point2f Apply(const cv::Matx33d& h, cv::Point2f p)
{
	const cv::Vec3d q = h * cv::Vec3d(p.x, p.y, 1.0);
	return {static_cast<float>(q[0] / q[2]), static_cast<float>(q[1] / q[2])};
}

std::array<cv::Point2f, 4> FlatCorners(cv::Size size)
{
	const auto w = static_cast<float>(size.width);
	const auto h = static_cast<float>(size.height);
	return {cv::Point2f(0, 0), cv::Point2f(w, 0), cv::Point2f(w, h), cv::Point2f(0, h)};
}

/// Flat -> frame homography through a pinhole camera (f = 1500 px) for a document of pixel scale
/// `s` centred on the optical axis, rotated in plane by `theta`, tilted by `alpha` (about x) and
/// `beta` (about y), degrees.
cv::Matx33d DocHomography(cv::Size size, double s, double theta, double alpha, double beta)
{
	const double f = 1500;
	const double t = theta * std::numbers::pi / 180;
	const double a = alpha * std::numbers::pi / 180;
	const double b = beta * std::numbers::pi / 180;
	const cv::Matx33d rz(std::cos(t), -std::sin(t), 0, std::sin(t), std::cos(t), 0, 0, 0, 1);
	const cv::Matx33d rx(1, 0, 0, 0, std::cos(a), -std::sin(a), 0, std::sin(a), std::cos(a));
	const cv::Matx33d ry(std::cos(b), 0, std::sin(b), 0, 1, 0, -std::sin(b), 0, std::cos(b));
	const cv::Matx33d r = rx * ry * rz;
	const std::array<cv::Point2f, 4> src = FlatCorners(size);
	std::array<cv::Point2f, 4> dst;
	for (std::size_t i = 0; i < 4; ++i) {
		const cv::Vec3d p((src[i].x - size.width / 2.0) * s, (src[i].y - size.height / 2.0) * s, 0);
		const cv::Vec3d q = r * p + cv::Vec3d(0, 0, f);
		dst[i] = cv::Point2f(static_cast<float>(f * q[0] / q[2] + kFrameW / 2.0),
							 static_cast<float>(f * q[1] / q[2] + kFrameH / 2.0));
	}
	return cv::Matx33d(cv::getPerspectiveTransform(src.data(), dst.data()));
}

cv::Rect2d Bounds(const cv::Matx33d& h, cv::Size size)
{
	double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
	for (const cv::Point2f p : FlatCorners(size)) {
		const cv::Point2f q = Apply(h, p);
		x0 = std::min(x0, static_cast<double>(q.x));
		y0 = std::min(y0, static_cast<double>(q.y));
		x1 = std::max(x1, static_cast<double>(q.x));
		y1 = std::max(y1, static_cast<double>(q.y));
	}
	return {x0, y0, x1 - x0, y1 - y0};
}

/// A pose for `level` that keeps the whole document in the frame: easy 45-65% of the frame width,
/// rotation +-5 deg, tilt <= 10 deg; medium 40-70%, +-30 deg, <= 25 deg; hard 35-75%, any
/// rotation, <= 40 deg (shrunk until it fits).
cv::Matx33d SampleDocPose(Rng& rng, Level level, cv::Size size)
{
	const double margin = 16;
	for (int attempt = 0; attempt < 60; ++attempt) {
		double frac = 0.5, theta = 0, tilt = 0;
		switch (level) {
		case Level::Easy:
			frac = rng.uniform(0.45, 0.65);
			theta = rng.uniform(-5, 5);
			tilt = rng.uniform(0, 10);
			break;
		case Level::Medium:
			frac = rng.uniform(0.40, 0.70);
			theta = rng.uniform(-30, 30);
			tilt = rng.uniform(0, 25);
			break;
		case Level::Hard:
			frac = rng.uniform(0.35, 0.75);
			theta = rng.uniform(0, 360);
			tilt = rng.uniform(0, 40);
			break;
		}
		const double phi = rng.uniform(0, 2 * std::numbers::pi);
		const double alpha = tilt * std::cos(phi);
		const double beta = tilt * std::sin(phi);
		double s = frac * kFrameW / size.width;
		cv::Matx33d h = DocHomography(size, s, theta, alpha, beta);
		for (int shrink = 0; shrink < 4; ++shrink) {
			const cv::Rect2d b = Bounds(h, size);
			const double fit = std::min((kFrameW - 2 * margin) / b.width, (kFrameH - 2 * margin) / b.height);
			if (fit >= 1)
				break;
			s *= 0.97 * fit;
			h = DocHomography(size, s, theta, alpha, beta);
		}
		const cv::Rect2d b = Bounds(h, size);
		const double dxLo = margin - b.x, dxHi = kFrameW - margin - (b.x + b.width);
		const double dyLo = margin - b.y, dyHi = kFrameH - margin - (b.y + b.height);
		if (dxLo > dxHi || dyLo > dyHi)
			continue;
		const cv::Matx33d shift(1, 0, rng.uniform(dxLo, dxHi), 0, 1, rng.uniform(dyLo, dyHi), 0, 0, 1);
		return shift * h;
	}
	const double s = std::min(0.5 * kFrameW / size.width, 0.8 * kFrameH / size.height);
	return DocHomography(size, s, 0, 0, 0);
}

/// 255 on the document: everything but the pure-white regions connected to the flat's corners.
cv::Mat DocumentMask(const cv::Mat& flat)
{
	cv::Mat filled(flat.rows + 2, flat.cols + 2, CV_8U, cv::Scalar(0));
	cv::Mat image = flat; // a header: FLOODFILL_MASK_ONLY leaves the pixels alone
	for (const cv::Point c : {cv::Point(0, 0), cv::Point(flat.cols - 1, 0), cv::Point(flat.cols - 1, flat.rows - 1),
							  cv::Point(0, flat.rows - 1)}) {
		if (flat.at<cv::Vec3b>(c) != cv::Vec3b(255, 255, 255) || filled.at<std::uint8_t>(c.y + 1, c.x + 1) != 0)
			continue;
		cv::floodFill(image, filled, c, cv::Scalar(), nullptr, cv::Scalar::all(0), cv::Scalar::all(0),
					  4 | cv::FLOODFILL_MASK_ONLY | (255 << 8));
	}
	cv::Mat mask;
	cv::compare(filled(cv::Rect(1, 1, flat.cols, flat.rows)), 0, mask, cv::CMP_EQ);
	return mask;
}

/// A desk or counter: wood grain, laminate or cloth, as low-frequency noise over a base colour.
cv::Mat Background(Rng& rng)
{
	const int kind = rng.uniformInt(0, 2);
	cv::Scalar base;
	double grainAmp = 0.08;
	double blotchAmp = 0.05;
	cv::Size grainSize(12, 220);
	if (kind == 0) {
		const double v = rng.uniform(0.6, 1.15);
		base = cv::Scalar(rng.uniform(55, 85) * v, rng.uniform(95, 125) * v, rng.uniform(135, 170) * v);
		grainAmp = rng.uniform(0.05, 0.11);
		grainSize = rng.chance(0.5) ? cv::Size(90, 16) : cv::Size(16, 90);
	}
	else if (kind == 1) {
		const double g = rng.uniform(120, 210);
		base = cv::Scalar(g + rng.uniform(-15, 15), g + rng.uniform(-15, 15), g + rng.uniform(-15, 15));
		grainAmp = rng.uniform(0.02, 0.05);
		grainSize = cv::Size(120, 68);
	}
	else {
		base = cv::Scalar(rng.uniform(30, 110), rng.uniform(30, 110), rng.uniform(30, 110));
		grainAmp = rng.uniform(0.03, 0.08);
		grainSize = cv::Size(240, 135);
		blotchAmp = 0.08;
	}
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
		n.convertTo(ch[static_cast<std::size_t>(c)], CV_8U, base[c], base[c]);
	cv::Mat small, out;
	cv::merge(ch, small);
	cv::resize(small, out, {kFrameW, kFrameH}, 0, 0, cv::INTER_LINEAR);
	return out;
}

/// Coins, pens and blank notes on the desk (fewer kinds than Synth.cpp's clutter).
void Clutter(cv::Mat& scene, Rng& rng)
{
	const int n = rng.uniformInt(2, 6);
	for (int i = 0; i < n; ++i) {
		const cv::Point2f at(static_cast<float>(rng.uniform(0, kFrameW)), static_cast<float>(rng.uniform(0, kFrameH)));
		switch (rng.uniformInt(0, 2)) {
		case 0: {
			const int r = rng.uniformInt(25, 48);
			const cv::Scalar metal = rng.chance(0.5) ? cv::Scalar(150, 160, 170) : cv::Scalar(60, 150, 190);
			cv::circle(scene, at, r, metal * 0.7, cv::FILLED, cv::LINE_AA);
			cv::circle(scene, at, r - 4, metal, cv::FILLED, cv::LINE_AA);
			break;
		}
		case 1: {
			const double a = rng.uniform(0, std::numbers::pi);
			const double len = rng.uniform(220, 480);
			const cv::Point2f d(static_cast<float>(std::cos(a) * len / 2), static_cast<float>(std::sin(a) * len / 2));
			const int thick = rng.uniformInt(10, 16);
			cv::line(scene, at - d, at + d, Tint(rng, 20, 220), thick, cv::LINE_AA);
			cv::line(scene, at + d, at + d * 1.06f, cv::Scalar(40, 40, 40), thick / 2, cv::LINE_AA);
			break;
		}
		default: {
			const cv::RotatedRect note(at, cv::Size2f(static_cast<float>(rng.uniform(180, 420)), static_cast<float>(rng.uniform(160, 520))),
									   static_cast<float>(rng.uniform(-60, 60)));
			cv::Point2f p[4];
			note.points(p);
			std::vector<cv::Point> poly;
			for (const cv::Point2f q : p)
				poly.emplace_back(cvRound(q.x), cvRound(q.y));
			cv::fillConvexPoly(scene, poly, Tint(rng, 200, 250), cv::LINE_AA);
			break;
		}
		}
	}
}

/// A soft specular highlight on the flat document, bounded so that print keeps some contrast.
void ApplyGlare(cv::Mat& flat, Rng& rng, Level level)
{
	const cv::Point2f c(static_cast<float>(rng.uniform(0.1, 0.9) * flat.cols), static_cast<float>(rng.uniform(0.1, 0.9) * flat.rows));
	const double a = rng.uniform(0.07, 0.22) * flat.cols;
	const double b = rng.uniform(0.06, 0.19) * flat.rows;
	const double peak = rng.uniform(70, level == Level::Hard ? 150 : 120);
	const double ang = rng.uniform(0, std::numbers::pi);
	const double ca = std::cos(ang), sa = std::sin(ang);
	const int r = static_cast<int>(std::ceil(std::max(a, b) * 1.6));
	const cv::Rect box = cv::Rect(cvRound(c.x) - r, cvRound(c.y) - r, 2 * r, 2 * r) & cv::Rect(0, 0, flat.cols, flat.rows);
	for (int y = box.y; y < box.y + box.height; ++y) {
		auto* row = flat.ptr<cv::Vec3b>(y);
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

/// Warps the flat document into the scene with a soft contact shadow.
void Composite(cv::Mat& scene, const cv::Mat& flat, const cv::Mat& mask, const cv::Matx33d& h, Rng& rng)
{
	std::vector<cv::Point2f> corners;
	for (const cv::Point2f p : FlatCorners(flat.size()))
		corners.push_back(Apply(h, p));
	const int pad = 40;
	const cv::Rect roi = (cv::boundingRect(corners) + cv::Size(2 * pad, 2 * pad) - cv::Point(pad, pad)) &
						 cv::Rect(0, 0, kFrameW, kFrameH);
	if (roi.empty())
		return;
	const cv::Matx33d toRoi(1, 0, -roi.x, 0, 1, -roi.y, 0, 0, 1);
	const cv::Matx33d hr = toRoi * h;
	cv::Mat warped, alpha;
	cv::warpPerspective(flat, warped, hr, roi.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT);
	cv::warpPerspective(mask, alpha, hr, roi.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT);
	cv::Mat small, shadow;
	cv::resize(alpha, small, {std::max(1, roi.width / 8), std::max(1, roi.height / 8)}, 0, 0, cv::INTER_AREA);
	cv::GaussianBlur(small, small, {0, 0}, 1.8);
	cv::resize(small, shadow, roi.size(), 0, 0, cv::INTER_LINEAR);
	const int ox = rng.uniformInt(-8, 12), oy = rng.uniformInt(4, 16);
	const int strength = rng.uniformInt(64, 128);
	cv::Mat target = scene(roi);
	for (int y = 0; y < roi.height; ++y) {
		auto* d = target.ptr<cv::Vec3b>(y);
		const auto* s = warped.ptr<cv::Vec3b>(y);
		const auto* a = alpha.ptr<std::uint8_t>(y);
		const auto* sh = shadow.ptr<std::uint8_t>(std::clamp(y - oy, 0, roi.height - 1));
		for (int x = 0; x < roi.width; ++x) {
			const int dark = 256 * 255 - strength * sh[std::clamp(x - ox, 0, roi.width - 1)];
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

/// A hand holding the document by a side edge near the top: palm outside, thumb over the upper
/// 10-28% of the edge (clear of MRZ zones and of the licence fronts' date lines).
void Thumb(cv::Mat& scene, cv::Size size, const cv::Matx33d& h, Rng& rng)
{
	const cv::Scalar skin = rng.pick({cv::Scalar(150, 175, 225), cv::Scalar(115, 150, 205), cv::Scalar(85, 115, 165),
									  cv::Scalar(60, 85, 125), cv::Scalar(175, 195, 235)});
	const bool left = rng.chance(0.5);
	const double edge = left ? 0 : size.width;
	const double out = left ? -1 : 1;
	const double y = rng.uniform(0.10, 0.28) * size.height;
	const cv::Point2d palm(edge + out * rng.uniform(175, 210), y + rng.uniform(30, 90));
	const int palmAngle = rng.uniformInt(-25, 25);
	FillPolygon(scene, EllipsePts(palm, {170, 125}, palmAngle), h, skin * 0.7);
	FillPolygon(scene, EllipsePts(palm + cv::Point2d(out * 10, -12), {140, 98}, palmAngle), h, skin * 0.85);
	const int thumbAngle = rng.uniformInt(-20, 20);
	FillPolygon(scene, EllipsePts({edge - out * 22 + 3, y + 4}, {80, 34}, thumbAngle), h, skin * 0.55);
	FillPolygon(scene, EllipsePts({edge - out * 22, y}, {78, 32}, thumbAngle), h, skin);
	FillPolygon(scene, EllipsePts({edge - out * 66, y - 2}, {22, 17}, thumbAngle), h, skin * 1.12);
}

struct Photometric {
	double sigma = 0.5;
	int motion = 0;
	double motionAngle = 0;
	double noise = 2;
	int jpeg = 90;
	double contrast = 1;
	double offset = 0;
	double gainAmp = 0.05;
	double exposure = 1;
	bool glare = false;
};

/// Synth.cpp's photometric table (easy / medium / hard).
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

/// Lighting, blur, range compression, noise and a JPEG round trip, in that order.
void Degrade(cv::Mat& scene, Rng& rng, const Photometric& p)
{
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

	scene.convertTo(scene, -1, p.contrast, p.offset);
	cv::Mat noise(scene.size(), CV_8SC3);
	cv::RNG nr = rng.cvRng();
	nr.fill(noise, cv::RNG::NORMAL, 0.0, p.noise);
	cv::addWeighted(scene, 1.0, noise, 1.0, 0.0, scene, CV_8U);

	std::vector<std::uint8_t> jpeg;
	cv::imencode(".jpg", scene, jpeg, {cv::IMWRITE_JPEG_QUALITY, p.jpeg});
	scene = cv::imdecode(jpeg, cv::IMREAD_COLOR);
}

} // namespace

DocumentScene MakeDocumentScene(const cv::Mat& flat, std::uint64_t seed, Level level)
{
	if (flat.empty() || flat.type() != CV_8UC3)
		throw std::invalid_argument("MakeDocumentScene needs a non-empty CV_8UC3 flat document");
	Rng rng(Mix(seed, 0xD0C5 + static_cast<std::uint64_t>(level)));
	const Photometric photo = SamplePhotometric(rng, level);
	const cv::Matx33d h = SampleDocPose(rng, level, flat.size());
	const cv::Mat mask = DocumentMask(flat);
	cv::Mat doc = flat.clone();
	if (photo.glare)
		ApplyGlare(doc, rng, level);

	cv::Mat scene = Background(rng);
	Clutter(scene, rng);
	Composite(scene, doc, mask, h, rng);
	if (rng.chance(0.5))
		Thumb(scene, flat.size(), h, rng);
	Degrade(scene, rng, photo);

	DocumentScene out;
	out.image = std::move(scene);
	const std::array<cv::Point2f, 4> corners = FlatCorners(flat.size());
	for (std::size_t i = 0; i < 4; ++i)
		out.corners[i] = Apply(h, corners[i]);
	return out;
}

// ---------------------------------------------------------------------------------------------
// Samples

std::string_view ToString(DocumentKind kind) noexcept
{
	switch (kind) {
	case DocumentKind::Passport: return "passport";
	case DocumentKind::IdTd1: return "id-td1";
	case DocumentKind::IdTd2: return "id-td2";
	case DocumentKind::Front: return "front";
	}
	return "?";
}

std::optional<DocumentKind> DocumentKindFromString(std::string_view token) noexcept
{
	for (auto k : {DocumentKind::Passport, DocumentKind::IdTd1, DocumentKind::IdTd2, DocumentKind::Front})
		if (ToString(k) == token)
			return k;
	return std::nullopt;
}

DocumentSample MakeDocumentSample(std::uint64_t seed, DocumentKind kind, Level level, Ymd today, int threshold)
{
	static constexpr std::string_view kSurnames[] = {"SPECIMEN", "SAMPLE", "EXAMPLE", "TESTER", "CITIZEN",
	                                                 "MODELSON", "PROTOTYPE", "DEMOLA", "FICTIVE", "MUSTER"};
	static constexpr std::string_view kGiven[] = {"ALEX", "SAM", "JORDAN", "TAYLOR", "CASEY", "MORGAN",
	                                              "RILEY", "JAMIE", "ROBIN", "DREW", "PAT", "KIM"};
	static constexpr std::string_view kStates[] = {"UTO", "D<<", "NLD", "AUS", "NZL", "GBR", "CAN", "FRA", "ITA"};
	Rng rng(Mix(seed, 0xD0C5));
	LicenceCase lc = MakeLicenceCase(Mix(seed, 1), today, threshold);
	DocumentSample sample;
	sample.kind = kind;
	sample.level = level;
	sample.kase = lc.kase;
	sample.threshold = std::clamp(threshold, 1, 125);
	sample.today = today;
	sample.expected = lc.expected;
	Ymd birth = lc.spec.birth;
	// A two-digit year cannot tell a 100-year-old from a baby: keep every holder under 99. The
	// case does not change: ages over 99 are clearly over any threshold up to 59 either way.
	while (AddYears(birth, 99) <= today)
		birth = AddYears(birth, 40);
	const Reason verified = kind == DocumentKind::Front ? Reason::Printed : Reason::Mrz;
	sample.expectedReason = lc.expectedReason == Reason::Aamva ? verified : lc.expectedReason;

	cv::Mat flat;
	if (kind == DocumentKind::Front) {
		FrontSpec f;
		f.profile = static_cast<FrontProfile>(rng.uniformInt(0, 4));
		f.surname = std::string(PickFrom(rng, kSurnames));
		f.givenNames = std::string(PickFrom(rng, kGiven));
		f.birth = birth;
		f.expiry = lc.spec.expiry;
		sample.profile = f.profile;
		flat = RenderLicenceFront(f, Mix(seed, 3)).image;
	} else {
		MrzSpec m;
		m.surname = std::string(PickFrom(rng, kSurnames));
		m.givenNames = std::string(PickFrom(rng, kGiven));
		if (rng.chance(0.3))
			m.givenNames += " " + std::string(PickFrom(rng, kGiven));
		m.issuingState = std::string(PickFrom(rng, kStates));
		m.nationality = m.issuingState;
		m.birth = birth;
		m.expiry = lc.spec.expiry;
		m.sex = rng.pick({'M', 'F', '<'});
		m.number = Letters(rng, rng.uniformInt(1, 2)) + Digits(rng, 7);
		if (kind != DocumentKind::Passport && rng.chance(0.15))
			m.number = Letters(rng, 2) + Digits(rng, 10); // a long number that overflows
		if (kind == DocumentKind::Passport && rng.chance(0.4))
			m.optional = Digits(rng, rng.uniformInt(6, 14));
		if (rng.chance(0.08)) {
			m.corrupt = rng.chance(0.5) ? MrzCorrupt::Birth : MrzCorrupt::Composite;
			sample.expected = Verdict::Unverified;
			sample.expectedReason = Reason::CheckDigit;
		}
		sample.corrupt = m.corrupt;
		switch (kind) {
		case DocumentKind::Passport:
			m.documentCode = "P<";
			flat = RenderPassportPage(m, Mix(seed, 3));
			break;
		case DocumentKind::IdTd1:
			m.documentCode = rng.chance(0.5) ? "ID" : "I<";
			flat = RenderIdCard(m, Mix(seed, 3), IdCardFormat::Td1);
			break;
		default:
			m.documentCode = rng.chance(0.5) ? "ID" : "I<";
			// Two lines of 36 opening "IDFRA" are the French identity card of 1988-2021, whose
			// layout is not 9303's (src/mrz rejects it as not-an-id): a TD2 from France says "I<".
			if (m.issuingState == "FRA")
				m.documentCode = "I<";
			flat = RenderIdCard(m, Mix(seed, 3), IdCardFormat::Td2);
			break;
		}
	}
	DocumentScene scene = MakeDocumentScene(flat, Mix(seed, 4), level);
	sample.image = std::move(scene.image);
	sample.corners = scene.corners;
	return sample;
}

} // namespace agecheck::synth

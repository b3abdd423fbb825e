// SPDX-License-Identifier: Apache-2.0
#include "sighting/Sighting.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numbers>
#include <utility>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "aamva/Aamva.h"
#include "barcode/Barcode.h"
#include "capture/FrameSource.h"
#include "locate/MrzLocate.h"
#include "mrz/Mrz.h"
#include "ocr/Flatten.h"
#include "ocr/Legibility.h"
#include "ocr/Ocr.h"
#include "printed/Printed.h"

namespace agecheck::sighting {

namespace {

/// How much a failure tells the cashier: a later frame's failure replaces an earlier one only
/// when it says more.
int Rank(Reason r) noexcept
{
	switch (r) {
	case Reason::Unreadable: return 0;
	case Reason::NotAnId: return 1;
	default: return 2;
	}
}

barcode::GrayView View(const cv::Mat& m) noexcept
{
	return {m.data, m.cols, m.rows, int(m.step[0])};
}

/// How a cut-out is cleaned up before decoding.
struct Filter {
	float denoise = 0; ///< Gaussian sigma against sensor noise (0: none)
	float radius = 0;  ///< unsharp-mask sigma (0: no sharpening)
	float amount = 0;  ///< unsharp-mask strength
	bool alongBars = false; ///< denoise only along the bars (vertical) and sharpen only across them
};

/// One way of cutting out and reading a candidate; tried in order until one decodes.
struct Attempt {
	bool perspective; ///< warp the fitted quadrilateral (else rotate by the refined angle)
	Filter filter;
	barcode::Binarizer binarizer;
};

// Ordered by how often each reads what the ones before it missed, on the synthetic benchmark.
constexpr std::array kAttempts = {
	Attempt{true, {}, barcode::Binarizer::LocalAverage},
	Attempt{true, {0, 2.0f, 1.0f}, barcode::Binarizer::LocalAverage},
	Attempt{true, {1.5f, 2.0f, 1.5f, true}, barcode::Binarizer::LocalAverage},
	Attempt{true, {0.8f, 2.5f, 1.5f}, barcode::Binarizer::LocalAverage},
	Attempt{false, {0, 3.0f, 1.5f}, barcode::Binarizer::LocalAverage},
};

/// Stretches the contrast to the full range, then denoises and unsharp-masks as `f` says: the
/// blur of a hand-held camera spreads a module over a few pixels.
cv::Mat Clean(const cv::Mat& crop, const Filter& f)
{
	if (f.radius <= 0)
		return crop;
	cv::Mat img, blurred, out;
	cv::normalize(crop, img, 0, 255, cv::NORM_MINMAX);
	if (f.alongBars) {
		// The bars are vertical in a cut-out: smoothing along them loses nothing of the code.
		cv::GaussianBlur(img, img, {1, 0}, 0.01, double(f.denoise));
		cv::GaussianBlur(img, blurred, {0, 1}, double(f.radius), 0.01);
	} else {
		if (f.denoise > 0)
			cv::GaussianBlur(img, img, {0, 0}, double(f.denoise));
		cv::GaussianBlur(img, blurred, {0, 0}, double(f.radius));
	}
	cv::addWeighted(img, 1.0 + double(f.amount), blurred, -double(f.amount), 0, out);
	return out;
}

/// MRZ character height (px) of a zone's line cut-outs: first kMrzChar, then the two others when
/// the check digits fail. The MRZ models read each cut-out whole, scaled to their own height, so
/// the size matters little to the network; smaller cut-outs cost less to prepare. 20 px read the
/// benchmark's zones as 32 px did, its frames about an eighth faster (timed in pairs).
constexpr float kMrzChar = 20.f;
constexpr std::array<float, 2> kMrzCharRetry = {28.f, 40.f};

/// Text-line height (px) for reading a card front (and a page's printed date of birth).
constexpr float kFrontLineHeight = 26.f;
/// A page's data is read narrowed along its lines to this share of its width: Tesseract scales
/// each line to its network's height, and a narrower line is fewer steps of the network. On the
/// benchmark's passport and TD2 pages (seeds 2027 and 909, 20 per level), 0.7 read as many
/// printed dates as 1.0 (60 and 59 on 122 pages) in 10 to 20% less time per page; 0.55 read as
/// many again, but the saving over 0.7 was within the timing noise.
constexpr float kDataSqueeze = 0.7f;
/// A licence front whose dates did not read is read again with this many line heights of margin
/// before its lines (Scanner::readPrinted). On the benchmark's medium fronts: 80 -> 86.7% (seed
/// 909, 30 a level), 85 -> 90% (seed 5151, 40) and 95% either way (seed 2027, 20); easy fronts
/// the same. A second pass on fronts that do not read: hard fronts' median about 70 ms longer.
constexpr float kFrontRetryMargin = 2.5f;
/// A page's data is read line by line, top to bottom, until its date of birth is read, each line
/// at most this many line heights long (as narrowed): a bilingual label ("Date of birth / Date de
/// naissance", 13 heights) or a date with its label, not a second column. On the benchmark's
/// passport pages the date of birth is read 10 to 12 lines down of 16 to 18, and the comparison
/// took about 40% less time on those pages; 20 medium passports, timed in pairs as a whole:
/// 5.8-6.3 s against 6.4-6.9 s. As many printed dates were read (on 59 pages of 122, seeds 2027
/// and 909, against 60 read as a block).
constexpr float kDataSpan = 14.f;
/// The paper level under a card's text is taken over this share of a line's height
/// (ocr::FlattenPaper): 21 px at 26 px lines. On the generator's fronts, 21 and 25 px read the most
/// medium fronts; 31 and 45 px fewer (a wider closing leaves more of the shading).
constexpr float kPaperShare = 0.8f;

// Hints for the cashier (Guide). A reflection: pixels at or above kGlareLevel (saturated) covering
// more than kGlareShare of the barcode or zone found. Too far: PDF417 bars narrower than kMinModule px, MRZ characters
// lower than kMinMrzChar px, printed lines lower than kMinTextLine px (below those the decoders
// rarely read anything, whatever the focus).
constexpr int kGlareLevel = 250;
constexpr double kGlareShare = 0.03;
constexpr float kMinGuideScore = 12.f; // weaker PDF417-like regions are mostly desk clutter: no outline
constexpr float kGlareAround = 1.6f; // a barcode's reflection is looked for in its outline grown by this
constexpr float kMinModule = 1.8f;
constexpr float kMinMrzChar = 14.f;
constexpr float kMinTextLine = 12.f;

/// Room for the text of a card front as read.
constexpr std::size_t kFrontText = 8192;

/// Room for one MRZ as read: up to 4 lines (one too many is malformed) of up to 63 characters.
constexpr std::size_t kMrzText = 4 * 64;

/// Stretches or shortens the longest run of '<' in `line` (in place, in a buffer of `cap`) so that
/// the line is `target` long, when it is off by at most 2 and has such a run (of 2 or more). OCR
/// merges or splits fillers more than anything else; the check digits then decide whether the
/// line was read right. Returns the new length.
std::size_t FitFillers(char* line, std::size_t len, std::size_t cap, std::size_t target) noexcept
{
	if (len == target || len + 2 < target || len > target + 2 || target > cap)
		return len;
	std::size_t best = 0, bestLen = 0;
	for (std::size_t i = 0; i < len;) {
		std::size_t j = i;
		while (j < len && line[j] == '<')
			++j;
		if (j - i > bestLen) {
			best = i;
			bestLen = j - i;
		}
		i = j == i ? i + 1 : j;
	}
	if (bestLen < 2)
		return len;
	if (len > target) {
		const std::size_t cut = len - target;
		std::memmove(line + best, line + best + cut, len - best - cut);
	} else {
		const std::size_t add = target - len;
		std::memmove(line + best + add, line + best, len - best);
		std::memset(line + best, '<', add);
	}
	return target;
}

/// The line length of an MRZ of `lines` lines whose lines were read `lengths` long.
std::size_t MrzLineLength(std::size_t lines, std::span<const std::size_t> lengths) noexcept
{
	if (lines == 3)
		return 30;
	std::size_t sum = 0;
	for (std::size_t l : lengths)
		sum += l;
	return sum >= 2 * 40 ? 44 : 36;
}

/// The corners of a box centred on `c`, its long side along `angle`: top-left, top-right,
/// bottom-right, bottom-left.
std::array<cv::Point2f, 4> BoxCorners(cv::Point2f c, float angle, float halfLength, float halfHeight) noexcept
{
	const cv::Point2f u{std::cos(angle) * halfLength, std::sin(angle) * halfLength};
	const cv::Point2f v{-std::sin(angle) * halfHeight, std::cos(angle) * halfHeight};
	return {c - u - v, c + u - v, c + u + v, c - u + v};
}

/// The share of the pixels inside `quad` that a reflection has washed out (near white).
double GlareShare(const cv::Mat& gray, const std::array<cv::Point2f, 4>& quad)
{
	std::array<cv::Point, 4> corners;
	for (std::size_t i = 0; i < 4; ++i)
		corners[i] = cv::Point(cvRound(quad[i].x), cvRound(quad[i].y));
	const cv::Rect box = cv::boundingRect(corners) & cv::Rect(0, 0, gray.cols, gray.rows);
	if (box.area() < 16)
		return 0;
	// No matrix expressions (cv::Mat::zeros, operator>=) here: their MatOp objects fail UBSan's
	// vptr check inside the sandboxed worker, which cannot read the type information it needs.
	cv::Mat mask(box.size(), CV_8U, cv::Scalar(0));
	for (auto& p : corners)
		p -= box.tl();
	cv::fillConvexPoly(mask, corners.data(), 4, cv::Scalar(255));
	const int inside = cv::countNonZero(mask);
	if (inside == 0)
		return 0;
	cv::Mat washed;
	cv::Mat bright;
	cv::compare(gray(box), cv::Scalar(kGlareLevel), bright, cv::CMP_GE);
	cv::bitwise_and(bright, mask, washed);
	return double(cv::countNonZero(washed)) / inside;
}

/// The narrowest bar width of a rectified PDF417 cut-out, px: the low end of the run lengths along
/// a few rows through its middle, after Otsu's threshold. 0 when there are too few runs to tell.
float ModuleWidth(const cv::Mat& cut)
{
	if (cut.rows < 8 || cut.cols < 32)
		return 0;
	cv::Mat band = cut.rowRange(cut.rows * 2 / 5, cut.rows * 3 / 5), bw;
	cv::threshold(band, bw, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
	std::vector<int> runs;
	for (int y = 0; y < bw.rows; y += std::max(1, bw.rows / 5)) {
		const std::uint8_t* row = bw.ptr<std::uint8_t>(y);
		int run = 1;
		for (int x = 1; x < bw.cols; ++x) {
			if (row[x] == row[x - 1]) {
				++run;
			} else {
				runs.push_back(run);
				run = 1;
			}
		}
	}
	if (runs.size() < 40)
		return 0;
	auto nth = runs.begin() + std::ptrdiff_t(runs.size() / 5);
	std::nth_element(runs.begin(), nth, runs.end());
	return float(*nth);
}

/// `quad` grown by `factor` about its centre.
std::array<cv::Point2f, 4> Grown(const std::array<cv::Point2f, 4>& quad, float factor) noexcept
{
	const cv::Point2f c = (quad[0] + quad[1] + quad[2] + quad[3]) * 0.25f;
	std::array<cv::Point2f, 4> out;
	for (std::size_t i = 0; i < 4; ++i)
		out[i] = c + (quad[i] - c) * factor;
	return out;
}

/// The part of an MRZ document that prints its holder's data, cut out of `gray` upright (as the
/// zone reads) at frame scale; `lines` are the zone's lines, top to bottom as read. ICAO 9303 puts
/// a data page's portrait at the left, above the zone, and the personal data to its right: on a
/// passport (TD3; the zone's lines 112 mm long, the page 88 mm high with a 23 mm zone, the
/// portrait ending 28-35% of a line's length in), a TD2 card and a visa (two lines too). (A TD1
/// card's zone is on its back, which does not print the holder's date of birth: not looked at.)
/// Outside the frame the border pixels are repeated.
cv::Mat DataZone(const cv::Mat& gray, const std::vector<locate::MrzLine>& lines)
{
	if (lines.empty())
		return {};
	const locate::MrzLine& top = lines.front();
	float length = 0;
	for (const auto& line : lines)
		length = std::max(length, 2 * line.halfLength);
	const cv::Point2f along(std::cos(top.angle), std::sin(top.angle)), down(-std::sin(top.angle), std::cos(top.angle));
	const float from = 0.30f, to = 1.04f, height = 0.62f; // in line lengths
	// The zone's top left corner, half a character above its top line.
	const cv::Point2f corner = top.center - along * top.halfLength - down * (2 * top.halfHeight);
	const cv::Point2f src[3] = {corner + along * (from * length) - down * (height * length),
	                            corner + along * (to * length) - down * (height * length), corner + along * (from * length)};
	const cv::Size size(cvRound((to - from) * length), cvRound(height * length));
	if (size.width < 16 || size.height < 16)
		return {};
	const cv::Point2f dst[3] = {{0, 0}, {float(size.width), 0}, {0, float(size.height)}};
	cv::Mat zone;
	cv::warpAffine(gray, zone, cv::getAffineTransform(src, dst), size, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
	return zone;
}

/// Sets what `guide` found, with its outline in frame coordinates turned into fractions.
void SetFound(Guide& guide, Found found, const std::array<cv::Point2f, 4>& quad, cv::Size frame) noexcept
{
	guide.found = found;
	for (std::size_t i = 0; i < 4; ++i)
		guide.outline[i] = {quad[i].x / float(frame.width), quad[i].y / float(frame.height)};
}

} // namespace

Verdict Sighting::verdictFor(int threshold) const noexcept
{
	for (std::size_t i = 0; i < count; ++i)
		if (thresholds[i] == threshold)
			return verdicts[i];
	return Verdict::Unverified;
}

Scanner::Scanner(age::Policy policy, Options options) : _policy(std::move(policy)), _options(std::move(options))
{
	for (const std::string& name : _policy.printedProfiles)
		if (const printed::Profile* p = printed::FindProfile(name); p && _profileCount < _profiles.size())
			_profiles[_profileCount++] = p;
}

Sighting Scanner::unverified(Reason reason) const noexcept
{
	Sighting s;
	s.reason = reason;
	for (int t : _policy.thresholds) {
		if (s.count == kMaxThresholds)
			break;
		s.thresholds[s.count] = t;
		s.verdicts[s.count] = Verdict::Unverified;
		++s.count;
	}
	return s;
}

Sighting Scanner::decidePayload(std::span<const std::byte> payload, std::chrono::year_month_day today) const
{
	auto doc = aamva::Parse(payload);
	if (!doc)
		return unverified(doc.reason());
	return decideDates(doc->birth, doc->expiry, Reason::Aamva, today);
}

Sighting Scanner::decideMrz(std::string_view text, std::chrono::year_month_day today,
                            std::optional<SecretDate>* birth, mrz::Format* format) const noexcept
{
	// Split into lines, fit each to the format's length, and parse: all in one wiped stack buffer.
	char buf[kMrzText];
	std::size_t starts[4] = {}, lengths[4] = {};
	std::size_t from[4] = {}, to[4] = {}; // each line's place in `text`
	std::size_t lines = 0, n = 0;
	for (std::size_t i = 0; i <= text.size() && lines < 4;) {
		std::size_t j = i;
		while (j < text.size() && text[j] != '\n')
			++j;
		if (j > i) {
			const std::size_t len = std::min<std::size_t>(j - i, 63);
			if (n + 64 > sizeof buf)
				break;
			from[lines] = i;
			to[lines] = j;
			starts[lines] = n;
			lengths[lines] = len;
			std::memcpy(buf + n, text.data() + i, len);
			n += 64; // each line gets a 64-byte slot, so that it can grow
			++lines;
		}
		i = j + 1;
	}
	Sighting s = unverified(Reason::Unreadable);
	if (lines == 2 || lines == 3) {
		// The readings of each line to try: as read or with its filler run fitted; and, for a line
		// a character or two too long, its first or its last `target` characters (a stray mark
		// read at an end). The check digits decide which, if any, is right.
		const std::size_t target = MrzLineLength(lines, {lengths, lines});
		char variants[3][3][64];
		std::size_t varLen[3][3] = {};
		std::size_t counts[3] = {};
		// The names line (the first of TD2, TD3 and visas, the last of TD1) has no check digit and
		// nothing of it is kept but its first five characters (document code and issuing state):
		// it is cut or filled to length, so that a misread name cannot hide a good reading.
		const std::size_t names = lines == 3 ? 2 : 0;
		for (std::size_t k = 0; k < lines; ++k) {
			const char* line = buf + starts[k];
			std::memcpy(variants[k][0], line, lengths[k]);
			varLen[k][0] = FitFillers(variants[k][0], lengths[k], 63, target); // as read when it cannot fit
			counts[k] = 1;
			if (k == names && varLen[k][0] != target && lengths[k] >= 5) {
				std::memcpy(variants[k][0], line, std::min(lengths[k], target));
				if (lengths[k] < target)
					std::memset(variants[k][0] + lengths[k], '<', target - lengths[k]);
				varLen[k][0] = target;
				continue;
			}
			if (lengths[k] > target && lengths[k] <= target + 2) {
				std::memcpy(variants[k][1], line, target);
				std::memcpy(variants[k][2], line + lengths[k] - target, target);
				varLen[k][1] = varLen[k][2] = target;
				counts[k] = 3;
			}
		}
		bool done = false;
		for (std::size_t a = 0; a < counts[0] && !done; ++a)
			for (std::size_t b = 0; b < counts[1] && !done; ++b)
				for (std::size_t c = 0; c < (lines == 3 ? counts[2] : 1) && !done; ++c) {
					char joined[kMrzText];
					std::size_t m = 0;
					const std::size_t pick[3] = {a, b, c};
					for (std::size_t k = 0; k < lines; ++k) {
						const std::size_t len = varLen[k][pick[k]];
						std::memcpy(joined + m, variants[k][pick[k]], len);
						m += len;
						joined[m++] = '\n';
					}
					auto doc = mrz::Parse({joined, m}, today);
					SecureZero(joined, sizeof joined);
					const bool first = a == 0 && b == 0 && c == 0;
					if (doc && doc->birth) {
						s = decideDates(*doc->birth, doc->expiry, Reason::Mrz, today);
						if (birth)
							birth->emplace(doc->birth->get());
						if (format)
							*format = doc->format;
						done = true;
					} else if (doc) {
						s = unverified(Reason::MissingBirthDate);
						done = true;
					} else if (first) {
						s = unverified(doc.reason()); // the plain reading's failure, unless a variant parses
					}
				}
		SecureZero(variants, sizeof variants);
	} else if (lines > 0) {
		s = unverified(Reason::Malformed); // one line, or more than 3
	}
	// Three lines where a passport page or a TD2 card has two: a line of other print next to the
	// zone (a printed field above it, the card's edge below) was taken for one of its lines. Two
	// adjacent lines that were both read about a TD2 or TD3 line long are read as the zone alone;
	// their check digits decide as for any zone. (TD1 lines, 30 long, are never read in pairs.)
	const auto unparsed = [](Reason r) { return r == Reason::Malformed || r == Reason::Unreadable; };
	if (lines == 3 && (unparsed(s.reason) || s.reason == Reason::CheckDigit)) {
		const auto near = [&](std::size_t k) {
			return (lengths[k] >= 34 && lengths[k] <= 38) || (lengths[k] >= 42 && lengths[k] <= 46);
		};
		for (std::size_t a = 0; a < 2; ++a) {
			if (!near(a) || !near(a + 1) || (lengths[a] < 40) != (lengths[a + 1] < 40))
				continue;
			const Sighting pair = decideMrz(text.substr(from[a], to[a + 1] - from[a]), today, birth, format);
			if (pair.reason == Reason::CheckDigit ? s.reason != Reason::CheckDigit : !unparsed(pair.reason))
				s = pair;
			if (!unparsed(s.reason) && !s.tentative())
				break; // parsed: a verdict, or a parsed document's failure (expired, ...)
		}
	}
	SecureZero(buf, sizeof buf);
	return s;
}

Sighting Scanner::decidePrinted(std::string_view text, std::chrono::year_month_day today,
                                std::optional<SecretDate>* birth) const noexcept
{
	auto dates = printed::Parse(text, {_profiles.data(), _profileCount}, today);
	if (!dates)
		return unverified(dates.reason());
	if (birth)
		birth->emplace(dates->birth.get());
	return decideDates(dates->birth, dates->expiry, Reason::Printed, today);
}

Sighting Scanner::decideDates(const SecretDate& birth, const std::optional<SecretDate>& expiry, Reason source,
                              std::chrono::year_month_day today) const noexcept
{
	Sighting s = unverified(source);
	for (std::size_t i = 0; i < s.count; ++i) {
		const auto d = age::Decide(birth, expiry, source, today, _policy, s.thresholds[i]);
		s.verdicts[i] = d.verdict;
		// Every threshold fails for the same reason when the document is not verified.
		if (d.verdict == Verdict::Unverified)
			s.reason = d.reason;
	}
	if (!IsSource(s.reason))
		for (std::size_t i = 0; i < s.count; ++i)
			s.verdicts[i] = Verdict::Unverified;
	return s;
}

Sighting Scanner::scanFrame(const cv::Mat& frame, std::chrono::year_month_day today) const noexcept
{
	return scanFrame(frame, today, nullptr);
}

Sighting Scanner::scanFrame(const cv::Mat& frame, std::chrono::year_month_day today, Guide* guide) const noexcept
{
	const Sighting best = unverified(Reason::Unreadable);
	if (guide)
		*guide = {};
	if (frame.empty() || frame.depth() != CV_8U || frame.dims != 2 || long(frame.total()) > _options.maxPixels)
		return best;
	try {
		Sighting s = scan(frame, today, best, guide);
		if (guide && s.documentRead() && !s.tentative())
			guide->hint = Hint::None; // a verdict: nothing more to do
		return s;
	} catch (...) {
		// A hostile frame that makes OpenCV or zxing throw, or exhausts memory, reads as nothing.
		if (guide)
			*guide = {};
		return best;
	}
}

Sighting Scanner::scan(const cv::Mat& frame, std::chrono::year_month_day today, Sighting best, Guide* guide) const
{
	cv::Mat gray;
	if (frame.channels() == 3)
		cv::cvtColor(frame, gray, cv::COLOR_BGR2GRAY);
	else if (frame.channels() == 4)
		cv::cvtColor(frame, gray, cv::COLOR_BGRA2GRAY);
	else if (frame.channels() == 1)
		gray = frame;
	else
		return best;

	best = scanBarcodes(gray, today, best, guide);
	if (best.reason != Reason::Unreadable || !_options.ocr)
		return best; // a barcode was decoded (an ID or not): no need to read text
	// Whatever was read, the recognisers' state afterwards holds nothing of this frame's text.
	struct Scrub {
		ocr::Engine& engine;
		~Scrub() { engine.scrub(); }
	} scrub{*_options.ocr};
	best = scanMrz(gray, today, best, guide);
	// A zone that read as an MRZ decides (a check-digit failure included: a page whose MRZ fails
	// is never decided by its printed date instead). Lines that only looked like one (two long
	// lines at the bottom of a licence front) read as nothing: the printed path goes on.
	if (best.documentRead())
		return best;
	// The card's printed text guides only when no barcode or zone was seen: a symbol that did not
	// decode says more than the text around it.
	const Sighting s = scanPrinted(gray, today, nullptr, guide && guide->found == Found::Nothing ? guide : nullptr,
	                               {.lineHeight = kFrontLineHeight, .retryLeftMargin = kFrontRetryMargin});
	return s.documentRead() || Rank(s.reason) > Rank(best.reason) ? s : best;
}

Sighting Scanner::scanMrz(const cv::Mat& gray, std::chrono::year_month_day today, Sighting best, Guide* guide) const
{
	locate::MrzOptions mo;
	mo.maxCandidates = _options.maxMrzCandidates;
	const auto zones = locate::FindMrz(gray, mo);
	// A zone is more specific than a PDF417-like texture that did not decode, so it guides, unless
	// it lies on that texture (a blurred symbol's rows can look like lines of text).
	const auto onBarcode = [&](const locate::MrzCandidate& zone) {
		if (guide->found != Found::Barcode)
			return false;
		std::vector<cv::Point2f> outline;
		for (const auto& p : guide->outline)
			outline.emplace_back(p.x * float(gray.cols), p.y * float(gray.rows));
		const auto grown = Grown({outline[0], outline[1], outline[2], outline[3]}, 1.2f);
		const cv::Point2f c = (zone.quad[0] + zone.quad[1] + zone.quad[2] + zone.quad[3]) * 0.25f;
		return cv::pointPolygonTest(std::vector<cv::Point2f>(grown.begin(), grown.end()), c, false) >= 0;
	};
	if (guide && !zones.empty() && !onBarcode(zones.front())) {
		const auto& zone = zones.front();
		SetFound(*guide, Found::Mrz, zone.quad, gray.size());
		float charHeight = 0;
		for (const auto& line : zone.lines)
			charHeight = std::max(charHeight, 2 * line.halfHeight);
		guide->hint = charHeight < kMinMrzChar               ? Hint::MoveCloser
		              : GlareShare(gray, zone.quad) > kGlareShare ? Hint::TiltForGlare
		                                                      : Hint::HoldStill;
	}
	for (auto cand : zones) {
		// A zone smeared by motion along its lines, or with no stroke detail left, reads as
		// nothing: skip its Tesseract passes and leave the time to the next frame. (Smeared text
		// lines of a licence still coming into view look just like a zone.)
		float along = 0, detail = 0;
		for (const auto& line : cand.lines) {
			const ocr::Legibility l = ocr::Measure(locate::RectifyMrzLine(gray, line, 32.f));
			along += l.along / float(cand.lines.size());
			detail += l.detail / float(cand.lines.size());
		}
		if (!ocr::Legible({along, detail}))
			continue;
		std::optional<SecretDate> mrzBirth;
		mrz::Format mrzFormat = mrz::Format::Td3; // of the zone whose date of birth is mrzBirth
		Sighting s;
		// The way up the zone's print suggests (MrzZoneLooksUpsideDown; "as it lies" below); when
		// that reads as nothing, the other way up (a card held the wrong way up, or a wrong guess);
		// when the check digits still fail, at two other sizes (OCR errors differ with the scale).
		// Only a reading whose check digits all pass gives a verdict; else a check-digit failure,
		// if any reading gave one, is the answer (it is tentative).
		// Whether some reading looked like an MRZ at all (every line 26 characters or more, with
		// filler runs): only then is it worth reading again at other sizes. Text lines or smeared
		// barcode rows that merely look like a zone read as neither, and each reading costs a
		// Tesseract pass per line.
		bool mrzLike = false;
		ocr::MrzModel model = ocr::MrzModel::Fast; // which model `read` uses
		bool warpable = true; // false once RectifyMrzZone refused the zone (lines of unequal lengths)
		struct Shape {
			std::array<std::size_t, 3> length{}; ///< characters read on each line
			std::array<bool, 3> digits{};        ///< whether each line held a digit
			bool like = false;                   ///< whether the reading looked like an MRZ
		} shape; // of the latest reading
		const auto read = [&](float charHeight, bool warp = false) {
			char text[kMrzText];
			std::size_t n = 0;
			bool longLines = true;
			// Through the zone's perspective when asked, else line by line.
			const std::vector<cv::Mat> warped = warp ? locate::RectifyMrzZone(gray, cand.lines, charHeight) : std::vector<cv::Mat>();
			if (warp && warped.empty()) {
				warpable = false; // no second reading of the same cut-outs
				return unverified(Reason::Unreadable);
			}
			for (std::size_t k = 0; k < cand.lines.size(); ++k) {
				const cv::Mat cut = warp ? warped[k] : locate::RectifyMrzLine(gray, cand.lines[k], charHeight);
				const std::size_t got = _options.ocr->readMrzLine(cut, {text + n, 64}, model);
				longLines = longLines && got >= 26;
				if (k < 3) {
					shape.length[k] = got;
					shape.digits[k] = std::any_of(text + n, text + n + got, [](char c) { return c >= '0' && c <= '9'; });
				}
				n += got;
				text[n++] = '\n';
			}
			shape.like = longLines && std::count(text, text + n, '<') >= 4;
			mrzLike = mrzLike || shape.like;
			Sighting r = decideMrz({text, n}, today, &mrzBirth, &mrzFormat);
			SecureZero(text, sizeof text);
			return r;
		};
		const auto unread = [](const Sighting& r) { return r.reason == Reason::Malformed || r.reason == Reason::Unreadable; };
		const auto verdict = [&](const Sighting& r) { return !unread(r) && r.documentRead() && !r.tentative(); };
		const auto turn = [&cand] {
			std::reverse(cand.lines.begin(), cand.lines.end());
			for (auto& line : cand.lines)
				line.angle += std::numbers::pi_v<float>;
		};
		// A zone found at a slant or upside down lies either way up along its lines. Its left part
		// holds more print than its right (fillers end the fields): reading first the way that
		// suggests saves a reading of every line on about half of the pages held at any angle.
		if (locate::MrzZoneLooksUpsideDown(gray, cand.lines))
			turn();
		// Every reading below is made with the fast model first. When none gives a verdict and some
		// looked like an MRZ, they are all made again with the best model (about 1.6 times as long
		// a pass; it reads some hard lines the fast one misses), from the zone as first read. Its
		// result stands unless it read nothing, where the fast model's failure (a check digit,
		// say) says more.
		const locate::MrzCandidate asFound = cand;
		std::optional<Sighting> fast;
		for (const ocr::MrzModel m : {ocr::MrzModel::Fast, ocr::MrzModel::Best}) {
			if (m == ocr::MrzModel::Best) {
				if (verdict(s) || !mrzLike)
					break;
				fast = s;
				cand = asFound;
			}
			model = m;
			s = read(kMrzChar);
			const Shape asItLies = shape;
			std::optional<Shape> upsideDown;
			bool turned = false;
			// Read upside down too (a card held the wrong way up) when the zone read as nothing, or
			// as nothing like an MRZ: upside down, filler runs read as digits and letters, and such
			// text can still parse into a layout whose check digits fail. The turned reading is kept
			// when it looks like an MRZ or gives a verdict, or when the first gave nothing. (A first
			// reading that gives a verdict stands, MRZ-like or not: few fillers is no fault.)
			if (unread(s) || (!shape.like && !verdict(s))) {
				turn();
				const Sighting r = read(kMrzChar);
				upsideDown = shape;
				if (unread(s) || shape.like || verdict(r)) {
					s = r;
					turned = true;
				} else {
					turn(); // back as it lies
				}
			}
			// A page held at a slant: its characters are sheared or narrowed, which a rotation does
			// not undo. Read again through the zone's perspective.
			const bool slanted = locate::MrzZoneSlanted(cand.lines);
			if ((unread(s) || s.reason == Reason::CheckDigit) && (mrzLike || slanted)) {
				const Sighting r = read(kMrzChar, true);
				if (!unread(r) && (s.reason != Reason::CheckDigit || r.reason != Reason::Unreadable))
					s = r;
			}
			for (const float h : kMrzCharRetry) {
				if ((!unread(s) && s.reason != Reason::CheckDigit) || !mrzLike)
					break;
				const Sighting r = read(h, slanted && warpable);
				if (!unread(r) && (s.reason != Reason::CheckDigit || r.reason != Reason::Unreadable))
					s = r;
			}
			// Two lines of an ID card's three (TD1, 30 characters each) found and nothing read so far:
			// the third, one line pitch away, was missed (glare, blur). Its place follows from the
			// two: between them when they are two pitches apart, else above them when the lower one
			// is the names line (no digit), else below. Read with it, in the way up whose reading
			// looked like two TD1 lines; all three lines' check digits then decide. (Last, so that it
			// changes nothing for a zone the readings above decide.)
			const auto td1 = [](const Shape& sh) {
				const auto line = [](std::size_t length) { return length >= 27 && length <= 33; };
				return sh.like && line(sh.length[0]) && line(sh.length[1]);
			};
			if (unread(s) && cand.lines.size() == 2 && (td1(asItLies) || (upsideDown && td1(*upsideDown)))) {
				const bool wayUp = !td1(asItLies); // true: upside down
				const Shape& sh = wayUp ? *upsideDown : asItLies;
				if (wayUp != turned)
					turn();
				const locate::MrzLine a = cand.lines[0], b = cand.lines[1];
				const cv::Point2f down(-std::sin(a.angle), std::cos(a.angle));
				const float pitch = (b.center - a.center).dot(down);
				const float height = a.halfHeight + b.halfHeight; // a line's height, on average
				locate::MrzLine third = a;
				third.halfLength = 0.5f * (a.halfLength + b.halfLength);
				third.halfHeight = 0.5f * height;
				std::vector<locate::MrzLine> lines;
				if (pitch > 2.5f * height) {
					third.center = 0.5f * (a.center + b.center);
					lines = {a, third, b};
				} else if (!sh.digits[1]) {
					third.center = a.center - pitch * down;
					lines = {third, a, b};
				} else {
					third.center = b.center + pitch * down;
					lines = {a, b, third};
				}
				bool read3 = false;
				if (pitch > 0.8f * height && cv::Rect2f(0, 0, float(gray.cols), float(gray.rows)).contains(third.center)) {
					const auto two = std::exchange(cand.lines, lines);
					const Sighting r = read(kMrzChar);
					read3 = !unread(r);
					if (read3)
						s = r;
					else
						cand.lines = two;
				}
				if (!read3 && wayUp != turned)
					turn(); // as before
			}
		}
		if (fast && unread(s))
			s = *fast;
		// A page that also prints its date of birth must print the same one: a difference is a
		// sign of tampering, and makes the reading `mismatch`. Where no printed date is read, the
		// MRZ alone decides. The check can only take an "over" away, so it is made only when some
		// threshold is "over": the answer to any other reading is "no" with or without it, and
		// the page's text costs several Tesseract passes. Not on a TD1 card: ICAO 9303 (part 5)
		// prints its date of birth on the front and its zone on the back, so the side in view
		// does not print the date (the benchmark's TD1 backs, seed 2027: none read in 30 looks,
		// which took their medium frames' median from 61 to 181 ms).
		const bool overAtStake = std::any_of(s.verdicts.begin(), s.verdicts.begin() + std::ptrdiff_t(s.count),
		                                     [](Verdict v) { return v == Verdict::Over; });
		if (mrzBirth && mrzFormat != mrz::Format::Td1 && _options.checkPrinted && overAtStake) {
			// Only the page's data, right of its portrait: the portrait, the security print around
			// it and the zone itself would be read for nothing (the benchmark's passports: about
			// 40% less time, and more printed dates read).
			std::optional<SecretDate> printedBirth;
			// As cut out, not evened out: a page's labels are larger and darker than a licence's,
			// and on the evened page Tesseract reads more of the page's text: the benchmark's
			// passport medians rose by 50 to 200 ms, with the same verdicts.
			if (const cv::Mat data = DataZone(gray, cand.lines); !data.empty()) {
				++_counters.printedChecks;
				(void)scanPrinted(data, today, &printedBirth, nullptr,
				                  {.lineHeight = kFrontLineHeight, .evenPaper = false, .squeeze = kDataSqueeze, .untilBirth = kDataSpan});
				_counters.printedFound += printedBirth.has_value();
			}
			if (printedBirth && printedBirth->get() != mrzBirth->get())
				s = unverified(Reason::Mismatch);
		}
		if (s.reason == Reason::Malformed)
			s = unverified(Reason::Unreadable); // a zone seen but misread, not a malformed document
		if (s.documentRead() && !s.tentative())
			return s;
		if (Rank(s.reason) > Rank(best.reason) || s.tentative())
			best = s;
	}
	return best;
}

Sighting Scanner::scanPrinted(const cv::Mat& gray, std::chrono::year_month_day today,
                              std::optional<SecretDate>* birth, Guide* guide, const TextRead& how) const
{
	locate::TextBlock block;
	if ((_profileCount == 0 && !guide) || !locate::FindTextBlock(gray, block))
		return unverified(Reason::Unreadable);
	if (guide) {
		cv::Point2f corners[4];
		block.box.points(corners); // bottom-left, top-left, top-right, bottom-right
		const std::array<cv::Point2f, 4> outline{corners[1], corners[2], corners[3], corners[0]};
		SetFound(*guide, Found::Text, outline, gray.size());
		// Unreadable text with no barcode or zone in view: a licence front whose date is not read
		// (or that prints none); its barcode is on the back. (No glare hint: a white card under
		// bright light cannot be told from a reflection by brightness alone.)
		guide->hint = block.lineHeight < kMinTextLine ? Hint::MoveCloser : Hint::TurnOver;
	}
	if (_profileCount == 0)
		return unverified(Reason::Unreadable);
	std::size_t digits = 0;
	Sighting s = readPrinted(gray, block, today, birth, guide, how, 1.f, &digits);
	// No date of birth, or no expiry date, read where the text held a date's worth of digits: a
	// label may have been left out. The small field numbers of EU and UK licences ("3.", "4b."),
	// apart from their values, are too short for the block's lines and fall just outside its
	// margin. Read once more, cut out with a wider margin before the lines. (Not the first time:
	// cut out that way at once, 2 of 20 easy fronts of one of the benchmark's seeds and 1 of 20
	// medium ones of another no longer read.) The second reading stands when it gets further.
	if (how.retryLeftMargin > 0 && digits >= 8 && (s.reason == Reason::Unreadable || s.reason == Reason::MissingExpiryDate)) {
		const Sighting again = readPrinted(gray, block, today, birth, nullptr, how, how.retryLeftMargin, nullptr);
		if (again.reason != Reason::Unreadable && (s.reason == Reason::Unreadable || again.reason != Reason::MissingExpiryDate))
			s = again;
	}
	return s;
}

Sighting Scanner::readPrinted(const cv::Mat& gray, const locate::TextBlock& block, std::chrono::year_month_day today,
                              std::optional<SecretDate>* birth, Guide* guide, const TextRead& how, float leftMargin,
                              std::size_t* digits) const
{
	cv::Mat crop = locate::RectifyTextBlock(gray, block, how.lineHeight, leftMargin);
	// Text smeared by motion, too small or out of focus reads as nothing: no Tesseract pass. (On a
	// page with an MRZ this skips the printed cross-check too, which then could not have read a
	// date either: the MRZ alone decides, as when no printed date is found.)
	if (const ocr::Legibility l = ocr::Measure(crop); !ocr::Legible(l)) {
		if (guide && l.along < ocr::kMinAlong)
			guide->hint = Hint::HoldStill;
		return unverified(Reason::Unreadable);
	}
	if (how.squeeze != 1.f && !crop.empty()) {
		cv::Mat narrow;
		cv::resize(crop, narrow, {}, double(how.squeeze), 1.0, cv::INTER_AREA);
		crop = narrow;
	}
	char text[kFrontText];
	// A front's small grey labels are lost under uneven light unless its paper is evened out first.
	if (how.evenPaper)
		crop = ocr::FlattenPaper(crop, int(kPaperShare * how.lineHeight));
	const auto birthRead = [&](std::string_view sofar) {
		return bool(printed::Parse(sofar, {_profiles.data(), _profileCount}, today));
	};
	const std::size_t n = how.untilBirth > 0 ? _options.ocr->readLines(crop, text, how.untilBirth, birthRead)
	                                         : _options.ocr->readText(crop, text);
	Sighting s = decidePrinted({text, n}, today, birth);
	if (digits)
		*digits = std::size_t(std::count_if(text, text + n, [](char c) { return c >= '0' && c <= '9'; }));
	SecureZero(text, sizeof text);
	return s;
}

Sighting Scanner::scanBarcodes(const cv::Mat& gray, std::chrono::year_month_day today, Sighting best, Guide* guide) const
{
	auto candidates = locate::FindPdf417(gray, _options.locate);
	if (candidates.size() > std::size_t(_options.maxCandidates))
		candidates.resize(std::size_t(_options.maxCandidates));

	// The largest candidate shaped like a licence's PDF417 (wider along its rows than across them,
	// and not faint) guides: its outline, and why it might not read. Clutter that looks like bars
	// is small or faint, a 1D barcode is narrow along its rows, and a symbol split by a reflection
	// still leaves large halves.
	std::size_t guiding = candidates.size();
	for (std::size_t i = 0; i < candidates.size(); ++i) {
		const auto& c = candidates[i];
		if (c.score < kMinGuideScore || c.halfLength < 1.2f * c.halfHeight)
			continue;
		if (guiding == candidates.size()
		    || c.halfLength * c.halfHeight > candidates[guiding].halfLength * candidates[guiding].halfHeight)
			guiding = i;
	}
	for (std::size_t i = 0; i < candidates.size(); ++i) {
		auto cand = candidates[i];
		locate::RefineQuad(gray, cand);
		cv::Mat quad, rotated;
		if (guide && i == guiding) {
			// Its bars' width (in the perspective cut-out, at frame scale) says whether it is too
			// far away; a reflection is looked for around it too, since one can split the symbol.
			const auto outline = cand.hasQuad ? cand.quad : BoxCorners(cand.center, cand.rowAngle, cand.halfLength, cand.halfHeight);
			SetFound(*guide, Found::Barcode, outline, gray.size());
			quad = locate::RectifyQuad(gray, cand);
			const float module = ModuleWidth(quad.empty() ? locate::Rectify(gray, cand) : quad);
			guide->hint = module > 0 && module < kMinModule                            ? Hint::MoveCloser
			              : GlareShare(gray, Grown(outline, kGlareAround)) > kGlareShare ? Hint::TiltForGlare
			                                                                        : Hint::HoldStill;
		}
		for (const auto& a : kAttempts) {
			cv::Mat& cut = a.perspective ? quad : rotated;
			if (cut.empty() && a.perspective)
				cut = locate::RectifyQuad(gray, cand);
			if (cut.empty() && !a.perspective) {
				cand.rowAngle = locate::RefineRowAngle(gray, cand); // only when the quadrilateral failed
				cut = locate::Rectify(gray, cand);
			}
			if (cut.empty())
				continue;
			const cv::Mat crop = Clean(cut, a.filter);
			auto payload = barcode::DecodePdf417(View(crop), {.binarizer = a.binarizer});
			if (!payload)
				continue;
			Sighting s = decidePayload(payload->bytes(), today);
			if (s.documentRead())
				return s;
			if (Rank(s.reason) > Rank(best.reason))
				best = s;
			break; // this candidate decoded, but not as an ID: try the next one
		}
	}
	return best;
}

Sighting Scanner::scanSource(capture::FrameSource& source, std::chrono::year_month_day today) const noexcept
{
	Sighting best = unverified(Reason::Unreadable);
	long settle = -1; // frames left to look for a verified reading after a tentative failure
	cv::Mat frame;
	for (long n = 0; n < _options.maxFrames; ++n) {
		bool more = false;
		try {
			more = source.next(frame);
		} catch (...) {
			more = false; // a decoder error mid-file ends the search like the end of the file
		}
		if (!more)
			break;
		Sighting s = scanFrame(frame, today);
		if (s.documentRead() && !s.tentative())
			return s;
		if (s.tentative() && settle < 0)
			settle = _options.settleFrames; // an OCR misreading? Give the next frames a chance
		if (Rank(s.reason) > Rank(best.reason) || (s.tentative() && !best.tentative()))
			best = s;
		if (settle >= 0 && settle-- == 0)
			break;
	}
	return best;
}

} // namespace agecheck::sighting

// SPDX-License-Identifier: Apache-2.0
// The kiosk's demo clip. See DemoClip.h. Every name, number and date is fictional.
//
// Scene model: a fixed pinhole camera (f = 0.78 x frame width) over a wooden counter with some
// clutter near the edges. Each document is drawn once, at ~300 dpi, into a "sprite" together with
// the hand that holds it (palm and fingers behind its held edge, the thumb on its face, away from
// the barcode, the MRZ and the printed date of birth); the sprite is then warped into every frame
// by the document's pose. A pose is a centre, a scale, an in-plane rotation and two tilts; it
// eases in from outside the frame (cubic ease-out), is held for 2.2-2.8 s with a slow drift and a
// tremor (sums of sines), and eases out (quadratic). Motion blur: a frame averages the poses over
// half a frame interval (a 1/(2 fps) shutter), as many sub-samples as the document's corners move
// in 3 px steps. The forearm is drawn in frame space from the wrist to beyond the frame edge;
// document, hand and arm cast one soft shadow on the counter. Every frame then gets the same
// uneven lighting, a slight lens blur (sigma 0.7 px at 720p) and mild sensor noise (sigma 0.6),
// so that the counter stays almost static for the encoder.
//
// Size: OpenCV 4.6 asks libx264 for CRF 23 and offers no way to change it, so the file size is set
// by the content: the blur and the amount of moving detail keep 720p near 1 Mbit/s (about 4.4 MB
// for the default 39 s), and the licence backs stay decodable (PDF417 modules ~2.9 px at the hold).

#include "synth/DemoClip.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <numbers>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#define ZX_USE_UTF8 // zxing-cpp 1.4: the std::string text() API (unused here)
#include <ZXing/BarcodeFormat.h>
#include <ZXing/BitMatrix.h>
#include <ZXing/CharacterSet.h>
#include <ZXing/DecodeHints.h>
#include <ZXing/ImageView.h>
#include <ZXing/MultiFormatWriter.h>
#include <ZXing/ReadBarcode.h>

#include "synth/Documents.h"
#include "synth/Random.h"
#include "synth/Synth.h"

namespace agecheck::synth {
namespace {

using Ymd = std::chrono::year_month_day;
constexpr double kPi = std::numbers::pi;
constexpr double kPxPerMm = 1012.0 / 85.6; // the flats' resolution: a CR80 card is 1012 px wide
const cv::Size kCardFlat{1012, 638};
const cv::Size kPassportFlat{1476, 1039};
const cv::Size kLabelFlat{1200, 800};

// ---------------------------------------------------------------------------------------------
// Random numbers: a counter-based stream over DeriveSeed (splitmix64), so that this file needs no
// second xoshiro256** stream beside the one Synth.cpp and Documents.cpp share (Random.h).

using detail::AddDays;
using detail::AddYears;
using detail::Alnum;
using detail::Digits;

class Stream {
public:
	explicit Stream(std::uint64_t seed) noexcept : _seed(seed) {}
	std::uint64_t next() noexcept { return DeriveSeed(_seed, _count++); }
	/// Uniform in [0, 1).
	double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
	/// Uniform in [a, b).
	double uniform(double a, double b) noexcept { return a + (b - a) * uniform(); }
	/// Uniform integer in [a, b].
	int uniformInt(int a, int b) noexcept
	{
		if (b <= a)
			return a;
		return a + static_cast<int>(next() % static_cast<std::uint64_t>(b - a + 1));
	}
	bool chance(double p) noexcept { return uniform() < p; }
	/// One element of an array or span, uniformly.
	template <typename Range>
	const auto& pick(const Range& items) noexcept
	{
		return items[static_cast<std::size_t>(uniformInt(0, static_cast<int>(std::size(items)) - 1))];
	}

private:
	std::uint64_t _seed;
	std::uint64_t _count = 0;
};

// Salts of the sub-streams.
constexpr std::uint64_t kTimelineSalt = 0xD3A0'0001;
constexpr std::uint64_t kDeskSalt = 0xD3A0'0002;
constexpr std::uint64_t kCameraSalt = 0xD3A0'0003;
constexpr std::uint64_t kDocumentSalt = 0xD3A0'1000;

// ---------------------------------------------------------------------------------------------
// Dates and fictional people.



/// A birth date that makes its holder exactly `age` whole years old on `today`: the last birthday
/// was 2 to 300 days ago, so no reading of the leap-day rule changes the age; never 29 February.
Ymd BirthAged(Ymd today, int age, Stream& rng)
{
	Ymd birth = AddDays(AddYears(today, -age), -rng.uniformInt(2, 300));
	if (birth.month() == std::chrono::February && birth.day() == std::chrono::day{29})
		birth = AddDays(birth, -1);
	return birth;
}

constexpr std::string_view kSurnames[] = {"SPECIMEN", "SAMPLE", "EXAMPLE", "TESTER", "CITIZEN",
										  "MODELSON", "PROTOTYPE", "DEMOLA", "PLACEHOLDER"};
constexpr std::string_view kGivenNames[] = {"ALEX", "SAM", "JORDAN", "TAYLOR", "CASEY",
											"MORGAN", "RILEY", "JAMIE", "ROBIN", "DREW"};



// ---------------------------------------------------------------------------------------------
// Plan: what each document is, what it must produce, and how it moves.

struct Pose {
	double cx = 0;    ///< where the document's centre is, frame px
	double cy = 0;
	double s = 1;     ///< frame px per flat px at the centre
	double theta = 0; ///< in-plane rotation, degrees
	double alpha = 0; ///< tilt about the x axis, degrees
	double beta = 0;  ///< tilt about the y axis, degrees
};

Pose Lerp(const Pose& a, const Pose& b, double e)
{
	const auto mix = [e](double x, double y) { return x + (y - x) * e; };
	return {mix(a.cx, b.cx),       mix(a.cy, b.cy),       mix(a.s, b.s),
	        mix(a.theta, b.theta), mix(a.alpha, b.alpha), mix(a.beta, b.beta)};
}

struct Sine {
	double amp = 0;
	double period = 1; ///< frames
	double phase = 0;
	double at(double t) const noexcept { return amp * std::sin(2 * kPi * t / period + phase); }
};

/// Two slow sines (the arm drifting) and one fast one (tremor) per pose parameter.
using Wobble = std::array<std::array<Sine, 3>, 6>;

struct DocPlan {
	DemoDocument document = DemoDocument::LicenceOver21;
	cv::Size flat;
	bool right = true; ///< held by its right edge, the arm coming from the right; else the left
	Pose start, hold, end;
	Wobble wobble{};
	int enter = 0;  ///< frame at which it starts to move in (from outside the frame)
	int settle = 0; ///< frame at which the hold starts
	int lift = 0;   ///< frame at which it starts to move out
	int gone = 0;   ///< frame at which it is outside the frame again
	std::uint64_t design = 0; ///< seed of the rendering: design, hand, skin
	// WARNING: fictional identity data (dates, names); never printed. Only the one for `document` is used.
	PayloadSpec payload;
	MrzSpec mrz;
	FrontSpec front;
	DemoClipEntry entry;
};

struct Settings {
	cv::Size size;
	int fps = 15;
	int threshold = 18;
	std::uint64_t seed = 1;
	Ymd today;
};

std::string_view KindOf(DemoDocument d) noexcept
{
	switch (d) {
	case DemoDocument::Passport: return "passport-td3";
	case DemoDocument::LicenceFront: return "licence-front";
	case DemoDocument::ShippingLabel: return "non-id-barcode";
	default: return "licence-back";
	}
}

bool IsLicenceBack(DemoDocument d) noexcept
{
	return KindOf(d) == "licence-back";
}

cv::Size FlatSize(DemoDocument d)
{
	if (d == DemoDocument::Passport)
		return kPassportFlat;
	if (d == DemoDocument::ShippingLabel)
		return kLabelFlat;
	return kCardFlat;
}

/// Fills the document's content (fictional) and its expected verdicts, by construction.
void FillContent(DocPlan& p, Stream& rng, const Settings& st)
{
	const int t = st.threshold;
	int age = -1;
	bool expired = false;
	switch (p.document) {
	case DemoDocument::LicenceOver21: age = rng.uniformInt(25, 60); break;
	case DemoDocument::LicenceUnder: age = t >= 3 ? t - 2 : t - 1; break;
	case DemoDocument::LicenceBetween: age = t + (20 - t) / 2; break;
	case DemoDocument::LicenceExpired:
		age = rng.uniformInt(30, 70);
		expired = true;
		break;
	case DemoDocument::Passport: age = rng.uniformInt(22, 60); break;
	case DemoDocument::LicenceFront: age = t - 1; break;
	case DemoDocument::ShippingLabel: break;
	}
	p.design = rng.next();
	const std::string surname(rng.pick(kSurnames));
	const std::string given(rng.pick(kGivenNames));

	DemoClipEntry& e = p.entry;
	e.document = p.document;
	e.kind = KindOf(p.document);
	if (IsLicenceBack(p.document)) {
		PayloadSpec& s = p.payload;
		const std::span<const Issuer> issuers = Issuers();
		const Issuer& issuer = rng.pick(issuers);
		s.version = rng.uniformInt(6, 10);
		s.iin = std::string(issuer.iin);
		s.order = issuer.order;
		s.birth = BirthAged(st.today, age, rng);
		if (expired) {
			s.expiry = AddDays(st.today, -rng.uniformInt(20, 400));
			s.issue = AddDays(AddYears(s.expiry, -rng.uniformInt(5, 8)), rng.uniformInt(1, 60));
		}
		else {
			s.expiry = AddDays(st.today, rng.uniformInt(200, 1800));
			s.issue = std::max(AddDays(st.today, -rng.uniformInt(30, 1500)), AddYears(s.birth, std::min(age, 16)));
		}
		s.withUnderAgeDates = rng.chance(0.7);
		s.withJurisdictionSubfile = false; // a smaller symbol: larger modules in the frame
		s.familyName = surname;
		s.givenName = given;
		s.seed = rng.next();
		e.reason = expired ? Reason::Expired : Reason::Aamva;
	}
	else if (p.document == DemoDocument::Passport) {
		MrzSpec& m = p.mrz;
		m.surname = surname;
		m.givenNames = given;
		m.number = std::string(1, static_cast<char>('A' + rng.uniformInt(0, 25))) + Digits(rng, 8);
		m.birth = BirthAged(st.today, age, rng);
		m.sex = rng.chance(0.5) ? 'F' : 'M';
		m.expiry = AddDays(st.today, rng.uniformInt(300, 3000));
		e.reason = Reason::Mrz;
	}
	else if (p.document == DemoDocument::LicenceFront) {
		FrontSpec& f = p.front;
		static constexpr FrontProfile kProfiles[] = {FrontProfile::Us, FrontProfile::AuNz, FrontProfile::Canada};
		f.profile = rng.pick(kProfiles);
		f.surname = surname;
		f.givenNames = given;
		f.birth = BirthAged(st.today, age, rng);
		f.expiry = AddDays(st.today, rng.uniformInt(200, 1800));
		e.reason = Reason::Printed;
	}
	else {
		e.reason = Reason::NotAnId;
	}
	const std::array<int, 2> thresholds{t, 21};
	for (std::size_t i = 0; i < 2; ++i)
		e.verdicts[i] = (age < 0 || expired)   ? Verdict::Unverified
		                : age >= thresholds[i] ? Verdict::Over
		                                       : Verdict::Under;
}

cv::Point2d Apply(const cv::Matx33d& h, cv::Point2d p)
{
	const cv::Vec3d q = h * cv::Vec3d(p.x, p.y, 1.0);
	return {q[0] / q[2], q[1] / q[2]};
}

/// Flat px -> frame px for a document of size `flat` in pose `p`.
cv::Matx33d PoseHomography(const Pose& p, cv::Size flat, cv::Size frame)
{
	const double f = 0.78 * frame.width;
	const double t = p.theta * kPi / 180;
	const double a = p.alpha * kPi / 180;
	const double b = p.beta * kPi / 180;
	const cv::Matx33d rz(std::cos(t), -std::sin(t), 0, std::sin(t), std::cos(t), 0, 0, 0, 1);
	const cv::Matx33d rx(1, 0, 0, 0, std::cos(a), -std::sin(a), 0, std::sin(a), std::cos(a));
	const cv::Matx33d ry(std::cos(b), 0, std::sin(b), 0, 1, 0, -std::sin(b), 0, std::cos(b));
	const cv::Matx33d r = rx * ry * rz;
	const double w = flat.width, h = flat.height;
	const std::array<cv::Point2f, 4> src{cv::Point2f(0, 0), cv::Point2f(static_cast<float>(w), 0),
										 cv::Point2f(static_cast<float>(w), static_cast<float>(h)),
										 cv::Point2f(0, static_cast<float>(h))};
	std::array<cv::Point2f, 4> dst;
	for (std::size_t i = 0; i < 4; ++i) {
		const cv::Vec3d v((src[i].x - w / 2) * p.s, (src[i].y - h / 2) * p.s, 0);
		const cv::Vec3d q = r * v + cv::Vec3d(0, 0, f);
		dst[i] = cv::Point2f(static_cast<float>(f * q[0] / q[2] + p.cx), static_cast<float>(f * q[1] / q[2] + p.cy));
	}
	return cv::Matx33d(cv::getPerspectiveTransform(src.data(), dst.data()));
}

Pose Held(const DocPlan& p, double t)
{
	const auto sum = [&](std::size_t k) {
		double v = 0;
		for (const Sine& s : p.wobble[k])
			v += s.at(t);
		return v;
	};
	Pose q = p.hold;
	q.cx += sum(0);
	q.cy += sum(1);
	q.s *= 1 + sum(2);
	q.theta += sum(3);
	q.alpha += sum(4);
	q.beta += sum(5);
	return q;
}

/// The document's pose at time `t` (frames), if it is in play.
std::optional<Pose> PoseAt(const DocPlan& p, double t)
{
	if (t < p.enter || t > p.gone)
		return std::nullopt;
	if (t < p.settle) {
		const double u = (t - p.enter) / (p.settle - p.enter);
		return Lerp(p.start, Held(p, t), 1 - std::pow(1 - u, 3));
	}
	if (t <= p.lift)
		return Held(p, t);
	const double u = (t - p.lift) / (p.gone - p.lift);
	return Lerp(Held(p, t), p.end, u * u);
}

std::array<cv::Point2d, 4> Corners(const DocPlan& p, const Pose& pose, cv::Size frame)
{
	const cv::Matx33d h = PoseHomography(pose, p.flat, frame);
	const double w = p.flat.width, ht = p.flat.height;
	return {Apply(h, {0, 0}), Apply(h, {w, 0}), Apply(h, {w, ht}), Apply(h, {0, ht})};
}

bool WhollyInside(const std::array<cv::Point2d, 4>& c, cv::Size frame)
{
	return std::all_of(c.begin(), c.end(), [&](const cv::Point2d& q) {
		return q.x >= 0.5 && q.y >= 0.5 && q.x <= frame.width - 1.5 && q.y <= frame.height - 1.5;
	});
}

bool Overlaps(const std::array<cv::Point2d, 4>& c, cv::Size frame)
{
	double x0 = 1e18, y0 = 1e18, x1 = -1e18, y1 = -1e18;
	for (const cv::Point2d& q : c) {
		x0 = std::min(x0, q.x);
		y0 = std::min(y0, q.y);
		x1 = std::max(x1, q.x);
		y1 = std::max(y1, q.y);
	}
	return x1 >= 0 && y1 >= 0 && x0 < frame.width && y0 < frame.height;
}

/// Chooses the hold pose, the drift, and where the document comes from and goes to.
void PlanMotion(DocPlan& p, Stream& rng, const Settings& st)
{
	const cv::Size frame = st.size;
	const double W = frame.width, H = frame.height;
	const double kx = W / 1280.0;
	p.flat = FlatSize(p.document);
	p.right = rng.chance(0.6);
	const double out = p.right ? 1 : -1;

	// Size: cards fill 66-72% of the frame width, the passport and the label a little less of
	// it, and nothing more than 84% of the frame height.
	double fracW = rng.uniform(0.66, 0.72);
	if (p.document == DemoDocument::Passport)
		fracW = rng.uniform(0.62, 0.68);
	else if (p.document == DemoDocument::ShippingLabel)
		fracW = rng.uniform(0.62, 0.68);
	double s = std::min(fracW * W / p.flat.width, rng.uniform(0.78, 0.84) * H / p.flat.height);

	Pose hold;
	hold.theta = rng.uniform(-6, 6);
	hold.alpha = rng.uniform(-7, 7);
	hold.beta = rng.uniform(-7, 7);
	const double fx = rng.uniform(0.25, 0.75), fy = rng.uniform(0.3, 0.7);

	// Drift: slow sines of a few px and degrees, and a tremor.
	const auto sine = [&](double amp, double periodSeconds) {
		return Sine{amp * rng.uniform(0.6, 1.0), periodSeconds * st.fps * rng.uniform(0.8, 1.25),
		            rng.uniform(0, 2 * kPi)};
	};
	for (std::size_t k = 0; k < 2; ++k)
		p.wobble[k] = {sine(4.0 * kx, 3.2), sine(2.0 * kx, 1.7), sine(0.35 * kx, 0.4)};
	p.wobble[2] = {sine(0.008, 3.0), sine(0.004, 1.6), Sine{}};
	p.wobble[3] = {sine(0.6, 2.9), sine(0.3, 1.5), sine(0.05, 0.35)};
	p.wobble[4] = {sine(1.4, 3.4), sine(0.6, 1.8), sine(0.08, 0.45)};
	p.wobble[5] = {sine(1.4, 3.0), sine(0.6, 1.9), sine(0.08, 0.5)};

	for (int attempt = 0; attempt < 40; ++attempt) {
		hold.s = s;
		hold.cx = W / 2;
		hold.cy = H / 2;
		const auto c = Corners(p, hold, frame);
		double x0 = 1e18, y0 = 1e18, x1 = -1e18, y1 = -1e18;
		for (const cv::Point2d& q : c) {
			x0 = std::min(x0, q.x);
			y0 = std::min(y0, q.y);
			x1 = std::max(x1, q.x);
			y1 = std::max(y1, q.y);
		}
		const double margin = 0.03 * W;
		const double loX = margin + (W / 2 - x0), hiX = W - margin - (x1 - W / 2);
		const double loY = margin + (H / 2 - y0), hiY = H - margin - (y1 - H / 2);
		if (loX > hiX || loY > hiY) {
			s *= 0.96;
			continue;
		}
		hold.cx = loX + (hiX - loX) * fx;
		hold.cy = loY + (hiY - loY) * fy;
		p.hold = hold;
		bool inside = true;
		for (int f = p.settle; f <= p.lift && inside; ++f)
			inside = WhollyInside(Corners(p, Held(p, f), frame), frame);
		if (inside)
			break;
		s *= 0.97;
	}

	// In from the side of the arm, a little lower, turned and tilted; out to that side or down.
	const double diag = p.hold.s * std::hypot(p.flat.width, p.flat.height);
	const double away = 0.66 * diag + 0.02 * W;
	p.start = p.hold;
	p.start.cx = p.right ? W + away : -away;
	p.start.cy = p.hold.cy + rng.uniform(0.1, 0.35) * H;
	p.start.theta += out * rng.uniform(14, 26);
	p.start.alpha += rng.uniform(8, 16);
	p.start.beta -= out * rng.uniform(4, 10);
	p.start.s *= rng.uniform(1.0, 1.06);
	p.end = p.hold;
	if (rng.chance(0.5)) {
		p.end.cx = p.right ? W + away : -away;
		p.end.cy = p.hold.cy + rng.uniform(0.05, 0.3) * H;
	}
	else {
		p.end.cx = p.hold.cx + out * rng.uniform(0.1, 0.3) * W;
		p.end.cy = H + away;
	}
	p.end.theta += out * rng.uniform(-10, 24);
	p.end.alpha += rng.uniform(-14, -6);
	p.end.beta += out * rng.uniform(3, 9);
}

/// Frame ranges from the poses: in view (whole), and any part of the bounding box in the frame.
void FrameRanges(DocPlan& p, cv::Size frame)
{
	DemoClipEntry& e = p.entry;
	e.enter = p.gone;
	e.leave = p.enter;
	for (int f = p.enter; f <= p.gone; ++f) {
		const auto pose = PoseAt(p, f);
		if (pose && Overlaps(Corners(p, *pose, frame), frame)) {
			e.enter = std::min(e.enter, f);
			e.leave = std::max(e.leave, f);
		}
	}
	// The longest run of wholly visible frames around the hold.
	const auto inside = [&](int f) {
		const auto pose = PoseAt(p, f);
		return pose && WhollyInside(Corners(p, *pose, frame), frame);
	};
	e.first = p.settle;
	while (e.first - 1 >= p.enter && inside(e.first - 1))
		--e.first;
	e.last = p.lift;
	while (e.last + 1 <= p.gone && inside(e.last + 1))
		++e.last;
}

Settings Normalise(const DemoClipOptions& o)
{
	Settings st;
	st.size = cv::Size(std::clamp(o.size.width, 320, 3840) & ~1, std::clamp(o.size.height, 320, 3840) & ~1);
	st.fps = std::clamp(o.fps, 5, 60);
	st.threshold = std::clamp(o.threshold, 2, 20);
	st.seed = o.seed;
	st.today = o.today;
	return st;
}

/// The whole plan; `manifest.error` says why there is none.
std::vector<DocPlan> Plan(const DemoClipOptions& options, DemoClipManifest& manifest)
{
	const Settings st = Normalise(options);
	manifest.size = st.size;
	manifest.fps = st.fps;
	manifest.thresholds = {st.threshold, 21};
	if (!st.today.ok()) {
		manifest.error = "today is not a calendar date";
		return {};
	}
	if (options.documents.empty()) {
		manifest.error = "no documents to show";
		return {};
	}
	Stream timeline(DeriveSeed(st.seed, kTimelineSalt));
	const auto frames = [&](double lo, double hi) {
		return std::max(2, static_cast<int>(std::lround(st.fps * timeline.uniform(lo, hi))));
	};
	std::vector<DocPlan> plans;
	int cursor = frames(0.7, 0.9);
	for (std::size_t i = 0; i < options.documents.size(); ++i) {
		DocPlan p;
		p.document = options.documents[i];
		p.enter = cursor;
		p.settle = p.enter + frames(0.7, 0.9);
		p.lift = p.settle + frames(2.2, 2.8);
		p.gone = p.lift + frames(0.6, 0.8);
		cursor = p.gone + 1 + frames(1.1, 1.6);
		Stream rng(DeriveSeed(DeriveSeed(st.seed, kDocumentSalt + i), static_cast<std::uint64_t>(p.document)));
		FillContent(p, rng, st);
		PlanMotion(p, rng, st);
		FrameRanges(p, st.size);
		manifest.documents.push_back(p.entry);
		plans.push_back(std::move(p));
	}
	manifest.frames = cursor;
	return plans;
}

// ---------------------------------------------------------------------------------------------
// Flats: the documents as the generator draws them, and a shipping label.

/// 255 on the document: everything but the pure-white pixels connected to the flat's corners.
cv::Mat DocumentMask(const cv::Mat& flat)
{
	cv::Mat white;
	cv::inRange(flat, cv::Scalar(255, 255, 255), cv::Scalar(255, 255, 255), white);
	for (const cv::Point c : {cv::Point(0, 0), cv::Point(flat.cols - 1, 0), cv::Point(flat.cols - 1, flat.rows - 1),
							  cv::Point(0, flat.rows - 1)})
		if (white.at<std::uint8_t>(c) == 255)
			cv::floodFill(white, c, cv::Scalar(128), nullptr, cv::Scalar(0), cv::Scalar(0), 4);
	cv::Mat mask = white != 128;
	cv::GaussianBlur(mask, mask, {0, 0}, 0.8);
	return mask;
}

/// The bounding box of the PDF417 zxing-cpp reads from a flat, if it reads one.
std::optional<cv::Rect> FindSymbol(const cv::Mat& bgr)
{
	const ZXing::ImageView view(bgr.data, bgr.cols, bgr.rows, ZXing::ImageFormat::BGR, static_cast<int>(bgr.step));
	const auto hints =
		ZXing::DecodeHints().setFormats(ZXing::BarcodeFormat::PDF417).setTryRotate(false).setTryDownscale(false);
	const ZXing::Result r = ZXing::ReadBarcode(view, hints);
	if (!r.isValid())
		return std::nullopt;
	int x0 = bgr.cols, y0 = bgr.rows, x1 = 0, y1 = 0;
	for (const ZXing::PointI& q : r.position()) {
		x0 = std::min(x0, q.x);
		y0 = std::min(y0, q.y);
		x1 = std::max(x1, q.x);
		y1 = std::max(y1, q.y);
	}
	return cv::Rect(x0, y0, std::max(1, x1 - x0), std::max(1, y1 - y0));
}

/// A shipping label (102 x 68 mm) with a PDF417 that holds a shipment record, not an ID.
cv::Mat RenderShippingLabel(std::uint64_t seed, cv::Rect& code)
{
	Stream rng(seed);
	const double paper = rng.uniform(238, 250);
	cv::Mat img(kLabelFlat, CV_8UC3, cv::Scalar(paper, paper + rng.uniform(-3, 3), paper + rng.uniform(-2, 4)));
	const cv::Scalar ink(30, 28, 26);
	cv::rectangle(img, cv::Rect(18, 18, img.cols - 36, img.rows - 36), ink, 3, cv::LINE_AA);
	cv::line(img, {18, 128}, {img.cols - 18, 128}, ink, 3, cv::LINE_AA);
	const TextStyle head{std::string(kSansBoldFont), 62, ink, 0};
	const TextStyle body{std::string(kSansFont), 34, ink, 0};
	const TextStyle bold{std::string(kSansBoldFont), 40, ink, 0};
	const std::string tracking = Alnum(rng, 18);
	const std::string warehouse = Digits(rng, 2);
	const std::string dock(1, static_cast<char>('A' + rng.uniformInt(0, 7)));
	DrawText(img, "EXAMPLE FREIGHT", {44, 98}, head);
	DrawText(img, "GROUND", {img.cols - 230, 98}, bold);
	DrawText(img, "SHIP TO: WAREHOUSE " + warehouse + ", DOCK " + dock, {44, 184}, body);
	DrawText(img, "TRACKING " + tracking, {44, 232}, bold);
	const std::string weight = std::to_string(rng.uniformInt(1, 30)) + "." + Digits(rng, 1) + " KG";
	const std::string pieces = std::to_string(rng.uniformInt(1, 4)) + " OF 4";
	DrawText(img, "WEIGHT " + weight + "    PIECES " + pieces, {44, 278}, body);

	const std::string content = "SHIPMENT\nCARRIER EXAMPLE FREIGHT\nTRACKING " + tracking + "\nSHIP TO WAREHOUSE " +
								warehouse + " DOCK " + dock + "\nWEIGHT " + weight + "\nPIECES " + pieces +
								"\nSERVICE GROUND\nREF " + Alnum(rng, 16) + "\n";
	std::wstring text;
	for (char c : content)
		text += static_cast<wchar_t>(static_cast<unsigned char>(c));
	ZXing::MultiFormatWriter writer(ZXing::BarcodeFormat::PDF417);
	writer.setEncoding(ZXing::CharacterSet::ISO8859_1).setEccLevel(4).setMargin(0);
	const ZXing::BitMatrix bits = writer.encode(text, 8192, 1); // native: 1 px per module, 4 px per row
	const int modules = bits.width();
	const int rows = bits.height() / 4;
	const int m = std::max(2, (img.cols - 140) / modules);
	const int rowH = 3 * m;
	code = cv::Rect((img.cols - modules * m) / 2, img.rows - 50 - rows * rowH, modules * m, rows * rowH);
	for (int r = 0; r < rows; ++r)
		for (int x = 0; x < modules; ++x)
			if (bits.get(x, 4 * r + 1))
				cv::rectangle(img, cv::Rect(code.x + x * m, code.y + r * rowH, m, rowH), ink, cv::FILLED);
	return img;
}

// ---------------------------------------------------------------------------------------------
// The sprite: document and hand in the document's plane.

struct Sprite {
	cv::Mat bgr;           ///< CV_8UC3
	cv::Mat alpha;         ///< CV_8U
	cv::Matx33d toFlat;    ///< sprite px -> flat px
	cv::Point2d wrist;     ///< flat px: where the forearm leaves the hand
	cv::Point2d wristDir;  ///< unit direction of the forearm in the flat's plane
	cv::Scalar skin;       ///< BGR
	cv::Scalar sleeve;     ///< BGR
};

/// Millimetres relative to the held edge -> canvas px: u outwards from the edge, v down from the top.
struct HandFrame {
	bool right = true;
	cv::Point2d origin; ///< the document's top-left on the canvas
	int width = 0;      ///< the document's width, px
	cv::Point2d at(double u, double v) const
	{
		const double x = right ? width + u * kPxPerMm : -u * kPxPerMm;
		return {origin.x + x, origin.y + v * kPxPerMm};
	}
};

std::vector<cv::Point> Fixed(const std::vector<cv::Point2d>& pts)
{
	std::vector<cv::Point> out;
	out.reserve(pts.size());
	for (const cv::Point2d& p : pts)
		out.emplace_back(cvRound(p.x * 8), cvRound(p.y * 8));
	return out;
}

/// The thumb's outline in mm (u, v): from its base in the palm to its tip `depth` mm inside the
/// held edge at height `v`, tapering from 19 to 15 mm.
std::vector<cv::Point2d> ThumbMm(double v, double depth)
{
	const cv::Point2d tip(-depth, v), base(26, v + 8);
	const cv::Point2d d = (tip - base) / cv::norm(tip - base);
	const cv::Point2d n(-d.y, d.x);
	const double rBase = 9.5, rTip = 7.6;
	const cv::Point2d c = tip - d * rTip;
	std::vector<cv::Point2d> pts;
	for (int i = 0; i <= 16; ++i) { // tip cap, from +n round to -n
		const double a = kPi * i / 16;
		pts.push_back(c + (n * std::cos(a) + d * std::sin(a)) * rTip);
	}
	for (int i = 0; i <= 16; ++i) { // base cap, from -n round to +n
		const double a = kPi * i / 16;
		pts.push_back(base + (-n * std::cos(a) - d * std::sin(a)) * rBase);
	}
	return pts;
}

/// Alpha-composites `src` (CV_8UC3, same size as dst) with coverage `a` over dst and its alpha.
void Over(cv::Mat& dst, cv::Mat& dstAlpha, const cv::Mat& src, const cv::Mat& a)
{
	for (int y = 0; y < dst.rows; ++y) {
		auto* d = dst.ptr<cv::Vec3b>(y);
		auto* da = dstAlpha.ptr<std::uint8_t>(y);
		const auto* s = src.ptr<cv::Vec3b>(y);
		const auto* sa = a.ptr<std::uint8_t>(y);
		for (int x = 0; x < dst.cols; ++x) {
			const int w = sa[x];
			if (!w)
				continue;
			for (int c = 0; c < 3; ++c)
				d[x][c] = static_cast<std::uint8_t>((d[x][c] * (255 - w) + s[x][c] * w + 127) / 255);
			da[x] = static_cast<std::uint8_t>(w + (da[x] * (255 - w) + 127) / 255);
		}
	}
}

/// Skin for the region `mask`: darker towards its outline, lit from the top, with faint texture.
cv::Mat SkinLayer(const cv::Mat& mask, const cv::Scalar& skin, const cv::Mat& texture, double roundness)
{
	cv::Mat hard = mask > 127, dist;
	cv::distanceTransform(hard, dist, cv::DIST_L2, 3);
	cv::Mat out(mask.size(), CV_8UC3, cv::Scalar(0, 0, 0));
	const cv::Rect box = cv::boundingRect(mask);
	for (int y = box.y; y < box.y + box.height; ++y) {
		const auto* dd = dist.ptr<float>(y);
		const auto* tx = texture.ptr<float>(y);
		auto* o = out.ptr<cv::Vec3b>(y);
		const double light = 1.04 - 0.10 * (y - box.y) / std::max(1, box.height);
		for (int x = box.x; x < box.x + box.width; ++x) {
			const double r = std::min(1.0, dd[x] / roundness);
			const double shade = (0.68 + 0.32 * std::sqrt(r)) * light * (1 + tx[x]);
			for (int c = 0; c < 3; ++c)
				o[x][c] = cv::saturate_cast<std::uint8_t>(skin[c] * shade);
		}
	}
	return out;
}

bool Intersects(const std::vector<cv::Point2d>& polygon, const std::vector<cv::Rect>& keepOut)
{
	std::vector<cv::Point2f> points, poly;
	for (const cv::Point2d& p : polygon)
		points.emplace_back(static_cast<float>(p.x), static_cast<float>(p.y));
	cv::convexHull(points, poly);
	for (const cv::Rect& r : keepOut) {
		const std::vector<cv::Point2f> rect{
		    cv::Point2f(static_cast<float>(r.x), static_cast<float>(r.y)),
		    cv::Point2f(static_cast<float>(r.x + r.width), static_cast<float>(r.y)),
		    cv::Point2f(static_cast<float>(r.x + r.width), static_cast<float>(r.y + r.height)),
		    cv::Point2f(static_cast<float>(r.x), static_cast<float>(r.y + r.height))};
		cv::Mat inter;
		if (cv::intersectConvexConvex(poly, rect, inter, true) > 0)
			return true;
	}
	return false;
}

const cv::Scalar kSkins[] = {cv::Scalar(150, 175, 225), cv::Scalar(115, 150, 205), cv::Scalar(85, 115, 165),
								 cv::Scalar(60, 85, 125),   cv::Scalar(170, 192, 232), cv::Scalar(100, 135, 190)};
const cv::Scalar kSleeves[] = {cv::Scalar(90, 50, 30),  cv::Scalar(60, 60, 60),   cv::Scalar(35, 35, 38),
								   cv::Scalar(60, 110, 60), cv::Scalar(50, 40, 120),  cv::Scalar(200, 200, 195),
								   cv::Scalar(140, 110, 70)};

/// Draws the document held by a hand. `keepOut` (flat px) is where the thumb must not go.
Sprite BuildSprite(const cv::Mat& flat, const std::vector<cv::Rect>& keepOutFlat, bool passport, bool right,
				   double preScale, std::uint64_t seed)
{
	Stream rng(seed);
	Sprite sp;
	sp.skin = rng.pick(kSkins);
	sp.sleeve = rng.pick(kSleeves);
	const double k = kPxPerMm;
	const int padOut = cvRound(64 * k), padIn = cvRound(6 * k), padTop = cvRound(18 * k), padBottom = cvRound(36 * k);
	HandFrame hf;
	hf.right = right;
	hf.origin = cv::Point2d(right ? padIn : padOut, padTop);
	hf.width = flat.cols;
	const cv::Size canvas(flat.cols + padIn + padOut, flat.rows + padTop + padBottom);
	const cv::Point o(cvRound(hf.origin.x), cvRound(hf.origin.y));
	cv::Mat bgr(canvas, CV_8UC3, cv::Scalar(0, 0, 0));
	cv::Mat alpha(canvas, CV_8U, cv::Scalar(0));
	std::vector<cv::Rect> keepOut;
	for (const cv::Rect& r : keepOutFlat)
		keepOut.push_back(r + o);

	cv::Mat texture(canvas.height / 16 + 1, canvas.width / 16 + 1, CV_32F);
	cv::RNG cr(rng.next() | 1u);
	cr.fill(texture, cv::RNG::NORMAL, 0.0, 0.025);
	cv::resize(texture, texture, canvas, 0, 0, cv::INTER_CUBIC);

	if (passport) { // the booklet: its cover around the page and the edges of the other pages
		const cv::Scalar cover = rng.chance(0.5) ? cv::Scalar(70, 36, 24) : cv::Scalar(40, 32, 105);
		const cv::Rect coverBox(o.x - cvRound(3 * k), o.y - cvRound(2 * k), flat.cols + cvRound(6 * k),
		                        flat.rows + cvRound(5 * k));
		cv::Mat layer(canvas, CV_8UC3, cv::Scalar(0, 0, 0)), a(canvas, CV_8U, cv::Scalar(0));
		cv::rectangle(layer, coverBox, cover, cv::FILLED);
		cv::rectangle(a, coverBox, cv::Scalar(255), cv::FILLED);
		const cv::Rect pages(o.x - cvRound(1.2 * k), o.y, flat.cols + cvRound(2.4 * k), flat.rows + cvRound(1.6 * k));
		cv::rectangle(layer, pages, cv::Scalar(214, 220, 224), cv::FILLED);
		for (int i = 1; i < 4; ++i)
			cv::rectangle(layer,
			              pages - cv::Size(cvRound(i * 0.6 * k), cvRound(i * 0.4 * k)) +
			                  cv::Point(cvRound(i * 0.3 * k), 0),
			              cv::Scalar(190, 196, 200), 1, cv::LINE_AA);
		cv::GaussianBlur(a, a, {0, 0}, 1.0);
		Over(bgr, alpha, layer, a);
	}

	// Where the thumb goes: near the top of the held edge, clear of the keep-out regions.
	double thumbV = -1, thumbDepth = 0;
	for (const double depth : {12.0, 9.0, 6.5}) {
		for (const double v : {10.0, 8.5, 7.0, 5.5}) {
			std::vector<cv::Point2d> px;
			for (const cv::Point2d& q : ThumbMm(v, depth))
				px.push_back(hf.at(q.x, q.y));
			if (!Intersects(px, keepOut)) {
				thumbV = v;
				thumbDepth = depth;
				break;
			}
		}
		if (thumbV >= 0)
			break;
	}
	const double vT = thumbV >= 0 ? thumbV : 9.0;

	// Palm and fingers behind the held edge: a union of ellipses, rounded by a closing.
	{
		cv::Mat m(canvas, CV_8U, cv::Scalar(0));
		const auto blob = [&](double u, double v, double a, double b, double angle) {
			const cv::Point2d c = hf.at(u, v);
			cv::ellipse(m, cv::RotatedRect(cv::Point2f(static_cast<float>(c.x), static_cast<float>(c.y)),
										   cv::Size2f(static_cast<float>(2 * a * k), static_cast<float>(2 * b * k)),
										   static_cast<float>(right ? angle : -angle)),
						cv::Scalar(255), cv::FILLED, cv::LINE_AA);
		};
		blob(16, vT + 1, 21, 13, 12);   // index finger wrapped round the edge
		blob(24, vT + 24, 23, 27, -8);  // palm
		blob(19, vT + 46, 21, 16, 20);  // heel of the hand and the other fingers
		blob(34, vT + 52, 24, 17, 35);  // towards the wrist
		const int kr = cvRound(7 * k) | 1;
		cv::morphologyEx(m, m, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_ELLIPSE, {kr, kr}));
		cv::GaussianBlur(m, m, {0, 0}, 1.2);
		const cv::Mat skin = SkinLayer(m, sp.skin * 0.96, texture, 9 * k);
		Over(bgr, alpha, skin, m);
		// Creases: a knuckle on the wrapped index finger, and the gaps between the folded fingers.
		cv::Mat crease(canvas, CV_8UC3, cv::Scalar(0, 0, 0)), ca(canvas, CV_8U, cv::Scalar(0));
		const std::vector<std::vector<cv::Point2d>> lines{
			{hf.at(6, vT - 4), hf.at(10, vT + 1), hf.at(12, vT + 7)},
			{hf.at(0, vT + 17), hf.at(8, vT + 18.5), hf.at(15, vT + 21)},
			{hf.at(0, vT + 29), hf.at(9, vT + 30.5), hf.at(16, vT + 33.5)},
			{hf.at(0, vT + 40), hf.at(8, vT + 41.5), hf.at(14, vT + 44.5)},
		};
		for (const auto& line : lines) {
			cv::polylines(crease, std::vector<std::vector<cv::Point>>{Fixed(line)}, false, sp.skin * 0.6,
			              cvRound(0.5 * k), cv::LINE_AA, 3);
			cv::polylines(ca, std::vector<std::vector<cv::Point>>{Fixed(line)}, false, cv::Scalar(150),
			              cvRound(0.5 * k), cv::LINE_AA, 3);
		}
		cv::GaussianBlur(ca, ca, {0, 0}, 1.5);
		Over(bgr, alpha, crease, ca);
	}

	// The document.
	{
		cv::Mat layer(canvas, CV_8UC3, cv::Scalar(0, 0, 0)), a(canvas, CV_8U, cv::Scalar(0));
		const cv::Rect box(o, flat.size());
		flat.copyTo(layer(box));
		DocumentMask(flat).copyTo(a(box));
		Over(bgr, alpha, layer, a);
	}

	// The thumb, its shadow on the document, its nail and a crease.
	if (thumbV >= 0) {
		std::vector<cv::Point2d> px;
		for (const cv::Point2d& q : ThumbMm(thumbV, thumbDepth))
			px.push_back(hf.at(q.x, q.y));
		cv::Mat m(canvas, CV_8U, cv::Scalar(0));
		cv::fillPoly(m, std::vector<std::vector<cv::Point>>{Fixed(px)}, cv::Scalar(255), cv::LINE_AA, 3);
		cv::GaussianBlur(m, m, {0, 0}, 1.0);

		cv::Mat shadow;
		const cv::Matx23d shift(1, 0, (right ? -1.0 : 1.0) * 0.8 * k, 0, 1, 2.2 * k);
		cv::warpAffine(m, shadow, shift, canvas);
		cv::GaussianBlur(shadow, shadow, {0, 0}, 1.6 * k);
		for (int y = 0; y < canvas.height; ++y) {
			auto* d = bgr.ptr<cv::Vec3b>(y);
			const auto* s = shadow.ptr<std::uint8_t>(y);
			for (int x = 0; x < canvas.width; ++x)
				if (s[x])
					for (int c = 0; c < 3; ++c)
						d[x][c] = static_cast<std::uint8_t>(d[x][c] * (255 * 255 - 110 * s[x]) / (255 * 255));
		}
		Over(bgr, alpha, SkinLayer(m, sp.skin, texture, 6 * k), m);

		const cv::Point2d tip = hf.at(-thumbDepth, thumbV), base = hf.at(26, thumbV + 8);
		const cv::Point2d d = (tip - base) / cv::norm(tip - base);
		const cv::Point2d n(-d.y, d.x);
		const double angle = std::atan2(d.y, d.x) * 180 / kPi;
		cv::Mat nail(canvas, CV_8UC3, cv::Scalar(0, 0, 0)), na(canvas, CV_8U, cv::Scalar(0));
		const cv::Point2d nc = tip - d * (5.6 * k);
		const cv::Scalar nailColour = sp.skin * 0.55 + cv::Scalar(205, 205, 228) * 0.45;
		cv::ellipse(nail,
		            cv::RotatedRect(cv::Point2f(static_cast<float>(nc.x), static_cast<float>(nc.y)),
		                            cv::Size2f(static_cast<float>(9.5 * k), static_cast<float>(8.4 * k)),
		                            static_cast<float>(angle)),
		            nailColour, cv::FILLED, cv::LINE_AA);
		cv::ellipse(na,
		            cv::RotatedRect(cv::Point2f(static_cast<float>(nc.x), static_cast<float>(nc.y)),
		                            cv::Size2f(static_cast<float>(9.5 * k), static_cast<float>(8.4 * k)),
		                            static_cast<float>(angle)),
		            cv::Scalar(200), cv::FILLED, cv::LINE_AA);
		const cv::Point2d cc = tip - d * (17 * k);
		const std::vector<cv::Point2d> crease{cc + n * (6.5 * k), cc + d * (1.5 * k), cc - n * (6.5 * k)};
		cv::polylines(nail, std::vector<std::vector<cv::Point>>{Fixed(crease)}, false, sp.skin * 0.66,
		              cvRound(0.45 * k), cv::LINE_AA, 3);
		cv::polylines(na, std::vector<std::vector<cv::Point>>{Fixed(crease)}, false, cv::Scalar(140), cvRound(0.45 * k),
		              cv::LINE_AA, 3);
		cv::GaussianBlur(na, na, {0, 0}, 1.2);
		Over(bgr, alpha, nail, na);
	}

	const cv::Size scaled(std::max(1, cvRound(canvas.width * preScale)),
	                      std::max(1, cvRound(canvas.height * preScale)));
	cv::resize(bgr, sp.bgr, scaled, 0, 0, cv::INTER_AREA);
	cv::resize(alpha, sp.alpha, scaled, 0, 0, cv::INTER_AREA);
	const double sx = static_cast<double>(canvas.width) / scaled.width,
	             sy = static_cast<double>(canvas.height) / scaled.height;
	sp.toFlat = cv::Matx33d(sx, 0, -hf.origin.x, 0, sy, -hf.origin.y, 0, 0, 1);
	sp.wrist = hf.at(33, vT + 56) - hf.origin;
	sp.wristDir = cv::Point2d(right ? 0.42 : -0.42, 0.91);
	return sp;
}

/// Renders the document of `p` and its hand.
Sprite RenderDocument(const DocPlan& p)
{
	cv::Mat flat;
	std::vector<cv::Rect> keepOut;
	const int qz = 14;
	switch (p.document) {
	case DemoDocument::Passport:
		flat = RenderPassportPage(p.mrz, p.design);
		keepOut.push_back(cv::Rect(0, flat.rows - cvRound(25 * kPxPerMm), flat.cols, cvRound(25 * kPxPerMm)));
		break;
	case DemoDocument::LicenceFront: {
		LicenceFront front = RenderLicenceFront(p.front, p.design);
		flat = std::move(front.image);
		keepOut.push_back(
		    cv::Rect(front.dobBox.x - 20, front.dobBox.y - 20, front.dobBox.width + 40, front.dobBox.height + 40));
		break;
	}
	case DemoDocument::ShippingLabel: {
		cv::Rect code;
		flat = RenderShippingLabel(p.design, code);
		keepOut.push_back(cv::Rect(code.x - qz, code.y - qz, code.width + 2 * qz, code.height + 2 * qz));
		break;
	}
	default: {
		flat = RenderLicenceBack(MakeAamvaPayload(p.payload), p.design);
		const std::optional<cv::Rect> code = FindSymbol(flat);
		const cv::Rect r = code ? *code : cv::Rect(0, flat.rows / 4, flat.cols, flat.rows - flat.rows / 4);
		keepOut.push_back(cv::Rect(r.x - qz, r.y - qz, r.width + 2 * qz, r.height + 2 * qz));
		break;
	}
	}
	return BuildSprite(flat, keepOut, p.document == DemoDocument::Passport, p.right, std::min(1.0, p.hold.s), p.design);
}

// ---------------------------------------------------------------------------------------------
// The counter.

/// Pastes `src` rotated by `angle` degrees about its centre at `centre`, with a soft drop shadow.
void PasteRotated(cv::Mat& dst, const cv::Mat& src, const cv::Mat& mask, cv::Point2d centre, double angle,
                  double shadowPx)
{
	cv::Matx23d m(cv::getRotationMatrix2D(
	    cv::Point2f(static_cast<float>(src.cols) / 2, static_cast<float>(src.rows) / 2), angle, 1.0));
	m(0, 2) += centre.x - src.cols / 2.0;
	m(1, 2) += centre.y - src.rows / 2.0;
	cv::Mat warped, a, shadow;
	cv::warpAffine(src, warped, m, dst.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT);
	cv::warpAffine(mask, a, m, dst.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT);
	const cv::Matx23d off(1, 0, shadowPx * 0.6, 0, 1, shadowPx);
	cv::warpAffine(a, shadow, off, dst.size());
	cv::GaussianBlur(shadow, shadow, {0, 0}, std::max(0.5, shadowPx));
	for (int y = 0; y < dst.rows; ++y) {
		auto* d = dst.ptr<cv::Vec3b>(y);
		const auto* s = warped.ptr<cv::Vec3b>(y);
		const auto* w = a.ptr<std::uint8_t>(y);
		const auto* sh = shadow.ptr<std::uint8_t>(y);
		for (int x = 0; x < dst.cols; ++x)
			for (int c = 0; c < 3; ++c) {
				const int bg = d[x][c] * (255 * 255 - 90 * sh[x]) / (255 * 255);
				d[x][c] = static_cast<std::uint8_t>((bg * (255 - w[x]) + s[x][c] * w[x] + 127) / 255);
			}
	}
}

constexpr const char* kReceiptWords[] = {"COFFEE", "MILK 2L", "BREAD", "SUBTOTAL", "TAX", "TOTAL", "CASH",
										 "CHANGE", "THANK YOU", "ITEM", "QTY", "SNACKS", "4.50", "12.99", "0.80"};

/// A wooden counter with a receipt, a card terminal, coins and a pen near the edges.
cv::Mat RenderDesk(cv::Size size, Stream& rng)
{
	const double kx = size.width / 1280.0;
	const double v = rng.uniform(0.75, 1.05);
	const cv::Scalar base(rng.uniform(58, 78) * v, rng.uniform(98, 118) * v, rng.uniform(140, 165) * v);
	const cv::Size half(size.width / 2, size.height / 2);
	cv::RNG cr(rng.next() | 1u);
	cv::Mat grain(90, 16, CV_32F), blotch(9, 16, CV_32F), fine(half.height / 2, half.width / 2, CV_32F);
	cr.fill(grain, cv::RNG::NORMAL, 0.0, 1.0);
	cr.fill(blotch, cv::RNG::NORMAL, 0.0, 1.0);
	cr.fill(fine, cv::RNG::NORMAL, 0.0, 1.0);
	cv::Mat g1, g2, g3, n;
	cv::resize(grain, g1, half, 0, 0, cv::INTER_CUBIC);
	cv::resize(blotch, g2, half, 0, 0, cv::INTER_CUBIC);
	cv::resize(fine, g3, half, 0, 0, cv::INTER_LINEAR);
	cv::addWeighted(g1, rng.uniform(0.06, 0.10), g2, 0.05, 0, n);
	cv::scaleAdd(g3, 0.02, n, n);
	// Planks run across the frame, the grain along them: a tint per plank, a dark seam between.
	const int planks = rng.uniformInt(3, 4);
	const double offset = rng.uniform(0.2, 0.8);
	for (int y = 0; y < half.height; ++y) {
		const double pos = (static_cast<double>(y) / half.height) * planks + offset;
		const double frac = pos - std::floor(pos);
		const double tint = 0.05 * std::sin(std::floor(pos) * 2.4 + 1.3);
		const double seam = frac < 0.012 || frac > 0.988 ? -0.35 : 0.0;
		n.row(y) += tint + seam;
	}
	std::vector<cv::Mat> ch(3);
	for (int c = 0; c < 3; ++c)
		n.convertTo(ch[static_cast<std::size_t>(c)], CV_8U, base[c], base[c]);
	cv::Mat small, desk;
	cv::merge(ch, small);
	cv::resize(small, desk, size, 0, 0, cv::INTER_LINEAR);

	const bool receiptLeft = rng.chance(0.5);
	// A receipt near a top corner, partly out of the frame.
	{
		const int w = cvRound(rng.uniform(200, 240) * kx), h = cvRound(rng.uniform(420, 520) * kx);
		const double paper = rng.uniform(228, 246);
		cv::Mat note(h, w, CV_8UC3, cv::Scalar(paper, paper, paper + 3));
		const double scale = 0.5 * kx;
		for (int y = cvRound(34 * kx); y < h - 10; y += cvRound(26 * kx)) {
			const char* word = kReceiptWords[static_cast<std::size_t>(
			    rng.uniformInt(0, static_cast<int>(std::size(kReceiptWords)) - 1))];
			cv::putText(note, word, {cvRound(14 * kx), y}, cv::FONT_HERSHEY_SIMPLEX, scale, cv::Scalar(70, 70, 75), 1,
			            cv::LINE_AA);
			if (rng.chance(0.6))
				cv::putText(note, std::to_string(rng.uniformInt(1, 19)) + "." + Digits(rng, 2),
				            {w - cvRound(70 * kx), y}, cv::FONT_HERSHEY_SIMPLEX, scale, cv::Scalar(70, 70, 75), 1,
				            cv::LINE_AA);
		}
		const cv::Point2d at(receiptLeft ? rng.uniform(0.04, 0.1) * size.width : rng.uniform(0.9, 0.96) * size.width,
							 rng.uniform(0.05, 0.2) * size.height);
		PasteRotated(desk, note, cv::Mat(h, w, CV_8U, cv::Scalar(255)), at, rng.uniform(-25, 25), 5 * kx);
	}
	// A card terminal near the other top corner.
	{
		const int w = cvRound(150 * kx), h = cvRound(230 * kx);
		cv::Mat term(h, w, CV_8UC3, cv::Scalar(48, 46, 44));
		cv::rectangle(term, cv::Rect(cvRound(14 * kx), cvRound(16 * kx), w - cvRound(28 * kx), cvRound(70 * kx)),
		              cv::Scalar(70, 60, 35), cv::FILLED);
		for (int r = 0; r < 4; ++r)
			for (int c = 0; c < 3; ++c)
				cv::rectangle(term,
				              cv::Rect(cvRound((22 + c * 38) * kx), cvRound((104 + r * 29) * kx), cvRound(28 * kx),
				                       cvRound(20 * kx)),
				              r == 3 && c == 2 ? cv::Scalar(60, 140, 60) : cv::Scalar(150, 150, 150), cv::FILLED,
				              cv::LINE_AA);
		cv::Mat mask(h, w, CV_8U, cv::Scalar(0));
		cv::rectangle(mask, cv::Rect(0, 0, w, h), cv::Scalar(255), cv::FILLED);
		const cv::Point2d at(receiptLeft ? rng.uniform(0.86, 0.93) * size.width : rng.uniform(0.07, 0.14) * size.width,
							 rng.uniform(0.12, 0.22) * size.height);
		PasteRotated(desk, term, mask, at, rng.uniform(-20, 20), 9 * kx);
	}
	// Coins along the bottom edge.
	for (int i = rng.uniformInt(2, 4); i > 0; --i) {
		const cv::Point at(cvRound(rng.uniform(0.05, 0.95) * size.width),
		                   cvRound(rng.uniform(0.9, 0.98) * size.height));
		const int r = cvRound(rng.uniform(14, 22) * kx);
		const cv::Scalar metal = rng.chance(0.5) ? cv::Scalar(150, 160, 170) : cv::Scalar(60, 150, 190);
		cv::circle(desk, at + cv::Point(cvRound(3 * kx), cvRound(4 * kx)), r, base * 0.6, cv::FILLED, cv::LINE_AA);
		cv::circle(desk, at, r, metal * 0.7, cv::FILLED, cv::LINE_AA);
		cv::circle(desk, at, r - cvRound(2 * kx), metal, cv::FILLED, cv::LINE_AA);
		cv::circle(desk, at - cv::Point(r / 3, r / 3), std::max(1, r / 4), metal * 1.2, cv::FILLED, cv::LINE_AA);
	}
	// A pen along a side.
	{
		const bool left = rng.chance(0.5);
		const cv::Point2d c(left ? rng.uniform(0.03, 0.08) * size.width : rng.uniform(0.92, 0.97) * size.width,
							rng.uniform(0.55, 0.8) * size.height);
		const double a = rng.uniform(60, 120) * kPi / 180, len = rng.uniform(150, 190) * kx;
		const cv::Point2d d(std::cos(a) * len / 2, std::sin(a) * len / 2);
		const int thick = std::max(2, cvRound(9 * kx));
		const cv::Scalar body = rng.chance(0.5) ? cv::Scalar(150, 60, 20) : cv::Scalar(30, 30, 30);
		cv::line(desk, c - d + cv::Point2d(4, 5) * kx, c + d + cv::Point2d(4, 5) * kx, base * 0.6, thick, cv::LINE_AA);
		cv::line(desk, c - d, c + d, body, thick, cv::LINE_AA);
		cv::line(desk, c + d, c + d * 1.08, cv::Scalar(170, 170, 170), thick / 2 + 1, cv::LINE_AA);
	}
	return desk;
}

// ---------------------------------------------------------------------------------------------
// Frames.

/// The forearm from the wrist to beyond the frame edge: a skin part and a sleeve, frame px.
struct Forearm {
	std::vector<cv::Point2d> arm, armLit, sleeve, sleeveLit;
};

Forearm ForearmAt(const Sprite& sp, const cv::Matx33d& flatToFrame, cv::Size frame)
{
	const cv::Point2d a = Apply(flatToFrame, sp.wrist);
	const cv::Point2d b = Apply(flatToFrame, sp.wrist + sp.wristDir * (40 * kPxPerMm));
	const double mm = cv::norm(b - a) / 40; // frame px per mm near the wrist
	const cv::Point2d d = (b - a) / std::max(1e-9, cv::norm(b - a));
	const cv::Point2d n(-d.y, d.x);
	const double far = 2.5 * std::max(frame.width, frame.height) / std::max(mm, 1e-3);
	const auto band = [&](double s0, double s1, double w0, double w1, double lit) {
		const cv::Point2d shift = n * (lit * w0 * 0.12 * mm);
		return std::vector<cv::Point2d>{
		    a + d * (s0 * mm) + n * (w0 * mm / 2) + shift, a + d * (s1 * mm) + n * (w1 * mm / 2) + shift,
		    a + d * (s1 * mm) - n * (w1 * mm / 2) + shift, a + d * (s0 * mm) - n * (w0 * mm / 2) + shift};
	};
	Forearm f;
	f.arm = band(-14, 90, 54, 64, 0);
	f.armLit = band(-14, 90, 54 * 0.62, 64 * 0.62, -1);
	f.sleeve = band(78, far, 78, 100, 0);
	f.sleeveLit = band(78, far, 78 * 0.6, 100 * 0.6, -1);
	return f;
}

void FillBand(cv::Mat& img, const std::vector<cv::Point2d>& pts, const cv::Scalar& colour, double scale = 1)
{
	std::vector<cv::Point2d> s;
	for (const cv::Point2d& p : pts)
		s.push_back(p * scale);
	const std::vector<cv::Point> fixed = Fixed(s);
	cv::fillConvexPoly(img, fixed.data(), static_cast<int>(fixed.size()), colour, cv::LINE_AA, 3);
}

void DrawForearm(cv::Mat& img, const Forearm& f, const Sprite& sp)
{
	FillBand(img, f.arm, sp.skin * 0.74);
	FillBand(img, f.armLit, sp.skin * 0.9);
	FillBand(img, f.sleeve, sp.sleeve * 0.72);
	FillBand(img, f.sleeveLit, sp.sleeve);
}

/// Warps the sprite into `frame` with `spriteToFrame` and blends it over.
void BlendSprite(cv::Mat& frame, const Sprite& sp, const cv::Matx33d& spriteToFrame)
{
	const double w = sp.bgr.cols, h = sp.bgr.rows;
	std::vector<cv::Point2f> c;
	for (const cv::Point2d p : {cv::Point2d(0, 0), cv::Point2d(w, 0), cv::Point2d(w, h), cv::Point2d(0, h)}) {
		const cv::Point2d q = Apply(spriteToFrame, p);
		c.emplace_back(static_cast<float>(std::clamp(q.x, -1e5, 1e5)), static_cast<float>(std::clamp(q.y, -1e5, 1e5)));
	}
	const cv::Rect roi = cv::boundingRect(c) & cv::Rect(0, 0, frame.cols, frame.rows);
	if (roi.empty())
		return;
	const cv::Matx33d hr = cv::Matx33d(1, 0, -roi.x, 0, 1, -roi.y, 0, 0, 1) * spriteToFrame;
	cv::Mat warped, a;
	cv::warpPerspective(sp.bgr, warped, hr, roi.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT);
	cv::warpPerspective(sp.alpha, a, hr, roi.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT);
	cv::Mat target = frame(roi);
	for (int y = 0; y < roi.height; ++y) {
		auto* d = target.ptr<cv::Vec3b>(y);
		const auto* s = warped.ptr<cv::Vec3b>(y);
		const auto* al = a.ptr<std::uint8_t>(y);
		for (int x = 0; x < roi.width; ++x) {
			const int wgt = al[x];
			if (!wgt)
				continue;
			for (int ch = 0; ch < 3; ++ch)
				d[x][ch] = static_cast<std::uint8_t>((d[x][ch] * (255 - wgt) + s[x][ch] * wgt + 127) / 255);
		}
	}
}

/// The counter darkened under the held document, hand and arm (light from the top left).
cv::Mat ShadowedDesk(const cv::Mat& desk, const Sprite& sp, const cv::Matx33d& flatToFrame)
{
	const double q = 4;
	const cv::Size small(desk.cols / 4, desk.rows / 4);
	const cv::Point2d offset(0.03 * desk.cols, 0.05 * desk.rows);
	const cv::Matx33d down = cv::Matx33d(1 / q, 0, offset.x / q, 0, 1 / q, offset.y / q, 0, 0, 1);
	cv::Mat m;
	cv::warpPerspective(sp.alpha, m, down * flatToFrame * sp.toFlat, small, cv::INTER_LINEAR, cv::BORDER_CONSTANT);
	const Forearm f = ForearmAt(sp, flatToFrame, desk.size());
	std::vector<cv::Point2d> arm;
	for (const auto* band : {&f.arm, &f.sleeve}) {
		arm.clear();
		for (const cv::Point2d& p : *band)
			arm.push_back(p + offset);
		FillBand(m, arm, cv::Scalar(255), 1 / q);
	}
	cv::GaussianBlur(m, m, {0, 0}, 0.012 * desk.cols);
	cv::Mat full, factor, factor3, out;
	cv::resize(m, full, desk.size(), 0, 0, cv::INTER_LINEAR);
	full.convertTo(factor, CV_8U, -0.42, 255);
	cv::cvtColor(factor, factor3, cv::COLOR_GRAY2BGR);
	cv::multiply(desk, factor3, out, 1.0 / 255);
	return out;
}

/// Lighting, lens blur and sensor noise, the same for every frame.
class Camera {
public:
	Camera(cv::Size size, Stream& rng) : _size(size)
	{
		cv::Mat gain(size, CV_32F);
		const double gx = rng.uniform(-0.06, 0.06), gy = rng.uniform(-0.05, 0.05);
		const double cx = rng.uniform(0.4, 0.6) * size.width, cy = rng.uniform(0.35, 0.55) * size.height;
		const double r2max =
		    0.25 * (static_cast<double>(size.width) * size.width + static_cast<double>(size.height) * size.height);
		for (int y = 0; y < size.height; ++y) {
			auto* g = gain.ptr<float>(y);
			for (int x = 0; x < size.width; ++x) {
				const double r2 = ((x - cx) * (x - cx) + (y - cy) * (y - cy)) / r2max;
				g[x] = static_cast<float>(
				    128 * (1.02 - 0.2 * r2 + gx * (2.0 * x / size.width - 1) + gy * (2.0 * y / size.height - 1)));
			}
		}
		cv::Mat g8;
		gain.convertTo(g8, CV_8U);
		cv::cvtColor(g8, _gain, cv::COLOR_GRAY2BGR);
		_tile.create(size.height + 64, size.width + 64, CV_8SC3);
		cv::RNG cr(rng.next() | 1u);
		cr.fill(_tile, cv::RNG::NORMAL, 0.0, kTileSigma);
		_blur = 0.7 * size.width / 1280.0;
	}

	void develop(cv::Mat& frame, Stream& rng) const
	{
		cv::multiply(frame, _gain, frame, 1.0 / 128);
		cv::GaussianBlur(frame, frame, {0, 0}, _blur);
		const cv::Rect window(rng.uniformInt(0, 64), rng.uniformInt(0, 64), _size.width, _size.height);
		cv::addWeighted(frame, 1.0, _tile(window), kNoise / kTileSigma, 0.0, frame, CV_8U);
	}

private:
	static constexpr double kTileSigma = 24;
	static constexpr double kNoise = 0.6;
	cv::Size _size;
	cv::Mat _gain;
	cv::Mat _tile;
	double _blur = 0.7;
};

/// One frame: the counter, and the document in play (if any) averaged over the shutter time.
cv::Mat RenderFrame(int index, const cv::Mat& desk, const std::vector<DocPlan>& plans,
                    const std::vector<Sprite>& sprites, cv::Size size)
{
	const double t = index;
	for (std::size_t i = 0; i < plans.size(); ++i) {
		const DocPlan& p = plans[i];
		if (t < p.enter || t > p.gone)
			continue;
		const Sprite& sp = sprites[i];
		const auto poseAt = [&](double tt) {
			return *PoseAt(p, std::clamp(tt, static_cast<double>(p.enter), static_cast<double>(p.gone)));
		};
		const Pose now = poseAt(t);
		const cv::Matx33d hNow = PoseHomography(now, p.flat, size);
		// Shutter: half a frame interval. Sub-samples every 3 px of corner travel.
		const auto c0 = Corners(p, poseAt(t - 0.25), size), c1 = Corners(p, poseAt(t + 0.25), size);
		double travel = 0;
		for (std::size_t k = 0; k < 4; ++k)
			travel = std::max(travel, cv::norm(c1[k] - c0[k]));
		const int n = std::clamp(static_cast<int>(std::ceil(travel / 3)), 1, 16);
		const cv::Mat base = ShadowedDesk(desk, sp, hNow);
		if (n == 1) {
			cv::Mat frame = base.clone();
			DrawForearm(frame, ForearmAt(sp, hNow, size), sp);
			BlendSprite(frame, sp, hNow * sp.toFlat);
			return frame;
		}
		cv::Mat acc(size, CV_32FC3, cv::Scalar::all(0));
		for (int j = 0; j < n; ++j) {
			const double tj = t - 0.25 + 0.5 * (j + 0.5) / n;
			const cv::Matx33d h = PoseHomography(poseAt(tj), p.flat, size);
			cv::Mat layer = base.clone();
			DrawForearm(layer, ForearmAt(sp, h, size), sp);
			BlendSprite(layer, sp, h * sp.toFlat);
			cv::accumulate(layer, acc);
		}
		cv::Mat frame;
		acc.convertTo(frame, CV_8U, 1.0 / n);
		return frame;
	}
	return desk.clone();
}

std::string Join(int a, char sep, int b)
{
	return std::to_string(a) + sep + std::to_string(b);
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Public API.

std::string_view ToString(DemoDocument document) noexcept
{
	switch (document) {
	case DemoDocument::LicenceOver21: return "licence-over-21";
	case DemoDocument::LicenceUnder: return "licence-under";
	case DemoDocument::LicenceBetween: return "licence-between";
	case DemoDocument::LicenceExpired: return "licence-expired";
	case DemoDocument::Passport: return "passport";
	case DemoDocument::LicenceFront: return "licence-front";
	case DemoDocument::ShippingLabel: return "shipping-label";
	}
	return "?";
}

std::vector<DemoDocument> AllDemoDocuments()
{
	return {DemoDocument::LicenceOver21, DemoDocument::LicenceUnder, DemoDocument::LicenceBetween,
			DemoDocument::LicenceExpired, DemoDocument::Passport,    DemoDocument::LicenceFront,
			DemoDocument::ShippingLabel};
}

DemoClipManifest PlanDemoClip(const DemoClipOptions& options)
{
	DemoClipManifest manifest;
	try {
		Plan(options, manifest);
	} catch (const std::exception& e) {
		manifest = {};
		manifest.error = std::string("planning failed: ") + e.what();
	}
	return manifest;
}

DemoClipManifest WriteDemoClip(const std::string& path, const DemoClipOptions& options)
{
	DemoClipManifest manifest;
	try {
		const std::vector<DocPlan> plans = Plan(options, manifest);
		if (!manifest.ok())
			return manifest;
		const Settings st = Normalise(options);

		cv::VideoWriter writer;
		for (const char* fourcc : {"avc1", "mp4v"}) {
			if (writer.open(path, cv::CAP_FFMPEG, cv::VideoWriter::fourcc(fourcc[0], fourcc[1], fourcc[2], fourcc[3]),
			                st.fps, st.size, true)) {
				manifest.fourcc = fourcc;
				break;
			}
		}
		if (!writer.isOpened()) {
			manifest.error = "cannot open an FFmpeg video writer (avc1 or mp4v) for " + path;
			return manifest;
		}

		Stream deskRng(DeriveSeed(st.seed, kDeskSalt));
		const cv::Mat desk = RenderDesk(st.size, deskRng);
		Stream cameraRng(DeriveSeed(st.seed, kCameraSalt));
		const Camera camera(st.size, cameraRng);
		std::vector<Sprite> sprites;
		for (const DocPlan& p : plans)
			sprites.push_back(RenderDocument(p));
		for (int i = 0; i < manifest.frames; ++i) {
			cv::Mat frame = RenderFrame(i, desk, plans, sprites, st.size);
			camera.develop(frame, cameraRng);
			writer.write(frame);
		}
		writer.release();

		cv::VideoCapture check(path, cv::CAP_FFMPEG);
		const double written = check.isOpened() ? check.get(cv::CAP_PROP_FRAME_COUNT) : 0;
		if (std::lround(written) != manifest.frames)
			manifest.error =
			    "the written clip does not read back with " + std::to_string(manifest.frames) + " frames: " + path;
	} catch (const std::exception& e) {
		manifest.error = std::string("rendering the clip failed: ") + e.what();
	}
	return manifest;
}

std::string FormatDemoManifest(const DemoClipManifest& manifest)
{
	std::string out = "# " + Join(manifest.size.width, 'x', manifest.size.height) + ", " +
	                  std::to_string(manifest.fps) + " fps, " + std::to_string(manifest.frames) + " frames";
	if (!manifest.fourcc.empty())
		out += ", " + manifest.fourcc;
	out += "\ndocument\tkind\tenter\tfirst\tlast\tleave\tverdict_" + std::to_string(manifest.thresholds[0]) +
	       "\tverdict_" + std::to_string(manifest.thresholds[1]) + "\treason\n";
	for (const DemoClipEntry& e : manifest.documents) {
		out += std::string(ToString(e.document)) + '\t' + std::string(e.kind) + '\t' + std::to_string(e.enter) + '\t' +
			   std::to_string(e.first) + '\t' + std::to_string(e.last) + '\t' + std::to_string(e.leave);
		for (const Verdict v : e.verdicts)
			out += '\t' + std::string(ToString(v));
		out += '\t' + std::string(ToString(e.reason)) + '\n';
	}
	return out;
}

} // namespace agecheck::synth

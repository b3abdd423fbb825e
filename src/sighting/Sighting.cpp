// SPDX-License-Identifier: Apache-2.0
#include "sighting/Sighting.h"

#include <opencv2/imgproc.hpp>

#include "aamva/Aamva.h"
#include "barcode/Barcode.h"
#include "capture/FrameSource.h"

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

} // namespace

Verdict Sighting::verdictFor(int threshold) const noexcept
{
	for (std::size_t i = 0; i < count; ++i)
		if (thresholds[i] == threshold)
			return verdicts[i];
	return Verdict::Unverified;
}

Scanner::Scanner(age::Policy policy, Options options) : _policy(std::move(policy)), _options(options) {}

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
	Sighting s = unverified(Reason::Unreadable);
	auto doc = aamva::Parse(payload);
	if (!doc) {
		s.reason = doc.reason();
		return s;
	}
	s.reason = Reason::Aamva;
	for (std::size_t i = 0; i < s.count; ++i) {
		const auto d = age::Decide(doc->birth, doc->expiry, Reason::Aamva, today, _policy, s.thresholds[i]);
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
	const Sighting best = unverified(Reason::Unreadable);
	if (frame.empty() || frame.depth() != CV_8U || frame.dims != 2 || long(frame.total()) > _options.maxPixels)
		return best;
	try {
		return scan(frame, today, best);
	} catch (...) {
		// A hostile frame that makes OpenCV or zxing throw, or exhausts memory, reads as nothing.
		return best;
	}
}

Sighting Scanner::scan(const cv::Mat& frame, std::chrono::year_month_day today, Sighting best) const
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

	auto candidates = locate::FindPdf417(gray, _options.locate);
	if (candidates.size() > std::size_t(_options.maxCandidates))
		candidates.resize(std::size_t(_options.maxCandidates));

	for (auto cand : candidates) {
		locate::RefineQuad(gray, cand);
		cv::Mat quad, rotated;
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
		if (s.documentRead())
			return s;
		if (Rank(s.reason) > Rank(best.reason))
			best = s;
	}
	return best;
}

} // namespace agecheck::sighting

// SPDX-License-Identifier: Apache-2.0
#include "locate/MrzLocate.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

#include <opencv2/imgproc.hpp>

namespace agecheck::locate {

namespace {

/// A text-line blob at detection scale.
struct Blob {
	cv::Point2f center;
	cv::Point2f dir;   ///< unit vector along the line, pointing right (dir.x >= 0)
	float length = 0;
	float height = 0;
};

/// `gray` scaled down to at most `width` pixels wide (never up); `s` receives the scale.
cv::Mat Downscale(const cv::Mat& gray, int width, double& s)
{
	s = std::min(1.0, double(width) / gray.cols);
	if (s >= 1.0)
		return gray;
	cv::Mat small;
	cv::resize(gray, small, {}, s, s, cv::INTER_AREA);
	return small;
}

/// Which blobs LineBlobs keeps.
struct BlobFilter {
	float minLength = 0;   ///< detection pixels
	float minAspect = 12;
	float maxHeight = 1e9f; ///< detection pixels
	int closeWidth = 13;   ///< the closing that joins characters
};

/// The blobs that may be text lines: long, thin, densely filled runs of dark text.
std::vector<Blob> LineBlobs(const cv::Mat& small, const BlobFilter& o)
{
	// Dark strokes on a light ground, whatever the lighting: the black-hat keeps what is darker
	// than its neighbourhood and smaller than the kernel (a character), and drops the shading.
	cv::Mat hat, mask;
	cv::morphologyEx(small, hat, cv::MORPH_BLACKHAT, cv::getStructuringElement(cv::MORPH_RECT, {21, 11}));
	cv::threshold(hat, mask, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
	// Otsu on a mostly empty black-hat picks a low level: also drop faint texture.
	cv::Mat strong;
	cv::threshold(hat, strong, 24, 255, cv::THRESH_BINARY);
	cv::bitwise_and(mask, strong, mask);
	// Join the characters of a line, not the lines: a wide, one-pixel-high closing.
	cv::morphologyEx(mask, mask, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, {o.closeWidth, 1}));
	cv::morphologyEx(mask, mask, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, {1, 2}));

	cv::Mat labels, stats, centroids;
	const int n = cv::connectedComponentsWithStats(mask, labels, stats, centroids, 8, CV_32S);
	const float minLength = o.minLength;
	std::vector<Blob> blobs;
	std::vector<cv::Point> pts;
	for (int i = 1; i < n; ++i) {
		const int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
		const int area = stats.at<int>(i, cv::CC_STAT_AREA);
		if (float(std::max(w, h)) < minLength * 0.9f || area < 60)
			continue;
		pts.clear();
		const cv::Rect box(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP), w, h);
		for (int y = box.y; y < box.y + box.height; ++y) {
			const int* row = labels.ptr<int>(y);
			for (int x = box.x; x < box.x + box.width; ++x)
				if (row[x] == i)
					pts.emplace_back(x, y);
		}
		const cv::RotatedRect r = cv::minAreaRect(pts);
		float len = r.size.width, ht = r.size.height, deg = r.angle;
		if (ht > len) {
			std::swap(len, ht);
			deg += 90.f;
		}
		ht = std::max(ht, 1.f);
		if (len < minLength || len / ht < o.minAspect || ht > o.maxHeight || float(area) < 0.45f * len * ht)
			continue;
		const float rad = deg * std::numbers::pi_v<float> / 180.f;
		cv::Point2f dir(std::cos(rad), std::sin(rad));
		if (dir.x < 0 || (dir.x == 0 && dir.y < 0))
			dir = -dir; // any angle (a page may be held at any rotation); the zone's finder orders the lines
		blobs.push_back({r.center, dir, len, ht});
	}
	return blobs;
}

/// Whether `b` continues the zone below `a`: parallel, as long, left-aligned, one line pitch down,
/// "down" being to the right of `a`'s direction (for a page held upright, down the page; the
/// reader tries the other way round when that reads as nothing).
bool NextLine(const Blob& a, const Blob& b)
{
	if (std::abs(a.dir.dot(b.dir)) < std::cos(4.f * std::numbers::pi_v<float> / 180.f))
		return false;
	const float ratio = b.length / a.length;
	if (ratio < 0.85f || ratio > 1.18f)
		return false;
	const cv::Point2f d = b.center - a.center;
	const cv::Point2f normal(-a.dir.y, a.dir.x); // points down the page
	const float down = d.dot(normal), along = d.dot(a.dir);
	const float h = 0.5f * (a.height + b.height);
	return down > 1.1f * h && down < 3.2f * h && std::abs(along) < 0.08f * a.length;
}

} // namespace

namespace {

/// A zone's outline from its first and last lines.
std::array<cv::Point2f, 4> ZoneQuad(const std::vector<MrzLine>& lines) noexcept
{
	const MrzLine& top = lines.front();
	const MrzLine& bottom = lines.back();
	const cv::Point2f d(std::cos(top.angle), std::sin(top.angle)), n(-d.y, d.x);
	return {top.center - d * top.halfLength - n * top.halfHeight, top.center + d * top.halfLength - n * top.halfHeight,
	        bottom.center + d * bottom.halfLength + n * bottom.halfHeight,
	        bottom.center - d * bottom.halfLength + n * bottom.halfHeight};
}

/// FindMrz at one detection width.
std::vector<MrzCandidate> FindMrzAt(const cv::Mat& gray, const MrzOptions& options, int detectWidth)
{
	std::vector<MrzCandidate> out;
	double s = 1.0;
	const cv::Mat small = Downscale(gray, detectWidth, s);

	BlobFilter filter;
	filter.minLength = options.minLineFraction * float(small.cols);
	filter.minAspect = options.minAspect;
	std::vector<Blob> blobs = LineBlobs(small, filter);
	std::sort(blobs.begin(), blobs.end(), [](const Blob& a, const Blob& b) { return a.center.y < b.center.y; });

	struct Group {
		std::vector<int> members;
		float score;
	};
	std::vector<Group> groups;
	// Lines of one zone point the same way: the one direction of each near-vertical pair of
	// blobs may differ by half a turn (canonical directions flip at 90 degrees); align them.
	const auto aligned = [&](int from, int to) {
		Blob b = blobs[size_t(to)];
		if (b.dir.dot(blobs[size_t(from)].dir) < 0)
			b.dir = -b.dir;
		return b;
	};
	for (int i = 0; i < int(blobs.size()); ++i) {
		for (int j = 0; j < int(blobs.size()); ++j) {
			if (j == i || !NextLine(blobs[size_t(i)], aligned(i, j)))
				continue;
			Group g{{i, j}, 0};
			for (int k = 0; k < int(blobs.size()); ++k)
				if (k != i && k != j && NextLine(aligned(i, j), aligned(i, k))) {
					g.members.push_back(k);
					break;
				}
			float len = 0;
			for (int m : g.members)
				len += blobs[size_t(m)].length;
			g.score = len / float(small.cols);
			groups.push_back(std::move(g));
		}
	}
	std::sort(groups.begin(), groups.end(), [](const Group& a, const Group& b) { return a.score > b.score; });

	std::vector<char> used(blobs.size(), 0);
	const float inv = float(1.0 / s);
	for (const Group& g : groups) {
		if (int(out.size()) >= options.maxCandidates)
			break;
		if (std::any_of(g.members.begin(), g.members.end(), [&](int m) { return used[size_t(m)]; }))
			continue;
		MrzCandidate c;
		c.score = g.score;
		for (int m : g.members) {
			used[size_t(m)] = 1;
			const Blob b = aligned(g.members.front(), m);
			MrzLine line;
			line.center = b.center * inv;
			line.angle = std::atan2(b.dir.y, b.dir.x);
			line.halfLength = 0.5f * b.length * inv;
			line.halfHeight = 0.5f * b.height * inv;
			c.lines.push_back(line);
		}
		c.quad = ZoneQuad(c.lines);
		out.push_back(std::move(c));
	}
	return out;
}

} // namespace

bool FindTextBlock(const cv::Mat& gray, TextBlock& block, int minLines, int detectWidth)
{
	if (gray.empty() || gray.type() != CV_8UC1 || gray.cols < 64 || gray.rows < 32)
		return false;
	double s = 1.0;
	const cv::Mat small = Downscale(gray, detectWidth, s);
	BlobFilter filter;
	filter.minLength = 0.025f * float(small.cols);
	filter.minAspect = 2.5f;
	filter.maxHeight = 0.05f * float(small.cols);
	filter.closeWidth = 7;
	std::vector<Blob> blobs = LineBlobs(small, filter);
	if (int(blobs.size()) < minLines)
		return false;
	// The lines' direction: the length-weighted median angle.
	std::vector<std::pair<float, float>> angles;
	float total = 0;
	for (const Blob& b : blobs) {
		angles.emplace_back(std::atan2(b.dir.y, b.dir.x), b.length);
		total += b.length;
	}
	std::sort(angles.begin(), angles.end());
	float acc = 0, angle = 0;
	for (const auto& [a, w] : angles) {
		acc += w;
		if (acc >= total / 2) {
			angle = a;
			break;
		}
	}
	// The card: lines near the median centre, within a card's reach, running the same way.
	std::vector<float> xs, ys;
	for (const Blob& b : blobs) {
		xs.push_back(b.center.x);
		ys.push_back(b.center.y);
	}
	std::nth_element(xs.begin(), xs.begin() + long(xs.size() / 2), xs.end());
	std::nth_element(ys.begin(), ys.begin() + long(ys.size() / 2), ys.end());
	const cv::Point2f mid(xs[xs.size() / 2], ys[ys.size() / 2]);
	const float reach = 0.33f * float(small.cols);
	std::vector<cv::Point2f> pts;
	std::vector<float> heights;
	for (const Blob& b : blobs) {
		const float da = std::abs(std::atan2(b.dir.y, b.dir.x) - angle);
		if (cv::norm(b.center - mid) > double(reach) || da > 0.12f)
			continue;
		const cv::Point2f d = b.dir * (0.5f * b.length), n = cv::Point2f(-b.dir.y, b.dir.x) * (0.5f * b.height);
		for (const cv::Point2f& p : {b.center - d - n, b.center + d - n, b.center + d + n, b.center - d + n})
			pts.push_back(p);
		heights.push_back(b.height);
	}
	if (int(heights.size()) < minLines)
		return false;
	std::nth_element(heights.begin(), heights.begin() + long(heights.size() / 2), heights.end());
	const float inv = float(1.0 / s);
	for (cv::Point2f& p : pts)
		p *= inv;
	block.box = cv::minAreaRect(pts);
	block.angle = angle;
	block.lineHeight = heights[heights.size() / 2] * inv;
	block.lines = int(heights.size());
	return true;
}

cv::Mat RectifyTextBlock(const cv::Mat& gray, const TextBlock& block, float lineHeight, float leftMargin)
{
	if (gray.empty() || block.lineHeight <= 0)
		return {};
	// Measure the box along the reading direction, whatever OpenCV calls its width.
	const cv::Point2f d(std::cos(block.angle), std::sin(block.angle)), n(-d.y, d.x);
	cv::Point2f corners[4];
	block.box.points(corners);
	float minA = 1e9f, maxA = -1e9f, minN = 1e9f, maxN = -1e9f;
	for (const cv::Point2f& p : corners) {
		const cv::Point2f q = p - block.box.center;
		minA = std::min(minA, q.dot(d));
		maxA = std::max(maxA, q.dot(d));
		minN = std::min(minN, q.dot(n));
		maxN = std::max(maxN, q.dot(n));
	}
	const float pad = block.lineHeight, left = leftMargin * block.lineHeight;
	const float k = lineHeight / block.lineHeight;
	const int w = int(std::lround((maxA - minA + left + pad) * k)), h = int(std::lround((maxN - minN + 2 * pad) * k));
	if (w < 16 || h < 16 || w > 4096 || h > 4096)
		return {};
	const cv::Point2f origin = block.box.center + d * (minA - left) + n * (minN - pad);
	const float c = d.x / k, sn = d.y / k;
	cv::Matx23f m(c, -sn, origin.x, sn, c, origin.y);
	cv::Mat out;
	cv::warpAffine(gray, out, m, {w, h}, cv::INTER_LINEAR | cv::WARP_INVERSE_MAP, cv::BORDER_REPLICATE);
	return out;
}

double TurnedTextDirection(const cv::Mat& gray)
{
	if (gray.empty() || gray.type() != CV_8UC1)
		return 0;
	// Dark print (a black-hat), blurred over about a character so that each line of text becomes
	// one band: across a band the brightness changes most. So the strongest gradient direction
	// (weighted by its square, in 2-degree bins over half a turn) is across the lines. At half the
	// detection scale (characters of 3 to 8 pixels): a quarter of the time, the same direction.
	cv::Mat half, hat, blurred, gx, gy;
	cv::pyrDown(gray, half);
	cv::morphologyEx(half, hat, cv::MORPH_BLACKHAT, cv::getStructuringElement(cv::MORPH_RECT, {9, 9}));
	cv::GaussianBlur(hat, blurred, {0, 0}, 2.0);
	cv::Sobel(blurred, gx, CV_32F, 1, 0);
	cv::Sobel(blurred, gy, CV_32F, 0, 1);
	constexpr int kBins = 90;
	std::array<double, kBins> hist{};
	for (int y = 0; y < gx.rows; ++y) {
		const float* px = gx.ptr<float>(y);
		const float* py = gy.ptr<float>(y);
		for (int x = 0; x < gx.cols; ++x) {
			const float m = px[x] * px[x] + py[x] * py[x];
			if (m < 1.f)
				continue;
			double a = std::atan2(double(py[x]), double(px[x])); // a line looks the same from either side
			if (a < 0)
				a += std::numbers::pi;
			hist[std::size_t(std::min(kBins - 1, int(a / std::numbers::pi * kBins)))] += double(m);
		}
	}
	// The lines' direction for each bin of gradients across them, in getRotationMatrix2D's degrees.
	const auto lines = [](int bin) { return std::remainder((bin + 0.5) * 180.0 / kBins - 90.0, 180.0); };
	int peak = -1;
	double best = 0;
	for (int i = 0; i < kBins; ++i) {
		// Print within 12 degrees of level is found unturned; what lies level in a frame where
		// nothing was is the background (a table's grain, the frame's edges).
		if (std::abs(lines(i)) <= 12.0)
			continue;
		const double v = hist[std::size_t((i + kBins - 1) % kBins)] + 2 * hist[std::size_t(i)] + hist[std::size_t((i + 1) % kBins)];
		if (v > best) {
			best = v;
			peak = i;
		}
	}
	return peak < 0 ? 0 : lines(peak);
}

namespace {

/// FindMrz for a page turned further than the line detector's horizontal closing tolerates (about
/// 15 degrees; a page may be held at any angle): the frame, at the first detection scale, turned
/// back by the print's direction (TurnedTextDirection), then by 30, 60 and 90 degrees each way,
/// until a zone is found, mapped back to the frame.
std::vector<MrzCandidate> FindMrzTurned(const cv::Mat& gray, const MrzOptions& options)
{
	double s = 1.0;
	const cv::Mat small = Downscale(gray, options.detectWidth, s);
	const cv::Point2f centre(0.5f * float(small.cols), 0.5f * float(small.rows));
	// The print's own direction first: most pages then take one turn instead of up to five. The
	// fixed turns follow, but for one that would repeat it.
	const double first = TurnedTextDirection(small);
	std::vector<double> turns{first};
	for (const double deg : {30.0, -30.0, 60.0, -60.0, 90.0})
		if (std::abs(std::remainder(deg - first, 180.0)) > 12.0)
			turns.push_back(deg);
	for (const double deg : turns) {
		cv::Mat turn = cv::getRotationMatrix2D(centre, deg, 1.0);
		const cv::Rect2f bounds = cv::RotatedRect(centre, cv::Size2f(small.size()), float(deg)).boundingRect2f();
		turn.at<double>(0, 2) += double(bounds.width) / 2 - double(centre.x);
		turn.at<double>(1, 2) += double(bounds.height) / 2 - double(centre.y);
		cv::Mat turned;
		// The corners outside the frame are flat grey: replicated borders would streak into lines.
		cv::warpAffine(small, turned, turn, cv::Size(int(bounds.width), int(bounds.height)), cv::INTER_LINEAR,
		               cv::BORDER_CONSTANT, cv::mean(small));
		MrzOptions o = options;
		o.minLineFraction = options.minLineFraction * float(small.cols) / float(turned.cols); // the same length as unturned
		std::vector<MrzCandidate> found = FindMrzAt(turned, o, turned.cols);
		cv::Mat back;
		cv::invertAffineTransform(turn, back);
		const auto map = [&](cv::Point2f p) {
			const double x = back.at<double>(0, 0) * double(p.x) + back.at<double>(0, 1) * double(p.y) + back.at<double>(0, 2);
			const double y = back.at<double>(1, 0) * double(p.x) + back.at<double>(1, 1) * double(p.y) + back.at<double>(1, 2);
			return cv::Point2f(float(x / s), float(y / s));
		};
		const float inv = float(1.0 / s);
		const cv::Rect2f frame(0, 0, float(gray.cols), float(gray.rows));
		std::erase_if(found, [&](const MrzCandidate& c) {
			return !frame.contains(map(0.5f * (c.quad[0] + c.quad[2]))); // nothing to read off the frame
		});
		for (auto& c : found) {
			for (auto& line : c.lines) {
				const cv::Point2f d(std::cos(line.angle), std::sin(line.angle));
				const cv::Point2f a = map(line.center), b = map(line.center + d);
				line.center = a;
				line.angle = std::atan2(b.y - a.y, b.x - a.x);
				line.halfLength *= inv;
				line.halfHeight *= inv;
			}
			for (auto& p : c.quad)
				p = map(p);
		}
		if (!found.empty())
			return found;
	}
	return {};
}

/// The inverse map of a `w` x `h` cut-out of `line` at `k` cut-out pixels per frame pixel, centred
/// on the line and upright: cut-out (u, v) samples the frame at
/// center + R * ((u - w/2) / k, (v - h/2) / k).
cv::Matx23f LineCut(const MrzLine& line, float k, int w, int h) noexcept
{
	const float c = std::cos(line.angle) / k, sn = std::sin(line.angle) / k;
	return {c, -sn, line.center.x - c * float(w) / 2 + sn * float(h) / 2, sn, c, line.center.y - sn * float(w) / 2 - c * float(h) / 2};
}

} // namespace

std::vector<MrzCandidate> FindMrz(const cv::Mat& gray, const MrzOptions& options)
{
	if (gray.empty() || gray.type() != CV_8UC1 || gray.cols < 64 || gray.rows < 32)
		return {};
	// Two scales: the filters are tuned for characters of about 6 to 15 detection pixels, and a
	// page held close to the camera has larger ones, whose lines fall apart at the first scale.
	std::vector<MrzCandidate> all = FindMrzAt(gray, options, options.detectWidth);
	if (gray.cols > options.detectWidth * 5 / 4) {
		std::vector<MrzCandidate> coarse = FindMrzAt(gray, options, options.detectWidth * 3 / 5);
		all.insert(all.end(), coarse.begin(), coarse.end());
	}
	if (all.empty())
		all = FindMrzTurned(gray, options);
	std::stable_sort(all.begin(), all.end(), [](const MrzCandidate& a, const MrzCandidate& b) { return a.score > b.score; });
	std::vector<MrzCandidate> out;
	for (auto& c : all) {
		if (int(out.size()) >= options.maxCandidates)
			break;
		const bool seen = std::any_of(out.begin(), out.end(), [&](const MrzCandidate& o) {
			return cv::pointPolygonTest(std::vector<cv::Point2f>(o.quad.begin(), o.quad.end()), c.lines.front().center, false) >= 0;
		});
		if (!seen)
			out.push_back(std::move(c));
	}
	for (auto& c : out) {
		for (auto& line : c.lines)
			ExtendMrzLine(gray, line, line.halfLength);
		c.quad = ZoneQuad(c.lines);
	}
	return out;
}

void ExtendMrzLine(const cv::Mat& gray, MrzLine& line, float reach)
{
	const float h = 2.f * line.halfHeight, len = 2.f * line.halfLength;
	if (h < 4.f || len < 4.f * h || reach < h)
		return;
	const float k = 12.f / h; // strip pixels per frame pixel: characters 12 px tall
	const int w = int(std::lround((len + 2.f * reach) * k)), sh = 12;
	if (w < 32 || w > 8192)
		return;
	const cv::Point2f d(std::cos(line.angle), std::sin(line.angle));
	cv::Mat strip, closed;
	cv::warpAffine(gray, strip, LineCut(line, k, w, sh), {w, sh}, cv::INTER_AREA | cv::WARP_INVERSE_MAP, cv::BORDER_REPLICATE);
	cv::morphologyEx(strip, closed, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, {17, 3}), {-1, -1}, 1,
	                 cv::BORDER_REPLICATE);
	cv::Mat hat;
	cv::subtract(closed, strip, hat, cv::noArray(), CV_32F);
	cv::Mat profile;
	cv::reduce(hat, profile, 0, cv::REDUCE_AVG, CV_32F);
	cv::blur(profile, profile, {9, 1}, {-1, -1}, cv::BORDER_REPLICATE); // about one character cell
	const float* p = profile.ptr<float>(0);
	const int lo = int(std::lround(reach * k)), hi = std::min(w - 1, int(std::lround((reach + len) * k)));
	if (hi - lo < 16)
		return;
	std::vector<float> inside(p + lo, p + hi);
	std::nth_element(inside.begin(), inside.begin() + long(inside.size() / 2), inside.end());
	const float text = inside[inside.size() / 2];
	const int edge = std::max(4, lo / 5); // the outermost columns: paper, unless the text runs on
	const float paper = std::min(float(cv::mean(profile.colRange(0, edge))[0]), float(cv::mean(profile.colRange(w - edge, w))[0]));
	if (text <= paper * 1.5f)
		return;
	const float level = paper + 0.3f * (text - paper); // filler runs are fainter than text
	int left = lo, right = hi;
	while (left > 0 && p[left - 1] >= level)
		--left;
	while (right < w - 1 && p[right + 1] >= level)
		++right;
	if (left == 0)
		left = lo;
	if (right == w - 1)
		right = hi;
	if (left == lo && right == hi)
		return;
	const float from = (float(left) - float(lo)) / k, to = (float(right) - float(hi)) / k; // frame px, from <= 0 <= to
	line.center += d * (0.5f * (from + to));
	line.halfLength += 0.5f * (to - from);
}

cv::Mat RectifyMrzLine(const cv::Mat& gray, const MrzLine& line, float charHeight, float margin)
{
	if (gray.empty() || line.halfHeight <= 0 || line.halfLength <= 0)
		return {};
	const float k = charHeight / (2.f * line.halfHeight); // output pixels per frame pixel
	const float pad = margin * 2.f * line.halfHeight;
	// Above and below, at most a third of the height: the neighbouring lines are that close, and
	// the tops of their characters read as stray marks.
	const float padY = std::min(pad, 0.3f * 2.f * line.halfHeight);
	const int w = int(std::lround((2.f * line.halfLength + 2.f * pad) * k));
	const int h = int(std::lround((2.f * line.halfHeight + 2.f * padY) * k));
	if (w < 8 || h < 8 || w > 8192 || h > 1024)
		return {};
	cv::Mat out;
	cv::warpAffine(gray, out, LineCut(line, k, w, h), {w, h}, cv::INTER_LINEAR | cv::WARP_INVERSE_MAP, cv::BORDER_REPLICATE);
	return out;
}

namespace {

cv::Point2f Direction(const MrzLine& line) noexcept
{
	return {std::cos(line.angle), std::sin(line.angle)};
}

} // namespace

bool MrzZoneLooksUpsideDown(const cv::Mat& gray, const std::vector<MrzLine>& lines)
{
	if (gray.empty() || gray.type() != CV_8UC1 || lines.empty())
		return false;
	const MrzLine& a = lines.front();
	const MrzLine& b = lines.back();
	if (a.halfHeight <= 0 || a.halfLength <= 0 || b.halfLength <= 0)
		return false;
	const cv::Point2f down(-std::sin(a.angle), std::cos(a.angle));
	const float zone = (b.center - a.center).dot(down) + a.halfHeight + b.halfHeight; // top of a to bottom of b
	if (zone <= 0)
		return false;
	// The zone cut out upright as its lines run, as one line as tall as the zone, without margins,
	// small: characters about 10 pixels tall.
	MrzLine around = a;
	around.center = 0.5f * (a.center + b.center);
	around.halfLength = std::max(a.halfLength, b.halfLength);
	around.halfHeight = 0.5f * zone;
	const cv::Mat cut = RectifyMrzLine(gray, around, 10.f * zone / (2.f * a.halfHeight), 0.f);
	if (cut.cols < 16 || cut.rows < 8)
		return false;
	cv::Mat hat;
	cv::morphologyEx(cut, hat, cv::MORPH_BLACKHAT, cv::getStructuringElement(cv::MORPH_RECT, {15, 15}));
	const int w = cut.cols, band = w * 2 / 5;
	return cv::mean(hat.colRange(w - band, w))[0] > cv::mean(hat.colRange(0, band))[0];
}

bool MrzZoneSlanted(const std::vector<MrzLine>& lines) noexcept
{
	if (lines.size() < 2)
		return false;
	const MrzLine& a = lines.front();
	const MrzLine& b = lines.back();
	const cv::Point2f da = Direction(a), db = Direction(b);
	const float turn = std::abs(std::asin(std::clamp(da.x * db.y - da.y * db.x, -1.f, 1.f)));
	const float lengths = std::abs(a.halfLength - b.halfLength) / std::max(a.halfLength, b.halfLength);
	const cv::Point2f startA = a.center - da * a.halfLength, startB = b.center - db * b.halfLength;
	const float pitch = float(cv::norm(b.center - a.center)) / float(lines.size() - 1);
	const float offset = std::abs((startB - startA).dot(da));
	return turn > std::numbers::pi_v<float> / 180.f || lengths > 0.03f || offset > 0.1f * pitch * float(lines.size() - 1);
}

std::vector<cv::Mat> RectifyMrzZone(const cv::Mat& gray, const std::vector<MrzLine>& lines, float charHeight, float margin)
{
	if (gray.empty() || lines.size() < 2 || lines.size() > 3 || charHeight <= 0)
		return {};
	float minLen = 1e9f, maxLen = 0, height = 0, length = 0; // height and length: the lines' means
	for (const auto& l : lines) {
		if (l.halfHeight <= 0 || l.halfLength <= 0)
			return {};
		minLen = std::min(minLen, l.halfLength);
		maxLen = std::max(maxLen, l.halfLength);
		height += 2.f * l.halfHeight / float(lines.size());
		length += 2.f * l.halfLength / float(lines.size());
	}
	if (minLen < 0.75f * maxLen)
		return {};
	const MrzLine& first = lines.front();
	const MrzLine& last = lines.back();
	const float pitch = float(cv::norm(last.center - first.center)) / float(lines.size() - 1);
	// The zone upright: lines `length` long, `pitch` apart, characters `charHeight` tall.
	const float k = charHeight / height;
	const float w = k * length, p = k * pitch;
	const std::array<cv::Point2f, 4> upright{cv::Point2f(0, 0), cv::Point2f(w, 0), cv::Point2f(w, p * float(lines.size() - 1)),
	                                         cv::Point2f(0, p * float(lines.size() - 1))};
	const std::array<cv::Point2f, 4> seen{first.center - Direction(first) * first.halfLength,
	                                      first.center + Direction(first) * first.halfLength,
	                                      last.center + Direction(last) * last.halfLength,
	                                      last.center - Direction(last) * last.halfLength};
	const cv::Matx33d toFrame = cv::getPerspectiveTransform(upright.data(), seen.data());
	const float pad = margin * charHeight;
	const float padY = std::min(pad, 0.3f * charHeight); // as RectifyMrzLine: the next line is close
	const int cw = int(std::lround(w + 2.f * pad));
	const int ch = int(std::lround(charHeight + 2.f * padY));
	if (cw < 8 || ch < 8 || cw > 8192 || ch > 1024 || p < 0.5f * charHeight)
		return {};
	std::vector<cv::Mat> out;
	for (std::size_t i = 0; i < lines.size(); ++i) {
		// Cut-out (u, v) is upright (u - pad, v - ch/2 + i * p).
		const cv::Matx33d shift(1, 0, -double(pad), 0, 1, double(p) * double(i) - double(ch) / 2, 0, 0, 1);
		cv::Mat cut;
		cv::warpPerspective(gray, cut, cv::Mat(toFrame * shift), {cw, ch}, cv::INTER_LINEAR | cv::WARP_INVERSE_MAP,
		                    cv::BORDER_REPLICATE);
		out.push_back(std::move(cut));
	}
	return out;
}

} // namespace agecheck::locate

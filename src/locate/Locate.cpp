// SPDX-License-Identifier: Apache-2.0
#include "locate/Locate.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace agecheck::locate {

namespace {

/// Images (after scaling for detection) narrower or lower than this are not searched.
constexpr int kMinSide = 32;

/// A line value = a*t + b through (t, value) samples, robust to outliers: the candidate lines
/// through pairs of samples half the set apart vote with their inliers (within 2.5 px), and the
/// best one is refined by least squares on its inliers. False with too few samples or inliers.
bool FitLine(const std::vector<cv::Point2d>& pts, double& a, double& b)
{
	const std::size_t n = pts.size();
	if (n < 6)
		return false;
	constexpr double kInlier = 2.5;
	std::size_t bestCount = 0;
	for (std::size_t i = 0; i < n; ++i) {
		const auto& p = pts[i];
		const auto& q = pts[(i + n / 2) % n];
		if (std::abs(q.x - p.x) < 1e-9)
			continue;
		const double ca = (q.y - p.y) / (q.x - p.x), cb = p.y - ca * p.x;
		std::size_t count = 0;
		for (const auto& r : pts)
			count += std::abs(ca * r.x + cb - r.y) <= kInlier;
		if (count > bestCount)
			bestCount = count, a = ca, b = cb;
	}
	if (bestCount < std::max<std::size_t>(6, n / 2))
		return false;
	double st = 0, sv = 0, stt = 0, stv = 0, m = 0;
	for (const auto& r : pts) {
		if (std::abs(a * r.x + b - r.y) > kInlier)
			continue;
		st += r.x, sv += r.y, stt += r.x * r.x, stv += r.x * r.y, m += 1;
	}
	const double den = m * stt - st * st;
	if (std::abs(den) < 1e-9)
		return false;
	a = (m * stv - st * sv) / den;
	b = (sv - a * st) / m;
	return true;
}

/// True when a cut-out of `w` x `h` pixels from `image` is worth making: finite, at least a few
/// pixels, and no larger than twice the image itself (degenerate geometry never allocates wildly).
bool Sane(const cv::Mat& image, double w, double h)
{
	return std::isfinite(w) && std::isfinite(h) && w >= 4 && h >= 4 && w <= 2.0 * image.cols + 64 &&
		   h <= 2.0 * image.rows + 64;
}

/// True when `q` is a plausible outline of a symbol: convex, and each side at least half of its
/// opposite.
bool Plausible(const std::array<cv::Point2f, 4>& q)
{
	const double top = cv::norm(q[1] - q[0]), bottom = cv::norm(q[2] - q[3]);
	const double left = cv::norm(q[3] - q[0]), right = cv::norm(q[2] - q[1]);
	return cv::isContourConvex(std::vector<cv::Point2f>(q.begin(), q.end())) && top > bottom / 2 &&
		   bottom > top / 2 && left > right / 2 && right > left / 2 && std::min({top, bottom, left, right}) > 4;
}


/// Fits a quadrilateral to a region's outline (its convex hull simplified to four corners), in
/// frame coordinates, ordered top-left, top-right, bottom-right, bottom-left with the rows
/// running along `theta`. False when the outline is not four-cornered.
bool FitQuad(const cv::Mat& region, cv::Point offset, double theta, double toFrame, std::array<cv::Point2f, 4>& quad)
{
	std::vector<std::vector<cv::Point>> contours;
	cv::findContours(region, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
	if (contours.empty())
		return false;
	const auto& outline = *std::max_element(contours.begin(), contours.end(),
											[](const auto& a, const auto& b) { return a.size() < b.size(); });
	std::vector<cv::Point> hull;
	cv::convexHull(outline, hull);
	const double perimeter = cv::arcLength(hull, true);
	std::vector<cv::Point> corners;
	for (double eps = 0.01; eps < 0.15; eps *= 1.25) {
		cv::approxPolyDP(hull, corners, eps * perimeter, true);
		if (corners.size() <= 4)
			break;
	}
	// Where the outline is not four-cornered, or the four corners cover it poorly (a region grown
	// into a card edge), its minimum-area rectangle is the better outline.
	const double hullArea = cv::contourArea(hull);
	if (corners.size() != 4 || std::abs(cv::contourArea(corners) - hullArea) > 0.12 * hullArea) {
		cv::Point2f box[4];
		cv::minAreaRect(hull).points(box);
		corners.assign(4, {});
		for (int k = 0; k < 4; ++k)
			corners[std::size_t(k)] = cv::Point(cvRound(box[k].x), cvRound(box[k].y));
	}

	const double c = std::cos(theta), s = std::sin(theta);
	std::array<cv::Point2d, 4> uv;
	for (int k = 0; k < 4; ++k) {
		const cv::Point2d p(corners[k].x + offset.x, corners[k].y + offset.y);
		uv[k] = {p.x * c + p.y * s, -p.x * s + p.y * c};
	}
	std::array<int, 4> idx{0, 1, 2, 3};
	std::sort(idx.begin(), idx.end(), [&](int a, int b) { return uv[a].y < uv[b].y; });
	if (uv[idx[0]].x > uv[idx[1]].x)
		std::swap(idx[0], idx[1]);
	if (uv[idx[2]].x < uv[idx[3]].x)
		std::swap(idx[2], idx[3]);
	for (int k = 0; k < 4; ++k) {
		const cv::Point2d p(corners[idx[k]].x + offset.x, corners[idx[k]].y + offset.y);
		quad[k] = cv::Point2f(float(p.x * toFrame), float(p.y * toFrame));
	}
	return Plausible(quad);
}

} // namespace

std::vector<Candidate> FindPdf417(const cv::Mat& gray, const Options& options)
{
	std::vector<Candidate> out;
	if (gray.empty() || gray.type() != CV_8UC1 || options.detectWidth < 64)
		return out;

	double f = std::min(1.0, double(options.detectWidth) / gray.cols);
	const cv::Size scaled(int(std::lround(gray.cols * f)), int(std::lround(gray.rows * f)));
	if (scaled.width < kMinSide || scaled.height < kMinSide)
		return out; // a sliver of an image holds no symbol we could read
	cv::Mat small;
	if (f < 1.0)
		cv::resize(gray, small, scaled, 0, 0, cv::INTER_AREA);
	else
		small = gray;

	// Structure tensor, averaged over a window about the size of a few codewords.
	cv::Mat gx, gy;
	cv::Sobel(small, gx, CV_32F, 1, 0, 3);
	cv::Sobel(small, gy, CV_32F, 0, 1, 3);
	cv::Mat jxx = gx.mul(gx), jyy = gy.mul(gy), jxy = gx.mul(gy);
	// Averaged 2x2 and decimated (the mask needs no finer grid), then over 5x5 grid cells: a
	// window of about 10 detection pixels, a few codewords. Everything below is on this grid.
	const cv::Size grid((small.cols + 1) / 2, (small.rows + 1) / 2);
	const cv::Size window(5, 5);
	for (cv::Mat* j : {&jxx, &jyy, &jxy}) {
		cv::resize(*j, *j, grid, 0, 0, cv::INTER_AREA);
		cv::boxFilter(*j, *j, -1, window);
	}
	f *= double(grid.width) / small.cols;

	// Coherence (how parallel the gradients are, 0..1) and coherent energy (how strong the
	// parallel part is). Bars are strong and parallel; text is strong but points every way; desk
	// textures and guilloche are parallel but faint.
	cv::Mat energy = jxx + jyy;
	cv::Mat diff = jxx - jyy;
	cv::Mat coherentEnergy;
	cv::magnitude(diff, 2 * jxy, coherentEnergy);
	cv::Mat coh;
	cv::divide(coherentEnergy, energy + 1e-3f, coh);
	// The energy threshold follows the frame's contrast (a dim, washed-out frame has weak bars),
	// within fixed bounds so that a frame of nothing but texture never qualifies.
	double peak = 0;
	cv::minMaxLoc(coherentEnergy, nullptr, &peak);
	const double threshold = std::clamp(0.1 * peak, double(options.minEnergy), double(options.maxEnergyThreshold));
	cv::Mat mask = (coherentEnergy > threshold) & (coh > options.minCoherence);

	// Close the small gaps between codewords, then open with a square larger than a card edge's
	// or a text line's band, so that only solid blocks remain.
	const int block = std::max(3, options.minBlock / 2);
	cv::morphologyEx(mask, mask, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, {5, 5}));
	cv::morphologyEx(mask, mask, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, {block, block}));

	cv::Mat labels, stats, centroids;
	const int n = cv::connectedComponentsWithStats(mask, labels, stats, centroids, 8, CV_32S);
	const double minArea = double(options.minAreaFraction) * double(mask.total());

	for (int i = 1; i < n; ++i) {
		const int area = stats.at<int>(i, cv::CC_STAT_AREA);
		if (area < minArea)
			continue;
		const cv::Rect bb(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
						  stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT));
		// The dominant gradient direction over the region (its rows run that way).
		double sxx = 0, syy = 0, sxy = 0, scoh = 0;
		for (int y = bb.y; y < bb.y + bb.height; ++y) {
			const int* lab = labels.ptr<int>(y);
			const float* pxx = jxx.ptr<float>(y);
			const float* pyy = jyy.ptr<float>(y);
			const float* pxy = jxy.ptr<float>(y);
			const float* pc = coh.ptr<float>(y);
			for (int x = bb.x; x < bb.x + bb.width; ++x) {
				if (lab[x] != i)
					continue;
				sxx += pxx[x];
				syy += pyy[x];
				sxy += pxy[x];
				scoh += pc[x];
			}
		}
		const double theta = 0.5 * std::atan2(2 * sxy, sxx - syy);
		const double regionCoherence = std::hypot(sxx - syy, 2 * sxy) / (sxx + syy + 1e-9);
		if (regionCoherence < options.minCoherence * 0.8)
			continue;

		// Extent along and across the rows, from the region's pixels.
		const double c = std::cos(theta), s = std::sin(theta);
		double umin = 1e9, umax = -1e9, vmin = 1e9, vmax = -1e9;
		for (int y = bb.y; y < bb.y + bb.height; ++y) {
			const int* lab = labels.ptr<int>(y);
			for (int x = bb.x; x < bb.x + bb.width; ++x) {
				if (lab[x] != i)
					continue;
				const double u = x * c + y * s, v = -x * s + y * c;
				umin = std::min(umin, u), umax = std::max(umax, u);
				vmin = std::min(vmin, v), vmax = std::max(vmax, v);
			}
		}
		const double len = umax - umin, hgt = vmax - vmin;
		if (len < 8 || hgt < 4)
			continue;
		const double fill = area / (len * hgt);
		if (fill < 0.45)
			continue;
		const double uc = (umin + umax) / 2, vc = (vmin + vmax) / 2;
		Candidate cand;
		cand.center = cv::Point2f(float((uc * c - vc * s) / f), float((uc * s + vc * c) / f));
		cand.rowAngle = float(theta);
		cand.halfLength = float(len / 2 / f);
		cand.halfHeight = float(hgt / 2 / f);
		cand.score = float(regionCoherence * fill * std::sqrt(double(area)));
		cand.hasQuad = FitQuad(labels(bb) == i, bb.tl(), theta, 1.0 / f, cand.quad);
		out.push_back(cand);
	}
	std::sort(out.begin(), out.end(), [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
	if (out.size() > size_t(options.maxCandidates))
		out.resize(size_t(options.maxCandidates));
	return out;
}

float RefineRowAngle(const cv::Mat& gray, const Candidate& cand, float range, float step)
{
	if (gray.empty() || cand.halfLength <= 0 || step <= 0)
		return cand.rowAngle;
	// Work at about 600 px across the symbol: enough for the start and stop patterns' long bars.
	const double scale = std::min(1.0, 600.0 / (2 * cand.halfLength));
	const cv::Mat crop = Rectify(gray, cand, scale, 0.1);
	if (crop.rows < 8 || crop.cols < 8)
		return cand.rowAngle;
	cv::Mat gx;
	cv::Sobel(crop, gx, CV_32F, 1, 0, 3);
	gx = cv::abs(gx);
	const cv::Point2f centre(float(crop.cols) / 2, float(crop.rows) / 2);
	// Only rows well inside the symbol: its top and bottom edges would reward any angle.
	const int inset = std::max(1, int(std::lround(0.35 * crop.rows)));
	const cv::Rect band(0, inset, crop.cols, std::max(1, crop.rows - 2 * inset));

	// Sharpness of the column profile of |d/dx|: highest when the long bars stand exactly upright.
	auto sharpness = [&](float degrees) {
		cv::Mat rotated;
		const cv::Mat M = cv::getRotationMatrix2D(centre, double(degrees), 1.0);
		cv::warpAffine(gx, rotated, M, gx.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT);
		cv::Mat profile;
		cv::reduce(rotated(band), profile, 0, cv::REDUCE_SUM, CV_32F);
		return cv::norm(profile, cv::NORM_L2SQR);
	};
	float best = 0;
	double bestScore = -1;
	std::vector<double> scores;
	for (float d = -range; d <= range + 1e-3f; d += step) {
		const double v = sharpness(d);
		scores.push_back(v);
		if (v > bestScore)
			bestScore = v, best = d;
	}
	// Parabolic interpolation between the neighbours of the best step.
	const auto i = std::size_t(std::lround((best + range) / step));
	if (i > 0 && i + 1 < scores.size()) {
		const double a = scores[i - 1], b = scores[i], c = scores[i + 1];
		const double den = a - 2 * b + c;
		if (den < 0)
			best += float(0.5 * (a - c) / den) * step;
	}
	// getRotationMatrix2D turns counter-clockwise on screen: the rows lie at -best from the guess.
	return cand.rowAngle - best * float(CV_PI / 180);
}

cv::Mat RectifyQuad(const cv::Mat& gray, const Candidate& cand, double scale, double margin)
{
	if (!cand.hasQuad)
		return {};
	const auto& q = cand.quad;
	const double w = (cv::norm(q[1] - q[0]) + cv::norm(q[2] - q[3])) / 2 * scale;
	const double h = (cv::norm(q[3] - q[0]) + cv::norm(q[2] - q[1])) / 2 * scale;
	if (!Sane(gray, w, h))
		return {};
	const double m = margin * h + 8;
	const cv::Point2f dst[4] = {{float(m), float(m)}, {float(m + w), float(m)}, {float(m + w), float(m + h)},
								{float(m), float(m + h)}};
	const cv::Mat M = cv::getPerspectiveTransform(q.data(), dst);
	cv::Mat out;
	cv::warpPerspective(gray, out, M, cv::Size(int(std::lround(w + 2 * m)), int(std::lround(h + 2 * m))),
						cv::INTER_LINEAR, cv::BORDER_REPLICATE);
	return out;
}


bool RefineQuad(const cv::Mat& gray, Candidate& cand)
{
	if (!cand.hasQuad)
		return false;
	const auto& q = cand.quad;
	const double w = (cv::norm(q[1] - q[0]) + cv::norm(q[2] - q[3])) / 2;
	const double h = (cv::norm(q[3] - q[0]) + cv::norm(q[2] - q[1])) / 2;
	if (w < 40 || h < 20 || !Sane(gray, w, h))
		return false;
	// Warp with a generous margin: the fitted corners may cut the symbol short.
	const double m = 0.3 * h + 8;
	const cv::Point2f dst[4] = {{float(m), float(m)}, {float(m + w), float(m)}, {float(m + w), float(m + h)},
								{float(m), float(m + h)}};
	const cv::Mat H = cv::getPerspectiveTransform(q.data(), dst);
	cv::Mat crop;
	cv::warpPerspective(gray, crop, H, cv::Size(int(w + 2 * m), int(h + 2 * m)), cv::INTER_LINEAR, cv::BORDER_REPLICATE);

	// Bar density: local mean of |d/dx| over about five modules (a symbol is ~300 modules wide).
	cv::Mat gx;
	cv::Sobel(crop, gx, CV_32F, 1, 0, 3);
	gx = cv::abs(gx);
	const int k = std::max(5, int(5 * w / 300) | 1);
	cv::Mat density;
	cv::boxFilter(gx, density, -1, cv::Size(k, k));
	const cv::Rect inner(int(m + w * 0.25), int(m + h * 0.25), int(w * 0.5), int(h * 0.5));
	const float t = float(0.4 * cv::mean(density(inner))[0]);
	const int run = std::max(3, k / 2); // the density must stay low this long to count as the edge

	// Walk from the centre outwards until the density stays below t: the symbol's edge there.
	auto edge = [&](cv::Point start, cv::Point step, int limit) -> int {
		int low = 0;
		cv::Point p = start;
		for (int i = 0; i < limit; ++i, p += step) {
			if (p.x < 0 || p.y < 0 || p.x >= density.cols || p.y >= density.rows)
				return -1;
			low = density.at<float>(p) < t ? low + 1 : 0;
			if (low == run)
				return i - run + 1;
		}
		return -1;
	};
	const int cx = int(m + w / 2), cy = int(m + h / 2);
	std::vector<cv::Point2d> top, bottom, left, right; // (along, across) samples
	for (double fx = 0.1; fx <= 0.9; fx += 0.02) {
		const int x = int(m + fx * w);
		if (int d = edge({x, cy}, {0, -1}, cy); d >= 0)
			top.emplace_back(x, cy - d);
		if (int d = edge({x, cy}, {0, 1}, crop.rows - cy); d >= 0)
			bottom.emplace_back(x, cy + d);
	}
	for (double fy = 0.1; fy <= 0.9; fy += 0.04) {
		const int y = int(m + fy * h);
		if (int d = edge({cx, y}, {-1, 0}, cx); d >= 0)
			left.emplace_back(y, cx - d);
		if (int d = edge({cx, y}, {1, 0}, crop.cols - cx); d >= 0)
			right.emplace_back(y, cx + d);
	}
	double ta, tb, ba, bb, la, lb, ra, rb;
	if (!FitLine(top, ta, tb) || !FitLine(bottom, ba, bb) || !FitLine(left, la, lb) || !FitLine(right, ra, rb))
		return false;
	// Corners: y = a x + b (top, bottom) meets x = a y + b (left, right).
	auto meet = [](double ya, double yb, double xa, double xb) {
		const double y = (ya * xb + yb) / (1 - ya * xa);
		return cv::Point2d(xa * y + xb, y);
	};
	std::vector<cv::Point2f> corners = {meet(ta, tb, la, lb), meet(ta, tb, ra, rb), meet(ba, bb, ra, rb),
										meet(ba, bb, la, lb)};
	const cv::Rect bounds(0, 0, crop.cols, crop.rows);
	for (const auto& c : corners)
		if (!bounds.contains(cv::Point(c)))
			return false;
	std::vector<cv::Point2f> back;
	cv::perspectiveTransform(corners, back, H.inv());
	std::array<cv::Point2f, 4> refined;
	for (std::size_t i = 0; i < 4; ++i)
		refined[i] = back[i];
	// The symbol's own edges lie near the region's outline: a refinement that moves a corner by
	// more than half the symbol's height found something else.
	for (std::size_t i = 0; i < 4; ++i)
		if (cv::norm(refined[i] - q[i]) > 0.5 * h)
			return false;
	if (!Plausible(refined))
		return false;
	cand.quad = refined;
	return true;
}

cv::Mat Rectify(const cv::Mat& gray, const Candidate& cand, double scale, double margin)
{
	if (!Sane(gray, 2 * cand.halfLength * scale, 2 * cand.halfHeight * scale) || !std::isfinite(cand.rowAngle))
		return {};
	const double m = margin * 2 * cand.halfHeight + 8;
	const double halfW = cand.halfLength + m, halfH = cand.halfHeight + m;
	const cv::Size size(std::max(1, int(std::lround(2 * halfW * scale))), std::max(1, int(std::lround(2 * halfH * scale))));
	const double c = std::cos(cand.rowAngle), s = std::sin(cand.rowAngle);
	// dst = scale * (R(-angle) * (src - center) + (halfW, halfH))
	cv::Matx23d M(scale * c, scale * s, 0, -scale * s, scale * c, 0);
	M(0, 2) = scale * (halfW - (c * cand.center.x + s * cand.center.y));
	M(1, 2) = scale * (halfH - (-s * cand.center.x + c * cand.center.y));
	cv::Mat out;
	cv::warpAffine(gray, out, M, size, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
	return out;
}

} // namespace agecheck::locate

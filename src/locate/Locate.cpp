// SPDX-License-Identifier: Apache-2.0
#include "locate/Locate.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace agecheck::locate {

std::vector<Candidate> FindPdf417(const cv::Mat& gray, const Options& options)
{
	std::vector<Candidate> out;
	if (gray.empty() || gray.type() != CV_8UC1 || options.detectWidth < 64)
		return out;

	const double f = std::min(1.0, double(options.detectWidth) / gray.cols);
	cv::Mat small;
	if (f < 1.0)
		cv::resize(gray, small, cv::Size(), f, f, cv::INTER_AREA);
	else
		small = gray;

	// Structure tensor, averaged over a window about the size of a few codewords.
	cv::Mat gx, gy;
	cv::Sobel(small, gx, CV_32F, 1, 0, 3);
	cv::Sobel(small, gy, CV_32F, 0, 1, 3);
	cv::Mat jxx = gx.mul(gx), jyy = gy.mul(gy), jxy = gx.mul(gy);
	const cv::Size window(9, 9);
	cv::boxFilter(jxx, jxx, -1, window);
	cv::boxFilter(jyy, jyy, -1, window);
	cv::boxFilter(jxy, jxy, -1, window);

	// Energy and coherence; the mask keeps strong, parallel gradients.
	cv::Mat energy = jxx + jyy;
	cv::Mat diff = jxx - jyy;
	cv::Mat coh;
	cv::magnitude(diff, 2 * jxy, coh);
	cv::divide(coh, energy + 1e-3f, coh);
	cv::Mat mask = (energy > options.minEnergy) & (coh > options.minCoherence);

	// Thin structures (card edges, lines of text) vanish under the opening; the closing joins the
	// rows of a symbol that glare or blur split.
	cv::morphologyEx(mask, mask, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, {7, 7}));
	cv::morphologyEx(mask, mask, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_ELLIPSE, {15, 15}));

	cv::Mat labels, stats, centroids;
	const int n = cv::connectedComponentsWithStats(mask, labels, stats, centroids, 8, CV_32S);
	const double minArea = double(options.minAreaFraction) * double(small.total());

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
		out.push_back(cand);
	}
	std::sort(out.begin(), out.end(), [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
	if (out.size() > size_t(options.maxCandidates))
		out.resize(size_t(options.maxCandidates));
	return out;
}

cv::Mat Rectify(const cv::Mat& gray, const Candidate& cand, double scale, double margin)
{
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

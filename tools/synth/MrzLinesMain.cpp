// SPDX-License-Identifier: Apache-2.0
// agecheck-gen-mrz-lines: training images for the MRZ line model, as the scanner sees them.
// Reads MRZ lines (30, 36 or 44 characters of A-Z 0-9 <, one a line) from a text file, prints them
// in threes (30) or twos (36, 44) as the MRZ of a synthetic ID card or passport page, puts each
// document in a 1080p camera scene at a random level or at `--level` (tools/synth/Documents.h),
// and cuts every line out of the frame the way src/sighting does (locate::RectifyMrzLine or
// RectifyMrzZone, at one of the scanner's character heights), with the locator's errors
// imitated. Lines the scanner would not read (locate's legibility gate) are left out. Writes
// OUT.tif (one line a page, 8-bit grey, 300 dpi), and OUT.box and OUT.gt.txt for
// `tesseract OUT.tif OUT --psm 7 lstm.train` (nothing when no line is legible): the text is the
// tool's input, fictional by construction (tools/train-mrz-model makes it up).

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <numbers>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "locate/MrzLocate.h"
#include "ocr/Legibility.h"
#include "synth/Documents.h"
#include "synth/Random.h"
#include "synth/Synth.h"

using namespace agecheck;

namespace {

/// Text of an MRZ line's length with no structure, to fill a zone whose other lines are missing.
std::string FillerLine(synth::detail::Rng& rng, std::size_t length)
{
	static constexpr char kAlnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	std::string s;
	while (s.size() < length) {
		if (rng.chance(0.25))
			s.append(static_cast<std::size_t>(rng.uniformInt(1, 12)), '<');
		else
			s += kAlnum[rng.uniformInt(0, 35)];
	}
	s.resize(length);
	return s;
}

cv::Point2f Apply(const cv::Matx33d& h, cv::Point2f p)
{
	const cv::Vec3d v = h * cv::Vec3d(p.x, p.y, 1);
	return {static_cast<float>(v[0] / v[2]), static_cast<float>(v[1] / v[2])};
}

} // namespace

int main(int argc, char** argv)
{
	CLI::App app{"Cuts MRZ lines out of synthetic camera frames as the scanner does, for training the MRZ line model."};
	std::string textFile, out;
	std::uint64_t seed = 1;
	app.add_option("--text", textFile, "MRZ lines, one a line (30, 36 or 44 characters of A-Z 0-9 <)")->required();
	app.add_option("--out", out, "Output base: writes OUT.tif, OUT.box and OUT.gt.txt")->required();
	app.add_option("--seed", seed, "Seed of the documents, scenes and cuts");
	std::string levelName = "mix";
	app.add_option("--level", levelName, "The scenes' level: mix (20% easy, 40% medium, 40% hard), easy, medium or hard")
	    ->check(CLI::IsMember({"mix", "easy", "medium", "hard"}));
	CLI11_PARSE(app, argc, argv);
	const std::optional<synth::Level> fixedLevel = synth::LevelFromString(levelName); // none: mix
	cv::setNumThreads(1);

	std::ifstream in(textFile);
	if (!in) {
		std::fprintf(stderr, "agecheck-gen-mrz-lines: cannot read %s\n", textFile.c_str());
		return 2;
	}
	std::vector<std::string> lines;
	for (std::string l; std::getline(in, l);) {
		if (l.empty())
			continue;
		if ((l.size() != 30 && l.size() != 36 && l.size() != 44) || l.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<") != std::string::npos) {
			std::fprintf(stderr, "agecheck-gen-mrz-lines: %s: line %zu is not an MRZ line\n", textFile.c_str(), lines.size() + 1);
			return 2;
		}
		lines.push_back(l);
	}

	synth::detail::Rng rng(synth::detail::Mix(seed, 0x7A1));
	// Zones of lines of one length, in the order given; a zone left short is filled up.
	std::map<std::size_t, std::vector<std::size_t>> pending;
	std::vector<std::vector<std::size_t>> zones;
	for (std::size_t i = 0; i < lines.size(); ++i) {
		auto& p = pending[lines[i].size()];
		p.push_back(i);
		if (p.size() == (lines[i].size() == 30 ? 3u : 2u)) {
			zones.push_back(p);
			p.clear();
		}
	}
	for (auto& [length, p] : pending)
		if (!p.empty())
			zones.push_back(p);

	std::vector<cv::Mat> pages;
	std::vector<std::string> texts;
	int zoneIndex = 0, dropped = 0;
	for (const auto& zone : zones) {
		const std::size_t length = lines[zone[0]].size();
		const std::size_t count = length == 30 ? 3 : 2;
		// Which slot each given line takes; the others get filler text.
		std::vector<std::string> printed(count);
		std::vector<int> source(count, -1);
		const std::size_t first = static_cast<std::size_t>(rng.uniformInt(0, static_cast<int>(count - zone.size())));
		for (std::size_t k = 0; k < count; ++k) {
			if (k >= first && k - first < zone.size()) {
				source[k] = static_cast<int>(zone[k - first]);
				printed[k] = lines[zone[k - first]];
			} else {
				printed[k] = FillerLine(rng, length);
			}
		}
		const std::uint64_t zoneSeed = synth::DeriveSeed(seed, static_cast<std::uint64_t>(zoneIndex++));
		const synth::MrzFlat flat = synth::RenderMrzTrainingFlat(printed, synth::detail::Mix(zoneSeed, 1));
		const double u = rng.uniform(); // drawn for every --level: the same seed cuts the same lines
		const synth::Level level = fixedLevel.value_or(u < 0.2   ? synth::Level::Easy
		                                               : u < 0.6 ? synth::Level::Medium
		                                                         : synth::Level::Hard);
		const synth::DocumentScene scene = synth::MakeDocumentScene(flat.image, synth::detail::Mix(zoneSeed, 2), level);
		const float w = static_cast<float>(flat.image.cols), h = static_cast<float>(flat.image.rows);
		const std::array<cv::Point2f, 4> from = {cv::Point2f(0, 0), cv::Point2f(w, 0), cv::Point2f(w, h), cv::Point2f(0, h)};
		const cv::Matx33d homography = cv::getPerspectiveTransform(from.data(), scene.corners.data());
		cv::Mat gray;
		cv::cvtColor(scene.image, gray, cv::COLOR_BGR2GRAY);
		// Each line as the locator would report it, with its errors: a little off in place,
		// direction, length and height.
		std::vector<locate::MrzLine> found;
		for (const auto& ends : flat.ends) {
			const cv::Point2f a = Apply(homography, ends[0]), b = Apply(homography, ends[1]);
			const cv::Point2f mid = (ends[0] + ends[1]) * 0.5f;
			const cv::Point2f up = Apply(homography, mid - cv::Point2f(0, flat.capHeight / 2));
			const cv::Point2f down = Apply(homography, mid + cv::Point2f(0, flat.capHeight / 2));
			locate::MrzLine line;
			line.center = (a + b) * 0.5f;
			line.angle = std::atan2(b.y - a.y, b.x - a.x);
			line.halfLength = static_cast<float>(cv::norm(b - a)) / 2;
			line.halfHeight = static_cast<float>(cv::norm(down - up)) / 2;
			const cv::Point2f along(std::cos(line.angle), std::sin(line.angle)), across(-along.y, along.x);
			line.center += along * static_cast<float>(rng.uniform(-0.4, 0.4) * line.halfHeight)
			               + across * static_cast<float>(rng.uniform(-0.15, 0.15) * line.halfHeight);
			line.angle += static_cast<float>(rng.uniform(-0.6, 0.6) * std::numbers::pi / 180);
			line.halfLength *= static_cast<float>(rng.uniform(0.98, 1.03));
			line.halfHeight *= static_cast<float>(rng.uniform(0.9, 1.25));
			found.push_back(line);
		}
		const double sizePick = rng.uniform();
		const float charHeight = sizePick < 0.7 ? 32.f : sizePick < 0.85 ? 24.f : 44.f;
		std::vector<cv::Mat> cuts = rng.chance(0.3) ? locate::RectifyMrzZone(gray, found, charHeight) : std::vector<cv::Mat>();
		if (cuts.empty())
			for (const auto& line : found)
				cuts.push_back(locate::RectifyMrzLine(gray, line, charHeight));
		for (std::size_t k = 0; k < count; ++k) {
			if (source[k] < 0)
				continue;
			// The scanner reads a zone only when its lines are legible on average; a line it
			// would skip teaches nothing.
			if (cuts[k].empty() || !ocr::Legible(ocr::Measure(cuts[k]))) {
				++dropped;
				continue;
			}
			pages.push_back(cuts[k]);
			texts.push_back(lines[static_cast<std::size_t>(source[k])]);
		}
	}
	if (pages.empty()) { // nothing to write; the caller leaves the batch out
		std::fprintf(stderr, "agecheck-gen-mrz-lines: no legible line in %s, nothing written\n", textFile.c_str());
		return 0;
	}
	if (!cv::imwritemulti(out + ".tif", pages, {cv::IMWRITE_TIFF_RESUNIT, 2, cv::IMWRITE_TIFF_XDPI, 300, cv::IMWRITE_TIFF_YDPI, 300})) {
		std::fprintf(stderr, "agecheck-gen-mrz-lines: cannot write %s.tif\n", out.c_str());
		return 1;
	}
	// Line images: every character's box is the whole line, then the end-of-line tab.
	std::ofstream box(out + ".box"), gt(out + ".gt.txt");
	for (std::size_t p = 0; p < pages.size(); ++p) {
		const int pw = pages[p].cols, ph = pages[p].rows;
		for (char c : texts[p])
			box << c << " 0 0 " << pw << ' ' << ph << ' ' << p << '\n';
		box << "\t 0 0 " << pw << ' ' << ph << ' ' << p << '\n';
		gt << texts[p] << '\n';
	}
	box.flush();
	gt.flush();
	if (!box || !gt) {
		std::fprintf(stderr, "agecheck-gen-mrz-lines: cannot write %s.box or .gt.txt\n", out.c_str());
		return 1;
	}
	std::fprintf(stderr, "agecheck-gen-mrz-lines: %zu lines, %d left out as illegible\n", pages.size(), dropped);
	return 0;
}

// SPDX-License-Identifier: Apache-2.0
// agecheck-gen: writes numbered synthetic camera frames and DIR/manifest.jsonl with what each frame
// must produce. The manifest holds verdict and reason tokens, the case and the symbol's geometry:
// never names, dates of birth or payloads (the generator's data is fictional, but the tools keep
// the project's rule of printing verdicts and reason codes only). With --demo-clip it writes the
// kiosk's demo video instead and prints its manifest (document tokens, frame ranges, verdicts).

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "common/Reason.h"
#include "common/Dates.h"
#include "synth/DemoClip.h"
#include "synth/Documents.h"
#include "synth/Synth.h"

namespace {

using agecheck::synth::Level;

} // namespace

int main(int argc, char** argv)
{
	CLI::App app{"Writes synthetic 1080p frames of fictional licence backs (or empty and non-ID scenes) and a manifest "
				 "of expected verdicts."};
	std::string out;
	int count = 10;
	std::string levelName = "easy";
	std::string documentName;
	std::string difficultyName = "easy";
	std::uint64_t seed = 1;
	std::string todayText;
	int threshold = 18;
	std::string format = "jpg";
	std::string demoClip;
	app.add_option("--out", out, "Output directory (created if missing); required unless --demo-clip is given");
	app.add_option("--demo-clip", demoClip,
				   "Write the kiosk's demo clip (H.264 .mp4, 1280x720, 15 fps) to this path instead of frames, "
				   "and print its manifest (uses --seed, --today and --threshold)");
	app.add_option("--count", count, "Number of frames")->check(CLI::Range(1, 1000000));
	app.add_option("--level", levelName, "easy|medium|hard (licence backs), empty (no barcode) or non-id (a non-AAMVA PDF417)")
		->check(CLI::IsMember({"easy", "medium", "hard", "empty", "non-id"}));
	app.add_option("--difficulty", difficultyName, "Degradations for empty and non-id scenes: easy|medium|hard")
		->check(CLI::IsMember({"easy", "medium", "hard"}));
	app.add_option("--seed", seed, "Base seed; frame i uses DeriveSeed(seed, i)");
	app.add_option("--today", todayText, "The date the verdicts are computed for, YYYY-MM-DD (default: local today)");
	app.add_option("--threshold", threshold, "Age threshold, 1..125")->check(CLI::Range(1, 125));
	app.add_option("--document", documentName,
	               "passport|id-td1|id-td2|front: a document scene at --level instead of a licence back");
	app.add_option("--format", format, "jpg (quality 95) or png")->check(CLI::IsMember({"jpg", "png"}));
	CLI11_PARSE(app, argc, argv);

	std::chrono::year_month_day today = agecheck::LocalToday();
	if (!todayText.empty()) {
		const auto parsed = agecheck::ParseIsoDate(todayText);
		if (!parsed) {
			std::fprintf(stderr, "agecheck-gen: --today must be a calendar date YYYY-MM-DD\n");
			return 2;
		}
		today = *parsed;
	}
	if (!demoClip.empty()) {
		if (threshold < 2 || threshold > 20) {
			std::fprintf(stderr, "agecheck-gen: --demo-clip needs a --threshold in 2..20 (its second threshold is 21)\n");
			return 2;
		}
		agecheck::synth::DemoClipOptions options;
		options.seed = seed;
		options.today = today;
		options.threshold = threshold;
		const agecheck::synth::DemoClipManifest manifest = agecheck::synth::WriteDemoClip(demoClip, options);
		if (!manifest.ok()) {
			std::fprintf(stderr, "agecheck-gen: %s\n", manifest.error.c_str());
			return 1;
		}
		std::fputs(agecheck::synth::FormatDemoManifest(manifest).c_str(), stdout);
		return 0;
	}
	if (out.empty()) {
		std::fprintf(stderr, "agecheck-gen: --out is required (or --demo-clip)\n");
		return 2;
	}
	const std::optional<Level> licenceLevel = agecheck::synth::LevelFromString(levelName);
	const auto document = agecheck::synth::DocumentKindFromString(documentName);
	if (!documentName.empty() && (!document || !licenceLevel)) {
		std::fprintf(stderr, "agecheck-gen: --document must be passport, id-td1, id-td2 or front, with --level easy|medium|hard\n");
		return 2;
	}
	const Level difficulty = agecheck::synth::LevelFromString(difficultyName).value_or(Level::Easy);

	std::error_code ec;
	std::filesystem::create_directories(out, ec);
	if (ec) {
		std::fprintf(stderr, "agecheck-gen: cannot create %s: %s\n", out.c_str(), ec.message().c_str());
		return 1;
	}
	const std::filesystem::path dir(out);
	std::ofstream manifest(dir / "manifest.jsonl", std::ios::trunc);
	if (!manifest) {
		std::fprintf(stderr, "agecheck-gen: cannot write %s\n", (dir / "manifest.jsonl").string().c_str());
		return 1;
	}
	const std::vector<int> params = format == "jpg" ? std::vector<int>{cv::IMWRITE_JPEG_QUALITY, 95}
													: std::vector<int>{cv::IMWRITE_PNG_COMPRESSION, 1};
	const int width = std::max<int>(4, static_cast<int>(std::to_string(count - 1).size()));

	for (int i = 0; i < count; ++i) {
		const std::uint64_t frameSeed = agecheck::synth::DeriveSeed(seed, static_cast<std::uint64_t>(i));
		std::string name = std::to_string(i);
		name.insert(0, static_cast<std::size_t>(std::max(0, width - static_cast<int>(name.size()))), '0');
		name += "." + format;
		nlohmann::json row;
		row["file"] = name;
		row["seed"] = frameSeed;
		row["threshold"] = threshold;
		row["today"] = agecheck::IsoDate(today);
		cv::Mat image;
		if (document && licenceLevel) {
			const agecheck::synth::DocumentSample sample =
			    agecheck::synth::MakeDocumentSample(frameSeed, *document, *licenceLevel, today, threshold);
			image = sample.image;
			row["level"] = levelName;
			row["document"] = documentName;
			row["case"] = agecheck::synth::ToString(sample.kase);
			row["expected"] = agecheck::ToString(sample.expected);
			row["reason"] = agecheck::ToString(sample.expectedReason);
		}
		else if (licenceLevel) {
			const agecheck::synth::Sample sample = agecheck::synth::MakeLicenceSample(frameSeed, *licenceLevel, today, threshold);
			image = sample.image;
			row["level"] = levelName;
			row["case"] = agecheck::synth::ToString(sample.kase);
			row["expected"] = agecheck::ToString(sample.expected);
			row["reason"] = agecheck::ToString(sample.expectedReason);
			nlohmann::json corners = nlohmann::json::array();
			for (const cv::Point2f& p : sample.barcodeCorners)
				corners.push_back({std::round(static_cast<double>(p.x) * 10) / 10, std::round(static_cast<double>(p.y) * 10) / 10});
			row["barcode_corners"] = corners;
			row["module_px"] = std::round(static_cast<double>(sample.moduleWidth) * 100) / 100;
			row["columns"] = sample.columns;
			row["rows"] = sample.rows;
			row["ecc"] = sample.eccLevel;
		}
		else {
			const bool empty = levelName == "empty";
			image = empty ? agecheck::synth::MakeEmptyScene(frameSeed, difficulty)
						  : agecheck::synth::MakeNonIdBarcodeScene(frameSeed, difficulty);
			row["level"] = levelName;
			row["difficulty"] = difficultyName;
			row["case"] = "none";
			row["expected"] = agecheck::ToString(agecheck::Verdict::Unverified);
			row["reason"] = agecheck::ToString(empty ? agecheck::Reason::Unreadable : agecheck::Reason::NotAnId);
		}
		if (!cv::imwrite((dir / name).string(), image, params)) {
			std::fprintf(stderr, "agecheck-gen: cannot write %s\n", (dir / name).string().c_str());
			return 1;
		}
		manifest << row.dump() << '\n';
	}
	manifest.flush();
	if (!manifest) {
		std::fprintf(stderr, "agecheck-gen: error writing the manifest\n");
		return 1;
	}
	std::fprintf(stderr, "agecheck-gen: wrote %d %s frames and manifest.jsonl to %s\n", count, levelName.c_str(), out.c_str());
	return 0;
}

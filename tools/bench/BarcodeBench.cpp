// SPDX-License-Identifier: Apache-2.0
// agecheck-bench-barcode: accuracy and speed of the barcode path on synthetic 1080p camera frames,
// side by side with zxing-cpp's own ReadBarcode on the whole frame (what its ZXingReader does),
// and the decode rate on the public zxing-cpp PDF417 corpus. Prints a Markdown report.
// It never prints identity data: only counts, rates and timings.

#include <CLI/CLI.hpp>
#include <ZXing/ReadBarcode.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "common/Dates.h"
#include "barcode/Barcode.h"
#include "capture/ZeroingAllocator.h"
#include "secure/Wipe.h"
#include "sighting/Sighting.h"
#include "sighting/Worker.h"
#include "synth/Synth.h"

#include "BenchUtil.h"

using namespace agecheck;
using agecheck::bench::Clock;
using agecheck::bench::Ms;
using agecheck::bench::Percentile;

namespace {

struct Row {
	std::string name;
	int frames = 0, correct = 0, wrongOver = 0;
	std::vector<double> ms;
	int zxDecoded = 0;
	std::vector<double> zxMs;
};

/// zxing-cpp alone on the whole BGR frame, default hints (all formats, try harder, try rotate).
bool ZxingAlone(const cv::Mat& bgr, const std::string& expected, double& ms)
{
	const auto t0 = Clock::now();
	const ZXing::ImageView view(bgr.data, bgr.cols, bgr.rows, ZXing::ImageFormat::BGR, int(bgr.step[0]));
	const ZXing::Result r = ZXing::ReadBarcode(view);
	ms = Ms(Clock::now() - t0);
	const auto& b = r.bytes();
	return r.isValid() && std::string(b.begin(), b.end()) == expected;
}

void PrintRow(const Row& r, bool withZxing)
{
	std::printf("| %-8s | %5d | %7d (%5.1f%%) | %10d | %7.1f | %7.1f |", r.name.c_str(), r.frames, r.correct,
				100.0 * r.correct / std::max(1, r.frames), r.wrongOver, Percentile(r.ms, 0.5), Percentile(r.ms, 0.95));
	if (withZxing)
		std::printf(" %7d (%5.1f%%) | %7.1f | %7.1f |\n", r.zxDecoded, 100.0 * r.zxDecoded / std::max(1, r.frames),
					Percentile(r.zxMs, 0.5), Percentile(r.zxMs, 0.95));
	else
		std::printf("       - |       - |       - |\n");
}

} // namespace

int main(int argc, char** argv)
{
	// The worker's environment: the wiping allocator tunables (by a one-time re-exec), OpenCV's
	// zeroing allocator, and (linked in) the operator delete that zeroes every C++ block.
	secure::PrepareEnvironment(argv);
	capture::InstallZeroingAllocator();
	CLI::App app{"Accuracy and speed of the barcode path on synthetic camera frames"};
	int count = 100;
	std::uint64_t seed = 2026;
	std::string todayText = "2026-11-25";
	bool noZxing = false;
	std::string corpus = "../shared/corpus/pdf417";
	app.add_option("--count", count, "Frames per level (default 100)")->check(CLI::Range(1, 100000));
	app.add_option("--seed", seed, "Base seed (default 2026)");
	app.add_option("--today", todayText, "The date the frames are decided on (default 2026-11-25)");
	app.add_flag("--no-zxing", noZxing, "Skip the zxing-cpp-alone comparison");
	std::string worker;
	app.add_option("--worker", worker, "Decode through this agecheck-worker, as the service does (sandbox, wiping, one frame copy)");
	app.add_option("--corpus", corpus, "The public PDF417 corpus folder (default ../shared/corpus/pdf417)");
	CLI11_PARSE(app, argc, argv);
	const auto today = ParseIsoDate(todayText);
	if (!today) {
		std::fprintf(stderr, "--today must be YYYY-MM-DD\n");
		return 2;
	}
	cv::setNumThreads(1); // one core of the machine, as the targets say

	age::Policy policy = age::DefaultPolicy();
	policy.thresholds = {18};
	const sighting::Scanner inProcess(policy);
	std::unique_ptr<sighting::WorkerClient> client;
	if (!worker.empty()) {
		client = std::make_unique<sighting::WorkerClient>(policy, sighting::WorkerOptions{worker});
		std::string error;
		if (!client->start(&error)) {
			std::fprintf(stderr, "%s\n", error.c_str());
			return 2;
		}
	}
	// The timed call: in this process, or a round trip through the sandboxed worker.
	struct {
		const sighting::Scanner& local;
		sighting::WorkerClient* remote;
		sighting::Sighting scanFrame(const cv::Mat& m, std::chrono::year_month_day d) const
		{
			return remote ? remote->scanFrame(m, d) : local.scanFrame(m, d);
		}
	} const scanner{inProcess, client.get()};

	std::printf("# Barcode path benchmark\n\n%d frames per level, 1920x1080, seed %llu, one thread, %s.\n\n", count,
				static_cast<unsigned long long>(seed), client ? "through the sandboxed worker" : "in process");
	std::printf("| level    | frames | correct verdicts | wrong over | median ms | p95 ms | zxing alone decodes | zxing median ms | zxing p95 ms |\n");
	std::printf("|----------|-------:|-----------------:|-----------:|----------:|-------:|--------------------:|----------------:|-------------:|\n");

	const synth::Level levels[] = {synth::Level::Easy, synth::Level::Medium, synth::Level::Hard};
	for (int li = 0; li < 3; ++li) {
		Row row;
		row.name = std::string(synth::ToString(levels[li]));
		for (int i = 0; i < count; ++i) {
			const auto sample = synth::MakeLicenceSample(synth::DeriveSeed(seed + std::uint64_t(li) * 1000003u, std::uint64_t(i)),
													   levels[li], *today, 18);
			const auto t0 = Clock::now();
			const auto s = scanner.scanFrame(sample.image, *today);
			row.ms.push_back(Ms(Clock::now() - t0));
			const Verdict v = s.verdictFor(18);
			++row.frames;
			row.correct += v == sample.expected && s.reason == sample.expectedReason;
			row.wrongOver += v == Verdict::Over && sample.expected != Verdict::Over;
			if (!noZxing) {
				double ms = 0;
				row.zxDecoded += ZxingAlone(sample.image, sample.payload, ms);
				row.zxMs.push_back(ms);
			}
		}
		PrintRow(row, !noZxing);
		std::fflush(stdout);
	}

	// Frames with nothing barcode-like, and frames with a PDF417 that is not an ID.
	Row empty, nonId;
	empty.name = "empty";
	nonId.name = "non-id";
	for (int i = 0; i < count; ++i) {
		const auto level = levels[i % 3];
		const cv::Mat scene = synth::MakeEmptyScene(synth::DeriveSeed(seed + 7, std::uint64_t(i)), level);
		auto t0 = Clock::now();
		auto s = scanner.scanFrame(scene, *today);
		empty.ms.push_back(Ms(Clock::now() - t0));
		++empty.frames;
		empty.correct += s.reason == Reason::Unreadable && s.verdictFor(18) == Verdict::Unverified;
		empty.wrongOver += s.verdictFor(18) == Verdict::Over;

		const cv::Mat label = synth::MakeNonIdBarcodeScene(synth::DeriveSeed(seed + 11, std::uint64_t(i)), level);
		t0 = Clock::now();
		s = scanner.scanFrame(label, *today);
		nonId.ms.push_back(Ms(Clock::now() - t0));
		++nonId.frames;
		nonId.correct += s.reason == Reason::NotAnId && s.verdictFor(18) == Verdict::Unverified;
		nonId.wrongOver += s.verdictFor(18) == Verdict::Over;
	}
	PrintRow(empty, false);
	PrintRow(nonId, false);

	// The public corpus: decode rate of the decode stage against the expected text.
	std::ifstream in(corpus + "/expected.jsonl");
	if (!in) {
		std::printf("\n(public corpus not found at %s)\n", corpus.c_str());
		return 0;
	}
	int total = 0, ok = 0, zxOk = 0;
	std::string line;
	while (std::getline(in, line)) {
		const auto row = nlohmann::json::parse(line);
		const cv::Mat img = cv::imread(corpus + "/../" + row["image"].get<std::string>(), cv::IMREAD_GRAYSCALE);
		std::ifstream ef(corpus + "/../" + row["expected_file"].get<std::string>(), std::ios::binary);
		const std::string expected((std::istreambuf_iterator<char>(ef)), std::istreambuf_iterator<char>());
		++total;
		if (img.empty())
			continue;
		const auto p = barcode::DecodePdf417({img.data, img.cols, img.rows, int(img.step[0])});
		const bool piece = row["set"] == "pdf417-4"; // structured append: each symbol holds a piece
		if (p && (piece ? expected.find(p->view()) != std::string::npos : p->view() == expected))
			++ok;
		const ZXing::Result r = ZXing::ReadBarcode({img.data, img.cols, img.rows, ZXing::ImageFormat::Lum, int(img.step[0])});
		const std::string zb(r.bytes().begin(), r.bytes().end());
		if (r.isValid() && (piece ? expected.find(zb) != std::string::npos : zb == expected))
			++zxOk;
	}
	std::printf("\nPublic zxing-cpp PDF417 corpus: %d of %d decoded to the expected bytes (zxing-cpp alone: %d); the "
				"mixed-ECI sample differs because the decode stage returns raw bytes without applying ECI.\n",
				ok, total, zxOk);
	return 0;
}

// SPDX-License-Identifier: Apache-2.0
// agecheck-bench-clip-frames: every frame of a clip scanned on its own, as the kiosk's worker
// scans it (barcodes, MRZs, printed dates; the policy's thresholds), one line per frame:
//   frame N<TAB>REASON<TAB>MILLISECONDS
// The kiosk benchmark (tools/bench/kiosk-bench) takes from it the first frame of each document
// that could be read at all, and measures the kiosk's time to a result from there. Prints
// reason codes only, never a field.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <opencv2/core/utility.hpp>

#include "capture/FrameSource.h"
#include "capture/ZeroingAllocator.h"
#include "common/Dates.h"
#include "ocr/Ocr.h"
#include "secure/Wipe.h"
#include "sighting/Sighting.h"

using namespace agecheck;

int main(int argc, char** argv)
{
	secure::PrepareEnvironment(argv); // OMP_THREAD_LIMIT=1 and the wiping tunables, as the kiosk runs
	capture::InstallZeroingAllocator(); // and its worker's wiping allocators (operator delete is linked in)
	CLI::App app{"Scans every frame of a clip on its own; prints each frame's reason code"};
	std::string clip, todayText;
	app.add_option("clip", clip, "A video file or image folder")->required();
	app.add_option("--today", todayText, "The date to decide on, YYYY-MM-DD")->required();
	CLI11_PARSE(app, argc, argv);
	const auto today = ParseIsoDate(todayText);
	if (!today) {
		std::fprintf(stderr, "--today must be YYYY-MM-DD\n");
		return 2;
	}
	cv::setNumThreads(1);
	std::string error;
	std::shared_ptr<ocr::Engine> engine = ocr::Engine::Open(ocr::DefaultModels(), &error);
	if (!engine) {
		std::fprintf(stderr, "cannot load the OCR models: %s\n", error.c_str());
		return 2;
	}
	auto source = capture::OpenFile(clip);
	if (!source) {
		std::fprintf(stderr, "%s: cannot open\n", clip.c_str());
		return 1;
	}
	sighting::Options o;
	o.ocr = engine;
	const sighting::Scanner scanner(age::DefaultPolicy(), o);
	cv::Mat frame;
	for (unsigned long n = 0; (*source)->next(frame); ++n) {
		const auto start = std::chrono::steady_clock::now();
		const sighting::Sighting s = scanner.scanFrame(frame, *today);
		const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
		const std::string_view reason = ToString(s.reason);
		std::printf("frame %lu\t%.*s\t%.1f\n", n, int(reason.size()), reason.data(), ms);
	}
	frame.setTo(cv::Scalar::all(0));
	return 0;
}

// SPDX-License-Identifier: Apache-2.0
// agecheck-bench-stages: per-stage timings of the barcode and MRZ paths with Google Benchmark, on
// fixed sets of synthetic 1080p frames (prepared before timing). Complements agecheck-bench-barcode
// and agecheck-bench-documents, which measure accuracy; run single-threaded:
// `agecheck-bench-stages --benchmark_repetitions=3`, or `--benchmark_filter='Passport|Mrz'` for the
// MRZ path (the whole scan with and without the printed cross-check, finding the zone, one line's
// Tesseract pass).

#include <benchmark/benchmark.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "capture/ZeroingAllocator.h"
#include "locate/Locate.h"
#include "locate/MrzLocate.h"
#include "ocr/Ocr.h"
#include "common/Secret.h"
#include "secure/Wipe.h"
#include "sighting/Sighting.h"
#include "synth/Documents.h"
#include "synth/Synth.h"

using namespace agecheck;

namespace {

constexpr std::chrono::year_month_day kToday{std::chrono::year{2026}, std::chrono::month{11}, std::chrono::day{25}};
constexpr int kFrames = 16;

/// Frames of one kind, made once: -1 for scenes without a barcode, else a synth::Level.
const std::vector<cv::Mat>& Frames(int kind)
{
	static std::vector<cv::Mat> sets[4];
	auto& set = sets[kind + 1];
	if (set.empty())
		for (int i = 0; i < kFrames; ++i)
			set.push_back(kind < 0 ? synth::MakeEmptyScene(synth::DeriveSeed(31, std::uint64_t(i)), synth::Level(i % 3))
								   : synth::MakeLicenceSample(synth::DeriveSeed(29, std::uint64_t(i)), synth::Level(kind), kToday)
										 .image);
	return set;
}

const sighting::Scanner& Scanner()
{
	static const sighting::Scanner scanner = [] {
		age::Policy p = age::DefaultPolicy();
		p.thresholds = {18};
		return sighting::Scanner(p);
	}();
	return scanner;
}

void BM_ScanFrame(benchmark::State& state)
{
	cv::setNumThreads(1);
	const auto& frames = Frames(int(state.range(0)));
	std::size_t i = 0, read = 0;
	for (auto _ : state) {
		const auto s = Scanner().scanFrame(frames[i++ % frames.size()], kToday);
		read += s.documentRead();
		benchmark::DoNotOptimize(s);
	}
	state.counters["read"] = benchmark::Counter(double(read) / double(state.iterations()));
}

void BM_Locate(benchmark::State& state)
{
	cv::setNumThreads(1);
	std::vector<cv::Mat> grays;
	for (const auto& f : Frames(int(state.range(0)))) {
		cv::Mat g;
		cv::cvtColor(f, g, cv::COLOR_BGR2GRAY);
		grays.push_back(g);
	}
	std::size_t i = 0;
	for (auto _ : state)
		benchmark::DoNotOptimize(locate::FindPdf417(grays[i++ % grays.size()]));
}

/// Grey passport frames of one level, made once.
const std::vector<cv::Mat>& PassportFrames(int level)
{
	static std::vector<cv::Mat> sets[3];
	auto& set = sets[level];
	if (set.empty())
		for (int i = 0; i < kFrames; ++i) {
			cv::Mat g;
			cv::cvtColor(synth::MakeDocumentSample(synth::DeriveSeed(37, std::uint64_t(i)), synth::DocumentKind::Passport,
			                                       synth::Level(level), kToday)
			                 .image,
			             g, cv::COLOR_BGR2GRAY);
			set.push_back(g);
		}
	return set;
}

std::shared_ptr<ocr::Engine> Ocr()
{
	static const std::shared_ptr<ocr::Engine> engine = [] {
		std::string error;
		std::shared_ptr<ocr::Engine> e = ocr::Engine::Open(ocr::DefaultModels(), &error);
		if (!e) {
			std::fprintf(stderr, "cannot load the OCR models: %s\n", error.c_str());
			std::exit(2);
		}
		return e;
	}();
	return engine;
}

/// The whole MRZ path on passport frames (argument: level; second: 1 with the printed
/// cross-check, 0 without), as agecheck-bench-documents times it.
void BM_ScanPassport(benchmark::State& state)
{
	cv::setNumThreads(1);
	const auto& frames = PassportFrames(int(state.range(0)));
	sighting::Options o;
	o.ocr = Ocr();
	o.checkPrinted = state.range(1) != 0;
	age::Policy p = age::DefaultPolicy();
	p.thresholds = {18};
	const sighting::Scanner scanner(p, o);
	std::size_t i = 0, read = 0;
	for (auto _ : state) {
		const auto s = scanner.scanFrame(frames[i++ % frames.size()], kToday);
		read += s.documentRead();
		benchmark::DoNotOptimize(s);
	}
	state.counters["read"] = benchmark::Counter(double(read) / double(state.iterations()));
}

/// Finding the zone in a passport frame (argument: level).
void BM_FindMrz(benchmark::State& state)
{
	cv::setNumThreads(1);
	const auto& frames = PassportFrames(int(state.range(0)));
	std::size_t i = 0;
	for (auto _ : state)
		benchmark::DoNotOptimize(locate::FindMrz(frames[i++ % frames.size()]));
}

/// One Tesseract pass over one MRZ line cut out at 20 px, as the scanner first reads it (easy
/// passports).
void BM_ReadMrzLine(benchmark::State& state)
{
	cv::setNumThreads(1);
	std::vector<cv::Mat> lines;
	for (const auto& f : PassportFrames(0))
		for (const auto& zone : locate::FindMrz(f))
			for (const auto& line : zone.lines)
				lines.push_back(locate::RectifyMrzLine(f, line, 20.f));
	if (lines.empty()) {
		state.SkipWithError("no MRZ line found");
		return;
	}
	char text[64];
	std::size_t i = 0;
	for (auto _ : state)
		benchmark::DoNotOptimize(Ocr()->readMrzLine(lines[i++ % lines.size()], text));
	SecureZero(text, sizeof text);
}

/// What Engine::scrub() costs after a frame was read: one pass of each engine over the neutral text.
void BM_Scrub(benchmark::State& state)
{
	cv::setNumThreads(1);
	const cv::Mat& f = PassportFrames(0).front();
	const auto zones = locate::FindMrz(f);
	if (zones.empty()) {
		state.SkipWithError("no MRZ found");
		return;
	}
	const cv::Mat line = locate::RectifyMrzLine(f, zones.front().lines.front(), 20.f);
	char text[64];
	for (auto _ : state) {
		state.PauseTiming();
		(void)Ocr()->readMrzLine(line, text); // something to scrub
		state.ResumeTiming();
		Ocr()->scrub();
	}
	SecureZero(text, sizeof text);
}

} // namespace

// Argument: -1 frames with nothing barcode-like, 0 easy, 1 medium, 2 hard licence frames.
BENCHMARK(BM_ScanFrame)->Arg(-1)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Locate)->Arg(-1)->Arg(0)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ScanPassport)->Args({0, 1})->Args({1, 1})->Args({2, 1})->Args({1, 0})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FindMrz)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReadMrzLine)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Scrub)->Unit(benchmark::kMillisecond);

int main(int argc, char** argv)
{
	secure::PrepareEnvironment(argv); // OMP_THREAD_LIMIT=1 before Tesseract starts, as the kiosk
	capture::InstallZeroingAllocator();
	benchmark::Initialize(&argc, argv);
	if (benchmark::ReportUnrecognizedArguments(argc, argv))
		return 1;
	benchmark::RunSpecifiedBenchmarks();
	benchmark::Shutdown();
	return 0;
}

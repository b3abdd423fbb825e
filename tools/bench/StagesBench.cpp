// SPDX-License-Identifier: Apache-2.0
// agecheck-bench-stages: per-stage timings of the barcode path with Google Benchmark, on a fixed
// set of synthetic 1080p frames (prepared before timing). Complements agecheck-bench-barcode,
// which measures accuracy; run both single-threaded: `agecheck-bench-stages --benchmark_repetitions=3`.

#include <benchmark/benchmark.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "capture/ZeroingAllocator.h"
#include "locate/Locate.h"
#include "sighting/Sighting.h"
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

} // namespace

// Argument: -1 frames with nothing barcode-like, 0 easy, 1 medium, 2 hard licence frames.
BENCHMARK(BM_ScanFrame)->Arg(-1)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Locate)->Arg(-1)->Arg(0)->Unit(benchmark::kMillisecond);

int main(int argc, char** argv)
{
	capture::InstallZeroingAllocator();
	benchmark::Initialize(&argc, argv);
	if (benchmark::ReportUnrecognizedArguments(argc, argv))
		return 1;
	benchmark::RunSpecifiedBenchmarks();
	benchmark::Shutdown();
	return 0;
}

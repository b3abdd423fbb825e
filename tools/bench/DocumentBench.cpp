// SPDX-License-Identifier: Apache-2.0
// agecheck-bench-documents: accuracy and speed of the MRZ and printed-date paths on synthetic
// 1080p camera frames of passports, ID cards and licence fronts (tools/synth/Documents.h), side by
// side with a naive peer: the plain `tesseract` CLI on the whole frame, then the same MRZ parser on
// the lines that look like an MRZ (the approach of PassportEye). Also reads the public MRZ specimen
// images. Prints a Markdown report: counts, rates and timings only, never identity data. MRZ
// frames are timed twice: the whole scan (with the comparison of the page's printed date of birth,
// made when the zone says "over"), and the MRZ path alone (zone only).

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <string>
#include <unistd.h>
#include <vector>

#include "age/Policy.h"
#include "capture/ZeroingAllocator.h"
#include "common/Dates.h"
#include "mrz/Mrz.h"
#include "ocr/Ocr.h"
#include "secure/Wipe.h"
#include "sighting/Sighting.h"
#include "synth/Documents.h"

#include "BenchUtil.h"

using namespace agecheck;
using agecheck::bench::Clock;
using agecheck::bench::Ms;
using agecheck::bench::Percentile;

namespace {

struct Row {
	std::string name;
	int frames = 0, correct = 0, sameReason = 0, wrongOver = 0;
	std::vector<double> ms;
	std::vector<double> zoneMs; ///< MRZ kinds: the same frames without the printed comparison
	long checks = 0, found = 0; ///< MRZ kinds: pages whose printed date was looked for, and read
	int peerFrames = 0, peerCorrect = 0, peerWrongOver = 0;
	std::vector<double> peerMs;
};

/// The naive peer: `tesseract FILE stdout` on the whole frame (stock English model, automatic page
/// segmentation), then the project's MRZ parser on the last 2 or 3 consecutive lines that, without
/// spaces, are 28 characters or longer and hold a '<'. Returns the verdict for `threshold`.
Verdict Peer(const std::string& file, std::chrono::year_month_day today, const age::Policy& policy, int threshold)
{
	const std::string cmd = "OMP_THREAD_LIMIT=1 tesseract '" + file + "' stdout 2>/dev/null";
	FILE* p = popen(cmd.c_str(), "r");
	if (!p)
		return Verdict::Unverified;
	std::vector<std::string> lines;
	char buf[1024];
	while (fgets(buf, sizeof buf, p)) {
		std::string l;
		for (const char* c = buf; *c; ++c)
			if (*c != ' ' && *c != '\n' && *c != '\r')
				l += *c;
		lines.push_back(l);
	}
	pclose(p);
	std::vector<std::string> mrz;
	for (const auto& l : lines) {
		if (l.size() >= 28 && l.find('<') != std::string::npos)
			mrz.push_back(l);
		else if (mrz.size() >= 2)
			break;
		else
			mrz.clear();
	}
	if (mrz.size() > 3)
		mrz.erase(mrz.begin(), mrz.end() - 3);
	std::string text;
	for (const auto& l : mrz)
		text += l + "\n";
	const auto doc = mrz::Parse(text, today);
	if (!doc || !doc->birth)
		return Verdict::Unverified;
	return age::Decide(*doc->birth, doc->expiry, Reason::Mrz, today, policy, threshold).verdict;
}

void PrintRow(const Row& r)
{
	std::printf("| %-16s | %5d | %6d (%5.1f%%) | %6d | %5d | %7.0f | %7.0f |", r.name.c_str(), r.frames, r.correct,
	            100.0 * r.correct / std::max(1, r.frames), r.sameReason, r.wrongOver, Percentile(r.ms, 0.5),
	            Percentile(r.ms, 0.95));
	if (r.zoneMs.empty())
		std::printf("       - |");
	else
		std::printf(" %7.0f |", Percentile(r.zoneMs, 0.5));
	if (r.peerFrames)
		std::printf(" %3d/%-3d (%5.1f%%) | %4d | %7.0f |\n", r.peerCorrect, r.peerFrames,
		            100.0 * r.peerCorrect / r.peerFrames, r.peerWrongOver, Percentile(r.peerMs, 0.5));
	else
		std::printf("               - |    - |       - |\n");
}

} // namespace

int main(int argc, char** argv)
{
	// The kiosk worker's own environment: OMP_THREAD_LIMIT=1 (Tesseract's OpenMP threads spin
	// several times slower on two cores) and the wiping allocator tunables, by the same one-time
	// re-exec; OpenCV's zeroing allocator; and (linked in) the operator delete that zeroes every
	// C++ block, Tesseract's included.
	secure::PrepareEnvironment(argv);
	capture::InstallZeroingAllocator();
	CLI::App app{"Accuracy and speed of the MRZ and printed-date paths on synthetic camera frames"};
	int count = 50, peerCount = 10;
	std::uint64_t seed = 2027;
	std::string todayText = "2026-11-25", models, corpus = "../shared/corpus/mrz_images", only;
	app.add_option("--count", count, "Frames per document kind and level (default 50)")->check(CLI::Range(1, 100000));
	app.add_option("--peer-count", peerCount, "Of those, frames also given to the tesseract CLI peer (default 10; 0: none)")
	    ->check(CLI::Range(0, 100000));
	app.add_option("--seed", seed, "Base seed (default 2027)");
	app.add_option("--today", todayText, "The date the frames are decided on (default 2026-11-25)");
	app.add_option("--models", models, "The directory holding mrz.traineddata and mrz_best.traineddata (default: the project's models/)");
	app.add_option("--corpus", corpus, "The public MRZ image corpus (default ../shared/corpus/mrz_images)");
	bool showReasons = false;
	app.add_flag("--reasons", showReasons, "List the reasons given for wrong verdicts");
	app.add_option("--only", only, "Only this kind: passport, id-td1, id-td2 or front");
	CLI11_PARSE(app, argc, argv);
	const auto today = ParseIsoDate(todayText);
	if (!today) {
		std::fprintf(stderr, "--today must be YYYY-MM-DD\n");
		return 2;
	}
	cv::setNumThreads(1); // one core, as the targets say

	ocr::Models m = ocr::DefaultModels();
	if (!models.empty())
		m.mrzDir = models;
	std::string error;
	sighting::Options options;
	options.ocr = ocr::Engine::Open(m, &error);
	if (!options.ocr) {
		std::fprintf(stderr, "cannot load the OCR models: %s\n", error.c_str());
		return 2;
	}
	age::Policy policy = age::DefaultPolicy();
	policy.thresholds = {18};
	const sighting::Scanner scanner(policy, options);
	// The MRZ path alone: the same frames again, without comparing the page's printed date of birth
	// (which is made only when the zone says "over", and reads the page's text with the English
	// model).
	sighting::Options zoneOnly = options;
	zoneOnly.checkPrinted = false;
	const sighting::Scanner zoneScanner(policy, zoneOnly);
	// A licence front is read with its jurisdiction's profile active, as a shop there would set
	// its policy (with every profile active, dates whose day and month are both 12 or less are
	// ambiguous between day-first and month-first profiles, by design).
	std::vector<sighting::Scanner> frontScanners;
	for (const char* profile : {"au-nz", "us", "canada", "uk", "eu"}) {
		age::Policy p = policy;
		p.printedProfiles = {profile};
		frontScanners.emplace_back(p, options);
	}
	std::map<std::string, int> failures; // reason tokens of wrong verdicts, for --reasons
	char tmpl[] = "/tmp/agecheck-bench-XXXXXX"; // synthetic frames for the CLI peer only
	const std::string tmp = mkdtemp(tmpl) ? tmpl : "/tmp";

	std::printf("# MRZ and printed-date benchmark\n\n%d frames per kind and level, 1920x1080, seed %llu, one thread, "
	            "in process; the peer (`tesseract` CLI on the whole frame + the same MRZ parser) on the first %d of each.\n\n",
	            count, static_cast<unsigned long long>(seed), peerCount);
	std::printf("| kind / level     | frames | correct verdicts | reason too | wrong over | median ms | p95 ms | zone only median ms | peer correct | peer wrong over | peer median ms |\n");
	std::printf("|------------------|-------:|-----------------:|-----------:|-----------:|----------:|-------:|--------------------:|-------------:|----------------:|---------------:|\n");

	const synth::Level levels[] = {synth::Level::Easy, synth::Level::Medium, synth::Level::Hard};
	const synth::DocumentKind kinds[] = {synth::DocumentKind::Passport, synth::DocumentKind::IdTd1, synth::DocumentKind::IdTd2,
	                                     synth::DocumentKind::Front};
	std::array<Row, 3> mrzTotals, frontTotals;
	std::vector<Row> checked; // MRZ rows, for the printed comparison's counts
	for (int ki = 0; ki < 4; ++ki) {
		if (!only.empty() && synth::ToString(kinds[ki]) != only)
			continue;
		for (int li = 0; li < 3; ++li) {
			Row row;
			row.name = std::string(synth::ToString(kinds[ki])) + " " + std::string(synth::ToString(levels[li]));
			for (int i = 0; i < count; ++i) {
				const auto sample = synth::MakeDocumentSample(
				    synth::DeriveSeed(seed + std::uint64_t(ki) * 7919u + std::uint64_t(li) * 1000003u, std::uint64_t(i)),
				    kinds[ki], levels[li], *today, 18);
				const auto t0 = Clock::now();
				const auto& reader = kinds[ki] == synth::DocumentKind::Front
				                         ? frontScanners[std::size_t(sample.profile)] : scanner;
				const auto before = reader.counters();
				const auto s = reader.scanFrame(sample.image, *today);
				row.ms.push_back(Ms(Clock::now() - t0));
				row.checks += reader.counters().printedChecks - before.printedChecks;
				row.found += reader.counters().printedFound - before.printedFound;
				if (kinds[ki] != synth::DocumentKind::Front) {
					const auto z0 = Clock::now();
					(void)zoneScanner.scanFrame(sample.image, *today);
					row.zoneMs.push_back(Ms(Clock::now() - z0));
				}
				const Verdict v = s.verdictFor(18);
				if (v != sample.expected)
					++failures[row.name + (kinds[ki] == synth::DocumentKind::Front ? " (profile " + std::to_string(int(sample.profile)) + ")" : std::string()) + ": " + std::string(ToString(s.reason))];
				++row.frames;
				row.correct += v == sample.expected;
				row.sameReason += v == sample.expected && s.reason == sample.expectedReason;
				row.wrongOver += v == Verdict::Over && sample.expected != Verdict::Over;
				if (i < peerCount && kinds[ki] != synth::DocumentKind::Front) {
					const std::string file = tmp + "/frame.png";
					cv::imwrite(file, sample.image);
					const auto p0 = Clock::now();
					const Verdict pv = Peer(file, *today, policy, 18);
					row.peerMs.push_back(Ms(Clock::now() - p0));
					unlink(file.c_str());
					++row.peerFrames;
					row.peerCorrect += pv == sample.expected;
					row.peerWrongOver += pv == Verdict::Over && sample.expected != Verdict::Over;
				}
			}
			PrintRow(row);
			std::fflush(stdout);
			Row& total = kinds[ki] == synth::DocumentKind::Front ? frontTotals[std::size_t(li)] : mrzTotals[std::size_t(li)];
			total.name = std::string(kinds[ki] == synth::DocumentKind::Front ? "printed " : "all MRZ ") + std::string(synth::ToString(levels[li]));
			total.frames += row.frames;
			total.correct += row.correct;
			total.sameReason += row.sameReason;
			total.wrongOver += row.wrongOver;
			total.ms.insert(total.ms.end(), row.ms.begin(), row.ms.end());
			total.zoneMs.insert(total.zoneMs.end(), row.zoneMs.begin(), row.zoneMs.end());
			total.checks += row.checks;
			total.found += row.found;
			if (kinds[ki] != synth::DocumentKind::Front)
				checked.push_back(row);
			total.peerFrames += row.peerFrames;
			total.peerCorrect += row.peerCorrect;
			total.peerWrongOver += row.peerWrongOver;
			total.peerMs.insert(total.peerMs.end(), row.peerMs.begin(), row.peerMs.end());
		}
	}
	for (const Row& r : mrzTotals)
		if (r.frames)
			PrintRow(r);
	for (const Row& r : frontTotals)
		if (r.frames)
			PrintRow(r);
	rmdir(tmp.c_str());
	// How often the comparison found something to compare: it reads the page only when the zone
	// says "over", and finds no date on a page whose text did not read.
	if (!checked.empty()) {
		std::printf("\nPrinted date of birth compared with the zone's (looked for only when the zone says over; never on a "
		            "TD1 card, whose zone is on its back): pages looked at, and a printed date read on\n\n");
		for (const Row* r : {&mrzTotals[0], &mrzTotals[1], &mrzTotals[2]})
			checked.push_back(*r);
		for (const Row& r : checked)
			if (r.frames)
				std::printf("- %s: %ld of %ld\n", r.name.c_str(), r.found, r.checks);
	}
	if (showReasons) {
		std::printf("\nWrong verdicts by reason:\n\n");
		for (const auto& [what, n] : failures)
			std::printf("- %s: %d\n", what.c_str(), n);
	}

	// The public specimen images: expired long ago, so decided with expired documents accepted.
	std::ifstream in(corpus + "/expected.jsonl");
	if (!in) {
		std::printf("\n(public MRZ image corpus not found at %s)\n", corpus.c_str());
		return 0;
	}
	age::Policy accept = policy;
	accept.expired = age::ExpiredDocuments::Accept;
	const sighting::Scanner corpusScanner(accept, options);
	int total = 0, right = 0, wrongOver = 0;
	std::string line;
	while (std::getline(in, line)) {
		const auto row = nlohmann::json::parse(line);
		const cv::Mat img = cv::imread(corpus + "/../" + row["image"].get<std::string>());
		++total;
		const auto s = corpusScanner.scanFrame(img, *today);
		const auto birth = ParseIsoDate(row["dob"].get<std::string>());
		Verdict expected = Verdict::Unverified;
		if (row["valid"].get<bool>() && birth)
			expected = age::Decide(SecretDate(*birth), std::nullopt, Reason::Mrz, *today, accept, 18).verdict;
		right += s.verdictFor(18) == expected;
		wrongOver += s.verdictFor(18) == Verdict::Over && expected != Verdict::Over;
	}
	std::printf("\nPublic MRZ specimen images (PassportEye test data): %d of %d gave the expected verdict, %d wrong over; "
	            "a printed date of birth read on %ld of the %ld looked at.\n",
	            right, total, wrongOver, corpusScanner.counters().printedFound, corpusScanner.counters().printedChecks);
	return 0;
}

// SPDX-License-Identifier: Apache-2.0
#include "ScanCommand.h"

#include <cstdio>
#include <ctime>
#include <opencv2/core.hpp>

#include "age/Policy.h"
#include "capture/FrameSource.h"
#include "common/Dates.h"
#include "ocr/Ocr.h"
#include "sighting/Sighting.h"

namespace agecheck::tools {

std::optional<age::Policy> PolicyOrDefault(const std::string& file, const char* command)
{
	if (file.empty())
		return age::DefaultPolicy();
	std::string error;
	auto loaded = age::LoadPolicy(file, &error);
	if (!loaded)
		std::fprintf(stderr, "agecheck %s: policy: %s\n", command, error.c_str());
	return loaded;
}

std::string PrintableName(const std::string& name)
{
	std::string out = name;
	for (char& c : out)
		if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
			c = '?';
	return out;
}

namespace {

/// One verdict line. The file name is printed with control characters replaced, so that no name
/// can forge a line of its own (a tab and "over" in a file name, say).
void PrintLine(const std::string& input, Verdict verdict, Reason reason)
{
	std::printf("%s\t%.*s\t%.*s\n", PrintableName(input).c_str(), int(ToString(verdict).size()),
				ToString(verdict).data(), int(ToString(reason).size()), ToString(reason).data());
	std::fflush(stdout);
}

} // namespace

int RunScan(const ScanArgs& args)
{
	std::chrono::year_month_day today = LocalToday();
	if (!args.today.empty()) {
		auto parsed = ParseIsoDate(args.today);
		if (!parsed) {
			std::fprintf(stderr, "agecheck scan: --today must be a real date written YYYY-MM-DD\n");
			return 2;
		}
		today = *parsed;
	}

	auto loaded = PolicyOrDefault(args.policyFile, "scan");
	if (!loaded)
		return 2;
	age::Policy policy = std::move(*loaded);
	// This command answers one threshold, any from 1 to 125: it is for tests and audits.
	const int threshold = args.threshold.value_or(policy.thresholds.empty() ? 18 : policy.thresholds.front());
	policy.thresholds = {threshold};

	cv::setNumThreads(1);
	sighting::Options options;
	ocr::Models models = ocr::DefaultModels();
	if (!args.models.empty())
		models.mrzDir = args.models;
	std::string error;
	options.ocr = ocr::Engine::Open(models, &error);
	if (!options.ocr) {
		std::fprintf(stderr, "agecheck scan: cannot load the OCR models: %s\n", error.c_str());
		return 2;
	}
	const sighting::Scanner scanner(policy, std::move(options));
	int status = 0;
	for (const auto& input : args.inputs) {
		auto source = capture::OpenFile(input);
		if (!source) {
			PrintLine(input, Verdict::Unverified, source.reason());
			status = 1;
			continue;
		}
		const sighting::Sighting s = scanner.scanSource(**source, today);
		PrintLine(input, s.verdictFor(threshold), s.reason);
	}
	return status;
}

} // namespace agecheck::tools

// SPDX-License-Identifier: Apache-2.0
#include "ScanCommand.h"

#include <cstdio>
#include <ctime>
#include <opencv2/core.hpp>

#include "age/Policy.h"
#include "capture/FrameSource.h"
#include "sighting/Sighting.h"

namespace agecheck::tools {

std::optional<std::chrono::year_month_day> ParseIsoDate(const std::string& t)
{
	using namespace std::chrono;
	if (t.size() != 10 || t[4] != '-' || t[7] != '-')
		return std::nullopt;
	for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
		if (t[i] < '0' || t[i] > '9')
			return std::nullopt;
	const int y = std::stoi(t.substr(0, 4));
	const unsigned m = unsigned(std::stoi(t.substr(5, 2))), d = unsigned(std::stoi(t.substr(8, 2)));
	const year_month_day ymd{year{y}, month{m}, day{d}};
	if (!ymd.ok())
		return std::nullopt;
	return ymd;
}

std::chrono::year_month_day LocalToday()
{
	using namespace std::chrono;
	const std::time_t now = std::time(nullptr);
	std::tm tm{};
	localtime_r(&now, &tm);
	return year_month_day{year{tm.tm_year + 1900}, month{unsigned(tm.tm_mon + 1)}, day{unsigned(tm.tm_mday)}};
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

	age::Policy policy = age::DefaultPolicy();
	if (!args.policyFile.empty()) {
		std::string error;
		auto loaded = age::LoadPolicy(args.policyFile, &error);
		if (!loaded) {
			std::fprintf(stderr, "agecheck scan: policy: %s\n", error.c_str());
			return 2;
		}
		policy = std::move(*loaded);
	}
	// This command answers one threshold, any from 1 to 125: it is for tests and audits.
	const int threshold = args.threshold.value_or(policy.thresholds.empty() ? 18 : policy.thresholds.front());
	policy.thresholds = {threshold};

	cv::setNumThreads(1);
	const sighting::Scanner scanner(policy);
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

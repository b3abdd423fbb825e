// SPDX-License-Identifier: Apache-2.0
// agecheck: the command-line front end. It prints verdicts and reason codes, never ID fields.

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <string>
#include <vector>

#include "ScanCommand.h"
#include "SelfTestCommand.h"
#include "ServeCommand.h"
#include "capture/ZeroingAllocator.h"
#include "secure/Harden.h"
#include "secure/Wipe.h"

int main(int argc, char** argv)
{
	// Freed memory is wiped only with glibc's tcache off, a tunable read at start: this may
	// re-execute the program once with it set (and OMP_THREAD_LIMIT=1 for Tesseract).
	agecheck::secure::PrepareEnvironment(argv);
	// No image over 40 megapixels is decoded: a small, hostile PNG could otherwise ask for
	// gigabytes. OpenCV reads this once, at the first decode, so it is set before anything else.
	setenv("OPENCV_IO_MAX_IMAGE_PIXELS", "40000000", 1);
	agecheck::secure::HardenProcess();
	agecheck::capture::InstallZeroingAllocator();
	cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);

	CLI::App app{"agecheck: sights an ID, answers over or under, keeps nothing"};
	app.require_subcommand(1);
	app.set_version_flag("--version", "agecheck 0.1.0");

	agecheck::tools::ScanArgs scan;
	auto* scanCmd = app.add_subcommand("scan", "Read IDs in images or videos and print one verdict line per input");
	scanCmd->add_option("--today", scan.today, "The date to decide on, YYYY-MM-DD (default: the local date)");
	scanCmd->add_option("--threshold", scan.threshold, "The age asked about, 1 to 125 (default: the policy's first)")
		->check(CLI::Range(1, 125));
	scanCmd->add_option("--policy", scan.policyFile, "A policy file (default: the built-in policy)");
	scanCmd->add_option("--models", scan.models, "The directory holding mrz.traineddata and mrz_best.traineddata (default: the project's models/)");
	scanCmd->add_option("INPUT", scan.inputs, "Image (PNG, JPEG, ...) or video files")->required();

	agecheck::tools::ServeArgs serve;
	auto* serveCmd = agecheck::tools::AddServe(app, serve);
	agecheck::tools::PosArgs pos;
	auto* posCmd = agecheck::tools::AddPos(app, pos);
	agecheck::tools::SelfTestArgs selftest;
	auto* selftestCmd = agecheck::tools::AddSelfTest(app, selftest);

	try {
		app.parse(argc, argv);
	} catch (const CLI::Success& e) {
		return app.exit(e);
	} catch (const CLI::ParseError& e) {
		app.exit(e);
		return 2;
	}

	if (*scanCmd)
		return agecheck::tools::RunScan(scan);
	if (*serveCmd)
		return agecheck::tools::RunServe(serve);
	if (*posCmd)
		return agecheck::tools::RunPos(*posCmd, pos);
	if (*selftestCmd)
		return agecheck::tools::RunSelfTest(selftest);
	return 2;
}

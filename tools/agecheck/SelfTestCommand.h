// SPDX-License-Identifier: Apache-2.0
#pragma once
// `agecheck selftest`: the compliance self-test (src/selftest) from the command line.
#include <CLI/CLI.hpp>
#include <string>

namespace agecheck::tools {

/// The arguments of `agecheck selftest`.
struct SelfTestArgs {
	std::string report;   ///< Markdown report path
	std::string json;     ///< JSON report path
	std::string worker;   ///< the decoding worker to audit (default: beside agecheck)
	int scans = 1;        ///< sightings of each canary document
	bool kiosk = false;   ///< audit the cashier's app (agecheck-kiosk) instead of `agecheck serve`
	std::string kioskApp; ///< the app to audit with --kiosk (default: agecheck-kiosk beside agecheck)
	std::string videoDriver = "offscreen"; ///< SDL's video driver for the app
	bool quiet = false;
};

/// Adds `selftest` to `app`.
CLI::App* AddSelfTest(CLI::App& app, SelfTestArgs& args);
/// Runs it: prints PASS/FAIL per check; 0 when all pass, 1 on a failed check, 2 when it could not run.
int RunSelfTest(const SelfTestArgs& args);

} // namespace agecheck::tools

// SPDX-License-Identifier: Apache-2.0
#include "SelfTestCommand.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "ServeCommand.h"
#include "selftest/SelfTest.h"

namespace agecheck::tools {

CLI::App* AddSelfTest(CLI::App& app, SelfTestArgs& a)
{
	auto* cmd = app.add_subcommand("selftest", "Prove that nothing of a scanned ID is retained: canary documents through "
	                                           "the real kiosk, then its memory, files, output and socket are searched");
	cmd->add_option("--report", a.report, "Write the report as Markdown to this file");
	cmd->add_option("--json", a.json, "Write the report as JSON to this file");
	cmd->add_option("--scans", a.scans, "Sightings of each canary document (default 1)")->check(CLI::Range(1, 10000));
	cmd->add_option("--worker", a.worker, "The decoding worker to audit (default: agecheck-worker beside agecheck)");
	cmd->add_flag("--kiosk", a.kiosk, "Audit the cashier's app (agecheck-kiosk, its window, preview and GL textures) "
	                                  "instead of `agecheck serve`");
	cmd->add_option("--kiosk-app", a.kioskApp, "The app to audit with --kiosk (default: agecheck-kiosk beside agecheck)");
	cmd->add_option("--video-driver", a.videoDriver,
	                "SDL's video driver for the app: offscreen (default, no X server needed) or x11 (uses DISPLAY)");
	cmd->add_flag("--quiet", a.quiet, "Print only the result line");
	return cmd;
}

namespace {

bool WriteFile(const std::string& path, const std::string& text)
{
	std::ofstream f(path, std::ios::binary | std::ios::trunc);
	f << text;
	return bool(f.flush());
}

} // namespace

int RunSelfTest(const SelfTestArgs& a)
{
	selftest::Options o;
	std::error_code ec;
	o.agecheck = std::filesystem::read_symlink("/proc/self/exe", ec).string();
	// Absolute: the kiosk starts in a private directory.
	o.worker = a.worker.empty() ? DefaultWorkerPath() : std::filesystem::absolute(a.worker, ec).string();
	o.scans = a.scans;
	if (a.kiosk || !a.kioskApp.empty())
		o.kiosk = a.kioskApp.empty() ? (std::filesystem::path(o.agecheck).parent_path() / "agecheck-kiosk").string()
		                             : std::filesystem::absolute(a.kioskApp, ec).string();
	o.videoDriver = a.videoDriver;
	o.progress = !a.quiet;
	const selftest::Report r = selftest::Run(o);
	if (!a.quiet)
		for (const auto& c : r.checks) {
			std::printf("%s %s: %s\n", c.pass ? "PASS" : "FAIL", c.id.c_str(), c.title.c_str());
			for (const auto& e : c.evidence)
				std::printf("     %s\n", e.c_str());
		}
	if (!r.error.empty())
		std::printf("ERROR the self-test could not run: %s\n", r.error.c_str());
	std::printf("selftest %s in %.1f s\n", r.pass() ? "PASS" : "FAIL", r.figures.seconds);
	std::fflush(stdout);
	bool written = true;
	if (!a.report.empty() && !WriteFile(a.report, selftest::ToMarkdown(r))) {
		std::fprintf(stderr, "agecheck selftest: cannot write %s\n", a.report.c_str());
		written = false;
	}
	if (!a.json.empty() && !WriteFile(a.json, selftest::ToJson(r))) {
		std::fprintf(stderr, "agecheck selftest: cannot write %s\n", a.json.c_str());
		written = false;
	}
	if (!r.error.empty() || !written)
		return 2;
	return r.pass() ? 0 : 1;
}

} // namespace agecheck::tools

// SPDX-License-Identifier: Apache-2.0
#pragma once
// The compliance self-test: proves, with evidence, that after real scans no trace of an ID
// remains in the kiosk's memory, files, logs or socket traffic, and that the process protections
// are in force.
//
//   auditor (this process)                         kiosk processes (audited)
//   canary documents, fresh each run  ──frames──►  agecheck serve --source fd:3 ──► agecheck-worker
//   POS client  ◄──────────── socket ───────────┘  (sandboxed)
//   then: /proc/PID/mem of both, their files and descriptors, stdout/stderr, the socket bytes
//
// With Options::kiosk the cashier's app (agecheck-kiosk: the same service, a window and a
// downscaled preview uploaded as a GL texture) takes serve's place.
//
// The auditor holds the canary values; the kiosk only ever sees them as camera frames. It runs
// the kiosk as a child process so that nothing the auditor holds is counted against the kiosk.
// Reports carry counts, addresses, region names and paths, never a canary value.
#include <chrono>

#include "secure/Sanitizer.h"
#include <cstdint>
#include <string>
#include <vector>

namespace agecheck::selftest {

/// Self-test options; each states its default.
struct Options {
	std::string agecheck;         ///< the agecheck executable to run as `serve` (required)
	std::string worker;           ///< its decoding worker; default: agecheck-worker beside it
	/// Audit the cashier's app instead of `agecheck serve`: this agecheck-kiosk executable, run
	/// windowed with Mesa's software renderer (its GL textures then live in its own memory, where
	/// the memory check reads them); default empty: audit `agecheck serve`
	std::string kiosk;
	/// SDL's video driver for the kiosk app; default "offscreen" (no X server needed: SDL 2.26 and
	/// Mesa's EGL); "x11" uses the DISPLAY the self-test was given
	std::string videoDriver = "offscreen";
	int scans = 1;                ///< sightings of each canary document; default 1
	std::chrono::milliseconds grace{1000}; ///< wait after the last sighting before looking; default 1 s
	/// A readable canary must be answered within this; default 60 s (a Release kiosk answers in well
	/// under a second; an AddressSanitizer build reads passports and fronts in several seconds a frame)
	std::chrono::milliseconds answerTimeout{60000};
	/// How long plain frames follow each canary, so that the kiosk sees the card leave the view
	/// before the next one, longer than a frame may take to scan; default 2.5 s (5 s in an
	/// AddressSanitizer build, whose worker takes
	/// seconds over a passport or a card front; for the kiosk app at least 3 s, and until it has
	/// drawn its idle screen, with the preview, again). The kiosk answers a card only after it has
	/// scanned a frame without one: a gap shorter than one scan leaves the next canary unanswered.
	/// 1.5 s was too short for a passport or front scanned while CI ran other tests beside it
	/// (1 of 102 soak checks timed out, in two CI runs).
#if defined(AGECHECK_ASAN)
	std::chrono::milliseconds blankFor{5000};
#else
	std::chrono::milliseconds blankFor{2500};
#endif
	bool progress = false;        ///< print one line per phase to stderr; default false
};

/// One check: its verdict and the evidence (counts, addresses, paths; never a canary value).
struct Check {
	std::string id;                  ///< e.g. "memory", "files", "socket", "logs", "process"
	std::string title;               ///< one line for a person
	bool pass = false;
	std::vector<std::string> evidence; ///< what was looked at and found
};

/// Figures the README and the issue ask for.
struct Figures {
	double seconds = 0;                 ///< the whole self-test, wall clock
	std::uint64_t bytesScanned = 0;     ///< process memory read, all kiosk processes
	std::uint64_t heapBytes = 0;        ///< of which brk heap
	std::uint64_t stackBytes = 0;       ///< of which stacks
	std::uint64_t rssWarmKiB = 0;       ///< kiosk processes' resident memory after the first tenth of the scans
	std::uint64_t rssEndKiB = 0;        ///< ... after the last
	int sightings = 0;                  ///< answers received over the socket
	int framesSent = 0;                 ///< frames written to the kiosk
};

/// The self-test's outcome.
struct Report {
	std::string date;             ///< ISO 8601 UTC time of the run
	std::string version;          ///< the kiosk's version line
	std::string audited;          ///< what was audited: "agecheck serve" or "agecheck-kiosk (the cashier app)"
	std::vector<Check> checks;
	Figures figures;
	std::string error;            ///< set when the test could not run at all (then pass() is false)
	/// True when every check passed and the test ran.
	bool pass() const noexcept;
};

/// Runs the self-test. Never throws; a failure to set up is Report::error.
Report Run(const Options& options);

/// The report as Markdown a person can file.
std::string ToMarkdown(const Report& report);
/// The report as JSON for fleet tools (schema "agecheck-selftest/1").
std::string ToJson(const Report& report);

} // namespace agecheck::selftest

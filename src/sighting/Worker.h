// SPDX-License-Identifier: Apache-2.0
#pragma once
// The sighting worker: the decoders (locate, zxing-cpp, the parsers, later Tesseract) read
// hostile pictures, so they run in a separate process under a seccomp sandbox (no files, no
// sockets, no exec) that hands back only a Sighting.
//
//   service ──frame (shared memfd, locked, wiped after each frame)──► agecheck-worker
//           ◄──── Sighting (reason, thresholds, verdicts) and Guide ──┘
//
// The same Scanner runs in both places: the process boundary is a deployment choice. A worker
// that dies, hangs past the timeout or answers nonsense is killed and started again; the frame
// it had is "unreadable" (fail closed) and restarts() counts it. "Nonsense" includes any answer
// an honest Scanner cannot give (a decided verdict without a source reason, over 21 but not over
// 18): the sandbox keeps a compromised decoder from the data, and these checks narrow what it
// can claim, but a worker that lies consistently is believed.
#include <chrono>
#include <memory>
#include <string>

#include "age/Policy.h"
#include "ocr/Ocr.h"
#include "secure/Sanitizer.h"
#include "sighting/Sighting.h"

namespace agecheck::sighting {

#if defined(AGECHECK_ASAN)
inline constexpr std::chrono::milliseconds kDefaultWorkerTimeout{30000};
#else
inline constexpr std::chrono::milliseconds kDefaultWorkerTimeout{5000};
#endif

/// Worker options; each states its default.
struct WorkerOptions {
	std::string path;                          ///< the agecheck-worker executable (required)
	/// A frame taking longer kills the worker; default 5 s (30 s in an AddressSanitizer build,
	/// where reading a passport or a card front takes several seconds)
	std::chrono::milliseconds timeout{kDefaultWorkerTimeout};
	std::chrono::milliseconds startTimeout{10000}; ///< start-up (decoders loading) limit; default 10 s
	bool ocr = true;                           ///< read MRZs and printed dates too (loads the OCR models); default true
	ocr::Models models{};                      ///< where the OCR models are; empty directories: the defaults
};

/// The service's end of the worker: sends frames, reads back Sightings. Not thread-safe: one
/// thread (the service's worker thread) uses it.
class WorkerClient {
public:
	WorkerClient(age::Policy policy, WorkerOptions options);
	~WorkerClient();
	WorkerClient(const WorkerClient&) = delete;
	WorkerClient& operator=(const WorkerClient&) = delete;

	/// Starts the worker and waits until it is sandboxed and ready. False with `error` set when it
	/// cannot start (missing executable, start-up timeout).
	bool start(std::string* error);
	/// Scans one 8-bit BGR, BGRA or grey frame in the worker, as Scanner::scanFrame does, with its
	/// guide in `guide` when not null. A worker failure gives Unreadable (and an empty guide), and
	/// the worker is restarted. Never throws.
	Sighting scanFrame(const cv::Mat& frame, std::chrono::year_month_day today, Guide* guide = nullptr) noexcept;
	/// The worker's process id (0 when none runs).
	int pid() const noexcept;
	/// How many times a worker was replaced after it died, hung or misbehaved.
	unsigned long long restarts() const noexcept;
	/// True when the running worker reported its seccomp filter in force (a worker that cannot
	/// sandbox itself is never used: start() fails).
	bool sandboxed() const noexcept;
	/// True when the running worker measured its freed C++ and C blocks wiped (secure/Wipe.h).
	bool wipes() const noexcept;

private:
	struct Impl;
	std::unique_ptr<Impl> _impl;
};

/// The worker process's main loop, on the descriptor its parent handed over. Returns the process
/// exit code: 0 when the parent hung up.
int RunWorker(int fd) noexcept;

} // namespace agecheck::sighting

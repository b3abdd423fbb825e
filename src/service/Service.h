// SPDX-License-Identifier: Apache-2.0
#pragma once
// The headless service: a live source, the sighting worker and the POS socket, wired together.
// `agecheck serve` runs it; the kiosk app embeds it.
//
//   capture thread ──► FrameRing (latest frame only; busy = drop) ──► worker thread ──► Server
//   (paces files)                                                    (Scanner)         (one-shot answers)
//
// Only booleans and a reason code leave the worker: the frame it scanned is zeroed, and so is
// the ring's slot, as soon as a sighting completes. One card is sighted once: after a sighting
// the worker publishes nothing more until no ID has been read for `clearFor`, so a licence left
// in view (or on the counter) can never answer the next customer's check.

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "age/Policy.h"
#include "capture/FrameSource.h"
#include "pos/Pos.h"
#include "sighting/Sighting.h"
#include "sighting/Worker.h"

namespace agecheck::service {

/// Service options; each states its default.
struct Options {
	std::string source;                          ///< camera ("/dev/video0", "camera:0"), video or image file, or image folder
	capture::LiveOptions live{};                 ///< loop, camera resolution, still frame rate
	age::Policy policy = age::DefaultPolicy();   ///< thresholds offered to the POS and the rules
	pos::ServerOptions server{};                 ///< socket, allow-list, TTL, timeouts
	std::chrono::milliseconds clearFor{1000};    ///< after a sighting, no new one until no ID was read for this long (the card left the view); default 1 s
	std::function<std::chrono::year_month_day()> today; ///< the date to decide on; default: the local date, read per sighting
	sighting::WorkerOptions worker{};            ///< the sandboxed decoding process; an empty path decodes in this process (tests, benchmarks)
};

/// Counters for tests, benchmarks and status screens. No identity data.
struct Stats {
	unsigned long long framesRead = 0;    ///< frames the capture thread read
	unsigned long long framesScanned = 0; ///< frames the worker scanned
	unsigned long long framesDropped = 0; ///< frames dropped because the worker was busy
	unsigned long long sightings = 0;     ///< documents read
	unsigned long long workerRestarts = 0; ///< times the decoding worker died, hung or misbehaved and was replaced
	int workerPid = 0;                    ///< the decoding worker's process id (0: decoding in this process, or none running)
	bool workerSandboxed = false;         ///< the worker reported its seccomp sandbox in force
	bool workerWipes = false;             ///< the worker measured its freed blocks wiped
};

/// The service. start(), then run() on one thread until stop() from any thread (or a signal).
class Service {
public:
	explicit Service(Options options);
	~Service();
	Service(const Service&) = delete;
	Service& operator=(const Service&) = delete;

	/// Opens the source and the sockets and starts the capture and worker threads. Once only;
	/// set onSighting before.
	bool start(std::string* error);
	/// Serves the POS until stop(). The source may end (a file): the service keeps serving.
	void run();
	/// Ends run() and the threads; safe from any thread, idempotent: every caller returns once
	/// they have ended. Must not be called from onSighting.
	void stop();

	/// Called on the worker thread after each sighting (booleans and a reason only); may be empty.
	/// Set it before start().
	std::function<void(const sighting::Sighting&)> onSighting;
	/// Counters so far.
	Stats stats() const;

private:
	struct Impl;
	std::unique_ptr<Impl> _impl;
};

} // namespace agecheck::service

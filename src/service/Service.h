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
// in view (or on the counter) can never answer the next customer's check. A card read only now
// and then (a licence front whose small labels read in a few frames) can leave gaps longer than
// that: a sighting with the same reason and verdicts as the last one, within `repeatFor` of the
// last read and with something ID-like in view all along (no frame of the gap found nothing), is
// the same card again and is not published either.

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "age/Policy.h"
#include "capture/FrameSource.h"
#include "pos/Pos.h"
#include "sighting/Sighting.h"
#include "ocr/Ocr.h"
#include "sighting/Worker.h"

namespace agecheck::service {

/// Service options; each states its default.
struct Options {
	std::string source;                          ///< camera ("/dev/video0", "camera:0"), video or image file, or image folder
	capture::LiveOptions live{};                 ///< loop, camera resolution, still frame rate
	age::Policy policy = age::DefaultPolicy();   ///< thresholds offered to the POS and the rules
	pos::ServerOptions server{};                 ///< socket, allow-list, TTL, timeouts
	std::chrono::milliseconds clearFor{1000};    ///< after a sighting, no new one until no ID was read for this long (the card left the view); default 1 s
	/// A sighting with the same reason and verdicts as the last one published, less than this after
	/// the last read of any ID, is taken for the same card and not published, unless a frame in
	/// between showed nothing ID-like (the card left the view); default 5 s
	std::chrono::milliseconds repeatFor{5000};
	std::function<std::chrono::year_month_day()> today; ///< the date to decide on; default: the local date, read per sighting
	sighting::WorkerOptions worker{};            ///< the sandboxed decoding process; an empty path decodes in this process (tests, benchmarks)
	int previewWidth = 0;                        ///< keep a downscaled copy of the latest frame this wide for a screen (the kiosk); 0 (the default): none
	bool waitForCamera = false;                  ///< a camera missing at start is waited for (reported disconnected) instead of failing start(); default false
	bool stopAtEnd = false;                      ///< when a file source has played out and its last frame was scanned, end run(); default false (keep serving)
	bool ocr = true;                             ///< read MRZs and printed dates too (loads the OCR models; start() fails when they cannot be loaded); default true
	ocr::Models models{};                        ///< where the OCR models are; empty directories: the defaults
	/// After a tentative failure (check-digit, mismatch: an OCR misreading may cause it), keep
	/// looking this long for a verified reading of the same document before answering; default 1 s
	std::chrono::milliseconds settleFor{1000};
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
	bool sourceOk = true;                 ///< the source delivers (false: a camera is disconnected)
	bool sourceEnded = false;             ///< a file source has played out
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

	/// Called on the worker thread for each sighting (booleans and a reason only), just before the
	/// POS is answered; may be empty.
	/// Set it before start().
	std::function<void(const sighting::Sighting&)> onSighting;
	/// Called on the worker thread after every frame scanned, with what was found in it and a hint
	/// for the cashier (geometry and a code only); may be empty. Set it before start().
	std::function<void(const sighting::Guide&)> onGuide;
	/// Called on the POS thread when a check becomes active and when it ends (pos::Server::onCheck);
	/// may be empty. Set it before start().
	std::function<void(bool active, int threshold)> onCheck;
	/// Called on the POS thread with every answer sent to a check (pos::Server::onAnswer); may be
	/// empty. Set it before start().
	std::function<void(int threshold, bool over)> onAnswer;
	/// Copies the latest preview frame (BGR, previewWidth wide) into `out` if there is one newer
	/// than the last taken; false otherwise. The preview is zeroed when a sighting completes, and
	/// the caller must overwrite its own copies then too (onSighting).
	///
	/// WARNING: a preview is a picture of an ID: keep it in zeroing memory, never write it anywhere.
	bool takePreview(cv::Mat& out);
	/// Counters so far.
	Stats stats() const;
	/// When the frame behind the latest sighting was captured (steady clock; the epoch before
	/// the first sighting): the kiosk measures capture-to-screen time with it.
	std::chrono::steady_clock::time_point lastSightingCapturedAt() const;
	/// The number (from 0, in the source's order) of the frame behind the latest sighting: with a
	/// file's manifest, a benchmark tells how long after a document came into view it was read.
	std::uint64_t lastSightingFrame() const;

private:
	struct Impl;
	std::unique_ptr<Impl> _impl;
};

/// The start-up line a front end prints on stderr (the journal): what protects this process and
/// its worker, as measured (HardenProcess, MeasureWiping, the worker's own report), e.g.
/// "hardening core-dumps=off dumpable=no delete-wipes=yes free-wipes=yes worker=sandboxed ...".
/// The self-test reads it. No identity data.
std::string ProtectionsLine(const Stats& stats);

} // namespace agecheck::service

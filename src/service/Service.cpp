// SPDX-License-Identifier: Apache-2.0
#include "service/Service.h"

#include <algorithm>
#include <cstdio>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <utility>
#include <thread>

#include <opencv2/imgproc.hpp>

#include "capture/FrameRing.h"
#include "common/Dates.h"
#include "secure/Harden.h"
#include "secure/Wipe.h"

namespace agecheck::service {

namespace {

/// Whether two sightings say the same: reason, thresholds and verdicts.
bool SameAnswer(const sighting::Sighting& a, const sighting::Sighting& b) noexcept
{
	if (a.reason != b.reason || a.count != b.count)
		return false;
	for (std::size_t i = 0; i < a.count; ++i)
		if (a.thresholds[i] != b.thresholds[i] || a.verdicts[i] != b.verdicts[i])
			return false;
	return true;
}

} // namespace

using Clock = std::chrono::steady_clock;

struct Service::Impl {
	explicit Impl(Options o) : options(std::move(o)), scanner(options.policy), server(options.server, options.policy.thresholds)
	{
		if (!options.today)
			options.today = LocalToday;
		options.worker.ocr = options.ocr;
		options.worker.models = options.models;
		if (!options.worker.path.empty())
			worker = std::make_unique<sighting::WorkerClient>(options.policy, options.worker);
	}

	Options options;
	sighting::Scanner scanner;                       ///< decodes in this process when there is no worker
	std::unique_ptr<sighting::WorkerClient> worker;  ///< the sandboxed decoding process, if any
	std::atomic<unsigned long long> workerRestarts{0};
	std::atomic<int> workerPid{0};
	std::atomic<bool> workerSandboxed{false};
	std::atomic<bool> workerWipes{false};
	pos::Server server;
	std::unique_ptr<capture::LiveSource> source;
	std::mutex sourceMutex; ///< guards replacing `source` against stop()'s cancel()
	std::mutex previewMutex;
	cv::Mat preview;        ///< the latest frame, downscaled for a screen (previewWidth > 0)
	bool previewFresh = false;
	const void* previewLocked = nullptr;
	capture::FrameRing ring;
	std::thread captureThread, workerThread;
	std::atomic<bool> stopping{false};
	std::mutex stopMutex; ///< held while stopping, so that every stop() returns only when it is done
	std::condition_variable wake; ///< interrupts the capture thread's pacing and retry waits
	std::mutex wakeMutex;
	bool started = false;
	Service* self = nullptr; ///< the Service, for its callbacks
	std::atomic<unsigned long long> framesRead{0}, framesScanned{0}, framesDone{0}, sightings{0};
	std::atomic<Clock::rep> lastCapturedAt{0};
	std::atomic<std::uint64_t> lastFrameIndex{0};
	std::mutex statusMutex;
	pos::Status status;

	std::atomic<bool> sourceOk{true}, sourceEnded{false};

	void setCamera(const char* camera, bool ready)
	{
		sourceOk = ready;
		sourceEnded = std::string_view(camera) == "ended";
		std::lock_guard lock(statusMutex);
		status.camera = camera;
		status.ready = ready;
		status.thresholds = options.policy.thresholds;
		server.setStatus(status);
	}

	void putPreview(const cv::Mat& frame)
	{
		if (frame.empty() || frame.cols <= 0)
			return;
		try {
			const int w = std::min(options.previewWidth, frame.cols);
			const int h = std::max(1, int(double(frame.rows) * w / frame.cols));
			std::lock_guard lock(previewMutex);
			cv::Mat grey;
			if (frame.channels() == 3)
				cv::resize(frame, preview, {w, h}, 0, 0, cv::INTER_AREA);
			else {
				cv::resize(frame, grey, {w, h}, 0, 0, cv::INTER_AREA);
				cv::cvtColor(grey, preview, frame.channels() == 4 ? cv::COLOR_BGRA2BGR : cv::COLOR_GRAY2BGR);
				grey.setTo(0);
			}
			if (preview.data != previewLocked && preview.isContinuous()) {
				previewLocked = preview.data; // locked in RAM once per allocation, like the frames
				secure::LockPages(preview.data, preview.total() * preview.elemSize());
			}
			previewFresh = true;
		} catch (...) {
		}
	}

	void wipePreview()
	{
		std::lock_guard lock(previewMutex);
		if (!preview.empty())
			preview.setTo(cv::Scalar::all(0));
		previewFresh = false;
	}

	/// Sleeps until `until` or stop(); false when stopping.
	bool pause(Clock::time_point until)
	{
		std::unique_lock lock(wakeMutex);
		return !wake.wait_until(lock, until, [&] { return stopping.load(); });
	}

	void captureLoop()
	{
		// No source yet: a camera that was missing at start (Options::waitForCamera).
		const bool camera = !source || source->kind() == capture::SourceKind::Camera;
		const bool paced = source && (source->kind() == capture::SourceKind::File || source->kind() == capture::SourceKind::Folder);
		cv::Mat frame;
		const void* lockedFrame = nullptr;
		auto next = Clock::now();
		while (!stopping) {
			if (!source || !source->next(frame)) {
				if (!camera) {
					ring.wipeWhenTaken(); // the file's last frame is still scanned, then wiped
					wipePreview();
					setCamera("ended", true); // a played-out file: kept answers are still served
					// Once the worker has scanned what it took, a tentative failure waiting for a
					// better frame is answered (none will come), and with stopAtEnd run() ends
					// (stop() does the rest).
					while (framesDone.load() + ring.dropped() < framesRead.load() && !stopping)
						std::this_thread::sleep_for(std::chrono::milliseconds(5));
					if (!stopping)
						flushPending();
					if (options.stopAtEnd)
						server.stop();
					break;
				}
				ring.wipe(); // a failed camera's last frame is of no use any more
				wipePreview();
				// A camera that fails (unplugged): say so, let its device go (so that it can come
				// back under the same name), and try to open it again every second.
				setCamera("disconnected", false);
				{
					std::lock_guard lock(sourceMutex);
					source.reset();
				}
				while (pause(Clock::now() + std::chrono::seconds(1))) {
					if (auto reopened = capture::OpenLive(options.source, options.live)) {
						std::lock_guard lock(sourceMutex);
						source = std::move(*reopened);
						setCamera("ok", true);
						break;
					}
				}
				if (!source)
					break;
				continue;
			}
			++framesRead;
			if (!frame.empty() && frame.data != lockedFrame && frame.isContinuous()) {
				lockedFrame = frame.data; // the capture buffer, locked in RAM once per allocation
				secure::LockPages(frame.data, frame.total() * frame.elemSize());
			}
			if (options.previewWidth > 0)
				putPreview(frame); // before the ring: a sighting's wipe must come after it, never before
			ring.put(frame, Clock::now(), framesRead - 1); // framesRead counts this one
			frame.setTo(cv::Scalar::all(0)); // handed over: a stalled source keeps no picture here
			if (paced) { // a file plays at its own frame rate (1 to 240 fps), as a camera would
				const double fps = std::clamp(source->fps(), 1.0, 240.0);
				next += std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / fps));
				const auto now = Clock::now();
				if (next < now)
					next = now;
				if (!pause(next))
					break;
			}
		}
		if (!frame.empty())
			frame.setTo(cv::Scalar::all(0)); // the last frame read may have held an ID
	}

	sighting::Sighting scan(const cv::Mat& frame, sighting::Guide& guide)
	{
		if (!worker) {
			const sighting::Sighting s = scanner.scanFrame(frame, options.today(), &guide);
			secure::WipeStack(); // what the decoders left on this thread's stack
			return s;
		}
		const sighting::Sighting s = worker->scanFrame(frame, options.today(), &guide);
		workerRestarts = worker->restarts();
		workerPid = worker->pid();
		workerSandboxed = worker->sandboxed();
		workerWipes = worker->wipes();
		return s;
	}

	// The worker thread's decisions, also taken by the capture thread once a file has played out
	// (flushPending). Guarded by decideMutex.
	std::mutex decideMutex;
	bool armed = true; ///< false from a sighting until the view has been clear for clearFor
	std::optional<sighting::Sighting> pending; ///< a tentative failure, waiting for a better reading
	Clock::time_point pendingSince{}, pendingCapturedAt{};
	std::uint64_t pendingIndex = 0;
	Clock::time_point lastDocument = Clock::now();
	std::optional<sighting::Sighting> lastPublished; ///< reason and verdicts only: for repeatFor
	bool viewEmptied = true; ///< a frame with nothing ID-like in it was scanned since the last ID was read

	/// Answers the POS (and tells the screen) with sighting `s` of the frame captured at
	/// `capturedAt`, number `index`. decideMutex held.
	void publish(const sighting::Sighting& s, Clock::time_point capturedAt, std::uint64_t index)
	{
		Service& owner = *self;
		armed = false;
		lastPublished = s;
		pos::Answer answer;
		for (int t : options.policy.thresholds)
			answer.over.emplace_back(t, s.verdictFor(t) == Verdict::Over);
		// The screen hears of the sighting before the POS check it answers ends, so that a
		// kiosk goes from "scanning" straight to the result.
		lastCapturedAt = capturedAt.time_since_epoch().count();
		lastFrameIndex = index;
		if (owner.onSighting)
			owner.onSighting(s);
		server.publish(answer);
		++sightings;
	}

	/// A file has played out and its frames were scanned: a tentative failure still waiting for a
	/// better reading will not get one, so it is the answer now.
	void flushPending()
	{
		std::lock_guard lock(decideMutex);
		if (!pending || !armed)
			return;
		const sighting::Sighting s = *pending;
		pending.reset();
		publish(s, pendingCapturedAt, pendingIndex);
	}

	void workerLoop(Service& owner)
	{
		cv::Mat frame;
		Clock::time_point capturedAt{};
		std::uint64_t index = 0;
		while (ring.take(frame, &capturedAt, &index)) {
			++framesScanned;
			struct Done { // counted when this frame's work, publishing included, is over
				std::atomic<unsigned long long>& n;
				~Done() { ++n; }
			} done{framesDone};
			sighting::Guide guide;
			sighting::Sighting s = scan(frame, guide);
			frame.setTo(cv::Scalar::all(0)); // scanned: no copy of the picture stays with the worker
			if (owner.onGuide)
				owner.onGuide(guide);
			const auto now = Clock::now();
			std::lock_guard lock(decideMutex);
			if (armed) {
				// A tentative failure (check-digit, mismatch) may be an OCR misreading: it is
				// answered only when no verified reading of the card comes within settleFor.
				if (s.documentRead() && !s.tentative()) {
					pending.reset();
				} else {
					if (s.tentative() && !pending) {
						pending = s;
						pendingSince = now;
						pendingCapturedAt = capturedAt;
						pendingIndex = index;
					}
					if (!pending || now - pendingSince < options.settleFor)
						continue;
					s = *pending;
					capturedAt = pendingCapturedAt;
					index = pendingIndex;
					pending.reset();
				}
			}
			if (!s.documentRead()) {
				if (!armed && now - lastDocument >= options.clearFor)
					armed = true; // the card has left the view: the next one is a new sighting
				if (guide.found == sighting::Found::Nothing)
					viewEmptied = true;
				continue;
			}
			ring.wipe(); // and none in the ring
			wipePreview(); // nor on the screen
			const Clock::time_point previousRead = lastDocument;
			const bool emptied = std::exchange(viewEmptied, false);
			lastDocument = now;
			if (!armed)
				continue; // the same card, still in view: it answered (or will answer) once already
			if (lastPublished && SameAnswer(*lastPublished, s) && now - previousRead < options.repeatFor && !emptied) {
				armed = false; // the same card read again after a gap in which it stayed in view
				continue;
			}
			publish(s, capturedAt, index);
		}
	}
};

Service::Service(Options options) : _impl(std::make_unique<Impl>(std::move(options))) {}

Service::~Service()
{
	stop();
}

bool Service::start(std::string* error)
{
	if (_impl->started) {
		if (error)
			*error = "the service was started already";
		return false;
	}
	_impl->started = true;
	auto source = capture::OpenLive(_impl->options.source, _impl->options.live);
	const auto& name = _impl->options.source;
	const bool cameraName = name.rfind("camera:", 0) == 0 || name.rfind("/dev/", 0) == 0;
	if (!source && !(cameraName && _impl->options.waitForCamera)) {
		if (error)
			*error = "cannot open the source: " + std::string(source.failure().detail);
		return false;
	}
	if (source)
		_impl->source = std::move(*source);
	if (!_impl->worker && _impl->options.ocr) {
		std::string why;
		sighting::Options so;
		so.ocr = ocr::Engine::Open(_impl->options.models, &why);
		if (!so.ocr) {
			if (error)
				*error = "cannot load the OCR models: " + why;
			return false;
		}
		_impl->scanner = sighting::Scanner(_impl->options.policy, std::move(so));
	}
	if (_impl->worker) {
		if (!_impl->worker->start(error))
			return false;
		_impl->workerPid = _impl->worker->pid();
		_impl->workerSandboxed = _impl->worker->sandboxed();
		_impl->workerWipes = _impl->worker->wipes();
	}
	if (!_impl->server.start(error))
		return false;
	if (!_impl->source)
		_impl->setCamera("disconnected", false); // the capture thread keeps trying, once a second
	else
		_impl->setCamera(_impl->source->kind() == capture::SourceKind::Camera ? "ok" : "demo", true);
	if (onCheck)
		_impl->server.onCheck = onCheck;
	if (onAnswer)
		_impl->server.onAnswer = onAnswer;
	_impl->self = this;
	_impl->workerThread = std::thread([this] { _impl->workerLoop(*this); });
	_impl->captureThread = std::thread([this] { _impl->captureLoop(); });
	return true;
}

void Service::run()
{
	_impl->server.run();
}

void Service::stop()
{
	std::lock_guard lock(_impl->stopMutex);
	{
		std::lock_guard w(_impl->wakeMutex);
		_impl->stopping = true;
	}
	_impl->wake.notify_all();
	{
		std::lock_guard guard(_impl->sourceMutex);
		if (_impl->source)
			_impl->source->cancel(); // a raw stream may be blocked waiting for its writer
	}
	_impl->server.stop();
	_impl->ring.close(); // first: the capture thread may be waiting for the worker to take a frame
	if (_impl->captureThread.joinable())
		_impl->captureThread.join();
	if (_impl->workerThread.joinable())
		_impl->workerThread.join();
	_impl->ring.wipe();
	_impl->wipePreview();
}

std::uint64_t Service::lastSightingFrame() const
{
	return _impl->lastFrameIndex.load();
}

std::chrono::steady_clock::time_point Service::lastSightingCapturedAt() const
{
	return Clock::time_point(Clock::duration(_impl->lastCapturedAt.load()));
}

bool Service::takePreview(cv::Mat& out)
{
	std::lock_guard lock(_impl->previewMutex);
	if (!_impl->previewFresh || _impl->preview.empty())
		return false;
	_impl->preview.copyTo(out);
	_impl->previewFresh = false;
	return true;
}

Stats Service::stats() const
{
	return {_impl->framesRead.load(), _impl->framesScanned.load(), _impl->ring.dropped(), _impl->sightings.load(),
	        _impl->workerRestarts.load(), _impl->workerPid.load(), _impl->workerSandboxed.load(),
	        _impl->workerWipes.load(), _impl->sourceOk.load(), _impl->sourceEnded.load()};
}

std::string ProtectionsLine(const Stats& st)
{
	const secure::HardenReport h = secure::HardenProcess();
	const secure::WipeStatus w = secure::MeasureWiping();
	char line[256];
	std::snprintf(line, sizeof line,
	              "hardening core-dumps=%s dumpable=%s delete-wipes=%s free-wipes=%s worker=%s worker-wipes=%s worker-pid=%d%s",
	              h.coreDumpsOff ? "off" : "ON", h.notDumpable ? "no" : "YES", w.deleteWipes ? "yes" : "NO",
	              w.freeWipes ? "yes" : "NO", st.workerPid == 0 ? "in-process" : st.workerSandboxed ? "sandboxed" : "UNSANDBOXED",
	              st.workerPid == 0 ? "-" : st.workerWipes ? "yes" : "NO", st.workerPid, w.sanitizer ? " sanitizer=asan" : "");
	return line;
}

} // namespace agecheck::service

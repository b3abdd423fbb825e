// SPDX-License-Identifier: Apache-2.0
#include "service/Service.h"

#include <mutex>
#include <thread>

#include "capture/FrameRing.h"
#include "common/Dates.h"

namespace agecheck::service {

using Clock = std::chrono::steady_clock;

struct Service::Impl {
	explicit Impl(Options o) : options(std::move(o)), scanner(options.policy), server(options.server, options.policy.thresholds)
	{
		if (!options.today)
			options.today = LocalToday;
	}

	Options options;
	sighting::Scanner scanner;
	pos::Server server;
	std::unique_ptr<capture::LiveSource> source;
	capture::FrameRing ring;
	std::thread captureThread, workerThread;
	std::atomic<bool> stopping{false};
	std::atomic<unsigned long long> framesRead{0}, framesScanned{0}, sightings{0};
	std::mutex statusMutex;
	pos::Status status;

	void setCamera(const char* camera, bool ready)
	{
		std::lock_guard lock(statusMutex);
		status.camera = camera;
		status.ready = ready;
		status.thresholds = options.policy.thresholds;
		server.setStatus(status);
	}

	void captureLoop()
	{
		const bool camera = source->kind() == capture::SourceKind::Camera;
		cv::Mat frame;
		auto next = Clock::now();
		while (!stopping) {
			if (!source->next(frame)) {
				if (!camera) {
					setCamera("ended", true); // a played-out file: kept answers are still served
					break;
				}
				// A camera that fails (unplugged): say so, and try to open it again every second.
				setCamera("disconnected", false);
				while (!stopping) {
					std::this_thread::sleep_for(std::chrono::seconds(1));
					if (auto reopened = capture::OpenLive(options.source, options.live)) {
						source = std::move(*reopened);
						setCamera("ok", true);
						break;
					}
				}
				continue;
			}
			++framesRead;
			ring.put(frame);
			if (!camera) { // a file plays at its own frame rate, as a camera would
				const double fps = source->fps();
				next += std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / (fps > 0 ? fps : 10)));
				const auto now = Clock::now();
				if (next < now)
					next = now;
				std::this_thread::sleep_until(next);
			}
		}
		if (!frame.empty())
			frame.setTo(cv::Scalar::all(0)); // the last frame read may have held an ID
	}

	void workerLoop(Service& owner)
	{
		cv::Mat frame;
		auto quietUntil = Clock::now();
		while (ring.take(frame)) {
			if (Clock::now() < quietUntil)
				continue;
			++framesScanned;
			const sighting::Sighting s = scanner.scanFrame(frame, options.today());
			if (!s.documentRead())
				continue;
			frame.setTo(cv::Scalar::all(0)); // the frame that held the ID
			ring.wipe();
			pos::Answer answer;
			for (int t : options.policy.thresholds)
				answer.over.emplace_back(t, s.verdictFor(t) == Verdict::Over);
			server.publish(answer);
			++sightings;
			quietUntil = Clock::now() + options.cooldown;
			if (owner.onSighting)
				owner.onSighting(s);
		}
		if (!frame.empty())
			frame.setTo(cv::Scalar::all(0));
	}
};

Service::Service(Options options) : _impl(std::make_unique<Impl>(std::move(options))) {}

Service::~Service()
{
	stop();
}

bool Service::start(std::string* error)
{
	auto source = capture::OpenLive(_impl->options.source, _impl->options.live);
	if (!source) {
		if (error)
			*error = "cannot open the source: " + std::string(source.failure().detail);
		return false;
	}
	_impl->source = std::move(*source);
	if (!_impl->server.start(error))
		return false;
	_impl->setCamera(_impl->source->kind() == capture::SourceKind::Camera ? "ok" : "demo", true);
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
	if (_impl->stopping.exchange(true))
		return;
	_impl->server.stop();
	if (_impl->captureThread.joinable())
		_impl->captureThread.join();
	_impl->ring.close();
	if (_impl->workerThread.joinable())
		_impl->workerThread.join();
	_impl->ring.wipe();
}

Stats Service::stats() const
{
	return {_impl->framesRead.load(), _impl->framesScanned.load(), _impl->ring.dropped(), _impl->sightings.load()};
}

} // namespace agecheck::service

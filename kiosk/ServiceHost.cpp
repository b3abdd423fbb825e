// SPDX-License-Identifier: Apache-2.0
#include "ServiceHost.h"

#include <chrono>

namespace agecheck::kiosk {

ServiceHost::ServiceHost(std::function<void(service::Service&)> wire) : _wire(std::move(wire)) {}

ServiceHost::~ServiceHost()
{
	stop();
}

bool ServiceHost::launch(const service::Options& options, std::string* error)
{
	auto svc = std::make_shared<service::Service>(options);
	if (_wire)
		_wire(*svc);
	if (!svc->start(error))
		return false; // its destructor stops what did start
	_pos = std::thread([s = svc.get()] { s->run(); }); // halt() joins it before the service goes
	std::lock_guard lock(_m);
	_service = std::move(svc);
	_options = options;
	return true;
}

void ServiceHost::halt()
{
	std::shared_ptr<service::Service> old;
	{
		std::lock_guard lock(_m);
		old = std::move(_service); // from here current() is null: nobody takes a new reference
	}
	if (!old)
		return;
	old->stop(); // its threads end; the POS sees its check end, and the socket stops answering
	if (_pos.joinable())
		_pos.join(); // after this no callback of the old service runs
	// The UI may still hold it for the rest of a frame. The old service must be gone (its socket
	// closed and removed) before a new one binds the same path.
	while (old.use_count() > 1)
		std::this_thread::sleep_for(std::chrono::milliseconds(2));
	old.reset();
}

bool ServiceHost::start(service::Options options, std::string* error)
{
	return launch(options, error);
}

bool ServiceHost::restart(service::Options options)
{
	if (_applying.load() || !current())
		return false;
	if (_applier.joinable())
		_applier.join(); // the last one, which is over
	_applying = true;
	_applier = std::thread([this, options = std::move(options)] {
		const service::Options previous = this->options();
		halt();
		std::string error;
		bool ok = launch(options, &error);
		if (!ok) {
			std::string again;
			if (!launch(previous, &again))
				error += "; and the previous settings failed too: " + again;
		}
		{
			std::lock_guard lock(_m);
			_result = ok;
			_error = error;
		}
		_applying = false;
	});
	return true;
}

std::shared_ptr<service::Service> ServiceHost::current() const
{
	std::lock_guard lock(_m);
	return _service;
}

std::optional<bool> ServiceHost::takeResult(std::string* error)
{
	std::lock_guard lock(_m);
	if (error && _result)
		*error = _error;
	return std::exchange(_result, std::nullopt);
}

service::Options ServiceHost::options() const
{
	std::lock_guard lock(_m);
	return _options;
}

void ServiceHost::stop()
{
	if (_applier.joinable())
		_applier.join();
	halt();
}

service::Options WithConfig(const service::Options& base, const std::string& baseSource, const Config& config)
{
	service::Options o = base;
	const std::string source = CameraDevice(config.source);
	const bool same = source == CameraDevice(baseSource);
	o.source = same ? baseSource : source;
	o.live.width = config.width;
	o.live.height = config.height;
	o.live.loop = !IsCamera(o.source) && (IsCamera(baseSource) || base.live.loop);
	o.policy = config.policy;
	if (!same)
		o.today = nullptr; // the starting source's date (the demo clip's) is for it alone
	return o;
}

} // namespace agecheck::kiosk

// SPDX-License-Identifier: Apache-2.0
#pragma once
// The kiosk's embedded service, and replacing it when the settings change: the running service
// is stopped (its POS thread joined, so no callback of it runs any more, and destroyed, so that
// its socket is free) and a new one is started with the new options, on a thread of its own so
// that the screen keeps drawing meanwhile. No UI code.
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "Config.h"
#include "service/Service.h"

namespace agecheck::kiosk {

/// Owns the running service::Service and its POS thread. The methods are for one thread (the UI's);
/// the service's callbacks run on the service's threads as usual.
class ServiceHost {
public:
	/// `wire` sets a new service's callbacks (onCheck, onSighting, onAnswer) before it starts; it
	/// is called for every service, on the thread that starts it.
	explicit ServiceHost(std::function<void(service::Service&)> wire);
	/// Stops the service (stop()).
	~ServiceHost();
	ServiceHost(const ServiceHost&) = delete;
	ServiceHost& operator=(const ServiceHost&) = delete;

	/// Starts the first service and its POS thread, and waits for it; false with `error` set.
	bool start(service::Options options, std::string* error);
	/// Replaces the running service with one on `options`, in the background: applying() is true
	/// until it is done, then takeResult() tells how it went. When the new service cannot start
	/// (a camera that is missing is no failure: it is waited for), the previous options are
	/// started again. False (nothing done) while a replacement is under way or before start().
	bool restart(service::Options options);
	/// The running service; null while it is being replaced and after stop(). Hold the pointer
	/// briefly (one frame): a replacement waits for it to be let go.
	std::shared_ptr<service::Service> current() const;
	/// True while restart() is under way.
	bool applying() const { return _applying.load(); }
	/// Once, after a restart() has ended: true when its options are in force, false when the
	/// previous ones are back (`error` set, when not null, to why). nullopt otherwise.
	std::optional<bool> takeResult(std::string* error = nullptr);
	/// The options of the running service.
	service::Options options() const;
	/// Stops the service and waits for a replacement under way; idempotent.
	void stop();

private:
	bool launch(const service::Options& options, std::string* error);
	void halt();

	std::function<void(service::Service&)> _wire;
	mutable std::mutex _m; ///< guards _service, _options, _result, _error
	std::shared_ptr<service::Service> _service;
	service::Options _options;
	std::thread _pos;     ///< runs _service->run()
	std::thread _applier; ///< restart()'s work
	std::atomic<bool> _applying{false};
	std::optional<bool> _result;
	std::string _error;
};

/// `base` (the options the kiosk started with, for `baseSource`) with `config`'s source,
/// resolution and policy: a camera never loops, a file loops as the starting one did (always,
/// after a camera), and a source other than the starting one is decided on the local date.
service::Options WithConfig(const service::Options& base, const std::string& baseSource, const Config& config);

} // namespace agecheck::kiosk

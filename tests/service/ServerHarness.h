// SPDX-License-Identifier: Apache-2.0
#pragma once
// Test helper: a pos::Server on its own thread that answers each check, as it becomes active,
// with the next answer queued by queue(); a check that finds the queue empty waits (and times out).

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "pos/Pos.h"

namespace agecheck::harness {

class ServerHarness {
public:
	/// Starts a server offering 18 and 21 on `path`; ok() tells whether it started.
	explicit ServerHarness(std::string path) : _path(std::move(path))
	{
		pos::ServerOptions o;
		o.socketPath = _path;
		_server = std::make_unique<pos::Server>(o, std::vector<int>{18, 21});
		_server->onCheck = [this](bool active, int) {
			{
				std::lock_guard lock(_m);
				_active = active;
				_generation += active; // each activation is a new check, served at most once
			}
			_cv.notify_all();
		};
		if (!_server->start(&_error))
			return;
		pos::Status st;
		st.ready = true;
		st.camera = "demo";
		_server->setStatus(st);
		_loop = std::thread([this] { _server->run(); });
		_publisher = std::thread([this] { publish(); });
	}
	~ServerHarness() { shutdown(); }

	bool ok() const { return _loop.joinable(); }
	const std::string& error() const { return _error; }
	/// Queues the answer for the next check: `over` for 18, false for 21.
	void queue(bool over)
	{
		{
			std::lock_guard lock(_m);
			_answers.push_back(over);
		}
		_cv.notify_all();
	}
	/// Stops the server and closes its sockets; later calls find no service.
	void shutdown()
	{
		{
			std::lock_guard lock(_m);
			_done = true;
		}
		_cv.notify_all();
		if (_publisher.joinable())
			_publisher.join();
		if (_server)
			_server->stop();
		if (_loop.joinable())
			_loop.join();
		_server.reset();
		std::error_code ec;
		std::filesystem::remove(_path, ec);
	}

private:
	void publish()
	{
		std::unique_lock lock(_m);
		unsigned long served = 0;
		for (;;) {
			// A check may end and the next begin before this thread wakes: the generation count,
			// not the active flag alone, tells a new check from one already answered.
			_cv.wait(lock, [&] { return _done || (_active && _generation != served && !_answers.empty()); });
			if (_done)
				return;
			served = _generation;
			pos::Answer a;
			a.over = {{18, _answers.front()}, {21, false}};
			_answers.pop_front();
			lock.unlock();
			_server->publish(a);
			lock.lock();
		}
	}

	std::string _path, _error;
	std::unique_ptr<pos::Server> _server;
	std::thread _loop, _publisher;
	std::mutex _m;
	std::condition_variable _cv;
	std::deque<bool> _answers;
	bool _active = false;
	unsigned long _generation = 0;
	bool _done = false;
};

} // namespace agecheck::harness

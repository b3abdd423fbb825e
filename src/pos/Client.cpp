// SPDX-License-Identifier: Apache-2.0
// Connection and Call(): the smallest POS client, for the CLI, the tests and the benchmarks. A
// request line out, a reply line back, under one deadline per request.

#include "pos/Pos.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <new>
#include <utility>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace agecheck::pos {
namespace {

using Clock = std::chrono::steady_clock;

/// Waits until `fd` reports `events` or `deadline` passes; false (with `error`) on timeout or error.
bool Wait(int fd, short events, Clock::time_point deadline, std::string& error)
{
	for (;;) {
		const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
		if (left <= 0) {
			error = "timed out";
			return false;
		}
		pollfd p{fd, events, 0};
		const int n = ::poll(&p, 1, static_cast<int>(std::min<decltype(left)>(left, 1 << 30)));
		if (n > 0)
			return true; // readable, writable, or an error the next call will report
		if (n < 0 && errno != EINTR) {
			error = std::string("poll: ") + std::strerror(errno);
			return false;
		}
	}
}

} // namespace

Connection::Connection(const std::string& socketPath)
{
	sockaddr_un addr{};
	addr.sun_family = AF_UNIX;
	if (socketPath.empty() || socketPath.size() >= sizeof addr.sun_path) {
		_error = "invalid socket path";
		return;
	}
	std::memcpy(addr.sun_path, socketPath.data(), socketPath.size());
	_fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (_fd < 0) {
		_error = std::string("socket: ") + std::strerror(errno);
		return;
	}
	if (::connect(_fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
		_error = "cannot connect to " + socketPath + ": " +
				 (errno == EAGAIN ? std::string("the server's backlog is full") : std::strerror(errno));
		::close(_fd);
		_fd = -1;
	}
}

Connection::Connection(Connection&& o) noexcept
	: _fd(std::exchange(o._fd, -1)), _pending(std::move(o._pending)), _error(std::move(o._error))
{}

Connection& Connection::operator=(Connection&& o) noexcept
{
	if (this != &o) {
		if (_fd >= 0)
			::close(_fd);
		_fd = std::exchange(o._fd, -1);
		_pending = std::move(o._pending);
		_error = std::move(o._error);
	}
	return *this;
}

Connection::~Connection()
{
	if (_fd >= 0)
		::close(_fd);
}

std::optional<std::string> Connection::ask(const std::string& line, std::chrono::milliseconds timeout)
{
	auto reply = exchange(line, timeout);
	if (!reply && _fd >= 0) {
		// A request may still be answered later: a late reply must never be read as the answer
		// to the next request on this connection, so the connection ends here.
		::close(_fd);
		_fd = -1;
		_pending.clear();
	}
	return reply;
}

std::optional<std::string> Connection::exchange(const std::string& line, std::chrono::milliseconds timeout)
{
	const auto deadline = Clock::now() + timeout;
	if (_fd < 0)
		return std::nullopt;
	if (line.find('\n') != std::string::npos) {
		_error = "the request holds a line feed";
		return std::nullopt;
	}
	const std::string request = line + '\n';
	for (std::size_t sent = 0; sent < request.size();) {
		const ssize_t n = ::send(_fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
		if (n > 0)
			sent += static_cast<std::size_t>(n);
		else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (!Wait(_fd, POLLOUT, deadline, _error))
				return std::nullopt;
		} else if (n < 0 && errno != EINTR) {
			_error = std::string("send: ") + std::strerror(errno);
			return std::nullopt;
		}
	}
	for (;;) {
		if (const auto nl = _pending.find('\n'); nl != std::string::npos) {
			std::string reply = _pending.substr(0, nl);
			_pending.erase(0, nl + 1);
			return reply;
		}
		if (_pending.size() > kMaxLine) {
			_error = "reply line too long";
			return std::nullopt;
		}
		char buf[512];
		const ssize_t n = ::recv(_fd, buf, sizeof buf, 0);
		if (n > 0)
			_pending.append(buf, static_cast<std::size_t>(n));
		else if (n == 0) {
			_error = "connection closed before a reply";
			return std::nullopt;
		} else if (errno == EAGAIN || errno == EWOULDBLOCK) {
			if (!Wait(_fd, POLLIN, deadline, _error))
				return std::nullopt;
		} else if (errno != EINTR) {
			_error = std::string("recv: ") + std::strerror(errno);
			return std::nullopt;
		}
	}
}

std::optional<std::string> Call(const std::string& socketPath, const std::string& line, std::chrono::milliseconds timeout,
								std::string* error)
{
	std::string ignored;
	std::string& err = error ? *error : ignored;
	try {
		Connection c(socketPath);
		auto reply = c.ask(line, timeout);
		if (!reply)
			err = c.error();
		return reply;
	} catch (const std::bad_alloc&) {
		err = "out of memory";
		return std::nullopt;
	}
}

} // namespace agecheck::pos

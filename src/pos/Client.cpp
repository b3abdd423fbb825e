// SPDX-License-Identifier: Apache-2.0
// Call(): the smallest POS client, for the CLI and the tests. One connection, one request line, one
// reply line, all under one deadline.

#include "pos/Pos.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <new>
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

std::optional<std::string> CallImpl(const std::string& socketPath, const std::string& line, std::chrono::milliseconds timeout,
									std::string& error)
{
	const auto deadline = Clock::now() + timeout;
	if (line.find('\n') != std::string::npos) {
		error = "the request holds a line feed";
		return std::nullopt;
	}
	sockaddr_un addr{};
	addr.sun_family = AF_UNIX;
	if (socketPath.empty() || socketPath.size() >= sizeof addr.sun_path) {
		error = "invalid socket path";
		return std::nullopt;
	}
	std::memcpy(addr.sun_path, socketPath.data(), socketPath.size());

	struct Fd {
		int fd;
		~Fd()
		{
			if (fd >= 0)
				::close(fd);
		}
	} s{::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)};
	if (s.fd < 0) {
		error = std::string("socket: ") + std::strerror(errno);
		return std::nullopt;
	}
	if (::connect(s.fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
		error = "cannot connect to " + socketPath + ": " +
				(errno == EAGAIN ? std::string("the server's backlog is full") : std::strerror(errno));
		return std::nullopt;
	}

	const std::string request = line + '\n';
	for (std::size_t sent = 0; sent < request.size();) {
		const ssize_t n = ::send(s.fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
		if (n > 0)
			sent += static_cast<std::size_t>(n);
		else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (!Wait(s.fd, POLLOUT, deadline, error))
				return std::nullopt;
		} else if (n < 0 && errno != EINTR) {
			error = std::string("send: ") + std::strerror(errno);
			return std::nullopt;
		}
	}

	std::string reply;
	for (;;) {
		if (const auto nl = reply.find('\n'); nl != std::string::npos) {
			reply.resize(nl);
			return reply;
		}
		if (reply.size() > kMaxLine) {
			error = "reply line too long";
			return std::nullopt;
		}
		char buf[512];
		const ssize_t n = ::recv(s.fd, buf, sizeof buf, 0);
		if (n > 0)
			reply.append(buf, static_cast<std::size_t>(n));
		else if (n == 0) {
			error = "connection closed before a reply";
			return std::nullopt;
		} else if (errno == EAGAIN || errno == EWOULDBLOCK) {
			if (!Wait(s.fd, POLLIN, deadline, error))
				return std::nullopt;
		} else if (errno != EINTR) {
			error = std::string("recv: ") + std::strerror(errno);
			return std::nullopt;
		}
	}
}

} // namespace

std::optional<std::string> Call(const std::string& socketPath, const std::string& line, std::chrono::milliseconds timeout,
								std::string* error)
{
	std::string ignored;
	std::string& err = error ? *error : ignored;
	try {
		return CallImpl(socketPath, line, timeout, err);
	} catch (const std::bad_alloc&) {
		err = "out of memory";
		return std::nullopt;
	}
}

} // namespace agecheck::pos

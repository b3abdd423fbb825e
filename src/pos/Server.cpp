// SPDX-License-Identifier: Apache-2.0
// The POS service: one poll() loop over a wake-up eventfd, the listening sockets and the clients.
//
// Everything but the mailbox (the latest published answer and the status) belongs to the loop's
// thread, so the loop needs no locks. Every socket is non-blocking; replies are appended to a bounded
// per-client output buffer and written as far as the peer takes them, so no client can stall the
// others. Every send uses MSG_NOSIGNAL: a vanished peer is an error value, never SIGPIPE.
//
// Client life cycle: accepted -> (peer check) -> serving -> closing -> closed. "Closing" is a
// lingering close: flush the last reply, shut down the write side, discard whatever the peer still
// sends until it closes or a short deadline passes. Closing at once with unread input would make
// the kernel reset the connection, and the peer might lose the reply that says why.

#include "pos/Pos.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <netinet/in.h>
#include <poll.h>
#include <string.h> // explicit_bzero
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace agecheck::pos {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::size_t ReadChunk = 4096;        // bytes read from one client per loop round
constexpr std::size_t MaxOutput = 16 * 1024;   // pending reply bytes per client; more means it does not read
constexpr milliseconds Linger{1000};           // longest lingering close
constexpr int AcceptsPerRound = 16;            // connections accepted per listener per round
constexpr milliseconds AcceptPause{100};       // pause accepting after EMFILE/ENFILE
constexpr std::size_t MinToken = 16, MaxToken = 256;

std::string Errno(const std::string& what, int err = errno)
{
	return what + ": " + std::strerror(err);
}

void CloseFd(int& fd) noexcept
{
	if (fd >= 0)
		::close(fd);
	fd = -1;
}

void Wipe(std::string& s) noexcept
{
	if (!s.empty())
		explicit_bzero(s.data(), s.size());
	s.clear();
}

void Wipe(Answer& a) noexcept
{
	if (!a.over.empty())
		explicit_bzero(static_cast<void*>(a.over.data()), a.over.size() * sizeof(a.over[0]));
	a.over.clear();
}

/// The answer for `threshold`: true only when the answer has it and says over (a repeated entry
/// must agree). An answer without the threshold is "over":false, never true.
bool IsOver(const Answer& answer, int threshold) noexcept
{
	bool found = false, over = true;
	for (const auto& [t, o] : answer.over)
		if (t == threshold) {
			found = true;
			over = over && o;
		}
	return found && over;
}

/// Compares a token in time that depends on the length of `expected` only, not on where `given`
/// differs from it.
bool TokenEquals(std::string_view expected, std::string_view given) noexcept
{
	unsigned diff = expected.size() == given.size() ? 0u : 1u;
	for (std::size_t i = 0; i < expected.size(); ++i) {
		const auto g = given.empty() ? 0u : static_cast<unsigned char>(given[i % given.size()]);
		diff |= static_cast<unsigned char>(expected[i]) ^ g;
	}
	return diff == 0 && !expected.empty();
}

/// Reads the TCP token from `path`, which must be a regular file owned by root (or by the service's
/// own uid) with no permission bits for group or others.
bool ReadToken(const std::string& path, std::string& token, std::string* error)
{
	if (path.empty()) {
		*error = "tcpPort needs a tokenFile";
		return false;
	}
	int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0) {
		*error = Errno("cannot open token file " + path);
		return false;
	}
	struct stat st {};
	if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		CloseFd(fd);
		*error = "token file " + path + " is not a regular file";
		return false;
	}
	if ((st.st_mode & 077) != 0 || (st.st_uid != 0 && st.st_uid != ::geteuid())) {
		CloseFd(fd);
		*error = "token file " + path + " must be owned by root with mode 0600 or 0400";
		return false;
	}
	char buf[MaxToken + 2];
	std::size_t size = 0;
	while (size < sizeof buf) {
		const ssize_t n = ::read(fd, buf + size, sizeof buf - size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		size += static_cast<std::size_t>(n);
	}
	CloseFd(fd);
	while (size > 0 && (buf[size - 1] == '\n' || buf[size - 1] == '\r' || buf[size - 1] == ' ' || buf[size - 1] == '\t'))
		--size;
	bool ok = size >= MinToken && size <= MaxToken;
	for (std::size_t i = 0; ok && i < size; ++i)
		ok = buf[i] > 0x20 && buf[i] < 0x7f;
	if (ok)
		token.assign(buf, size);
	explicit_bzero(buf, sizeof buf);
	if (!ok)
		*error = "token file " + path + " must hold one token of 16 to 256 printable ASCII characters";
	return ok;
}

struct Client {
	int fd = -1;
	bool tcp = false;
	std::uint64_t id = 0;
	std::string in;               // bytes of the line being received
	std::string out;              // reply bytes not yet taken by the peer
	Clock::time_point deadline;   // idle deadline, or the end of the lingering close
	bool eof = false;             // the peer shut down its write side
	bool closing = false;         // no more requests: flush, shut down, drain, close
	bool shutDown = false;        // our write side is shut down
};

struct Check {
	std::uint64_t client = 0;
	int threshold = 0;
	Clock::time_point deadline;
};

} // namespace

struct Server::Impl {
	Impl(Server& s, ServerOptions o, std::vector<int> t) : self(s), options(std::move(o)), offered(std::move(t)) {}

	Server& self;
	ServerOptions options;
	std::vector<int> offered; // sorted, unique, 1..125
	uid_t ownUid = 0;
	std::string token;

	std::atomic<int> wakeFd{-1};
	int unixFd = -1, tcpFd = -1;
	dev_t socketDev = 0;
	ino_t socketIno = 0;
	bool started = false;

	// The loop's state.
	std::vector<Client> clients;
	std::uint64_t nextId = 1;
	std::optional<Check> check;
	std::optional<Answer> kept;
	Clock::time_point keptUntil;
	Clock::time_point acceptPausedUntil;

	// The mailbox, shared with other threads.
	std::mutex mutex;
	std::optional<Answer> published;
	Clock::time_point publishedAt;
	Status status;
	std::atomic<bool> stopping{false};

	bool start(std::string* error);
	void run();
	void wake() noexcept;
	void cleanup() noexcept;

	milliseconds idle() const { return std::max(options.idleTimeout, milliseconds{1}); }
	void notify(bool active, int threshold) noexcept;
	void takeMailbox(Clock::time_point now);
	void expire(Clock::time_point now);
	int pollTimeout(Clock::time_point now) const;
	void accept(int listener, bool tcp, Clock::time_point now);
	void serve(Client& c, short revents, Clock::time_point now);
	void read(Client& c, Clock::time_point now);
	void handleLine(Client& c, std::string_view line, Clock::time_point now);
	void queue(Client& c, std::string_view reply, Clock::time_point now);
	void flush(Client& c, Clock::time_point now);
	void beginClosing(Client& c, Clock::time_point now);
	void drop(Client& c) noexcept;
	void endCheck(Clock::time_point now);
	void answered(int threshold, bool over) noexcept;
	Client* holder();
	bool holds(const Client& c) const { return check && check->client == c.id; }
	bool allowed(uid_t uid, gid_t gid) const;
};

void Server::Impl::answered(int threshold, bool over) noexcept
{
	try {
		if (self.onAnswer)
			self.onAnswer(threshold, over);
	} catch (...) {
	}
}

void Server::Impl::notify(bool active, int threshold) noexcept
{
	try {
		if (self.onCheck)
			self.onCheck(active, threshold);
	} catch (...) {
		// The callback's failure is not the POS's business.
	}
}

void Server::Impl::wake() noexcept
{
	const int fd = wakeFd.load();
	if (fd < 0)
		return;
	const std::uint64_t one = 1;
	[[maybe_unused]] const ssize_t n = ::write(fd, &one, sizeof one); // EAGAIN: a wake-up is pending anyway
}

bool Server::Impl::allowed(uid_t uid, gid_t gid) const
{
	return uid == ownUid || std::find(options.allowUids.begin(), options.allowUids.end(), uid) != options.allowUids.end() ||
		   std::find(options.allowGids.begin(), options.allowGids.end(), gid) != options.allowGids.end();
}

bool Server::Impl::start(std::string* error)
{
	if (started) {
		*error = "already started";
		return false;
	}
	ownUid = ::geteuid();
	const std::string& path = options.socketPath;
	sockaddr_un addr{};
	addr.sun_family = AF_UNIX;
	if (path.empty() || path.size() >= sizeof addr.sun_path || path.find('\0') != std::string::npos) {
		*error = "invalid socket path '" + path + "'";
		return false;
	}
	std::memcpy(addr.sun_path, path.data(), path.size());
	if (options.tcpPort && !ReadToken(options.tokenFile, token, error))
		return false;

	// The directory (e.g. /run/agecheck, which is on a tmpfs) is created if it is missing, one level deep.
	if (const auto slash = path.rfind('/'); slash != std::string::npos && slash > 0) {
		const std::string dir = path.substr(0, slash);
		if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
			*error = Errno("cannot create " + dir);
			return false;
		}
	}
	// A socket file left by a previous run is removed, unless a server still answers on it.
	struct stat st {};
	if (::lstat(path.c_str(), &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			*error = path + " exists and is not a socket";
			return false;
		}
		int probe = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		const bool live = probe >= 0 && (::connect(probe, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0 || errno == EAGAIN);
		CloseFd(probe);
		if (live) {
			*error = "another server is listening on " + path;
			return false;
		}
		::unlink(path.c_str());
	}

	const auto fail = [&](const std::string& what) {
		*error = Errno(what);
		cleanup();
		return false;
	};
	unixFd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (unixFd < 0)
		return fail("socket");
	if (::bind(unixFd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0)
		return fail("cannot bind " + path);
	if (::lstat(path.c_str(), &st) != 0 || !S_ISSOCK(st.st_mode))
		return fail("cannot stat " + path);
	socketDev = st.st_dev;
	socketIno = st.st_ino;
	// Mode and group are set before listen(): until then nobody can connect, so no peer ever sees
	// the socket with the umask's mode. Neither call follows a symbolic link.
	// (glibc does the no-follow chmod through /proc; without /proc, plain chmod on the socket just made.)
	if (::fchmodat(AT_FDCWD, path.c_str(), options.socketMode & 07777, AT_SYMLINK_NOFOLLOW) != 0 &&
		::chmod(path.c_str(), options.socketMode & 07777) != 0)
		return fail("cannot chmod " + path);
	if (options.socketGroup && ::fchownat(AT_FDCWD, path.c_str(), static_cast<uid_t>(-1), *options.socketGroup, AT_SYMLINK_NOFOLLOW) != 0)
		return fail("cannot chown " + path);
	if (::listen(unixFd, 64) != 0)
		return fail("listen");

	if (options.tcpPort) {
		tcpFd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		if (tcpFd < 0)
			return fail("socket");
		const int on = 1;
		::setsockopt(tcpFd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
		sockaddr_in in{};
		in.sin_family = AF_INET;
		in.sin_port = htons(*options.tcpPort);
		in.sin_addr.s_addr = htonl(INADDR_LOOPBACK); // loopback only, never INADDR_ANY
		if (::bind(tcpFd, reinterpret_cast<const sockaddr*>(&in), sizeof in) != 0)
			return fail("cannot bind 127.0.0.1:" + std::to_string(*options.tcpPort));
		if (::listen(tcpFd, 64) != 0)
			return fail("listen");
	}

	const int efd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (efd < 0)
		return fail("eventfd");
	wakeFd.store(efd);
	started = true;
	return true;
}

void Server::Impl::cleanup() noexcept
{
	for (auto& c : clients)
		drop(c);
	clients.clear();
	CloseFd(tcpFd);
	if (unixFd >= 0) {
		// Remove the socket file only if it is still the one this server made.
		struct stat st {};
		if (::lstat(options.socketPath.c_str(), &st) == 0 && st.st_dev == socketDev && st.st_ino == socketIno)
			::unlink(options.socketPath.c_str());
	}
	CloseFd(unixFd);
	int efd = wakeFd.exchange(-1);
	CloseFd(efd);
	if (kept)
		Wipe(*kept);
	kept.reset();
	Wipe(token);
	started = false;
}

Client* Server::Impl::holder()
{
	if (!check)
		return nullptr;
	for (auto& c : clients)
		if (c.fd >= 0 && c.id == check->client)
			return &c;
	return nullptr;
}

void Server::Impl::endCheck(Clock::time_point now)
{
	if (!check)
		return;
	const int threshold = check->threshold;
	if (Client* c = holder())
		c->deadline = now + idle(); // the idle clock restarts when the wait ends
	check.reset();
	notify(false, threshold);
}

void Server::Impl::takeMailbox(Clock::time_point now)
{
	std::optional<Answer> answer;
	Clock::time_point at;
	{
		std::lock_guard lock(mutex);
		if (!published)
			return;
		answer = std::move(published);
		published.reset();
		at = publishedAt;
	}
	if (kept) { // a newer sighting replaces an older one
		Wipe(*kept);
		kept.reset();
	}
	if (Client* c = holder()) {
		const bool over = IsOver(*answer, check->threshold);
		const int threshold = check->threshold;
		Wipe(*answer);
		endCheck(now);
		answered(threshold, over);
		queue(*c, EncodeVerdict(over), now);
	} else if (now < at + options.ttl) {
		kept = std::move(answer);
		keptUntil = at + options.ttl;
	} else {
		Wipe(*answer);
	}
}

void Server::Impl::expire(Clock::time_point now)
{
	if (check && now >= check->deadline) {
		Client* c = holder();
		endCheck(now);
		if (c)
			queue(*c, EncodeError(ErrorCode::Timeout), now);
	}
	if (kept && now >= keptUntil) {
		Wipe(*kept);
		kept.reset();
	}
	for (auto& c : clients)
		if (c.fd >= 0 && !holds(c) && now >= c.deadline)
			drop(c); // silent for idleTimeout, or done lingering
}

int Server::Impl::pollTimeout(Clock::time_point now) const
{
	std::optional<Clock::time_point> next;
	const auto consider = [&](Clock::time_point t) {
		if (!next || t < *next)
			next = t;
	};
	if (check)
		consider(check->deadline);
	if (kept)
		consider(keptUntil);
	for (const auto& c : clients)
		if (c.fd >= 0 && !holds(c))
			consider(c.deadline);
	if (acceptPausedUntil > now)
		consider(acceptPausedUntil);
	if (!next)
		return -1;
	if (*next <= now)
		return 0;
	const auto ms = std::chrono::ceil<milliseconds>(*next - now).count();
	return static_cast<int>(std::min<decltype(ms)>(ms, INT_MAX));
}

void Server::Impl::drop(Client& c) noexcept
{
	if (c.fd < 0)
		return;
	CloseFd(c.fd);
	Wipe(c.in);
	Wipe(c.out);
	if (check && check->client == c.id) { // the waiting POS went away: the check ends unanswered
		const int threshold = check->threshold;
		check.reset();
		notify(false, threshold);
	}
}

void Server::Impl::beginClosing(Client& c, Clock::time_point now)
{
	if (c.closing)
		return;
	c.closing = true;
	Wipe(c.in);
	if (holds(c)) {
		const int threshold = check->threshold;
		check.reset();
		notify(false, threshold);
	}
	c.deadline = now + std::min(idle(), Linger);
	flush(c, now);
}

void Server::Impl::flush(Client& c, Clock::time_point now)
{
	while (c.fd >= 0 && !c.out.empty()) {
		const ssize_t n = ::send(c.fd, c.out.data(), c.out.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0) {
			c.out.erase(0, static_cast<std::size_t>(n));
			if (!c.closing)
				c.deadline = now + idle();
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			return; // POLLOUT will tell when the peer reads
		} else {
			drop(c);
			return;
		}
	}
	if (c.fd < 0)
		return;
	if (c.closing && !c.shutDown) {
		::shutdown(c.fd, SHUT_WR);
		c.shutDown = true;
	}
	if (c.eof && (c.closing || !holds(c)))
		drop(c); // a half-closed peer has had every reply it can get
}

void Server::Impl::queue(Client& c, std::string_view reply, Clock::time_point now)
{
	if (c.fd < 0)
		return;
	if (c.out.size() + reply.size() > MaxOutput) {
		drop(c); // it sends requests but does not read the replies
		return;
	}
	c.out.append(reply);
	flush(c, now);
}

void Server::Impl::handleLine(Client& c, std::string_view line, Clock::time_point now)
{
	c.deadline = now + idle();
	auto parsed = ParseRequest(line);
	if (const auto* code = std::get_if<ErrorCode>(&parsed)) {
		queue(c, EncodeError(*code), now); // the line was well framed: the connection stays open
		return;
	}
	Request& req = std::get<Request>(parsed);
	const bool authorised = !c.tcp || (req.token && TokenEquals(token, *req.token));
	if (req.token)
		Wipe(*req.token);
	if (!authorised) {
		queue(c, EncodeError(ErrorCode::NotAllowed), now);
		beginClosing(c, now);
		return;
	}
	switch (req.op) {
	case Request::Op::Status: {
		Status s;
		{
			std::lock_guard lock(mutex);
			s = status;
		}
		s.thresholds = offered; // what `check` accepts, whatever setStatus said
		queue(c, EncodeStatus(s), now);
		return;
	}
	case Request::Op::Cancel:
		if (holds(c)) {
			endCheck(now);
			queue(c, EncodeError(ErrorCode::Cancelled), now);
		}
		return; // no active check from this client: ignored, so a cancel that crosses a reply is harmless
	case Request::Op::Check: {
		if (!std::binary_search(offered.begin(), offered.end(), req.threshold)) {
			queue(c, EncodeError(ErrorCode::ThresholdNotOffered), now);
			return;
		}
		const milliseconds maxTimeout = std::max(options.maxTimeout, milliseconds{1});
		const milliseconds timeout = req.timeoutMs ? milliseconds{*req.timeoutMs} : std::min(options.defaultTimeout, maxTimeout);
		if (timeout > maxTimeout || timeout <= milliseconds{0}) {
			queue(c, EncodeError(ErrorCode::BadRequest), now);
			return;
		}
		if (check) {
			queue(c, EncodeError(ErrorCode::Busy), now);
			return;
		}
		if (kept && now < keptUntil) { // a sighting is waiting: it answers this check, once
			const bool over = IsOver(*kept, req.threshold);
			Wipe(*kept);
			kept.reset();
			answered(req.threshold, over);
			queue(c, EncodeVerdict(over), now);
			return;
		}
		check = Check{c.id, req.threshold, now + timeout};
		notify(true, req.threshold);
		return;
	}
	}
}

void Server::Impl::read(Client& c, Clock::time_point now)
{
	char buf[ReadChunk];
	const ssize_t n = ::recv(c.fd, buf, sizeof buf, MSG_DONTWAIT);
	if (n < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			drop(c);
		return;
	}
	if (n == 0) {
		c.eof = true;
		if (!c.closing && !c.in.empty()) { // a last request without its line feed
			std::string last = std::move(c.in);
			c.in.clear();
			if (last.size() > kMaxLine) {
				queue(c, EncodeError(ErrorCode::BadRequest), now);
				beginClosing(c, now);
			} else
				handleLine(c, last, now);
			Wipe(last);
		}
		if (c.fd >= 0)
			flush(c, now); // closes it once nothing is left to send
		return;
	}
	if (c.closing)
		return; // lingering: discard
	c.in.append(buf, static_cast<std::size_t>(n));
	explicit_bzero(buf, static_cast<std::size_t>(n));
	std::size_t start = 0;
	for (std::size_t nl; c.fd >= 0 && !c.closing && (nl = c.in.find('\n', start)) != std::string::npos; start = nl + 1) {
		const std::string_view line = std::string_view(c.in).substr(start, nl - start);
		if (line.size() > kMaxLine) {
			queue(c, EncodeError(ErrorCode::BadRequest), now);
			beginClosing(c, now);
		} else
			handleLine(c, line, now);
	}
	if (c.fd < 0 || c.closing)
		return;
	c.in.erase(0, start);
	if (c.in.size() > kMaxLine) { // no line feed within kMaxLine bytes
		queue(c, EncodeError(ErrorCode::BadRequest), now);
		beginClosing(c, now);
	}
}

void Server::Impl::serve(Client& c, short revents, Clock::time_point now)
{
	if ((revents & (POLLHUP | POLLERR)) && !c.closing) {
		// POLLHUP: both directions are shut, i.e. the peer closed its end (a peer that only shut
		// down its write side is "eof", and still gets its reply). Nobody is left to answer.
		drop(c);
		return;
	}
	if ((revents & (POLLIN | POLLHUP | POLLERR)) && !c.eof)
		read(c, now);
	if (c.fd >= 0 && (revents & POLLOUT))
		flush(c, now);
	if (c.fd >= 0 && c.closing && ((revents & (POLLHUP | POLLERR)) || (c.eof && c.out.empty())))
		drop(c);
}

void Server::Impl::accept(int listener, bool tcp, Clock::time_point now)
{
	auto open = static_cast<std::size_t>(std::count_if(clients.begin(), clients.end(), [](const Client& c) { return c.fd >= 0; }));
	for (int i = 0; i < AcceptsPerRound; ++i) {
		int fd = ::accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
				acceptPausedUntil = now + AcceptPause; // else poll() would report the listener forever
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			return;
		}
		if (open >= static_cast<std::size_t>(std::max(options.maxClients, 1))) {
			CloseFd(fd); // full: closed at once
			continue;
		}
		++open;
		Client c;
		c.fd = fd;
		c.tcp = tcp;
		c.id = nextId++;
		c.deadline = now + idle();
		clients.push_back(std::move(c));
		Client& added = clients.back();
		if (!tcp) {
			ucred cred{};
			socklen_t len = sizeof cred;
			if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 || !allowed(cred.uid, cred.gid)) {
				queue(added, EncodeError(ErrorCode::NotAllowed), now);
				beginClosing(added, now);
			}
		}
	}
}

void Server::Impl::run()
{
	if (!started)
		return;
	std::vector<pollfd> fds;
	while (!stopping.load()) {
		try {
			Clock::time_point now = Clock::now();
			takeMailbox(now);
			expire(now);
			std::erase_if(clients, [](const Client& c) { return c.fd < 0; });

			fds.clear();
			fds.push_back({wakeFd.load(), POLLIN, 0});
			const bool accepting = acceptPausedUntil <= now;
			fds.push_back({accepting ? unixFd : -1, POLLIN, 0});
			fds.push_back({accepting ? tcpFd : -1, POLLIN, 0});
			constexpr std::size_t First = 3;
			for (const auto& c : clients) {
				short events = 0;
				if (!c.eof)
					events |= POLLIN;
				if (!c.out.empty())
					events |= POLLOUT;
				fds.push_back({c.fd, events, 0});
			}
			const int ready = ::poll(fds.data(), fds.size(), pollTimeout(now));
			if (ready < 0)
				continue; // EINTR; ENOMEM is transient
			if (fds[0].revents) {
				std::uint64_t count;
				[[maybe_unused]] const ssize_t n = ::read(fds[0].fd, &count, sizeof count);
			}
			now = Clock::now();
			takeMailbox(now); // a sighting before the requests that arrived with it
			const std::size_t existing = clients.size(); // accept() below appends
			for (std::size_t i = 0; i < existing; ++i)
				if (fds[First + i].revents && clients[i].fd >= 0)
					serve(clients[i], fds[First + i].revents, now);
			if (fds[1].revents)
				accept(unixFd, false, now);
			if (fds[2].revents)
				accept(tcpFd, true, now);
		} catch (...) {
			// std::bad_alloc in a request or a reply: the loop goes on; the client involved is
			// closed by its idle deadline at worst.
		}
	}
	// Stopped: the active check ends, every client is closed.
	for (auto& c : clients)
		drop(c);
	clients.clear();
}

Server::Server(ServerOptions options, std::vector<int> offeredThresholds)
{
	std::erase_if(offeredThresholds, [](int t) { return t < 1 || t > 125; });
	std::sort(offeredThresholds.begin(), offeredThresholds.end());
	offeredThresholds.erase(std::unique(offeredThresholds.begin(), offeredThresholds.end()), offeredThresholds.end());
	_impl = std::make_unique<Impl>(*this, std::move(options), std::move(offeredThresholds));
}

Server::~Server()
{
	_impl->cleanup();
	std::lock_guard lock(_impl->mutex);
	if (_impl->published)
		Wipe(*_impl->published);
}

bool Server::start(std::string* error)
{
	std::string ignored;
	if (!error)
		error = &ignored;
	try {
		return _impl->start(error);
	} catch (...) {
		_impl->cleanup();
		*error = "out of memory";
		return false;
	}
}

void Server::run()
{
	_impl->run();
}

void Server::stop()
{
	_impl->stopping.store(true);
	_impl->wake();
}

void Server::publish(const Answer& answer)
{
	try {
		std::lock_guard lock(_impl->mutex);
		if (_impl->published)
			Wipe(*_impl->published); // not yet taken by the loop: replaced
		_impl->published = answer;
		_impl->publishedAt = Clock::now();
	} catch (...) {
		return; // std::bad_alloc: this sighting is lost, as if the ID had not been seen
	}
	_impl->wake();
}

void Server::setStatus(const Status& status)
{
	try {
		std::lock_guard lock(_impl->mutex);
		_impl->status = status;
	} catch (...) {
		return;
	}
	_impl->wake();
}

} // namespace agecheck::pos

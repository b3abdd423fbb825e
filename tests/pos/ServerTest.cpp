// SPDX-License-Identifier: Apache-2.0
// The POS service through real sockets: a Server runs its loop on a thread, and the tests talk to
// it as a POS would. Timings are short (TTL 200 ms, idle 300 ms) to keep the suite fast; every wait
// has a deadline, so a broken server fails a test instead of hanging it.

#include <gtest/gtest.h>

#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <grp.h>
#include <mutex>
#include <netinet/in.h>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "pos/Pos.h"

namespace agecheck::pos {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr uid_t Nobody = 65534;

const std::string Over = R"({"v":1,"over":true})";
const std::string NotOver = R"({"v":1,"over":false})";
std::string Err(std::string_view code)
{
	return R"({"v":1,"error":")" + std::string(code) + "\"}";
}

/// A fresh path under /tmp for each call.
std::string TempPath(const char* what)
{
	static std::atomic<int> counter{0};
	return "/tmp/agecheck-pos-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + what;
}

/// A test-side connection with deadlines on every read.
class Conn {
public:
	explicit Conn(const std::string& path)
	{
		_fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		sockaddr_un a{};
		a.sun_family = AF_UNIX;
		std::strncpy(a.sun_path, path.c_str(), sizeof a.sun_path - 1);
		if (::connect(_fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0)
			ADD_FAILURE() << "connect " << path << ": " << std::strerror(errno);
	}
	/// A TCP connection to 127.0.0.1:port.
	explicit Conn(std::uint16_t port)
	{
		_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		sockaddr_in a{};
		a.sin_family = AF_INET;
		a.sin_port = htons(port);
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (::connect(_fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0)
			ADD_FAILURE() << "connect 127.0.0.1:" << port << ": " << std::strerror(errno);
	}
	~Conn() { close(); }
	Conn(const Conn&) = delete;
	Conn& operator=(const Conn&) = delete;

	void send(std::string_view bytes)
	{
		while (!bytes.empty()) {
			const ssize_t n = ::send(_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
			if (n <= 0) {
				ADD_FAILURE() << "send: " << std::strerror(errno);
				return;
			}
			bytes.remove_prefix(static_cast<std::size_t>(n));
		}
	}
	void line(std::string_view request) { send(std::string(request) + "\n"); }

	/// The next line without its line feed, or "<timeout>" / "<eof>".
	std::string read(std::chrono::milliseconds timeout = 2000ms)
	{
		const auto deadline = Clock::now() + timeout;
		for (;;) {
			if (const auto nl = _buf.find('\n'); nl != std::string::npos) {
				std::string l = _buf.substr(0, nl);
				_buf.erase(0, nl + 1);
				return l;
			}
			const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
			pollfd p{_fd, POLLIN, 0};
			if (::poll(&p, 1, static_cast<int>(std::max<decltype(left)>(left, 0))) <= 0)
				return "<timeout>";
			char b[2048];
			const ssize_t n = ::recv(_fd, b, sizeof b, 0);
			if (n <= 0)
				return "<eof>"; // closed, or reset
			_buf.append(b, static_cast<std::size_t>(n));
		}
	}
	/// Sends `request` and returns the reply line.
	std::string call(std::string_view request, std::chrono::milliseconds timeout = 2000ms)
	{
		line(request);
		return read(timeout);
	}
	void shutdownWrite() { ::shutdown(_fd, SHUT_WR); }
	void close()
	{
		if (_fd >= 0)
			::close(_fd);
		_fd = -1;
	}
	int fd() const { return _fd; }

private:
	int _fd = -1;
	std::string _buf;
};

/// Writes `text` to a new file with `mode`.
void WriteFile(const std::string& path, const std::string& text, mode_t mode)
{
	::unlink(path.c_str());
	std::ofstream(path) << text;
	::chmod(path.c_str(), mode);
}

/// A free loopback TCP port (free a moment ago).
std::uint16_t FreePort()
{
	const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
	sockaddr_in a{};
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	::bind(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a);
	socklen_t len = sizeof a;
	::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
	::close(fd);
	return ntohs(a.sin_port);
}

class PosServer : public ::testing::Test {
protected:
	ServerOptions options;
	std::unique_ptr<Server> server;
	std::thread thread;

	std::mutex mutex;
	std::condition_variable changed;
	std::vector<std::pair<bool, int>> events; // onCheck calls

	void SetUp() override
	{
		options.socketPath = TempPath(".sock");
		options.ttl = 200ms;
		options.idleTimeout = 300ms;
		options.defaultTimeout = 2000ms;
	}

	void TearDown() override
	{
		if (thread.joinable()) {
			server->stop();
			thread.join();
		}
		server.reset();
		EXPECT_NE(::access(options.socketPath.c_str(), F_OK), 0) << "the socket file outlives the server";
		::unlink(options.socketPath.c_str());
	}

	/// Starts a server with `options` on a thread.
	void Start(std::vector<int> thresholds = {18, 21})
	{
		server = std::make_unique<Server>(options, std::move(thresholds));
		server->onCheck = [this](bool active, int threshold) {
			std::lock_guard lock(mutex);
			events.emplace_back(active, threshold);
			changed.notify_all();
		};
		server->setStatus({true, "ok", "none", {}});
		std::string error;
		ASSERT_TRUE(server->start(&error)) << error;
		thread = std::thread([this] { server->run(); });
	}

	/// Waits until onCheck has been called `count` times in all.
	bool WaitEvents(std::size_t count, std::chrono::milliseconds timeout = 2000ms)
	{
		std::unique_lock lock(mutex);
		return changed.wait_for(lock, timeout, [&] { return events.size() >= count; });
	}
	std::vector<std::pair<bool, int>> Events()
	{
		std::lock_guard lock(mutex);
		return events;
	}

	std::string StatusOf(Conn& c) { return c.call(R"({"v":1,"op":"status"})"); }
};

const std::string StatusReply = R"({"v":1,"ready":true,"camera":"ok","selftest":"none","thresholds":[18,21]})";
const std::string Check18 = R"({"v":1,"op":"check","threshold":18})";
const std::string Check21 = R"({"v":1,"op":"check","threshold":21})";
const std::string Cancel = R"({"v":1,"op":"cancel"})";
std::string Check(int threshold, int timeoutMs)
{
	return R"({"v":1,"op":"check","threshold":)" + std::to_string(threshold) + R"(,"timeout_ms":)" + std::to_string(timeoutMs) + "}";
}
const Answer Adult{{{18, true}, {21, true}}};
const Answer Twenty{{{18, true}, {21, false}}};

// ---- status, check, publish --------------------------------------------------------------------

TEST_F(PosServer, Status)
{
	Start();
	Conn c(options.socketPath);
	EXPECT_EQ(StatusOf(c), StatusReply);
	server->setStatus({false, "disconnected", "pass", {99}}); // thresholds come from the constructor
	EXPECT_EQ(StatusOf(c), R"({"v":1,"ready":false,"camera":"disconnected","selftest":"pass","thresholds":[18,21]})");
}

TEST_F(PosServer, SocketModeAndGroup)
{
	if (::geteuid() != 0)
		GTEST_SKIP() << "chown to another group needs root (CI runs as root)";
	options.socketGroup = Nobody;
	Start();
	struct stat st {};
	ASSERT_EQ(::lstat(options.socketPath.c_str(), &st), 0);
	EXPECT_TRUE(S_ISSOCK(st.st_mode));
	EXPECT_EQ(st.st_mode & 07777, 0660u);
	EXPECT_EQ(st.st_gid, Nobody);
}

TEST_F(PosServer, CheckAnsweredByLaterPublish)
{
	Start();
	Conn c(options.socketPath);
	c.line(Check21);
	ASSERT_TRUE(WaitEvents(1));
	EXPECT_EQ(c.read(50ms), "<timeout>");
	server->publish(Twenty);
	EXPECT_EQ(c.read(), NotOver);
	ASSERT_TRUE(WaitEvents(2));
	EXPECT_EQ(Events(), (std::vector<std::pair<bool, int>>{{true, 21}, {false, 21}}));
	c.line(Check18);
	ASSERT_TRUE(WaitEvents(3));
	server->publish(Twenty);
	EXPECT_EQ(c.read(), Over);
}

TEST_F(PosServer, AnswerWithoutTheThresholdIsNotOver)
{
	Start();
	Conn c(options.socketPath);
	c.line(Check18);
	ASSERT_TRUE(WaitEvents(1));
	server->publish(Answer{{{21, true}}});
	EXPECT_EQ(c.read(), NotOver);
	server->publish(Answer{{{18, true}, {18, false}}}); // contradicting entries: never over
	EXPECT_EQ(c.call(Check18), NotOver);
	server->publish(Answer{}); // "not verified"
	EXPECT_EQ(c.call(Check18), NotOver);
}

TEST_F(PosServer, KeptAnswerAnswersTheNextCheckWithinTheTtl)
{
	Start();
	server->publish(Adult);
	Conn c(options.socketPath);
	EXPECT_EQ(c.call(Check18, 100ms), Over);
	EXPECT_TRUE(Events().empty()); // answered at once: never active
	// One-shot: the sighting is gone.
	EXPECT_EQ(c.call(Check(18, 100)), Err("timeout"));
}

TEST_F(PosServer, KeptAnswerExpiresAfterTheTtl)
{
	Start();
	server->publish(Adult);
	std::this_thread::sleep_for(300ms); // TTL 200 ms
	Conn c(options.socketPath);
	EXPECT_EQ(c.call(Check(18, 100)), Err("timeout"));
}

TEST_F(PosServer, OneShot)
{
	Start();
	Conn c(options.socketPath);
	c.line(Check18);
	ASSERT_TRUE(WaitEvents(1));
	server->publish(Adult);
	EXPECT_EQ(c.read(), Over);
	EXPECT_EQ(c.call(Check(18, 100)), Err("timeout")); // not answered again from the same sighting
	Conn other(options.socketPath);
	EXPECT_EQ(other.call(Check(21, 100)), Err("timeout"));
}

TEST_F(PosServer, NewerPublishReplacesOlder)
{
	Start();
	server->publish(Adult);
	server->publish(Twenty);
	Conn c(options.socketPath);
	EXPECT_EQ(c.call(Check21), NotOver);
	EXPECT_EQ(c.call(Check(21, 100)), Err("timeout"));
}

TEST_F(PosServer, Busy)
{
	Start();
	Conn a(options.socketPath), b(options.socketPath);
	a.line(Check18);
	ASSERT_TRUE(WaitEvents(1));
	EXPECT_EQ(b.call(Check18, 500ms), Err("busy"));
	EXPECT_EQ(a.call(Check21, 500ms), Err("busy")); // the same client, too
	EXPECT_EQ(b.call(Cancel, 100ms), "<timeout>");  // b has no check to cancel: ignored
	server->publish(Adult);
	EXPECT_EQ(a.read(), Over); // the first check is unaffected
	EXPECT_EQ(b.read(100ms), "<timeout>");
	EXPECT_EQ(Events(), (std::vector<std::pair<bool, int>>{{true, 18}, {false, 18}}));
}

TEST_F(PosServer, Cancel)
{
	Start();
	Conn c(options.socketPath);
	c.line(Check18);
	ASSERT_TRUE(WaitEvents(1));
	EXPECT_EQ(c.call(Cancel), Err("cancelled"));
	ASSERT_TRUE(WaitEvents(2));
	EXPECT_EQ(Events().back(), std::make_pair(false, 18));
	c.line(Cancel); // nothing to cancel: ignored, so the next reply is the status
	EXPECT_EQ(StatusOf(c), StatusReply);
	server->publish(Adult); // the cancelled check does not take it: it is kept
	EXPECT_EQ(c.call(Check18), Over);
}

TEST_F(PosServer, StatusWhileCheckPending)
{
	Start();
	Conn c(options.socketPath);
	c.line(Check18);
	ASSERT_TRUE(WaitEvents(1));
	EXPECT_EQ(StatusOf(c), StatusReply);
	server->publish(Adult);
	EXPECT_EQ(c.read(), Over);
}

TEST_F(PosServer, Timeout)
{
	Start();
	Conn c(options.socketPath);
	const auto t0 = Clock::now();
	EXPECT_EQ(c.call(Check(21, 80)), Err("timeout"));
	EXPECT_GE(Clock::now() - t0, 80ms);
	ASSERT_TRUE(WaitEvents(2));
	EXPECT_EQ(Events(), (std::vector<std::pair<bool, int>>{{true, 21}, {false, 21}}));
}

TEST_F(PosServer, DefaultAndMaximumTimeout)
{
	options.defaultTimeout = 100ms;
	options.maxTimeout = 1000ms;
	Start();
	Conn c(options.socketPath);
	EXPECT_EQ(c.call(Check18), Err("timeout"));
	EXPECT_EQ(c.call(Check(18, 1001)), Err("bad-request"));
	EXPECT_EQ(c.call(Check(18, 50)), Err("timeout"));
}

TEST_F(PosServer, ThresholdNotOffered)
{
	Start();
	Conn c(options.socketPath);
	EXPECT_EQ(c.call(R"({"v":1,"op":"check","threshold":16})"), Err("threshold-not-offered"));
	EXPECT_EQ(c.call(R"({"v":1,"op":"check","threshold":125})"), Err("threshold-not-offered"));
	EXPECT_TRUE(Events().empty());
}

TEST_F(PosServer, DisconnectingActiveClientFreesTheSlot)
{
	Start();
	{
		Conn a(options.socketPath);
		a.line(Check18);
		ASSERT_TRUE(WaitEvents(1));
	}
	ASSERT_TRUE(WaitEvents(2));
	EXPECT_EQ(Events().back(), std::make_pair(false, 18));
	Conn b(options.socketPath);
	EXPECT_EQ(b.call(Check(18, 50)), Err("timeout")); // not busy
}

// ---- framing and hostile clients ---------------------------------------------------------------

TEST_F(PosServer, InvalidLinesKeepTheConnection)
{
	Start();
	Conn c(options.socketPath);
	EXPECT_EQ(c.call("nope"), Err("bad-request"));
	EXPECT_EQ(c.call("{\"v\":1,\"op\":\"status\",\"token\":\"\xff\xfe\"}"), Err("bad-request"));
	EXPECT_EQ(c.call(R"({"v":2,"op":"status"})"), Err("bad-request"));
	EXPECT_EQ(c.call(""), Err("bad-request"));
	EXPECT_EQ(StatusOf(c), StatusReply);
	// Two requests in one write, and one split over several writes.
	c.send(R"({"v":1,"op":"status"})" "\n" R"({"v":1,"op":"status"})" "\n");
	EXPECT_EQ(c.read(), StatusReply);
	EXPECT_EQ(c.read(), StatusReply);
	c.send(R"({"v":1,"op")");
	std::this_thread::sleep_for(20ms);
	c.send(R"(:"status"})" "\r\n");
	EXPECT_EQ(c.read(), StatusReply);
}

TEST_F(PosServer, OversizeLineIsRefusedAndClosed)
{
	Start();
	Conn a(options.socketPath);
	a.send(std::string(kMaxLine + 1, ' ') + "\n");
	EXPECT_EQ(a.read(), Err("bad-request"));
	EXPECT_EQ(a.read(), "<eof>");
	Conn b(options.socketPath); // no line feed at all
	b.send(std::string(8 * kMaxLine, 'x'));
	EXPECT_EQ(b.read(), Err("bad-request"));
	EXPECT_EQ(b.read(), "<eof>");
	Conn c(options.socketPath); // exactly kMaxLine is fine
	const std::string head = R"({"v":1,"op":"status","token":")", tail = R"("})";
	EXPECT_EQ(c.call(head + std::string(kMaxLine - head.size() - tail.size(), 't') + tail), StatusReply);
}

TEST_F(PosServer, HalfClosedClientIsAnswered)
{
	Start();
	Conn a(options.socketPath);
	a.line(R"({"v":1,"op":"status"})");
	a.shutdownWrite();
	EXPECT_EQ(a.read(), StatusReply);
	EXPECT_EQ(a.read(), "<eof>");

	Conn b(options.socketPath); // a last line without its line feed counts too
	b.send(R"({"v":1,"op":"status"})");
	b.shutdownWrite();
	EXPECT_EQ(b.read(), StatusReply);

	Conn c(options.socketPath); // a check stays active after the half-close
	c.line(Check18);
	c.shutdownWrite();
	ASSERT_TRUE(WaitEvents(1));
	std::this_thread::sleep_for(50ms);
	EXPECT_EQ(Events().size(), 1u);
	server->publish(Adult);
	EXPECT_EQ(c.read(), Over);
	EXPECT_EQ(c.read(), "<eof>");
}

TEST_F(PosServer, SilentClientsAreClosedWhileOthersAreServed)
{
	Start(); // idleTimeout 300 ms
	Conn silent(options.socketPath), partial(options.socketPath), busy(options.socketPath);
	partial.send(R"({"v":1,)");
	const auto t0 = Clock::now();
	for (int i = 0; i < 6; ++i) {
		EXPECT_EQ(StatusOf(busy), StatusReply); // served at once, every 100 ms
		std::this_thread::sleep_for(100ms);
	}
	EXPECT_EQ(silent.read(0ms), "<eof>");
	EXPECT_EQ(partial.read(0ms), "<eof>");
	EXPECT_LT(Clock::now() - t0, 1500ms);
	EXPECT_EQ(StatusOf(busy), StatusReply); // its requests kept it open
}

TEST_F(PosServer, WaitingClientIsNotIdle)
{
	Start(); // idleTimeout 300 ms
	Conn c(options.socketPath);
	EXPECT_EQ(c.call(Check(18, 500)), Err("timeout"));
	EXPECT_EQ(StatusOf(c), StatusReply);
}

TEST_F(PosServer, ManyClients)
{
	Start();
	std::vector<std::unique_ptr<Conn>> conns;
	for (int i = 0; i < 100; ++i)
		conns.push_back(std::make_unique<Conn>(options.socketPath));
	for (auto& c : conns)
		c->line(R"({"v":1,"op":"status"})");
	for (auto& c : conns)
		EXPECT_EQ(c->read(), StatusReply);
}

TEST_F(PosServer, ConnectionsBeyondMaxClientsAreClosed)
{
	options.maxClients = 2;
	Start();
	Conn a(options.socketPath), b(options.socketPath);
	EXPECT_EQ(StatusOf(a), StatusReply);
	EXPECT_EQ(StatusOf(b), StatusReply);
	Conn c(options.socketPath);
	EXPECT_EQ(c.read(), "<eof>");
	a.close();
	std::this_thread::sleep_for(50ms);
	Conn d(options.socketPath);
	EXPECT_EQ(StatusOf(d), StatusReply);
}

TEST_F(PosServer, VanishedAndNonReadingClientsDoNotHurtTheServer)
{
	Start();
	{ // requests, then gone before the replies: no SIGPIPE
		Conn gone(options.socketPath);
		std::string many;
		for (int i = 0; i < 200; ++i)
			many += R"({"v":1,"op":"status"})" "\n";
		gone.send(many);
	}
	Conn hog(options.socketPath); // never reads: dropped once its replies pile up
	::fcntl(hog.fd(), F_SETFL, O_NONBLOCK);
	const std::string line = std::string(R"({"v":1,"op":"status"})") + "\n";
	std::string burst;
	for (int i = 0; i < 200; ++i)
		burst += line;
	for (int i = 0; i < 200; ++i)
		if (::send(hog.fd(), burst.data(), burst.size(), MSG_NOSIGNAL) < 0)
			break;
	Conn ok(options.socketPath);
	EXPECT_EQ(StatusOf(ok), StatusReply);
	server->publish(Adult);
	EXPECT_EQ(ok.call(Check18), Over);
}

TEST_F(PosServer, ReplyToAPeerThatStoppedReadingRaisesNoSigpipe)
{
	Start();
	Conn c(options.socketPath);
	::shutdown(c.fd(), SHUT_RD); // the server's next send fails with EPIPE: without MSG_NOSIGNAL, SIGPIPE kills this process
	c.line(R"({"v":1,"op":"status"})");
	Conn ok(options.socketPath);
	EXPECT_EQ(StatusOf(ok), StatusReply);
	EXPECT_EQ(StatusOf(ok), StatusReply);
}

TEST_F(PosServer, PublishFromManyThreads)
{
	Start();
	std::atomic<bool> done{false};
	std::vector<std::thread> publishers;
	for (int i = 0; i < 3; ++i)
		publishers.emplace_back([&] {
			while (!done)
				server->publish(Adult);
		});
	Conn c(options.socketPath);
	for (int i = 0; i < 20; ++i)
		EXPECT_EQ(c.call(Check18), Over);
	done = true;
	for (auto& t : publishers)
		t.join();
}

TEST_F(PosServer, StopEndsTheActiveCheck)
{
	Start();
	Conn c(options.socketPath);
	c.line(Check18);
	ASSERT_TRUE(WaitEvents(1));
	server->stop();
	thread.join();
	EXPECT_EQ(Events().back(), std::make_pair(false, 18));
	EXPECT_EQ(c.read(), "<eof>");
}

// ---- start-up -----------------------------------------------------------------------------------

TEST_F(PosServer, StaleSocketIsReplacedButALiveOneIsNot)
{
	{ // a stale socket file: bound, never listening, closed
		const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
		sockaddr_un a{};
		a.sun_family = AF_UNIX;
		std::strncpy(a.sun_path, options.socketPath.c_str(), sizeof a.sun_path - 1);
		ASSERT_EQ(::bind(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a), 0);
		::close(fd);
	}
	Start();
	Server second(options, {18});
	std::string error;
	EXPECT_FALSE(second.start(&error));
	EXPECT_NE(error.find("another server"), std::string::npos) << error;
	Conn c(options.socketPath);
	EXPECT_EQ(StatusOf(c), StatusReply);
}

TEST_F(PosServer, RefusesAPathThatIsNotASocket)
{
	WriteFile(options.socketPath, "x", 0600);
	Server s(options, {18});
	std::string error;
	EXPECT_FALSE(s.start(&error));
	EXPECT_NE(error.find("not a socket"), std::string::npos) << error;
	::unlink(options.socketPath.c_str());
}

TEST(PosCall, Errors)
{
	std::string error;
	EXPECT_FALSE(Call(TempPath(".none"), R"({"v":1,"op":"status"})", 500ms, &error));
	EXPECT_NE(error.find("cannot connect"), std::string::npos) << error;
	EXPECT_FALSE(Call(TempPath(".none"), "a\nb", 500ms, &error));
	EXPECT_FALSE(Call(std::string(200, 'x'), "x", 500ms, nullptr));
}

TEST_F(PosServer, CallRoundTripAndTimeout)
{
	Start();
	std::string error;
	EXPECT_EQ(Call(options.socketPath, R"({"v":1,"op":"status"})", 1000ms, &error), StatusReply) << error;
	const auto t0 = Clock::now();
	EXPECT_FALSE(Call(options.socketPath, Check18, 100ms, &error));
	EXPECT_EQ(error, "timed out");
	EXPECT_LT(Clock::now() - t0, 1000ms);
	ASSERT_TRUE(WaitEvents(2)); // Call's connection closed: its check ended
}

// ---- allow-list (SO_PEERCRED) -------------------------------------------------------------------

/// In a child that drops to uid/gid `Nobody`, sends status and returns the reply (or "<...>").
/// The child uses raw system calls only: the parent has other threads running.
std::string CallAsNobody(const std::string& path)
{
	int pipefd[2];
	if (::pipe(pipefd) != 0)
		return "<pipe>";
	sockaddr_un a{};
	a.sun_family = AF_UNIX;
	std::strncpy(a.sun_path, path.c_str(), sizeof a.sun_path - 1);
	static const char request[] = "{\"v\":1,\"op\":\"status\"}\n";
	const pid_t pid = ::fork();
	if (pid == 0) {
		::close(pipefd[0]);
		if (::setgroups(0, nullptr) != 0 || ::setgid(Nobody) != 0 || ::setuid(Nobody) != 0)
			::_exit(2);
		const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
		if (::connect(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0)
			::_exit(3);
		::send(fd, request, sizeof request - 1, MSG_NOSIGNAL);
		char buf[256];
		ssize_t n;
		while ((n = ::read(fd, buf, sizeof buf)) > 0)
			if (::write(pipefd[1], buf, static_cast<std::size_t>(n)) != n)
				::_exit(4);
		::_exit(0);
	}
	::close(pipefd[1]);
	std::string out;
	char buf[256];
	ssize_t n;
	while ((n = ::read(pipefd[0], buf, sizeof buf)) > 0)
		out.append(buf, static_cast<std::size_t>(n));
	::close(pipefd[0]);
	int status = 0;
	::waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return "<child failed: " + std::to_string(status) + ">";
	if (!out.empty() && out.back() == '\n')
		out.pop_back();
	return out;
}

TEST_F(PosServer, PeerNotOnTheAllowListIsRefused)
{
	if (::geteuid() != 0)
		GTEST_SKIP() << "needs root to setuid() a child to nobody (CI runs as root)";
	options.socketMode = 0666; // the file mode lets nobody connect: the allow-list is what refuses
	Start();
	EXPECT_EQ(CallAsNobody(options.socketPath), Err("not-allowed"));
	Conn c(options.socketPath); // root is the service's own uid here
	EXPECT_EQ(StatusOf(c), StatusReply);
}

TEST_F(PosServer, PeerAllowedByUidOrGid)
{
	if (::geteuid() != 0)
		GTEST_SKIP() << "needs root to setuid() a child to nobody (CI runs as root)";
	options.socketMode = 0666;
	options.allowUids = {Nobody};
	Start();
	EXPECT_EQ(CallAsNobody(options.socketPath), StatusReply);
	server->stop();
	thread.join();
	server.reset();
	options.allowUids = {};
	options.allowGids = {Nobody};
	Start();
	EXPECT_EQ(CallAsNobody(options.socketPath), StatusReply);
}

TEST(PosAllowList, RootIsNotImplicitlyAllowed)
{
	if (::geteuid() != 0)
		GTEST_SKIP() << "needs root to run a server as nobody (CI runs as root)";
	// The server runs as nobody in a child; this process (root) is not on its allow-list.
	const std::string path = TempPath(".sock");
	int ready[2];
	ASSERT_EQ(::pipe(ready), 0);
	const pid_t pid = ::fork();
	if (pid == 0) {
		::close(ready[0]);
		if (::setgroups(0, nullptr) != 0 || ::setgid(Nobody) != 0 || ::setuid(Nobody) != 0)
			::_exit(2);
		ServerOptions o;
		o.socketPath = path;
		o.socketMode = 0666;
		Server s(o, {18});
		if (!s.start(nullptr))
			::_exit(3);
		if (::write(ready[1], "r", 1) != 1)
			::_exit(4);
		s.run(); // until killed
		::_exit(0);
	}
	::close(ready[1]);
	char r = 0;
	const bool started = ::read(ready[0], &r, 1) == 1;
	::close(ready[0]);
	std::string reply;
	if (started) {
		Conn c(path);
		reply = c.call(R"({"v":1,"op":"status"})");
	}
	::kill(pid, SIGKILL);
	::waitpid(pid, nullptr, 0);
	::unlink(path.c_str());
	ASSERT_TRUE(started) << "the server child did not start";
	EXPECT_EQ(reply, Err("not-allowed"));
}

// ---- loopback TCP with a token ------------------------------------------------------------------

class PosTcp : public PosServer {
protected:
	const std::string token = "0123456789abcdef0123456789abcdef";
	std::string tokenFile = TempPath(".token");

	void SetUp() override
	{
		PosServer::SetUp();
		WriteFile(tokenFile, token + "\n", 0600);
		options.tcpPort = FreePort();
		options.tokenFile = tokenFile;
	}
	void TearDown() override
	{
		PosServer::TearDown();
		::unlink(tokenFile.c_str());
	}
	std::string WithToken(std::string request, const std::string& t)
	{
		request.pop_back();
		return request + R"(,"token":")" + t + "\"}";
	}
};

TEST_F(PosTcp, TokenRequired)
{
	Start();
	Conn c(*options.tcpPort);
	EXPECT_EQ(c.call(WithToken(R"({"v":1,"op":"status"})", token)), StatusReply);
	c.line(Check18); // no token
	EXPECT_EQ(c.read(), Err("not-allowed"));
	EXPECT_EQ(c.read(), "<eof>");
	EXPECT_TRUE(Events().empty());
}

TEST_F(PosTcp, WrongTokenRefused)
{
	Start();
	for (const std::string& wrong : {std::string("0123456789abcdef0123456789abcdeF"), token + "0", token.substr(1), std::string("")}) {
		Conn c(*options.tcpPort);
		EXPECT_EQ(c.call(WithToken(R"({"v":1,"op":"status"})", wrong)), Err("not-allowed")) << wrong;
		EXPECT_EQ(c.read(), "<eof>");
	}
}

TEST_F(PosTcp, CheckOverTcp)
{
	Start();
	Conn c(*options.tcpPort);
	c.line(WithToken(Check18, token));
	ASSERT_TRUE(WaitEvents(1));
	server->publish(Adult);
	EXPECT_EQ(c.read(), Over);
	EXPECT_EQ(c.call("junk"), Err("bad-request")); // the codec is shared
	Conn u(options.socketPath); // the Unix socket ignores a token
	EXPECT_EQ(u.call(WithToken(R"({"v":1,"op":"status"})", "anything")), StatusReply);
}

TEST_F(PosTcp, TokenFileMustBeRootOnly)
{
	std::string error;
	::chmod(tokenFile.c_str(), 0644);
	EXPECT_FALSE(Server(options, {18}).start(&error));
	EXPECT_NE(error.find("0600"), std::string::npos) << error;
	::chmod(tokenFile.c_str(), 0640);
	EXPECT_FALSE(Server(options, {18}).start(&error));
	::chmod(tokenFile.c_str(), 0400);
	{
		Server ok(options, {18});
		EXPECT_TRUE(ok.start(&error)) << error;
	}
	options.tokenFile = TempPath(".missing");
	EXPECT_FALSE(Server(options, {18}).start(&error));
	options.tokenFile.clear();
	EXPECT_FALSE(Server(options, {18}).start(&error));
	WriteFile(tokenFile, "short\n", 0600);
	options.tokenFile = tokenFile;
	EXPECT_FALSE(Server(options, {18}).start(&error));
	EXPECT_NE(::access(options.socketPath.c_str(), F_OK), 0) << "a failed start leaves no socket file";
}

} // namespace
} // namespace agecheck::pos

// SPDX-License-Identifier: Apache-2.0
#pragma once
// The POS link, protocol version 1: a local socket service that answers only yes or no.
// See PROTOCOL.md beside this file for the wire format.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <variant>
#include <vector>

namespace agecheck::pos {

/// Error codes of protocol v1, as sent in {"v":1,"error":CODE}.
enum class ErrorCode : std::uint8_t {
	Timeout,             ///< "timeout": no sighting before the check's timeout
	Cancelled,           ///< "cancelled": the POS sent cancel
	Busy,                ///< "busy": another check is active
	BadRequest,          ///< "bad-request": not a valid v1 request line
	ThresholdNotOffered, ///< "threshold-not-offered": the policy does not offer that threshold
	NotAllowed,          ///< "not-allowed": the peer is not on the allow-list, or a bad token
};

/// The token of an error code, e.g. "threshold-not-offered".
std::string_view ToString(ErrorCode code) noexcept;

/// A parsed request line.
struct Request {
	enum class Op : std::uint8_t { Check, Cancel, Status };
	Op op = Op::Status;
	int threshold = 0;                     ///< for Check: the age asked about
	std::optional<int> timeoutMs;          ///< for Check: how long to wait for a sighting
	std::optional<std::string> token;      ///< TCP only: the shared token (never logged)
};

/// Parses one request line (without its line feed). Anything that is not exactly a v1 request
/// (invalid JSON or UTF-8, no "v":1, an unknown op, wrong types, out-of-range numbers, a line over
/// kMaxLine bytes) is ErrorCode::BadRequest. Never throws.
std::variant<Request, ErrorCode> ParseRequest(std::string_view line) noexcept;

/// The longest request or reply line, in bytes, without its line feed.
inline constexpr std::size_t kMaxLine = 1024;

/// Replies, each one line ending in '\n'.
std::string EncodeVerdict(bool over);
std::string EncodeError(ErrorCode code);

/// What `status` reports.
struct Status {
	bool ready = false;              ///< the pipeline is running and can sight an ID
	std::string camera = "none";     ///< "ok", "disconnected", "demo" (a file source), "ended" (a file source played out)
	std::string selftest = "none";   ///< last compliance self-test: "none", "pass" or "fail"
	std::vector<int> thresholds;     ///< the thresholds the policy offers
};
std::string EncodeStatus(const Status& status);

/// One completed sighting as the service keeps it: one boolean per offered threshold, or "not
/// verified" (every answer false). Nothing else: no reason, no date.
struct Answer {
	std::vector<std::pair<int, bool>> over; ///< (threshold, over?) for each offered threshold
};

/// Server options; each states its default.
struct ServerOptions {
	std::string socketPath = "/run/agecheck/agecheck.sock"; ///< Unix socket; default /run/agecheck/agecheck.sock
	unsigned socketMode = 0660;                  ///< default 0660
	std::optional<gid_t> socketGroup;            ///< chown the socket to this group; default: unchanged
	std::vector<uid_t> allowUids;                ///< peers allowed by uid (SO_PEERCRED); the service's own uid always is, root only if listed
	std::vector<gid_t> allowGids;                ///< peers allowed by primary (effective) gid; default none
	std::optional<std::uint16_t> tcpPort;        ///< loopback TCP port; default off
	std::string tokenFile;                       ///< TCP token file (must be root-only, mode 0600 or 0400); required with tcpPort
	std::chrono::milliseconds ttl{30000};        ///< an unanswered sighting expires after this; default 30 s
	std::chrono::milliseconds defaultTimeout{60000}; ///< a check without timeout waits this long; default 60 s
	std::chrono::milliseconds maxTimeout{300000};    ///< longest timeout a check may ask for; default 5 min
	std::chrono::milliseconds idleTimeout{10000};    ///< a client that sends no complete line for this long is closed; default 10 s
	int maxClients = 256;                        ///< further connections are closed at once; default 256
};

/// The service: an event loop (poll) over the listening sockets and the clients, plus a thread-safe
/// mailbox for sightings. One check is active at a time; others get "busy".
class Server {
public:
	/// A server offering `offeredThresholds` (values outside 1..125 are dropped). Only std::bad_alloc escapes.
	Server(ServerOptions options, std::vector<int> offeredThresholds);
	~Server();
	Server(const Server&) = delete;
	Server& operator=(const Server&) = delete;

	/// Creates and binds the sockets. False with a message on failure.
	bool start(std::string* error);
	/// Runs the event loop until stop() is called. Call from one thread.
	void run();
	/// Ends run() from any thread.
	void stop();

	/// Hands over a completed sighting, from any thread. It answers the active check, or is kept
	/// for the TTL and answers the next one; a newer sighting replaces an older one.
	void publish(const Answer& answer);
	/// Updates what `status` reports, from any thread. Its `thresholds` are ignored: `status` always
	/// reports the offered thresholds given to the constructor, the ones `check` accepts.
	void setStatus(const Status& status);
	/// Called on the loop's thread when a check becomes active (the kiosk shows "show an ID") and
	/// when it ends, however it ends; may be empty. A check answered at once from a kept sighting
	/// never becomes active and calls nothing. Exceptions it throws are swallowed.
	std::function<void(bool active, int threshold)> onCheck;
	/// Called on the loop's thread with every answer a check gets, from a new sighting or a kept
	/// one, just before it is sent (the kiosk shows what the POS was told); may be empty.
	/// Exceptions it throws are swallowed.
	std::function<void(int threshold, bool over)> onAnswer;

private:
	struct Impl;
	std::unique_ptr<Impl> _impl;
};

/// A client connection to the Unix socket, for scripts, tests and benchmarks: one request line at
/// a time, each with its own deadline. Move-only.
class Connection {
public:
	/// Connects to `socketPath`; ok() tells whether it worked and error() why not.
	explicit Connection(const std::string& socketPath);
	Connection(Connection&& o) noexcept;
	Connection& operator=(Connection&& o) noexcept;
	Connection(const Connection&) = delete;
	Connection& operator=(const Connection&) = delete;
	~Connection();

	/// True while connected.
	bool ok() const noexcept { return _fd >= 0; }
	/// Why the last call failed.
	const std::string& error() const noexcept { return _error; }
	/// Sends `line` (a request without its line feed) and returns the next reply line without its
	/// line feed; nullopt (see error()) on a broken connection or when `timeout` passes, and then
	/// the connection is closed, so that a late reply can never answer a later request.
	std::optional<std::string> ask(const std::string& line, std::chrono::milliseconds timeout);

private:
	std::optional<std::string> exchange(const std::string& line, std::chrono::milliseconds timeout);

	int _fd = -1;
	std::string _pending; ///< bytes received after the last reply line
	std::string _error;
};

/// A client call for scripts and tests: connects to `socketPath`, sends `line` (a request without
/// its line feed) and returns the reply line without its line feed, or nullopt with `error` set
/// when the connection or the read fails or `timeout` passes.
std::optional<std::string> Call(const std::string& socketPath, const std::string& line, std::chrono::milliseconds timeout,
								std::string* error);

} // namespace agecheck::pos

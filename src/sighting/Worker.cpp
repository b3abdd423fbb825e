// SPDX-License-Identifier: Apache-2.0
#include "sighting/Worker.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <malloc.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <poll.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "ocr/Ocr.h"
#include "printed/Profiles.h"
#include "secure/Harden.h"
#include "secure/Sandbox.h"
#include "secure/Wipe.h"

extern char** environ;

namespace agecheck::sighting {

namespace {

// The wire: fixed-size messages on a SOCK_SEQPACKET socketpair. Nothing in them is identity
// data: frames travel in the shared buffer, and the reply is a Sighting.
constexpr std::uint32_t kMagic = 0x41474b57; // "AGKW"
constexpr std::uint32_t kVersion = 3;

struct __attribute__((packed)) InitMsg { // packed: no padding bytes of the stack go over the socket
	std::uint32_t magic = kMagic, version = kVersion;
	std::int32_t thresholds[kMaxThresholds]{};
	std::uint32_t count = 0;
	std::uint8_t leapDay = 0, expired = 0;
	std::int32_t maxAge = 125;
	std::uint32_t printedProfiles = 0; ///< the policy's printed-date profiles: bit i for printed::Profiles()[i]
	std::uint8_t ocr = 0;      ///< load the OCR models (MRZ and printed dates)
	char mrzDir[256]{};        ///< their directories, NUL-terminated
	char textDir[256]{};
};

struct __attribute__((packed)) ReadyMsg {
	std::uint32_t magic = kMagic;
	std::uint8_t seccomp = 0, noNewPrivileges = 0;
	std::uint8_t deleteWipes = 0, freeWipes = 0; ///< MeasureWiping() in the worker
	std::uint8_t ocr = 0; ///< the OCR models were loaded
};

struct __attribute__((packed)) FrameMsg {
	std::uint32_t magic = kMagic;
	std::uint64_t seq = 0;
	std::int32_t rows = 0, cols = 0, type = 0;
	std::int32_t year = 0;
	std::uint32_t month = 0, day = 0;
	std::uint64_t capacity = 0; ///< size of the shared buffer; a descriptor comes along when it changed
};

struct __attribute__((packed)) ReplyMsg {
	std::uint32_t magic = kMagic;
	std::uint64_t seq = 0;
	std::uint8_t reason = 0;
	std::uint32_t count = 0;
	std::int32_t thresholds[kMaxThresholds]{};
	std::uint8_t verdicts[kMaxThresholds]{};
	std::uint8_t found = 0, hint = 0; ///< the Guide: geometry and a code, no identity data
	float outline[8]{};               ///< x, y of its four corners, fractions of the frame
};

constexpr std::uint8_t kLastReason = static_cast<std::uint8_t>(Reason::Mismatch);
constexpr std::uint8_t kLastFound = static_cast<std::uint8_t>(Found::Text);
constexpr std::uint8_t kLastHint = static_cast<std::uint8_t>(Hint::TurnOver);

bool SendMsg(int fd, const void* msg, std::size_t size, int passFd = -1) noexcept
{
	iovec iov{const_cast<void*>(msg), size};
	msghdr h{};
	h.msg_iov = &iov;
	h.msg_iovlen = 1;
	alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))]{};
	if (passFd >= 0) {
		h.msg_control = control;
		h.msg_controllen = sizeof control;
		cmsghdr* c = CMSG_FIRSTHDR(&h);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		std::memcpy(CMSG_DATA(c), &passFd, sizeof(int));
	}
	ssize_t n;
	do
		n = sendmsg(fd, &h, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n == ssize_t(size);
}

/// Receives one message of exactly `size` bytes and at most one descriptor, which only a caller
/// that gives `gotFd` accepts. Any other descriptor that comes along is closed, and the message
/// then counts as broken.
bool RecvMsg(int fd, void* msg, std::size_t size, int* gotFd = nullptr) noexcept
{
	if (gotFd)
		*gotFd = -1;
	bool unexpected = false;
	iovec iov{msg, size};
	msghdr h{};
	h.msg_iov = &iov;
	h.msg_iovlen = 1;
	alignas(cmsghdr) char control[CMSG_SPACE(4 * sizeof(int))]{};
	h.msg_control = control;
	h.msg_controllen = sizeof control;
	ssize_t n;
	do
		n = recvmsg(fd, &h, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return false;
	for (cmsghdr* c = CMSG_FIRSTHDR(&h); c; c = CMSG_NXTHDR(&h, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) {
			unexpected = true;
			continue;
		}
		const std::size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (std::size_t i = 0; i < count; ++i) {
			int passed;
			std::memcpy(&passed, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			if (gotFd && *gotFd < 0 && count == 1) {
				*gotFd = passed;
			} else {
				close(passed);
				unexpected = true;
			}
		}
	}
	if (unexpected && gotFd && *gotFd >= 0) {
		close(*gotFd);
		*gotFd = -1;
	}
	return !unexpected && n == ssize_t(size) && !(h.msg_flags & (MSG_TRUNC | MSG_CTRUNC));
}

/// Waits up to `timeout` for `fd` to be readable.
bool WaitReadable(int fd, std::chrono::milliseconds timeout) noexcept
{
	const auto deadline = std::chrono::steady_clock::now() + timeout;
	for (;;) {
		const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
		pollfd p{fd, POLLIN, 0};
		const int r = poll(&p, 1, int(std::max<long long>(0, left.count())));
		if (r > 0)
			return true;
		if (r == 0 || errno != EINTR)
			return false;
	}
}

/// True for a Sighting that Scanner could have produced.
bool Plausible(const Sighting& s) noexcept
{
	const bool decided = s.count > 0 && s.verdicts[0] != Verdict::Unverified;
	for (std::size_t i = 0; i < s.count; ++i) {
		if ((s.verdicts[i] != Verdict::Unverified) != decided)
			return false;
		if (i > 0 && s.thresholds[i] <= s.thresholds[i - 1])
			return false;
		if (i > 0 && s.verdicts[i] == Verdict::Over && s.verdicts[i - 1] != Verdict::Over)
			return false;
	}
	return decided ? IsSource(s.reason) : !IsSource(s.reason);
}

bool FrameTypeOk(int type) noexcept
{
	return type == CV_8UC1 || type == CV_8UC3 || type == CV_8UC4;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// The service's side

struct WorkerClient::Impl {
	Impl(age::Policy p, WorkerOptions o) : policy(std::move(p)), options(std::move(o)), local(policy) {}

	age::Policy policy;
	WorkerOptions options;
	Scanner local; ///< only for the unverified() answer on failures
	pid_t child = 0;
	int sock = -1;
	bool seccomp = false;
	bool deleteWipes = false, freeWipes = false; ///< measured in the worker at its start
	unsigned long long restarts = 0;
	std::uint64_t seq = 0;
	// The shared frame buffer: one memfd, mapped here read-write and locked, in the worker read-only.
	int memfd = -1;
	std::byte* buffer = nullptr;
	std::size_t capacity = 0;
	bool sendFd = false; ///< the worker has not got this memfd yet
	std::chrono::steady_clock::time_point lastAttempt{};

	~Impl()
	{
		kill();
		releaseBuffer();
	}

	void releaseBuffer() noexcept
	{
		if (buffer) {
			explicit_bzero(buffer, capacity);
			munmap(buffer, capacity);
		}
		if (memfd >= 0)
			close(memfd);
		buffer = nullptr;
		memfd = -1;
		capacity = 0;
	}

	bool ensureBuffer(std::size_t bytes) noexcept
	{
		if (buffer && bytes <= capacity)
			return true;
		releaseBuffer();
		const long page = sysconf(_SC_PAGESIZE);
		const std::size_t size = (bytes + std::size_t(page) - 1) / std::size_t(page) * std::size_t(page);
		memfd = memfd_create("agecheck-frame", MFD_CLOEXEC);
		if (memfd < 0 || ftruncate(memfd, off_t(size)) != 0) {
			releaseBuffer();
			return false;
		}
		void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
		if (p == MAP_FAILED) {
			releaseBuffer();
			return false;
		}
		buffer = static_cast<std::byte*>(p);
		capacity = size;
		secure::LockPages(buffer, capacity); // best effort; RLIMIT_MEMLOCK may refuse
		sendFd = true;
		return true;
	}

	void kill() noexcept
	{
		// SIGKILL before hanging up: the worker never runs its exit path (nothing to save, and a
		// sanitizer's exit-time work would trip over the sandbox).
		if (child > 0) {
			::kill(child, SIGKILL);
			int status;
			while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
			}
		}
		if (sock >= 0)
			close(sock);
		sock = -1;
		child = 0;
		seccomp = false;
	}

	bool spawn(std::string* error)
	{
		lastAttempt = std::chrono::steady_clock::now();
		int sv[2];
		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
			if (error)
				*error = std::string("socketpair: ") + std::strerror(errno);
			return false;
		}
		if (sv[1] == 3) { // dup2 onto itself would keep FD_CLOEXEC: move it out of the way first
			const int moved = fcntl(sv[1], F_DUPFD_CLOEXEC, 10);
			close(sv[1]);
			sv[1] = moved;
		}
		posix_spawn_file_actions_t fa;
		posix_spawn_file_actions_init(&fa);
		posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
		posix_spawn_file_actions_adddup2(&fa, sv[1], 3);
		// Nothing else of the service's (the camera, the POS sockets) reaches the worker, whatever
		// a library opened without O_CLOEXEC.
		posix_spawn_file_actions_addclosefrom_np(&fa, 4);
		std::string path = options.path;
		char fdArg[] = "3";
		char flag[] = "--fd";
		char* argv[] = {path.data(), flag, fdArg, nullptr};
		pid_t pid = 0;
		const int rc = posix_spawn(&pid, path.c_str(), &fa, nullptr, argv, environ);
		posix_spawn_file_actions_destroy(&fa);
		close(sv[1]);
		if (rc != 0) {
			close(sv[0]);
			if (error)
				*error = "cannot start the worker " + path + ": " + std::strerror(rc);
			return false;
		}
		child = pid;
		sock = sv[0];
		sendFd = buffer != nullptr;

		InitMsg init;
		init.count = std::uint32_t(std::min(policy.thresholds.size(), kMaxThresholds));
		for (std::size_t i = 0; i < init.count; ++i)
			init.thresholds[i] = policy.thresholds[i];
		init.leapDay = static_cast<std::uint8_t>(policy.leapDay);
		init.expired = static_cast<std::uint8_t>(policy.expired);
		init.maxAge = policy.maxAge;
		const auto profiles = printed::Profiles();
		for (std::size_t i = 0; i < profiles.size() && i < 32; ++i)
			for (const std::string& name : policy.printedProfiles)
				if (profiles[i].name == name)
					init.printedProfiles |= 1u << i;
		init.ocr = options.ocr;
		if (options.ocr) {
			const std::string mrzDir = options.models.mrzDir.empty() ? ocr::DefaultModelDir() : options.models.mrzDir;
			const std::string textDir = options.models.textDir.empty() ? ocr::DefaultTextDir() : options.models.textDir;
			if (mrzDir.size() >= sizeof init.mrzDir || textDir.size() >= sizeof init.textDir) {
				kill();
				if (error)
					*error = "the OCR model directories' names are too long";
				return false;
			}
			std::memcpy(init.mrzDir, mrzDir.data(), mrzDir.size());
			std::memcpy(init.textDir, textDir.data(), textDir.size());
		}
		ReadyMsg ready;
		if (!SendMsg(sock, &init, sizeof init) || !WaitReadable(sock, options.startTimeout)
		    || !RecvMsg(sock, &ready, sizeof ready) || ready.magic != kMagic) {
			kill();
			if (error)
				*error = "the worker " + path + " did not start";
			return false;
		}
		if (options.ocr && !ready.ocr) {
			kill();
			if (error)
				*error = "the worker " + path + " cannot load the OCR models (its error is on stderr)";
			return false;
		}
		seccomp = ready.seccomp != 0;
		deleteWipes = ready.deleteWipes != 0;
		freeWipes = ready.freeWipes != 0;
		if (!seccomp) {
			// A worker that could not sandbox itself is not used: decoding stops instead.
			kill();
			if (error)
				*error = "the worker " + path + " could not enter its seccomp sandbox";
			return false;
		}
		return true;
	}

	/// Replaces a failed worker; at most one attempt a second when starting keeps failing.
	void restart() noexcept
	{
		kill();
		++restarts;
		if (std::chrono::steady_clock::now() - lastAttempt < std::chrono::seconds(1))
			return; // the next frame tries again
		try {
			spawn(nullptr);
		} catch (...) {
		}
	}

	Sighting scan(const cv::Mat& frame, std::chrono::year_month_day today, Guide* guide) noexcept
	{
		if (guide)
			*guide = {};
		Sighting failed = local.scanFrame(cv::Mat(), today); // unreadable, every threshold unverified
		if (frame.empty() || !FrameTypeOk(frame.type()) || frame.dims != 2
		    || double(frame.total()) > 40e6)
			return failed;
		if (child == 0) {
			if (std::chrono::steady_clock::now() - lastAttempt < std::chrono::seconds(1))
				return failed;
			try {
				if (!spawn(nullptr))
					return failed;
			} catch (...) {
				return failed;
			}
		}
		const std::size_t rowBytes = std::size_t(frame.cols) * frame.elemSize();
		const std::size_t bytes = rowBytes * std::size_t(frame.rows);
		if (!ensureBuffer(bytes))
			return failed;
		for (int y = 0; y < frame.rows; ++y)
			std::memcpy(buffer + std::size_t(y) * rowBytes, frame.ptr(y), rowBytes);

		FrameMsg m;
		m.seq = ++seq;
		m.rows = frame.rows;
		m.cols = frame.cols;
		m.type = frame.type();
		m.year = int(today.year());
		m.month = unsigned(today.month());
		m.day = unsigned(today.day());
		m.capacity = capacity;
		ReplyMsg r;
		const bool ok = SendMsg(sock, &m, sizeof m, sendFd ? memfd : -1) && WaitReadable(sock, options.timeout)
		                && RecvMsg(sock, &r, sizeof r);
		explicit_bzero(buffer, bytes); // the picture leaves the shared buffer as soon as it was read
		if (ok)
			sendFd = false;
		if (!ok || r.magic != kMagic || r.seq != m.seq || r.reason > kLastReason || r.count > kMaxThresholds) {
			restart();
			return failed;
		}
		Sighting s;
		s.reason = static_cast<Reason>(r.reason);
		s.count = r.count;
		for (std::size_t i = 0; i < s.count; ++i) {
			if (r.verdicts[i] > static_cast<std::uint8_t>(Verdict::Over)) {
				restart();
				return failed;
			}
			s.thresholds[i] = r.thresholds[i];
			s.verdicts[i] = static_cast<Verdict>(r.verdicts[i]);
		}
		// A worker may only answer about the thresholds the policy offers, in its order.
		if (s.count != failed.count)
			return restart(), failed;
		for (std::size_t i = 0; i < s.count; ++i)
			if (s.thresholds[i] != failed.thresholds[i])
				return restart(), failed;
		// And only consistently: the sandbox keeps a compromised decoder from the data, not from
		// lying, so an answer that no honest scanner gives is a broken worker. A decided verdict
		// needs a source reason; every threshold is decided or none is; over a higher threshold
		// means over every lower one.
		if (!Plausible(s))
			return restart(), failed;
		// The guide is drawn on the cashier's screen: a known code and corners near the frame.
		if (r.found > kLastFound || r.hint > kLastHint)
			return restart(), failed;
		Guide g;
		g.found = static_cast<Found>(r.found);
		g.hint = static_cast<Hint>(r.hint);
		for (std::size_t i = 0; i < 4; ++i) {
			const float x = r.outline[2 * i], y = r.outline[2 * i + 1];
			if (!(x >= -1.f && x <= 2.f && y >= -1.f && y <= 2.f)) // NaN fails too
				return restart(), failed;
			g.outline[i] = {x, y};
		}
		if (guide)
			*guide = g;
		return s;
	}
};

WorkerClient::WorkerClient(age::Policy policy, WorkerOptions options)
    : _impl(std::make_unique<Impl>(std::move(policy), std::move(options)))
{
}

WorkerClient::~WorkerClient() = default;

bool WorkerClient::start(std::string* error)
{
	if (_impl->child > 0)
		return true;
	return _impl->spawn(error);
}

Sighting WorkerClient::scanFrame(const cv::Mat& frame, std::chrono::year_month_day today, Guide* guide) noexcept
{
	return _impl->scan(frame, today, guide);
}

int WorkerClient::pid() const noexcept
{
	return _impl->child;
}

unsigned long long WorkerClient::restarts() const noexcept
{
	return _impl->restarts;
}

bool WorkerClient::sandboxed() const noexcept
{
	return _impl->child > 0 && _impl->seccomp;
}

bool WorkerClient::wipes() const noexcept
{
	return _impl->child > 0 && _impl->deleteWipes && _impl->freeWipes;
}

// ---------------------------------------------------------------------------------------------
// The worker's side

int RunWorker(int fd) noexcept
{
	try {
		InitMsg init;
		if (!RecvMsg(fd, &init, sizeof init) || init.magic != kMagic || init.version != kVersion
		    || init.count == 0 || init.count > kMaxThresholds)
			return 2;
		age::Policy policy;
		policy.thresholds.clear();
		for (std::uint32_t i = 0; i < init.count; ++i)
			policy.thresholds.push_back(init.thresholds[i]); // element by element: the message is packed
		policy.leapDay = init.leapDay ? age::LeapDayRule::February28 : age::LeapDayRule::March1;
		policy.expired = init.expired ? age::ExpiredDocuments::Accept : age::ExpiredDocuments::Reject;
		policy.maxAge = init.maxAge;
		policy.printedProfiles.clear();
		const auto profiles = printed::Profiles();
		for (std::size_t i = 0; i < profiles.size() && i < 32; ++i)
			if (init.printedProfiles & (1u << i))
				policy.printedProfiles.emplace_back(profiles[i].name);
		cv::setNumThreads(0); // decode on this thread only: no pool threads to sandbox or wipe
		// The decoders' working memory stays mapped from one frame to the next: blocks under
		// 32 MiB come from the heap, which goes back to the kernel only beyond 64 MiB free at its
		// top. With glibc's adaptive defaults this process gave its heap back after every frame
		// and faulted it in again on the next (about 2 100 page faults a frame): a licence took
		// 37 / 48 / 62 ms (easy / medium / hard medians, agecheck-bench-barcode --worker) against
		// 14.7 / 19.6 / 29.0 ms this way. Freed blocks are wiped all the same (the tunables,
		// operator delete, the zeroing allocator).
		mallopt(M_MMAP_THRESHOLD, 32 << 20);
		mallopt(M_TRIM_THRESHOLD, 64 << 20);
		Options scanOptions;
		if (init.ocr) {
			// The models are read now: the sandbox allows no open() later.
			ocr::Models models;
			models.mrzDir.assign(init.mrzDir, strnlen(init.mrzDir, sizeof init.mrzDir));
			models.textDir.assign(init.textDir, strnlen(init.textDir, sizeof init.textDir));
			std::string error;
			scanOptions.ocr = ocr::Engine::Open(models, &error);
			if (!scanOptions.ocr) {
				std::fprintf(stderr, "agecheck-worker: %s\n", error.c_str());
				ReadyMsg failed;
				(void)SendMsg(fd, &failed, sizeof failed);
				return 5;
			}
		}
		const Scanner scanner(policy, scanOptions);

		// Load everything lazy (OpenCV's tables, zxing-cpp's statics) before the sandbox closes.
		const auto warmDay = std::chrono::year_month_day{std::chrono::year{2000}, std::chrono::month{1}, std::chrono::day{1}};
		cv::Mat warm(720, 1280, CV_8UC3, cv::Scalar::all(128));
		cv::randu(warm(cv::Rect(200, 200, 400, 200)), 0, 255);
		(void)scanner.scanFrame(warm, warmDay);
		warm.release();
		if (scanOptions.ocr) {
			// Tesseract allocates its recogniser's buffers on first use: run both engines once, and
			// the text engine line by line too (its layout's page iterator is a type of its own,
			// which UndefinedBehaviorSanitizer cannot look up from inside the sandbox).
			cv::Mat text(96, 640, CV_8UC1, cv::Scalar(255));
			cv::putText(text, "P<UTO0123456789<<ABC", {10, 60}, cv::FONT_HERSHEY_SIMPLEX, 1.4, cv::Scalar(0), 3);
			char scratch[256];
			(void)scanOptions.ocr->readMrzLine(text, scratch);
			(void)scanOptions.ocr->readText(text, scratch);
			(void)scanOptions.ocr->readLines(text, scratch, 40.f, [](std::string_view) { return false; });
			SecureZero(scratch, sizeof scratch);
		}

		secure::HardenProcess();
		secure::WipeStack(); // once before the sandbox, so that nothing it uses loads later
		const secure::WipeStatus wiping = secure::MeasureWiping();
		const secure::SandboxReport sandbox = secure::EnterSandbox();
		ReadyMsg ready;
		ready.seccomp = sandbox.seccomp;
		ready.noNewPrivileges = sandbox.noNewPrivileges;
		ready.deleteWipes = wiping.deleteWipes;
		ready.freeWipes = wiping.freeWipes;
		ready.ocr = scanOptions.ocr != nullptr;
		if (!SendMsg(fd, &ready, sizeof ready))
			return 2;

		const std::byte* mapped = nullptr;
		std::size_t mappedSize = 0;
		for (;;) {
			FrameMsg m;
			int passed = -1;
			if (!RecvMsg(fd, &m, sizeof m, &passed))
				return 0; // the parent hung up (or broke the protocol)
			if (passed >= 0) {
				if (mapped)
					munmap(const_cast<std::byte*>(mapped), mappedSize);
				mapped = nullptr;
				void* p = mmap(nullptr, m.capacity, PROT_READ, MAP_SHARED, passed, 0);
				close(passed);
				if (p == MAP_FAILED)
					return 3;
				mapped = static_cast<const std::byte*>(p);
				mappedSize = m.capacity;
			}
			ReplyMsg r;
			r.seq = m.seq;
			const std::chrono::year_month_day today{std::chrono::year{m.year}, std::chrono::month{m.month}, std::chrono::day{m.day}};
			Sighting s;
			Guide guide;
			const std::size_t bytes = std::size_t(std::max(0, m.rows)) * std::size_t(std::max(0, m.cols))
			                          * std::size_t(CV_ELEM_SIZE(m.type));
			if (m.magic != kMagic || !mapped || m.capacity != mappedSize || m.rows <= 0 || m.cols <= 0
			    || !FrameTypeOk(m.type) || bytes > mappedSize) {
				s = scanner.scanFrame(cv::Mat(), today, &guide);
			} else {
				const cv::Mat frame(m.rows, m.cols, m.type, const_cast<std::byte*>(mapped));
				s = scanner.scanFrame(frame, today, &guide);
#if defined(AGECHECK_TEST_KEEP_CANARY)
				// The self-test's negative control (tests only, never in agecheck-worker): keep a
				// copy of every frame that held a document, so the memory check must find it.
				static std::vector<std::vector<std::byte>> kept; // reachable, so no leak report: just kept
				if (s.documentRead())
					kept.emplace_back(mapped, mapped + bytes);
#endif
			}
			r.reason = static_cast<std::uint8_t>(s.reason);
			r.count = std::uint32_t(s.count);
			for (std::size_t i = 0; i < s.count; ++i) {
				r.thresholds[i] = s.thresholds[i];
				r.verdicts[i] = static_cast<std::uint8_t>(s.verdicts[i]);
			}
			r.found = static_cast<std::uint8_t>(guide.found);
			r.hint = static_cast<std::uint8_t>(guide.hint);
			for (std::size_t i = 0; i < 4; ++i) {
				r.outline[2 * i] = guide.outline[i].x;
				r.outline[2 * i + 1] = guide.outline[i].y;
			}
			secure::WipeStack(); // what the decoders left below this frame
			if (!SendMsg(fd, &r, sizeof r))
				return 0;
		}
	} catch (...) {
		return 4;
	}
}

} // namespace agecheck::sighting

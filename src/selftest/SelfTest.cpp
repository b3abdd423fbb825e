// SPDX-License-Identifier: Apache-2.0
#include "selftest/SelfTest.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <endian.h>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <regex>
#include <set>
#include <stdexcept>
#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>
#include <poll.h>
#include <sodium.h>
#include <spawn.h>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "common/Dates.h"
#include "pos/Pos.h"
#include "secure/MemoryScan.h"
#include "ocr/Ocr.h"
#include "sighting/Sighting.h"
#include "synth/Documents.h"
#include "synth/Synth.h"

extern char** environ;

namespace agecheck::selftest {

namespace fs = std::filesystem;
using namespace std::chrono;
using Clock = steady_clock;

namespace {

// ---------------------------------------------------------------------------------------------
// Canaries: fresh random identities, never printed. Only the auditor holds their values (and,
// masked, the needle set); the kiosk sees them only as camera frames.

std::string RandomFrom(std::string_view alphabet, std::size_t n)
{
	std::string s(n, ' ');
	for (auto& c : s)
		c = alphabet[randombytes_uniform(std::uint32_t(alphabet.size()))];
	return s;
}

std::string Letters(std::size_t n) { return RandomFrom("ABCDEFGHIJKLMNOPQRSTUVWXYZ", n); }
std::string Alnum(std::size_t n) { return RandomFrom("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", n); }

/// A birth date 25 to 70 years before `today` (never 29 February, day 1..28): over every
/// threshold up to 25.
year_month_day RandomBirth(year_month_day today)
{
	const int years = 25 + int(randombytes_uniform(45));
	return {today.year() - std::chrono::years(years), month{1 + randombytes_uniform(12)}, day{1 + randombytes_uniform(28)}};
}

/// One canary document and how the pipeline is expected to treat it.
struct Canary {
	std::string kind;    ///< "aamva", "mrz" or "front"
	cv::Mat frame;       ///< the camera frame, BGR 1920x1080
	bool answerable;     ///< the pipeline reads this kind today: a check must be answered "over"
};

std::string TwoDigits(unsigned v)
{
	char b[3];
	std::snprintf(b, sizeof b, "%02u", v % 100);
	return b;
}

/// The date in every form the pipeline or a careless log could use.
void AddDateNeedles(secure::NeedleSet& set, year_month_day d, const std::string& kind)
{
	const std::string Y = std::to_string(int(d.year())), y = TwoDigits(unsigned(int(d.year()) % 100));
	const std::string m = TwoDigits(unsigned(d.month())), dd = TwoDigits(unsigned(d.day()));
	static constexpr const char* kMonths[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
	const std::string mon = kMonths[unsigned(d.month()) - 1];
	const std::string forms[][2] = {
		{Y + m + dd, "yyyymmdd"},       {m + dd + Y, "mmddyyyy"},       {Y + "-" + m + "-" + dd, "iso"},
		{dd + "/" + m + "/" + Y, "dd/mm/yyyy"}, {m + "/" + dd + "/" + Y, "mm/dd/yyyy"}, {Y + "/" + m + "/" + dd, "yyyy/mm/dd"},
		{dd + "." + m + "." + Y, "dd.mm.yyyy"}, {dd + "." + m + "." + y, "dd.mm.yy"},   {dd + " " + mon + " " + Y, "dd mon yyyy"},
	};
	for (const auto& f : forms) {
		set.AddText(f[0], kind + ":birth:" + f[1]);
		set.AddUtf16(f[0], kind + ":birth:" + f[1] + ":utf16");
	}
}

void AddNameNeedles(secure::NeedleSet& set, const std::string& kind, const std::string& family, const std::string& given,
                    const std::string& number)
{
	set.AddText(family, kind + ":family-name");
	set.AddUtf16(family, kind + ":family-name:utf16");
	set.AddText(given, kind + ":given-name");
	set.AddUtf16(given, kind + ":given-name:utf16");
	set.AddText(number, kind + ":document-number");
	set.AddUtf16(number, kind + ":document-number:utf16");
}

/// The width of the kiosk app's preview (agecheck-kiosk: service::Options::previewWidth).
constexpr int kPreviewWidth = 960;

/// Rows of the random block as the kiosk app's preview holds it: the frame downscaled the way the
/// service makes its preview (INTER_AREA to kPreviewWidth), BGR as the service and the app take
/// it, RGBA as the app uploads it to its GL texture. Only preview pixels that lie wholly inside
/// the block are used: they depend on nothing else in the frame.
void AddPreviewNeedles(secure::NeedleSet& set, const cv::Mat& frame, const cv::Rect& box, const std::string& kind)
{
	const int w = std::min(kPreviewWidth, frame.cols);
	const int h = std::max(1, int(double(frame.rows) * w / frame.cols));
	const double sx = double(frame.cols) / w, sy = double(frame.rows) / h;
	const int x0 = int(std::ceil(box.x / sx)), x1 = int(std::floor((box.x + box.width) / sx));
	const int y0 = int(std::ceil(box.y / sy)), y1 = int(std::floor((box.y + box.height) / sy));
	if (x1 - x0 < 8 || y1 <= y0)
		return;
	cv::Mat small, rgba;
	cv::resize(frame, small, {w, h}, 0, 0, cv::INTER_AREA);
	const cv::Mat inner = small(cv::Rect(x0, y0, x1 - x0, y1 - y0));
	cv::cvtColor(inner, rgba, cv::COLOR_BGR2RGBA);
	for (int y = 0; y < inner.rows; y += 2) {
		set.Add({reinterpret_cast<const std::byte*>(inner.ptr(y)), std::size_t(inner.cols) * 3}, kind + ":preview-pixels:bgr");
		set.Add({reinterpret_cast<const std::byte*>(rgba.ptr(y)), std::size_t(rgba.cols) * 4}, kind + ":preview-pixels:rgba");
	}
	small.setTo(0);
	rgba.setTo(0);
}

/// Paints a block of random pixels (the "photo") into the frame, after every degradation, and
/// adds rows of it, BGR and grey, as needles: a copy of the frame anywhere shows up. So do rows of
/// it as the kiosk app's downscaled preview holds them.
void AddPixelNeedles(secure::NeedleSet& set, cv::Mat& frame, const std::array<cv::Point2f, 4>& corners,
                     const std::string& kind)
{
	// Inside the document, near its top-left corner (clear of a licence back's barcode, which the
	// read check after this would notice): a crop of the card keeps it.
	const auto at = [&](float u, float v) {
		const cv::Point2f top = corners[0] + (corners[1] - corners[0]) * u, bottom = corners[3] + (corners[2] - corners[3]) * u;
		return top + (bottom - top) * v;
	};
	const cv::Point2f p = at(0.08f, 0.1f);
	cv::Rect box(int(p.x), int(p.y), 64, 16);
	box &= cv::Rect(0, 0, frame.cols, frame.rows);
	if (box.width < 64 || box.height < 16)
		box = cv::Rect(frame.cols - 120, 40, 64, 16);
	cv::Mat patch = frame(box);
	for (int y = 0; y < patch.rows; ++y)
		randombytes_buf(patch.ptr(y), std::size_t(patch.cols) * 3);
	cv::Mat grey;
	cv::cvtColor(patch, grey, cv::COLOR_BGR2GRAY);
	for (int y = 0; y < patch.rows; y += 5) {
		set.Add({reinterpret_cast<const std::byte*>(patch.ptr(y)), 48}, kind + ":frame-pixels:bgr");
		set.Add({reinterpret_cast<const std::byte*>(grey.ptr(y)), 32}, kind + ":frame-pixels:grey");
	}
	grey.setTo(0);
	AddPreviewNeedles(set, frame, box, kind);
}

/// The auditor's own in-process reader (barcodes, MRZs, printed dates), to make sure a canary is
/// readable before the kiosk is asked about it. Throws when the OCR models cannot be loaded.
const sighting::Scanner& Reader()
{
	static const sighting::Scanner reader = [] {
		std::string error;
		sighting::Options o;
		o.ocr = ocr::Engine::Open(ocr::DefaultModels(), &error);
		if (!o.ocr)
			throw std::runtime_error("cannot load the OCR models: " + error);
		return sighting::Scanner(age::DefaultPolicy(), o);
	}();
	return reader;
}

/// The licence back: its payload, the elements a parser would isolate, and the frame. Retries
/// until the auditor's own in-process scanner reads it, so that a missed read is never mistaken
/// for a kiosk failure.
Canary MakeAamvaCanary(secure::NeedleSet& set, year_month_day today, int threshold)
{
	const sighting::Scanner& reader = Reader();
	for (int attempt = 0; attempt < 8; ++attempt) {
		std::uint64_t seed;
		randombytes_buf(&seed, sizeof seed);
		synth::PayloadSpec spec = synth::RandomPayloadSpec(seed, 10, synth::DateOrder::US, today);
		spec.familyName = Letters(11);
		spec.givenName = Letters(9);
		spec.number = Alnum(10);
		spec.birth = RandomBirth(today);
		spec.expiry = year_month_day{today.year() + years(3), today.month(), day{1}};
		std::string payload = synth::MakeAamvaPayload(spec);
		cv::Mat card = synth::RenderLicenceBack(payload, seed);
		const synth::DocumentScene scene = synth::MakeDocumentScene(card, seed, synth::Level::Easy);
		cv::Mat frame = scene.image;
		card.setTo(0);
		AddPixelNeedles(set, frame, scene.corners, "aamva"); // before the read check: the patch is part of the frame
		const auto s = reader.scanFrame(frame, today);
		if (s.reason != Reason::Aamva || s.verdictFor(threshold) != Verdict::Over) {
			sodium_memzero(payload.data(), payload.size());
			frame.setTo(0);
			continue;
		}
		AddNameNeedles(set, "aamva", spec.familyName, spec.givenName, spec.number);
		AddDateNeedles(set, spec.birth, "aamva");
		set.AddText("DAQ" + spec.number, "aamva:element:DAQ");
		set.AddText("DCS" + spec.familyName, "aamva:element:DCS");
		// The raw payload, in slices (needles are at most 256 bytes).
		for (std::size_t at = 0; at + 48 <= payload.size(); at += payload.size() / 4)
			set.AddText(std::string_view(payload).substr(at, 48), "aamva:payload");
		sodium_memzero(payload.data(), payload.size());
		sodium_memzero(spec.familyName.data(), spec.familyName.size());
		sodium_memzero(spec.givenName.data(), spec.givenName.size());
		sodium_memzero(spec.number.data(), spec.number.size());
		return {"aamva", frame, true};
	}
	return {"aamva", cv::Mat(), true};
}

/// A passport data page (TD3) with its MRZ and its printed date of birth. Retries until the
/// auditor's reader reads it "over" from its MRZ.
Canary MakeMrzCanary(secure::NeedleSet& set, year_month_day today, int threshold)
{
	for (int attempt = 0; attempt < 8; ++attempt) {
		std::uint64_t seed;
		randombytes_buf(&seed, sizeof seed);
		synth::MrzSpec spec;
		spec.surname = Letters(11);
		spec.givenNames = Letters(9);
		spec.number = Alnum(9);
		spec.birth = RandomBirth(today);
		spec.expiry = year_month_day{today.year() + years(4), today.month(), day{1}};
		auto lines = synth::MakeTd3(spec);
		cv::Mat page = synth::RenderPassportPage(spec, seed);
		const synth::DocumentScene scene = synth::MakeDocumentScene(page, seed, synth::Level::Easy);
		cv::Mat frame = scene.image;
		page.setTo(0);
		AddPixelNeedles(set, frame, scene.corners, "mrz");
		const auto s = Reader().scanFrame(frame, today);
		if (s.reason != Reason::Mrz || s.verdictFor(threshold) != Verdict::Over) {
			for (auto& l : lines)
				sodium_memzero(l.data(), l.size());
			frame.setTo(0);
			continue;
		}
		AddNameNeedles(set, "mrz", spec.surname, spec.givenNames, spec.number);
		AddDateNeedles(set, spec.birth, "mrz");
		const std::string yymmdd = synth::MrzDate(spec.birth);
		set.AddText(yymmdd + std::to_string(synth::MrzCheckDigit(yymmdd)), "mrz:birth:yymmdd+check");
		for (auto& l : lines) {
			set.AddText(l, "mrz:line");
			set.AddText(l.substr(0, 30), "mrz:line-start");
			set.AddText(l.substr(l.size() - 30), "mrz:line-end");
			sodium_memzero(l.data(), l.size());
		}
		sodium_memzero(spec.surname.data(), spec.surname.size());
		sodium_memzero(spec.number.data(), spec.number.size());
		return {"mrz", frame, true};
	}
	return {"mrz", cv::Mat(), true};
}

/// A licence front with a printed date of birth. Retries until the auditor's reader reads it
/// "over" from its printed date.
Canary MakeFrontCanary(secure::NeedleSet& set, year_month_day today, int threshold)
{
	for (int attempt = 0; attempt < 8; ++attempt) {
		std::uint64_t seed;
		randombytes_buf(&seed, sizeof seed);
		synth::FrontSpec spec;
		spec.profile = synth::FrontProfile::AuNz;
		spec.surname = Letters(11);
		spec.givenNames = Letters(9);
		spec.number = Alnum(9);
		spec.birth = RandomBirth(today);
		spec.expiry = year_month_day{today.year() + years(2), today.month(), day{1}};
		synth::LicenceFront front = synth::RenderLicenceFront(spec, seed);
		const synth::DocumentScene scene = synth::MakeDocumentScene(front.image, seed, synth::Level::Easy);
		cv::Mat frame = scene.image;
		front.image.setTo(0);
		AddPixelNeedles(set, frame, scene.corners, "front");
		const auto s = Reader().scanFrame(frame, today);
		if (s.reason != Reason::Printed || s.verdictFor(threshold) != Verdict::Over) {
			sodium_memzero(front.dobText.data(), front.dobText.size());
			frame.setTo(0);
			continue;
		}
		AddNameNeedles(set, "front", spec.surname, spec.givenNames, spec.number);
		AddDateNeedles(set, spec.birth, "front");
		set.AddText(front.dobText, "front:birth:printed");
		sodium_memzero(front.dobText.data(), front.dobText.size());
		sodium_memzero(spec.surname.data(), spec.surname.size());
		sodium_memzero(spec.number.data(), spec.number.size());
		return {"front", frame, true};
	}
	return {"front", cv::Mat(), true};
}

// ---------------------------------------------------------------------------------------------
// The kiosk under test: `agecheck serve --source fd:3`, or the cashier's app `agecheck-kiosk
// --source fd:3 --windowed`, in a private directory.

/// The names in /dev/shm (POSIX shared memory would appear there).
std::set<std::string> ShmNames()
{
	std::set<std::string> names;
	std::error_code ec;
	for (const auto& e : fs::directory_iterator("/dev/shm", ec))
		names.insert(e.path().filename().string());
	return names;
}

struct Kiosk {
	pid_t pid = 0;
	int frames = -1;           ///< write end of the frame pipe
	int out = -1, err = -1;    ///< read ends of its stdout and stderr
	std::string root, socket;  ///< private directory, socket path
	std::vector<std::string> dirs; ///< HOME, TMPDIR, XDG_* given to it
	std::set<std::string> shmBefore; ///< /dev/shm before it started
	std::string stdoutText, stderrText;
	std::mutex textMutex;
	std::thread drain;

	~Kiosk() { stop(); }

	void stop()
	{
		if (frames >= 0)
			close(frames);
		frames = -1;
		if (pid > 0) {
			kill(pid, SIGTERM);
			int status = 0;
			for (int i = 0; i < 100 && waitpid(pid, &status, WNOHANG) == 0; ++i)
				std::this_thread::sleep_for(milliseconds(50));
			if (waitpid(pid, &status, WNOHANG) == 0) {
				kill(pid, SIGKILL);
				waitpid(pid, &status, 0);
			}
			pid = 0;
		}
		if (drain.joinable())
			drain.join();
		if (out >= 0)
			close(out);
		if (err >= 0)
			close(err);
		out = err = -1;
		if (!root.empty()) {
			std::error_code ec;
			fs::remove_all(root, ec);
			root.clear();
		}
	}

	bool writeFrame(const cv::Mat& frame)
	{
		const std::uint32_t header[4] = {0, htole32(std::uint32_t(frame.rows)), htole32(std::uint32_t(frame.cols)),
		                                 htole32(std::uint32_t(frame.type()))};
		unsigned char h[16];
		std::memcpy(h, header, sizeof h);
		std::memcpy(h, "AGRF", 4);
		return writeAll(h, sizeof h) && writeAll(frame.data, frame.total() * frame.elemSize());
	}

	bool writeAll(const unsigned char* p, std::size_t n)
	{
		while (n > 0) {
			const ssize_t w = write(frames, p, n);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				return false;
			p += w;
			n -= std::size_t(w);
		}
		return true;
	}

	std::string text(bool fromStdout)
	{
		std::lock_guard lock(textMutex);
		return fromStdout ? stdoutText : stderrText;
	}
};

bool Start(Kiosk& k, const Options& o, std::string* error)
{
	char tmpl[] = "/tmp/agecheck-selftest-XXXXXX";
	if (!mkdtemp(tmpl)) {
		*error = "cannot make a private directory under /tmp";
		return false;
	}
	k.root = tmpl;
	for (const char* d : {"home", "tmp", "config", "cache", "state", "data", "run"}) {
		k.dirs.push_back(k.root + "/" + d);
		fs::create_directory(k.dirs.back());
	}
	k.socket = k.root + "/run/agecheck.sock";
	k.shmBefore = ShmNames();

	int framePipe[2], outPipe[2], errPipe[2];
	if (pipe2(framePipe, O_CLOEXEC) || pipe2(outPipe, O_CLOEXEC) || pipe2(errPipe, O_CLOEXEC)) {
		*error = "cannot make pipes";
		return false;
	}
	fcntl(framePipe[1], F_SETPIPE_SZ, 1 << 20);
	std::vector<std::string> env;
	for (char** e = environ; *e; ++e) {
		const std::string_view v(*e);
		static constexpr std::string_view replaced[] = {"HOME=", "TMPDIR=", "XDG_CONFIG_HOME=", "XDG_CACHE_HOME=",
		                                                 "XDG_STATE_HOME=", "XDG_DATA_HOME=", "XDG_RUNTIME_DIR="};
		if (std::none_of(std::begin(replaced), std::end(replaced), [&](std::string_view r) { return v.rfind(r, 0) == 0; }))
			env.emplace_back(v);
	}
	const char* names[] = {"HOME=", "TMPDIR=", "XDG_CONFIG_HOME=", "XDG_CACHE_HOME=", "XDG_STATE_HOME=", "XDG_DATA_HOME=", "XDG_RUNTIME_DIR="};
	const int dirOf[] = {0, 1, 2, 3, 4, 5, 6};
	for (int i = 0; i < 7; ++i)
		env.push_back(names[i] + k.dirs[std::size_t(dirOf[i])]);
	if (!o.kiosk.empty()) {
		// The app draws with Mesa's software renderer, which keeps its textures (the preview) in
		// the app's own memory, where the scan reads them; a GPU's memory is out of its reach.
		// Without a display's vertical sync the app draws as fast as it can: llvmpipe draws on
		// the app's own thread only (LP_NUM_THREADS=0), so that the screen takes at most one
		// processor from the decoding worker. Its result tones play into SDL's dummy audio
		// device: the sound code runs, but no sound server is reached, whose client library
		// would make its runtime folder (pulse/) among the watched ones. The tones are made from
		// fixed notes and carry nothing of a document.
		std::erase_if(env, [](const std::string& v) {
			return v.rfind("SDL_VIDEODRIVER=", 0) == 0 || v.rfind("LIBGL_ALWAYS_SOFTWARE=", 0) == 0
			       || v.rfind("LP_NUM_THREADS=", 0) == 0 || v.rfind("SDL_AUDIODRIVER=", 0) == 0;
		});
		env.push_back("SDL_VIDEODRIVER=" + o.videoDriver);
		env.push_back("SDL_AUDIODRIVER=dummy");
		env.push_back("LIBGL_ALWAYS_SOFTWARE=1");
		env.push_back("LP_NUM_THREADS=0");
	}
	std::vector<char*> envp;
	for (auto& e : env)
		envp.push_back(e.data());
	envp.push_back(nullptr);

	const std::string program = o.kiosk.empty() ? o.agecheck : o.kiosk;
	std::vector<std::string> args = {o.agecheck, "serve", "--source", "fd:3", "--socket", k.socket, "--clear-for-ms", "0"};
	if (!o.kiosk.empty()) // the cashier's app: the same service, a window, the preview
		args = {o.kiosk, "--source", "fd:3", "--windowed", "--socket", k.socket, "--report-screens"};
	if (!o.worker.empty()) {
		args.push_back("--worker");
		args.push_back(o.worker);
	}
	std::vector<char*> argv;
	for (auto& a : args)
		argv.push_back(a.data());
	argv.push_back(nullptr);

	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addchdir_np(&fa, k.root.c_str()); // its working directory is watched too
	posix_spawn_file_actions_adddup2(&fa, outPipe[1], 1);
	posix_spawn_file_actions_adddup2(&fa, errPipe[1], 2);
	posix_spawn_file_actions_adddup2(&fa, framePipe[0], 3);
	const int rc = posix_spawn(&k.pid, program.c_str(), &fa, nullptr, argv.data(), envp.data());
	posix_spawn_file_actions_destroy(&fa);
	close(framePipe[0]);
	close(outPipe[1]);
	close(errPipe[1]);
	k.frames = framePipe[1];
	k.out = outPipe[0];
	k.err = errPipe[0];
	if (rc != 0) {
		k.pid = 0;
		*error = "cannot start " + program + ": " + std::strerror(rc);
		return false;
	}
	k.drain = std::thread([&k] {
		pollfd p[2] = {{k.out, POLLIN, 0}, {k.err, POLLIN, 0}};
		int open = 2;
		char buf[4096];
		while (open > 0 && poll(p, 2, -1) >= 0) {
			for (int i = 0; i < 2; ++i) {
				if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
					continue;
				const ssize_t n = read(p[i].fd, buf, sizeof buf);
				if (n <= 0) {
					p[i].fd = -1;
					--open;
					continue;
				}
				std::lock_guard lock(k.textMutex);
				(i == 0 ? k.stdoutText : k.stderrText).append(buf, std::size_t(n));
			}
		}
	});
	// Ready when it answers `status` (the app: and its window is open).
	const auto deadline = Clock::now() + seconds(20);
	while (Clock::now() < deadline) {
		std::string e;
		if ((o.kiosk.empty() || k.text(false).find("OpenGL renderer") != std::string::npos) && access(k.socket.c_str(), F_OK) == 0
		    && pos::Call(k.socket, R"({"v":1,"op":"status"})", milliseconds(2000), &e))
			return true;
		int status;
		if (waitpid(k.pid, &status, WNOHANG) == k.pid) {
			k.pid = 0;
			*error = "the kiosk exited at start: " + k.text(false);
			return false;
		}
		std::this_thread::sleep_for(milliseconds(50));
	}
	*error = o.kiosk.empty() ? "the kiosk did not answer on its socket within 20 s"
	                         : "the kiosk app did not open its window and answer on its socket within 20 s";
	return false;
}

// ---------------------------------------------------------------------------------------------
// /proc readers

std::string ReadFile(const std::string& path)
{
	std::ifstream f(path, std::ios::binary);
	std::ostringstream s;
	s << f.rdbuf();
	return s.str();
}

/// A "Key:   value" line of /proc/PID/status, trimmed; empty when missing.
std::string StatusField(pid_t pid, const std::string& key)
{
	std::istringstream in(ReadFile("/proc/" + std::to_string(pid) + "/status"));
	for (std::string line; std::getline(in, line);)
		if (line.rfind(key + ":", 0) == 0) {
			auto v = line.substr(key.size() + 1);
			v.erase(0, v.find_first_not_of(" \t"));
			return v;
		}
	return {};
}

std::uint64_t KiB(const std::string& field)
{
	return std::strtoull(field.c_str(), nullptr, 10);
}

std::vector<pid_t> ChildrenOf(pid_t parent)
{
	std::vector<pid_t> kids;
	if (DIR* d = opendir("/proc")) {
		while (dirent* e = readdir(d)) {
			const pid_t pid = pid_t(std::atoi(e->d_name));
			if (pid <= 0)
				continue;
			const std::string stat = ReadFile("/proc/" + std::to_string(pid) + "/stat");
			const auto close = stat.rfind(')');
			if (close == std::string::npos)
				continue;
			std::istringstream rest(stat.substr(close + 2));
			char state;
			pid_t ppid = 0;
			rest >> state >> ppid;
			if (ppid == parent && state != 'Z') // a worker that died and is not reaped yet is gone
				kids.push_back(pid);
		}
		closedir(d);
	}
	return kids;
}

std::string Name(pid_t pid)
{
	std::string comm = ReadFile("/proc/" + std::to_string(pid) + "/comm");
	while (!comm.empty() && comm.back() == '\n')
		comm.pop_back();
	return comm + " (pid " + std::to_string(pid) + ")";
}

std::string Hex(std::uintptr_t v)
{
	char b[32];
	std::snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(v));
	return b;
}

std::string MiB(std::uint64_t bytes)
{
	char b[32];
	std::snprintf(b, sizeof b, "%.1f MiB", double(bytes) / 1048576.0);
	return b;
}

std::uint64_t Rss(const std::vector<pid_t>& pids)
{
	std::uint64_t sum = 0;
	for (pid_t p : pids)
		sum += KiB(StatusField(p, "VmRSS"));
	return sum;
}

// ---------------------------------------------------------------------------------------------
// Checks

Check MemoryCheck(const std::vector<pid_t>& pids, const secure::NeedleSet& needles, Figures& fig)
{
	Check c{"memory", "No canary value in the memory of any kiosk process", true, {}};
	for (pid_t pid : pids) {
		const auto r = secure::ScanProcessMemory(pid, needles);
		if (!r.ok()) {
			c.pass = false;
			c.evidence.push_back(Name(pid) + ": could not be read: " + std::string(r.message)
			                     + " (run the self-test as root: kiosk processes are not dumpable)");
			continue;
		}
		fig.bytesScanned += r.bytesRead;
		fig.heapBytes += r.bytesByKind.heap;
		fig.stackBytes += r.bytesByKind.stack;
		c.evidence.push_back(Name(pid) + ": " + MiB(r.bytesRead) + " read in " + std::to_string(r.regionsScanned)
		                     + " regions (heap " + MiB(r.bytesByKind.heap) + ", stacks " + MiB(r.bytesByKind.stack)
		                     + ", anonymous " + MiB(r.bytesByKind.anonymous) + ", writable file-backed "
		                     + MiB(r.bytesByKind.file) + "), " + std::to_string(r.hitCount) + " canary occurrences");
		if (r.hitCount > 0)
			c.pass = false;
		for (std::size_t i = 0; i < r.hits.size() && i < 12; ++i) {
			const auto& h = r.hits[i];
			c.evidence.push_back("  FOUND " + h.label + " at " + Hex(h.address) + " in " + std::string(secure::ToString(h.kind))
			                     + " region " + Hex(h.regionBegin) + "-" + Hex(h.regionEnd) + " " + h.perms
			                     + (h.region.empty() ? "" : " " + h.region));
		}
	}
	c.evidence.push_back(std::to_string(needles.size()) + " needles: names, document numbers and dates of birth in 9 formats, "
	                     "ASCII and UTF-16; payload slices, AAMVA elements, MRZ lines; rows of frame pixels, BGR and grey; "
	                     "rows of the " + std::to_string(kPreviewWidth) + "-px preview, BGR and RGBA");
	return c;
}

/// Every byte a buffer shares with a needle: for logs, socket bytes and files.
std::vector<std::string> FindIn(std::string_view bytes, const secure::NeedleSet& needles)
{
	std::vector<std::string> found;
	for (const auto& h : secure::ScanBuffer({reinterpret_cast<const std::byte*>(bytes.data()), bytes.size()}, needles))
		found.push_back(std::string(needles.label(h.needle)) + " at offset " + std::to_string(h.offset));
	return found;
}

Check SocketCheck(const std::vector<std::string>& replies, const secure::NeedleSet& needles)
{
	Check c{"socket", "Only protocol tokens were sent to the POS", true, {}};
	std::size_t bytes = 0;
	for (const auto& r : replies) {
		bytes += r.size();
		bool ok = false;
		try {
			const auto j = nlohmann::json::parse(r);
			ok = j.is_object() && j.size() == 2 && j.value("v", 0) == 1 && j.contains("over") && j["over"].is_boolean();
		} catch (...) {
		}
		if (!ok) {
			c.pass = false;
			c.evidence.push_back("a reply that is not {\"v\":1,\"over\":true|false}: " + std::to_string(r.size()) + " bytes");
		}
	}
	std::string all;
	for (const auto& r : replies)
		all += r;
	for (const auto& f : FindIn(all, needles)) {
		c.pass = false;
		c.evidence.push_back("FOUND " + f);
	}
	c.evidence.insert(c.evidence.begin(), std::to_string(replies.size()) + " check replies, " + std::to_string(bytes)
	                                          + " bytes, each {\"v\":1,\"over\":true|false}");
	return c;
}

/// A line of the app's --report-screens output: a screen's name, threshold, colour and times (and, for a
/// result, the frame read and its reason code), a result tone played, or the frame rate at exit.
bool IsScreenLine(const std::string& line)
{
	static const std::regex screen(R"(screen [a-z-]+ threshold [0-9]+ colour [0-9]+,[0-9]+,[0-9]+ at [0-9.]+ s( latency [0-9.]+ ms frame [0-9]+ reason [a-z-]+)?|sound [a-z-]+)");
	static const std::regex frames(R"(frames [0-9]+ in [0-9.]+ s: [0-9.]+ fps)");
	return std::regex_match(line, screen) || std::regex_match(line, frames);
}

/// What the app's screen output (--report-screens) says: the screen it drew last, and how many
/// result screens it has drawn.
struct Screens {
	std::string last;
	std::size_t results = 0;
};

Screens ReadScreens(const std::string& out)
{
	Screens s;
	std::istringstream in(out);
	for (std::string line; std::getline(in, line);) {
		std::istringstream words(line);
		std::string word, name;
		if (!(words >> word >> name) || word != "screen")
			continue;
		s.last = name;
		if (name == "over" || name == "under" || name == "not-verified")
			++s.results;
	}
	return s;
}

Check LogCheck(const std::string& out, const std::string& err, const secure::NeedleSet& needles, bool app)
{
	Check c{"logs", "The kiosk's output (what the journal would keep) holds verdicts and reason codes only", true, {}};
	std::istringstream in(out);
	std::size_t lines = 0, screens = 0;
	for (std::string line; std::getline(in, line); ++lines) {
		if (app && IsScreenLine(line)) { // the app's screen changes, asked for by the self-test
			++screens;
			continue;
		}
		// sighting <reason> <threshold>:<verdict>...
		std::istringstream f(line);
		std::string word;
		bool ok = std::getline(f, word, '\t') && word == "sighting" && std::getline(f, word, '\t') && ReasonFromString(word);
		while (ok && std::getline(f, word, '\t')) {
			const auto colon = word.find(':');
			ok = colon != std::string::npos && colon > 0 && word.find_first_not_of("0123456789") == colon;
			const auto v = colon == std::string::npos ? std::string() : word.substr(colon + 1);
			ok = ok && (v == "over" || v == "under" || v == "unverified");
		}
		if (!ok) {
			c.pass = false;
			c.evidence.push_back("stdout line " + std::to_string(lines + 1) + " is not a sighting line ("
			                     + std::to_string(line.size()) + " bytes)");
		}
	}
	for (const auto& f : FindIn(out, needles)) {
		c.pass = false;
		c.evidence.push_back("FOUND in stdout: " + f);
	}
	for (const auto& f : FindIn(err, needles)) {
		c.pass = false;
		c.evidence.push_back("FOUND in stderr: " + f);
	}
	// In a sanitizer build, a leak or memory error report at exit fails the run too.
	if (err.find("Sanitizer") != std::string::npos || err.find("runtime error:") != std::string::npos) {
		c.pass = false;
		c.evidence.push_back("a sanitizer reported an error or a leak on the kiosk's stderr");
	}
	c.evidence.insert(c.evidence.begin(), "stdout: " + std::to_string(lines) + " lines, all `sighting` lines"
	                                          + (app ? " or the app's screen changes (" + std::to_string(screens) + ")" : "")
	                                          + "; stderr: " + std::to_string(err.size()) + " bytes; no canary value in either");
	return c;
}

Check FileCheck(const Kiosk& k, const std::vector<pid_t>& pids, const secure::NeedleSet& needles)
{
	Check c{"files", "The kiosk wrote no file and holds none open for writing", true, {}};
	std::size_t entries = 0;
	{
		std::error_code ec;
		for (auto it = fs::recursive_directory_iterator(k.root, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
			if (it->path() == k.socket || std::find(k.dirs.begin(), k.dirs.end(), it->path().string()) != k.dirs.end())
				continue;
			++entries;
			c.pass = false;
			c.evidence.push_back("a file appeared: " + it->path().string());
			if (it->is_regular_file(ec))
				for (const auto& f : FindIn(ReadFile(it->path()), needles))
					c.evidence.push_back("  FOUND " + f);
		}
	}
	for (const auto& name : ShmNames())
		if (!k.shmBefore.count(name)) {
			++entries;
			c.pass = false;
			c.evidence.push_back("a shared-memory file appeared: /dev/shm/" + name);
		}
	c.evidence.insert(c.evidence.begin(), "its working directory, HOME, TMPDIR, XDG config/cache/state/data/runtime, the socket's "
	                                      "folder and /dev/shm: " + std::to_string(entries) + " new entries besides the socket");
	for (pid_t pid : pids) {
		const std::string fdDir = "/proc/" + std::to_string(pid) + "/fd";
		std::size_t n = 0, writable = 0;
		std::error_code ec;
		for (const auto& e : fs::directory_iterator(fdDir, ec)) {
			++n;
			std::error_code ec2;
			const auto target = fs::read_symlink(e.path(), ec2).string();
			if (ec2 || target.empty() || target[0] != '/' || target.rfind("/dev/", 0) == 0 || target.rfind("/memfd:", 0) == 0)
				continue; // pipes, sockets, anonymous inodes, devices, the shared frame buffer
			const std::string info = ReadFile("/proc/" + std::to_string(pid) + "/fdinfo/" + e.path().filename().string());
			const auto at = info.find("flags:");
			const unsigned long flags = at == std::string::npos ? 0 : std::strtoul(info.c_str() + at + 6, nullptr, 8);
			if ((flags & O_ACCMODE) != O_RDONLY) {
				++writable;
				c.pass = false;
				c.evidence.push_back(Name(pid) + " holds a file open for writing: " + target);
			}
		}
		c.evidence.push_back(Name(pid) + ": " + std::to_string(n) + " descriptors, " + std::to_string(writable)
		                     + " regular files open for writing");
	}
	return c;
}

Check ProcessCheck(pid_t kiosk, const std::vector<pid_t>& workers, const std::string& err, std::uint64_t frameKiB)
{
	Check c{"process", "Process protections are in force", true, {}};
	const auto need = [&](bool ok, const std::string& what) {
		c.evidence.push_back(std::string(ok ? "ok: " : "FAILED: ") + what);
		c.pass = c.pass && ok;
	};
	std::vector<pid_t> all = {kiosk};
	all.insert(all.end(), workers.begin(), workers.end());
	for (pid_t p : all) {
		const std::string limits = ReadFile("/proc/" + std::to_string(p) + "/limits");
		const auto at = limits.find("Max core file size");
		std::istringstream l(at == std::string::npos ? "" : limits.substr(at + 18));
		std::string soft, hard;
		l >> soft >> hard;
		need(soft == "0", Name(p) + ": core dumps off (RLIMIT_CORE " + soft + ")");
		need(StatusField(p, "VmSwap") == "0 kB", Name(p) + ": nothing swapped out (VmSwap " + StatusField(p, "VmSwap") + ")");
		const std::string env = ReadFile("/proc/" + std::to_string(p) + "/environ");
		need(env.find("glibc.malloc.tcache_count=0") != std::string::npos,
		     Name(p) + ": glibc tcache off, so freed chunks are perturbed (GLIBC_TUNABLES)");
	}
	if (err.find("sanitizer=asan") != std::string::npos) // a test build, never a deployment
		c.evidence.push_back("not checked: frame buffer locked in RAM (an AddressSanitizer build, whose mlock does nothing)");
	else
		need(KiB(StatusField(kiosk, "VmLck")) >= 4 * frameKiB,
		     Name(kiosk) + ": its four frame buffers locked in RAM (VmLck " + StatusField(kiosk, "VmLck") + ", at least "
		         + std::to_string(4 * frameKiB) + " kB: capture, ring slot, worker copy, shared buffer)");
	need(err.find("dumpable=no") != std::string::npos, Name(kiosk) + ": not dumpable (its own report, PR_GET_DUMPABLE)");
	need(err.find("delete-wipes=yes") != std::string::npos && err.find("free-wipes=yes") != std::string::npos,
	     Name(kiosk) + ": freed C++ and C blocks measured wiped (its own report)");
	need(!workers.empty(), "a separate decoding worker runs: " + std::to_string(workers.size()));
	need(err.find("worker-wipes=yes") != std::string::npos, "the worker measured its freed blocks wiped (its own report)");
	for (pid_t w : workers) {
		need(StatusField(w, "Seccomp") == "2", Name(w) + ": seccomp filter in force (Seccomp " + StatusField(w, "Seccomp") + ")");
		need(StatusField(w, "NoNewPrivs") == "1", Name(w) + ": no new privileges");
	}
	const std::string swaps = ReadFile("/proc/swaps");
	const auto swapLines = std::count(swaps.begin(), swaps.end(), '\n');
	c.evidence.push_back(swapLines <= 1 ? "note: no swap is active on this machine"
	                                    : "note: swap is active (" + std::to_string(swapLines - 1)
	                                          + " devices): the deployment must encrypt it or turn it off (see THREAT-MODEL.md)");
	return c;
}

/// Where the kiosk app's textures live, from its start-up line ("display D, OpenGL renderer R").
std::string TextureEvidence(const std::string& err)
{
	static constexpr std::string_view key = "OpenGL renderer ";
	const auto at = err.find(key);
	if (at == std::string::npos)
		return "note: the app did not say which OpenGL renderer it uses: its GL textures may not have been read";
	const auto end = err.find('\n', at);
	const std::string renderer = err.substr(at + key.size(), end == std::string::npos ? std::string::npos : end - at - key.size());
	const auto d = err.rfind("display ", at);
	const std::string display = d == std::string::npos ? "?" : err.substr(d + 8, err.find(',', d) - d - 8);
	if (renderer.find("llvmpipe") != std::string::npos || renderer.find("softpipe") != std::string::npos)
		return "the app's GL textures (its preview): renderer " + renderer + " on SDL's " + display
		       + " driver, a software renderer, keeps them in the app's memory, read above";
	return "note: renderer " + renderer + " is not Mesa's software renderer: textures in GPU memory were not read";
}

std::string NowUtc()
{
	const std::time_t t = std::time(nullptr);
	std::tm tm{};
	gmtime_r(&t, &tm);
	char b[32];
	std::strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return b;
}

} // namespace

bool Report::pass() const noexcept
{
	return error.empty() && !checks.empty()
	       && std::all_of(checks.begin(), checks.end(), [](const Check& c) { return c.pass; });
}

Report Run(const Options& o)
{
	Report report;
	report.date = NowUtc();
	report.version = "agecheck 0.1.0";
	report.audited = o.kiosk.empty() ? "agecheck serve" : "agecheck-kiosk (the cashier app)";
	const auto t0 = Clock::now();
	try {
		std::signal(SIGPIPE, SIG_IGN);
		if (sodium_init() < 0)
			throw std::runtime_error("libsodium could not start");
		const year_month_day today = LocalToday();
		const int threshold = age::DefaultPolicy().thresholds.front();
		const auto say = [&](const char* what) {
			if (o.progress)
				std::fprintf(stderr, "selftest: %s\n", what);
		};

		say("making canary documents");
		secure::NeedleSet needles;
		std::vector<Canary> canaries;
		canaries.push_back(MakeAamvaCanary(needles, today, threshold));
		canaries.push_back(MakeMrzCanary(needles, today, threshold));
		canaries.push_back(MakeFrontCanary(needles, today, threshold));
		for (const Canary& c : canaries)
			if (c.frame.empty())
				throw std::runtime_error("no readable " + c.kind + " canary could be made");
		const cv::Mat blank(canaries.front().frame.size(), CV_8UC3, cv::Scalar(96, 104, 112));

		say("starting the kiosk");
		Kiosk kiosk;
		std::string error;
		if (!Start(kiosk, o, &error))
			throw std::runtime_error(error);

		// The app must show each canary in its preview before reading it, as it would a customer's
		// ID, or there would be nothing of it on its side to look for; it takes no preview while a
		// result is on its screen (4 s), and with a software renderer on a busy machine the first
		// drawing of a screen took 3 to 8 s (measured on this project's shared 2-core machine).
		// So the app reports its screens (--report-screens), and each canary is shown only once
		// it has drawn its idle screen again, then for 1 s before the POS asks. Frames come at a
		// camera's 30 a second, so that copying them does not take the processors from its screen.
		const bool app = !o.kiosk.empty();
		const milliseconds blankFor = app ? std::max(o.blankFor, milliseconds(3000)) : o.blankFor;
		const milliseconds framePeriod = app ? milliseconds(33) : milliseconds(8);
		int idleWaitsMissed = 0;
		// Plain frames until `minimum` has passed and (the app) its idle screen is drawn after
		// `results` result screens; false when the app did not get there within 30 s more.
		const auto plainFrames = [&](milliseconds minimum, std::size_t results) {
			const auto start = Clock::now();
			for (int f = 0;; ++f) {
				const auto now = Clock::now();
				bool ready = f >= 4 && now >= start + minimum;
				if (app && ready) {
					const Screens screens = ReadScreens(kiosk.text(true));
					ready = screens.last == "idle" && screens.results >= results;
					if (!ready && now >= start + minimum + seconds(30))
						return false;
				}
				if (ready)
					return true;
				kiosk.writeFrame(blank);
				++report.figures.framesSent;
				std::this_thread::sleep_for(framePeriod + milliseconds(app ? 0 : 2));
			}
		};
		if (app && !plainFrames(seconds(2), 0))
			++idleWaitsMissed;
		say("scanning");
		std::vector<std::string> replies;
		Check pipeline{"sightings", "Readable canaries were sighted and answered over the POS socket", true, {}};
		int answered = 0, wrong = 0, asked = 0;
		const int total = o.scans * int(canaries.size());
		int done = 0;
		std::size_t resultsSeen = 0; // the app: result screens it should have drawn by now
		std::vector<pid_t> pids;
		for (int i = 0; i < o.scans; ++i) {
			for (const auto& canary : canaries) {
				if (canary.answerable) {
					// The app is shown the document for 1 s before the POS asks, from its idle
					// screen: it is read then and its answer kept for the check, or read while the
					// check waits.
					const std::size_t resultsBefore = ReadScreens(kiosk.text(true)).results;
					resultsSeen = resultsBefore + 1;
					for (const auto until = Clock::now() + (app ? seconds(1) : seconds(0)); Clock::now() < until;) {
						kiosk.writeFrame(canary.frame);
						++report.figures.framesSent;
						std::this_thread::sleep_for(framePeriod);
					}
					std::atomic<bool> finished{false};
					std::optional<std::string> reply;
					std::string callError;
					++asked;
					std::thread asker([&] {
						const std::string req = R"({"v":1,"op":"check","threshold":)" + std::to_string(threshold)
						                        + R"(,"timeout_ms":)" + std::to_string(o.answerTimeout.count()) + "}";
						reply = pos::Call(kiosk.socket, req, o.answerTimeout + seconds(2), &callError);
						finished = true;
					});
					const auto until = Clock::now() + o.answerTimeout;
					while (!finished && Clock::now() < until) {
						kiosk.writeFrame(canary.frame);
						++report.figures.framesSent;
						std::this_thread::sleep_for(framePeriod);
					}
					asker.join();
					if (reply) {
						replies.push_back(*reply);
						if (reply->find("\"over\":true") != std::string::npos)
							++answered;
						else
							++wrong;
					}
				} else {
					for (int f = 0; f < 3; ++f) {
						kiosk.writeFrame(canary.frame);
						++report.figures.framesSent;
						std::this_thread::sleep_for(milliseconds(15));
					}
				}
				// The card leaves the view: plain frames until one was surely scanned. Not after the
				// very last document: then nothing overwrites its frame, and only the service's own
				// wipes (capture buffer, ring slot, worker copy, shared buffer) can remove it.
				// The kiosk answers the next document only once it has scanned a frame without one
				// (the card left the view): plain frames for as long as a frame may take to scan.
				const bool last = i == o.scans - 1 && &canary == &canaries.back();
				if (!last && !plainFrames(blankFor, resultsSeen))
					++idleWaitsMissed;
				if (++done == std::max(1, total / 10)) {
					pids = {kiosk.pid};
					for (pid_t w : ChildrenOf(kiosk.pid))
						pids.push_back(w);
					report.figures.rssWarmKiB = Rss(pids);
				}
			}
		}
		report.figures.sightings = answered;
		pipeline.pass = answered == asked;
		pipeline.evidence.push_back(std::to_string(answered) + " of " + std::to_string(asked)
		                            + " canaries (licence backs, passport pages, licence fronts) answered over, "
		                            + std::to_string(wrong) + " otherwise");
		pipeline.evidence.push_back(std::to_string(report.figures.framesSent) + " frames sent as a camera would");
		if (app)
			pipeline.evidence.push_back(idleWaitsMissed == 0
			                                ? "the app was back on its idle screen, showing its preview, before each canary"
			                                : "note: " + std::to_string(idleWaitsMissed)
			                                      + " times the app did not draw its idle screen again within 30 s: a canary "
			                                        "may not have reached its preview");

		say("waiting the grace period");
		std::this_thread::sleep_for(o.grace);
		pids = {kiosk.pid};
		const std::vector<pid_t> workers = ChildrenOf(kiosk.pid);
		pids.insert(pids.end(), workers.begin(), workers.end());
		report.figures.rssEndKiB = Rss(pids);

		say("looking for canaries");
		report.checks.push_back(pipeline);
		report.checks.push_back(MemoryCheck(pids, needles, report.figures));
		if (!o.kiosk.empty())
			report.checks.back().evidence.push_back(TextureEvidence(kiosk.text(false)));
		report.checks.push_back(FileCheck(kiosk, pids, needles));
		report.checks.push_back(SocketCheck(replies, needles));
		const std::string err = kiosk.text(false);
		report.checks.push_back(ProcessCheck(kiosk.pid, workers, err, blank.total() * blank.elemSize() / 1024));
		kiosk.stop(); // its output is complete once it has exited
		report.checks.push_back(LogCheck(kiosk.text(true), kiosk.text(false), needles, app));
		if (total >= 100) {
			const auto growth = report.figures.rssEndKiB > report.figures.rssWarmKiB ? report.figures.rssEndKiB - report.figures.rssWarmKiB : 0;
			Check mem{"growth", "Memory does not grow with scans (at most 5 MiB after warm-up)", growth <= 5 * 1024, {}};
			mem.evidence.push_back("resident " + std::to_string(report.figures.rssWarmKiB) + " KiB after "
			                       + std::to_string(std::max(1, total / 10)) + " scans, " + std::to_string(report.figures.rssEndKiB)
			                       + " KiB after " + std::to_string(total));
			report.checks.push_back(mem);
		}
		for (auto& c : canaries)
			c.frame.setTo(0);
	} catch (const std::exception& e) {
		report.error = e.what();
	} catch (...) {
		report.error = "unexpected failure";
	}
	report.figures.seconds = duration<double>(Clock::now() - t0).count();
	return report;
}

std::string ToMarkdown(const Report& r)
{
	std::ostringstream s;
	s << "# agecheck compliance self-test\n\n";
	s << "- Result: **" << (r.pass() ? "PASS" : "FAIL") << "**\n";
	s << "- Run at: " << r.date << " (UTC)\n";
	s << "- Version: " << r.version << "\n";
	s << "- Audited: " << r.audited << "\n";
	char secs[32];
	std::snprintf(secs, sizeof secs, "%.1f", r.figures.seconds);
	s << "- Duration: " << secs << " s\n";
	s << "- Memory read: " << MiB(r.figures.bytesScanned) << " (heap " << MiB(r.figures.heapBytes) << ", stacks "
	  << MiB(r.figures.stackBytes) << ")\n\n";
	if (!r.error.empty())
		s << "**The self-test could not run:** " << r.error << "\n\n";
	s << "Canary documents with fresh random names, document numbers and dates of birth were shown to the "
	     "kiosk as camera frames; after the sightings and a grace period its processes, files, output and "
	     "socket traffic were searched for every canary value. This report holds no canary value.\n\n";
	for (const auto& c : r.checks) {
		s << "## " << (c.pass ? "PASS" : "FAIL") << ": " << c.title << " (`" << c.id << "`)\n\n";
		for (const auto& e : c.evidence)
			s << "- " << e << "\n";
		s << "\n";
	}
	return s.str();
}

std::string ToJson(const Report& r)
{
	nlohmann::json j;
	j["schema"] = "agecheck-selftest/1";
	j["pass"] = r.pass();
	j["date"] = r.date;
	j["version"] = r.version;
	j["audited"] = r.audited;
	if (!r.error.empty())
		j["error"] = r.error;
	j["figures"] = {{"seconds", r.figures.seconds},         {"bytes_scanned", r.figures.bytesScanned},
	                {"heap_bytes", r.figures.heapBytes},     {"stack_bytes", r.figures.stackBytes},
	                {"rss_warm_kib", r.figures.rssWarmKiB},  {"rss_end_kib", r.figures.rssEndKiB},
	                {"sightings", r.figures.sightings},      {"frames_sent", r.figures.framesSent}};
	j["checks"] = nlohmann::json::array();
	for (const auto& c : r.checks)
		j["checks"].push_back({{"id", c.id}, {"title", c.title}, {"pass", c.pass}, {"evidence", c.evidence}});
	return j.dump(2) + "\n";
}

} // namespace agecheck::selftest

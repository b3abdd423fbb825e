// SPDX-License-Identifier: Apache-2.0
// agecheck-kiosk: the cashier's screen. It embeds the same service as `agecheck serve` (camera,
// sandboxed decoding worker, POS socket) and draws KioskState every frame, the way Dear ImGui's
// example_sdl2_opengl3 does: set up SDL, GL and ImGui, a straight event/frame/render loop, shut
// down in reverse. It writes no files (ImGui's ini and log files are off) and never shows a
// name, a date of birth or a document number: the screen only knows verdicts and reason codes.

#include <CLI/CLI.hpp>
#include <SDL.h>
#include <SDL_opengl.h>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <thread>
#include <unistd.h>

#include "KeyPacing.h"
#include "KioskState.h"
#include "ServiceHost.h"
#include "Settings.h"
#include "Sound.h"
#include "age/Policy.h"
#include "common/Dates.h"
#include "capture/ZeroingAllocator.h"
#include "imgui.h"
#include "imgui_internal.h"
#include "imgui_impl_opengl3.h"
#include "imgui_impl_sdl.h"
#include "secure/Harden.h"
#include "secure/Wipe.h"
#include "service/Service.h"

namespace fs = std::filesystem;
using namespace agecheck;
using kiosk::Clock;

namespace {

/// Events from the service's threads, handed to the UI thread. No identity data.
struct Event {
	enum Kind { Check, Sighting, Answer, Guide } kind;
	bool active = false;
	int threshold = 0;
	sighting::Sighting sighting{};
	sighting::Guide guide{};
};

struct Inbox {
	std::mutex m;
	std::deque<Event> events;
	void push(Event e)
	{
		std::lock_guard lock(m);
		events.push_back(e);
	}
	std::deque<Event> drain()
	{
		std::lock_guard lock(m);
		return std::exchange(events, {});
	}
};

/// The preview texture: uploaded from the service's downscaled frame, overwritten with black as
/// soon as a sighting completes.
struct Preview {
	GLuint texture = 0;
	int width = 0, height = 0;
	cv::Mat rgba; ///< zeroing allocator (OpenCV's default here)

	void upload(const cv::Mat& bgr)
	{
		cv::cvtColor(bgr, rgba, cv::COLOR_BGR2RGBA);
		if (rgba.data != locked) { // locked in RAM once per allocation
			locked = rgba.data;
			secure::LockPages(rgba.data, rgba.total() * rgba.elemSize());
		}
		if (!texture)
			glGenTextures(1, &texture);
		glBindTexture(GL_TEXTURE_2D, texture);
		glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
		glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
		glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
		if (rgba.cols != width || rgba.rows != height) {
			width = rgba.cols;
			height = rgba.rows;
			glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data);
		} else {
			glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data);
		}
	}

	/// Overwrites the texture and the CPU copy with black: the picture of the ID is gone.
	void clear()
	{
		if (rgba.empty())
			return;
#if defined(AGECHECK_TEST_KEEP_PREVIEW)
		// The self-test's negative control (agecheck-kiosk-keep, a test build only): the picture
		// stays in the app's copy and the texture, or with AGECHECK_TEST_KEEP=texture in the
		// texture only. The shipped app has no such code.
		static const char* const keep = getenv("AGECHECK_TEST_KEEP");
		static const bool textureOnly = keep && std::string_view(keep) == "texture";
		if (textureOnly)
			rgba.setTo(cv::Scalar::all(0));
		blank = true;
		return;
#endif
		rgba.setTo(cv::Scalar::all(0));
		glBindTexture(GL_TEXTURE_2D, texture);
		glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data);
		blank = true;
	}
	bool blank = true;
	const void* locked = nullptr;
};

/// Colours of the result screens: chosen for contrast at a counter, not for taste.
const ImVec4 kGreen{0.05f, 0.55f, 0.15f, 1.0f};
const ImVec4 kRed{0.75f, 0.08f, 0.08f, 1.0f};
const ImVec4 kAmber{0.95f, 0.62f, 0.02f, 1.0f};
const ImVec4 kIdle{0.10f, 0.12f, 0.16f, 1.0f};

ImVec4 Background(kiosk::Screen s)
{
	switch (s) {
	case kiosk::Screen::Over: return kGreen;
	case kiosk::Screen::Under: return kRed;
	case kiosk::Screen::NotVerified: return kAmber;
	case kiosk::Screen::ScannerFault: return kAmber;
	default: return kIdle;
	}
}

const char* ScreenName(kiosk::Screen s)
{
	switch (s) {
	case kiosk::Screen::Idle: return "idle";
	case kiosk::Screen::Scanning: return "scanning";
	case kiosk::Screen::Over: return "over";
	case kiosk::Screen::Under: return "under";
	case kiosk::Screen::NotVerified: return "not-verified";
	case kiosk::Screen::NoCamera: return "no-camera";
	case kiosk::Screen::ScannerFault: return "scanner-fault";
	case kiosk::Screen::Applying: return "applying";
	}
	return "?";
}

/// Every text ImGui rendered on the cashier's screens (from its own log), for --report-text.
std::set<std::string>* g_drawn = nullptr;

/// Text centred horizontally at height y in the current window.
void Centred(const char* text, float y, ImFont* font)
{
	ImGui::PushFont(font);
	const ImVec2 size = ImGui::CalcTextSize(text);
	ImGui::SetCursorPos({(ImGui::GetWindowWidth() - size.x) * 0.5f, y});
	ImGui::TextUnformatted(text);
	ImGui::PopFont();
}

struct Args {
	std::string source;
	std::string socket = "/run/agecheck/agecheck.sock";
	std::string policyFile;
	std::string worker;
	std::string settingsPin;
	int width = 0, height = 0;
	bool windowed = false;
	bool loop = true;
	bool sound = true;             ///< a tone on each result
	int ttlMs = 30000;             ///< how long an unasked sighting answers a later check
	int exitAfterMs = 0;           ///< tests and benchmarks: quit after this long
	bool reportScreens = false;    ///< print each screen change (and its centre colour) to stdout
	bool reportText = false;       ///< print every text the screens drew, at exit
	std::string captureDir;        ///< tests and docs: a PNG of the window at each screen change (demo source only)
};

std::string Beside(const char* name)
{
	std::error_code ec;
	return (fs::read_symlink("/proc/self/exe", ec).parent_path() / name).string();
}

/// The demo clip, looked for beside the build and in the source tree.
std::string DemoClip()
{
	for (const auto& p : {Beside("../../../assets/demo/demo.mp4"), std::string(AGECHECK_SOURCE_DIR "/assets/demo/demo.mp4")})
		if (fs::exists(p))
			return fs::weakly_canonical(p).string();
	return {};
}

} // namespace

#if defined(__SANITIZE_ADDRESS__)
/// In sanitizer builds the app's leak check is off: libdbus (through SDL) and Mesa's llvmpipe
/// (JIT code without a module name, which suppressions cannot match) leak small blocks at exit.
/// The service's own code is leak-checked through `agecheck serve` and the self-test.
extern "C" const char* __lsan_default_options()
{
	return "detect_leaks=0";
}
#endif

int main(int argc, char** argv)
{
	secure::PrepareEnvironment(argv);
	setenv("OPENCV_IO_MAX_IMAGE_PIXELS", "40000000", 1);
	// Mesa would write compiled shaders under ~/.cache: the app writes no files.
	setenv("MESA_SHADER_CACHE_DISABLE", "true", 1);
	secure::HardenProcess();
	capture::InstallZeroingAllocator();
	cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);

	CLI::App app{"agecheck-kiosk: the cashier's screen; sights an ID, answers the POS, keeps nothing"};
	Args a;
	app.add_option("--source", a.source, "camera:N or /dev/videoN, or a video file (default: camera:0 if there is one, else the demo clip)");
	app.add_option("--width", a.width, "Camera width: 1280 or 1920")->check(CLI::IsMember({0, 1280, 1920}));
	app.add_option("--height", a.height, "Camera height: 720 or 1080")->check(CLI::IsMember({0, 720, 1080}));
	app.add_option("--socket", a.socket, "The POS socket (default /run/agecheck/agecheck.sock)");
	app.add_option("--policy", a.policyFile, "A policy file (default: the built-in policy)");
	app.add_option("--worker", a.worker, "The decoding worker (default: agecheck-worker beside this program)");
	app.add_option("--ttl-ms", a.ttlMs, "How long an unanswered sighting is kept for the next check (default 30000)")
		->check(CLI::Range(100, 120000));
	app.add_option("--settings-pin", a.settingsPin, "PIN that opens the settings screen (default: settings locked)");
	app.add_flag("--windowed", a.windowed, "A 1280x720 window instead of full screen");
	app.add_flag("!--no-loop", a.loop, "Play a file source once instead of looping it");
	app.add_option("--sound", a.sound, "A tone on each result: on or off (default on)")
		->transform(CLI::CheckedTransformer(std::map<std::string, std::string>{{"on", "1"}, {"off", "0"}}));
	app.add_option("--exit-after-ms", a.exitAfterMs, "Quit after this long (tests, benchmarks)");
	app.add_flag("--report-screens", a.reportScreens, "Print each screen change to stdout (tests)");
	app.add_flag("--report-text", a.reportText, "Print every text the screens drew, at exit (tests)");
	app.add_option("--capture-dir", a.captureDir, "Save a half-size JPEG of the window at each screen change (demo source only)");
	CLI11_PARSE(app, argc, argv);

	age::Policy policy = age::DefaultPolicy();
	if (!a.policyFile.empty()) {
		std::string error;
		auto p = age::LoadPolicy(a.policyFile, &error);
		if (!p) {
			std::fprintf(stderr, "agecheck-kiosk: %s\n", error.c_str());
			return 2;
		}
		policy = *p;
	}
	bool demo = false;
	const bool socketGiven = app.count("--socket") > 0;
	if (a.source.empty()) {
		if (fs::exists("/dev/video0")) {
			a.source = "camera:0";
		} else {
			a.source = DemoClip();
			demo = true;
			if (a.source.empty()) {
				std::fprintf(stderr, "agecheck-kiosk: no camera, and the demo clip (assets/demo/demo.mp4) is missing\n");
				return 2;
			}
		}
	} else {
		demo = a.source == DemoClip();
	}
	if (demo && !socketGiven) {
		// Synthetic documents must never answer a real till: the demo serves a private socket
		// unless one is named on purpose.
		a.socket = "/tmp/agecheck-demo-" + std::to_string(getuid()) + "/agecheck.sock";
		std::fprintf(stderr, "agecheck-kiosk: demo source; the POS socket is %s\n", a.socket.c_str());
	}
	if (!a.captureDir.empty() && !demo) {
		// A screenshot of a real customer's ID would be a copy of it: only the synthetic demo.
		std::fprintf(stderr, "agecheck-kiosk: --capture-dir works on the demo source only\n");
		return 2;
	}

	service::Options o;
	o.source = a.source;
	o.live.loop = a.loop && a.source.rfind("camera:", 0) != 0 && a.source.rfind("/dev/", 0) != 0;
	o.live.width = a.width;
	o.live.height = a.height;
	o.policy = policy;
	o.server.socketPath = a.socket;
	o.server.ttl = std::chrono::milliseconds(a.ttlMs);
	o.worker.path = a.worker.empty() ? Beside("agecheck-worker") : a.worker;
	o.previewWidth = 960;
	o.waitForCamera = true; // the screen says "camera disconnected" until it is plugged in
	if (demo) {
		// The demo clip's documents were made for one date (assets/demo/TODAY): decide on it, so
		// that the demo shows the same verdicts every day. A camera always uses the local date.
		std::ifstream f(fs::path(a.source).parent_path() / "TODAY");
		std::string text;
		if (f >> text)
			if (const auto day = ParseIsoDate(text))
				o.today = [d = *day] { return d; };
	}
	{
		std::error_code ec;
		const auto dir = fs::path(a.socket).parent_path();
		if (!dir.empty())
			fs::create_directories(dir, ec);
	}
	Inbox inbox;
	// The settings replace the service with a new one (ServiceHost): each is wired the same way.
	kiosk::ServiceHost host([&](service::Service& svc) {
		svc.onCheck = [&](bool active, int threshold) { inbox.push({Event::Check, active, threshold, {}}); };
		svc.onSighting = [&](const sighting::Sighting& s) { inbox.push({Event::Sighting, false, 0, s}); };
		svc.onAnswer = [&](int threshold, bool over) { inbox.push({Event::Answer, over, threshold, {}}); };
		svc.onGuide = [&](const sighting::Guide& g) { inbox.push({Event::Guide, false, 0, {}, g}); };
	});
	std::string error;
	if (!host.start(o, &error)) {
		std::fprintf(stderr, "agecheck-kiosk: %s\n", error.c_str());
		return 2;
	}
	if (const auto svc = host.current())
		std::fprintf(stderr, "agecheck-kiosk: %s\n", service::ProtectionsLine(svc->stats()).c_str());

	// SDL, GL, ImGui: as in example_sdl2_opengl3.
	if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
		std::fprintf(stderr, "agecheck-kiosk: no display (%s); run `agecheck serve` for the headless service\n", SDL_GetError());
		host.stop();
		return 3;
	}
	const char* glslVersion = "#version 130";
	SDL_GL_SetAttribute(SDL_GL_CONTEXT_FLAGS, 0);
	SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
	SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
	SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
	SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
	auto flags = SDL_WindowFlags(SDL_WINDOW_OPENGL | SDL_WINDOW_ALLOW_HIGHDPI | (a.windowed ? SDL_WINDOW_RESIZABLE : SDL_WINDOW_FULLSCREEN_DESKTOP));
	int winW = 1280, winH = 720;
	SDL_DisplayMode desktop;
	if (!a.windowed && SDL_GetDesktopDisplayMode(0, &desktop) == 0) { // full screen even without a window manager
		winW = desktop.w;
		winH = desktop.h;
	}
	SDL_Window* window = SDL_CreateWindow("agecheck", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, winW, winH, flags);
	SDL_GLContext gl = window ? SDL_GL_CreateContext(window) : nullptr;
	if (!window || !gl) {
		std::fprintf(stderr, "agecheck-kiosk: cannot open an OpenGL window (%s)\n", SDL_GetError());
		host.stop();
		return 3;
	}
	SDL_GL_MakeCurrent(window, gl);
	// Where the preview texture lives: a software renderer (llvmpipe) keeps it in this process.
	std::fprintf(stderr, "agecheck-kiosk: display %s, OpenGL renderer %s\n", SDL_GetCurrentVideoDriver(),
	             reinterpret_cast<const char*>(glGetString(GL_RENDERER)));
	SDL_GL_SetSwapInterval(1);
	SDL_ShowCursor(a.windowed ? SDL_ENABLE : SDL_DISABLE);

	IMGUI_CHECKVERSION();
	ImGui::CreateContext();
	ImGuiIO& io = ImGui::GetIO();
	io.IniFilename = nullptr; // ImGui writes no files
	io.LogFilename = nullptr;
	io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
	ImGui::StyleColorsDark();
	ImGui::GetStyle().FrameRounding = 8;
	ImGui::GetStyle().FramePadding = {24, 16}; // touch-sized buttons
	const char* bold = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
	const char* regular = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
	ImFont* body = fs::exists(regular) ? io.Fonts->AddFontFromFileTTF(regular, 34) : io.Fonts->AddFontDefault();
	ImFont* huge = fs::exists(bold) ? io.Fonts->AddFontFromFileTTF(bold, 150) : body;
	ImFont* large = fs::exists(bold) ? io.Fonts->AddFontFromFileTTF(bold, 60) : body;
	ImGui_ImplSDL2_InitForOpenGL(window, gl);
	ImGui_ImplOpenGL3_Init(glslVersion);

	std::set<std::string> drawn;
	if (a.reportText)
		g_drawn = &drawn;
	kiosk::Options ko;
	ko.thresholds = policy.thresholds;
	ko.demo = demo;
	kiosk::KioskState state(ko);
	kiosk::Sound sound(a.sound, a.reportScreens);
	kiosk::Settings settings(a.settingsPin, Beside("agecheck"), {a.source, a.width, a.height, policy, a.sound}, a.policyFile,
	                         a.reportScreens);
	settings.onApply = [&](const kiosk::Config& c, bool restart) {
		sound.setEnabled(c.sound);
		return !restart || host.restart(kiosk::WithConfig(o, a.source, c));
	};
	Preview preview;
	cv::Mat frame;
	const void* frameLocked = nullptr;
	const auto started = Clock::now();
	kiosk::Screen lastScreen = kiosk::Screen(255);
	bool captureNext = false;
	bool capturedGuide = false;
	std::string captureName;
	unsigned long long uiFrames = 0;
	bool done = false;
	std::deque<SDL_Event> events; // the window's events, handed to ImGui at the pace of KeyPacing.h
	std::vector<kiosk::PacedEvent> paced;
	while (!done) {
		const auto frameStart = Clock::now();
		for (SDL_Event event; SDL_PollEvent(&event);)
			events.push_back(event);
		paced.clear();
		for (const SDL_Event& e : events) {
			const bool key = e.type == SDL_KEYDOWN || e.type == SDL_KEYUP;
			paced.push_back({!key ? kiosk::PacedEvent::Kind::Other
			                 : e.type == SDL_KEYDOWN ? kiosk::PacedEvent::Kind::KeyDown
			                                         : kiosk::PacedEvent::Kind::KeyUp,
			                 key ? int(e.key.keysym.scancode) : 0});
		}
		for (std::size_t n = kiosk::EventsForThisFrame(paced); n > 0; --n) {
			SDL_Event event = events.front();
			events.pop_front();
			ImGui_ImplSDL2_ProcessEvent(&event);
			if (event.type == SDL_QUIT)
				done = true;
			if (event.type == SDL_KEYDOWN) {
				const auto key = event.key.keysym.sym;
				if (key == SDLK_q && (event.key.keysym.mod & KMOD_CTRL))
					done = true;
				if (key == SDLK_F2)
					settings.open();
				if (key == SDLK_ESCAPE)
					settings.close();
			}
		}
		if (a.exitAfterMs > 0 && Clock::now() - started > std::chrono::milliseconds(a.exitAfterMs))
			done = true;

		const auto now = Clock::now();
		for (const Event& e : inbox.drain()) {
			if (e.kind == Event::Check)
				state.check(e.active, e.threshold, now);
			else if (e.kind == Event::Answer)
				state.answered(e.threshold, e.active, now);
			else if (e.kind == Event::Guide)
				state.guide(e.guide, now);
			else {
				state.sighting(e.sighting, now);
				preview.clear(); // the picture of the ID leaves the screen and the GPU at once
			}
		}
		if (const auto ok = host.takeResult(&error)) { // new settings applied, or the previous ones back
			if (!*ok)
				std::fprintf(stderr, "agecheck-kiosk: the new settings failed: %s\n", error.c_str());
			settings.applied(*ok);
			state.reconfigure(host.options().policy.thresholds, demo && host.options().source == a.source);
		}
		state.applying(host.applying(), now);
		const auto svc = host.current(); // null while new settings are applied
		const auto st = svc ? svc->stats() : service::Stats{};
		state.camera(st.sourceOk, now);
		state.scanner(svc ? st.workerPid != 0 : host.applying(), now); // the kiosk always decodes in the worker
		const kiosk::View view = state.view(now);
		if (!view.showPreview && !preview.blank)
			preview.clear(); // result or camera lost: no picture stays behind the screen
		if (view.showPreview && svc && svc->takePreview(frame)) {
			if (frame.data != frameLocked) {
				frameLocked = frame.data;
				secure::LockPages(frame.data, frame.total() * frame.elemSize());
			}
			preview.upload(frame);
			preview.blank = false;
			frame.setTo(cv::Scalar::all(0));
		}

		ImGui_ImplOpenGL3_NewFrame();
		ImGui_ImplSDL2_NewFrame();
		ImGui::NewFrame();
		if (g_drawn)
			ImGui::LogToBuffer(); // --report-text: everything ImGui renders as text this frame
		const ImVec2 screen = io.DisplaySize;
		ImGui::SetNextWindowPos({0, 0});
		ImGui::SetNextWindowSize(screen);
		ImGui::PushStyleColor(ImGuiCol_WindowBg, Background(view.screen));
		ImGui::Begin("kiosk", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings
		                                   | ImGuiWindowFlags_NoBringToFrontOnFocus);
		if (settings.isOpen()) {
			settings.draw(body, large);
		} else if (view.screen == kiosk::Screen::Over || view.screen == kiosk::Screen::Under) {
			char headline[32];
			std::snprintf(headline, sizeof headline, "%s %d", view.headline.data(), view.threshold);
			Centred(headline, screen.y * 0.28f, huge);
			Centred(view.detail.data(), screen.y * 0.62f, large);
			if (!view.otherAges.empty()) { // no check named an age: every age, so none is taken for another
				std::string ages;
				for (const auto& [t, v] : view.otherAges) {
					ages += (ages.empty() ? "" : "    ") + std::to_string(t) + ": ";
					ages += v == Verdict::Over ? "over" : v == Verdict::Under ? "under" : "not verified";
				}
				Centred(ages.c_str(), screen.y * 0.76f, large);
			}
		} else if (view.screen == kiosk::Screen::NotVerified) {
			Centred("NOT VERIFIED", screen.y * 0.22f, huge);
			Centred("Check the ID by hand", screen.y * 0.52f, large);
			Centred(view.detail.data(), screen.y * 0.68f, body);
		} else {
			Centred(view.headline.data(), screen.y * 0.05f, large);
			if (view.showPreview && preview.texture && !preview.blank) {
				const float maxW = screen.x * (view.screen == kiosk::Screen::Scanning ? 0.8f : 0.55f);
				const float maxH = screen.y * 0.62f;
				const float s = std::min(maxW / float(preview.width), maxH / float(preview.height));
				const ImVec2 size{float(preview.width) * s, float(preview.height) * s};
				ImGui::SetCursorPos({(screen.x - size.x) * 0.5f, screen.y * 0.17f});
				ImGui::Image(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(preview.texture)), size);
				if (view.found != sighting::Found::Nothing) {
					// The outline of what the scanner found, so the cashier sees what it is reading.
					const ImVec2 at = ImGui::GetItemRectMin();
					ImVec2 corners[4];
					for (int i = 0; i < 4; ++i)
						corners[i] = {at.x + view.outline[std::size_t(i)].x * size.x, at.y + view.outline[std::size_t(i)].y * size.y};
					ImDrawList* draw = ImGui::GetWindowDrawList();
					draw->PushClipRect(at, {at.x + size.x, at.y + size.y}, true);
					draw->AddPolyline(corners, 4, IM_COL32(255, 210, 40, 255), ImDrawFlags_Closed, 6.f);
					draw->PopClipRect();
				}
			}
			if (!view.hint.empty()) { // a hint says more than the standing instruction
				ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(255, 210, 40, 255));
				Centred(view.hint.data(), screen.y * 0.81f, large);
				ImGui::PopStyleColor();
			} else {
				Centred(view.detail.data(), screen.y * 0.84f, body);
			}
			if (view.checkWaiting) {
				char waiting[48];
				std::snprintf(waiting, sizeof waiting, "POS asks: %d or over?", view.threshold);
				Centred(waiting, screen.y * 0.91f, body);
			}
		}
		if (view.demo) {
			ImGui::PushFont(body);
			const char* banner = "DEMO SOURCE: synthetic documents, not a camera";
			const ImVec2 size = ImGui::CalcTextSize(banner);
			ImGui::GetWindowDrawList()->AddRectFilled({8, screen.y - 68}, {32 + size.x, screen.y - 68 + size.y + 16},
			                                          IM_COL32(0, 0, 0, 220), 6);
			ImGui::SetCursorPos({20, screen.y - 60});
			ImGui::TextColored({1, 0.85f, 0.2f, 1}, "%s", banner);
			ImGui::PopFont();
		}
		if (g_drawn) {
			std::istringstream lines(ImGui::GetCurrentContext()->LogBuffer.c_str());
			for (std::string line; std::getline(lines, line);)
				if (!line.empty())
					g_drawn->insert(line);
			ImGui::LogFinish();
		}
		ImGui::End();
		ImGui::PopStyleColor();

		ImGui::Render();
		glViewport(0, 0, int(io.DisplaySize.x), int(io.DisplaySize.y));
		const ImVec4 bg = Background(view.screen);
		glClearColor(bg.x, bg.y, bg.z, 1);
		glClear(GL_COLOR_BUFFER_BIT);
		ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

		if (captureNext || (a.reportScreens && view.screen != lastScreen)) {
			// Read back what is on screen: the test checks the colour, the docs take the picture.
			const int w = int(io.DisplaySize.x), h = int(io.DisplaySize.y);
			cv::Mat rgba(h, w, CV_8UC4);
			glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data);
			const cv::Vec4b c = rgba.at<cv::Vec4b>(h - 10, 10); // a corner: the background colour
			if (a.reportScreens && view.screen != lastScreen) {
				const double t = std::chrono::duration<double>(now - started).count();
				std::printf("screen %s threshold %d colour %d,%d,%d at %.3f s", ScreenName(view.screen), view.threshold, c[0],
				            c[1], c[2], t);
				if (view.screen == kiosk::Screen::Over || view.screen == kiosk::Screen::Under
				    || view.screen == kiosk::Screen::NotVerified) // capture of the frame that was read, to this frame on screen
					std::printf(" latency %.1f ms frame %llu reason %.*s",
					            std::chrono::duration<double, std::milli>(Clock::now() - (svc ? svc->lastSightingCapturedAt() : now)).count(),
					            static_cast<unsigned long long>(svc ? svc->lastSightingFrame() : 0), int(ToString(view.reason).size()),
					            ToString(view.reason).data());
				std::printf("\n");
				std::fflush(stdout);
			}
			if (captureNext && !a.captureDir.empty()) {
				cv::Mat bgr;
				cv::cvtColor(rgba, bgr, cv::COLOR_RGBA2BGR);
				cv::flip(bgr, bgr, 0);
				cv::Mat small; // half size, JPEG: for the README and test logs
				cv::resize(bgr, small, {bgr.cols / 2, bgr.rows / 2}, 0, 0, cv::INTER_AREA);
				cv::imwrite((fs::path(a.captureDir) / captureName).string(), small, {cv::IMWRITE_JPEG_QUALITY, 85});
			}
			rgba.setTo(cv::Scalar::all(0));
			captureNext = false;
		}
		if (!a.captureDir.empty() && view.screen != lastScreen) {
			// The new screen is drawn next frame once its preview has arrived: take that one.
			captureNext = true;
			captureName = std::string("kiosk-") + ScreenName(view.screen) + ".jpg";
		} else if (!a.captureDir.empty() && !capturedGuide && !view.hint.empty() && view.found != sighting::Found::Nothing) {
			capturedGuide = true; // the first outline with a hint, once: the docs' picture of the guidance
			captureNext = true;
			captureName = "kiosk-guide.jpg";
		}
		lastScreen = view.screen;
		sound.screen(view.screen);
		SDL_GL_SwapWindow(window);
		// At most 40 frames a second: more than a camera gives (15 to 30) and than the screen
		// needs, while without vsync (a virtual or offscreen display) the loop would draw hundreds,
		// and software GL takes the CPU the decoding worker needs (at a 60 cap, on two cores, the
		// worker took a frame about a third longer).
		constexpr auto kFrameInterval = std::chrono::microseconds(25'000);
		const auto frameTime = Clock::now() - frameStart;
		if (frameTime < kFrameInterval)
			std::this_thread::sleep_for(kFrameInterval - frameTime);
		++uiFrames;
	}
	const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
	if (a.reportScreens)
		std::printf("frames %llu in %.2f s: %.1f fps\n", uiFrames, seconds, double(uiFrames) / seconds);
	for (const auto& t : drawn)
		std::printf("text %s\n", t.c_str());
	std::fflush(stdout);
	g_drawn = nullptr;

	// The POS is not answered without a screen: the service stops first, then the window.
	host.stop();
	preview.clear();
	ImGui_ImplOpenGL3_Shutdown();
	ImGui_ImplSDL2_Shutdown();
	ImGui::DestroyContext();
	SDL_GL_DeleteContext(gl);
	SDL_DestroyWindow(window);
	SDL_Quit();
	return 0;
}

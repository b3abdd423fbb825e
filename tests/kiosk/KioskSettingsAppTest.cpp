// SPDX-License-Identifier: Apache-2.0
// The settings path end to end, keyboard only, on a virtual display: keys are sent to the kiosk's
// window with xdotool (F2, a wrong PIN, the PIN, Enter, arrow keys and Space), the ages offered to
// the POS are changed from 18 and 21 to 18 and 20 and applied live (the service restarts: the POS
// `status` reports the new ages and a check for 21 is refused), then saved into the policy file,
// which keeps its comment and its mode.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <mutex>
#include <opencv2/imgcodecs.hpp>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

#include "age/Policy.h"
#include "AppTestUtil.h"
#include "pos/Pos.h"
#include "synth/Synth.h"

namespace fs = std::filesystem;
using namespace agecheck;
using namespace std::chrono;

namespace {

/// The app's output, read as it comes.
struct Output {
	std::mutex m;
	std::string text;
	std::string get()
	{
		std::lock_guard lock(m);
		return text;
	}
	/// Waits until a line equal to `line` has been printed; false after `timeout`.
	bool waitFor(const std::string& line, milliseconds timeout)
	{
		for (const auto end = steady_clock::now() + timeout; steady_clock::now() < end;) {
			if (("\n" + get()).find("\n" + line + "\n") != std::string::npos)
				return true;
			std::this_thread::sleep_for(20ms);
		}
		return false;
	}
};

std::string ReadFile(const fs::path& p)
{
	std::ifstream in(p);
	std::ostringstream s;
	s << in.rdbuf();
	return s.str();
}

using agecheck::testutil::Lines;

} // namespace

TEST(KioskApp, SettingsChangeTheAgesLiveAndSaveThemKeyboardOnly)
{
	ASSERT_EQ(system("command -v xvfb-run >/dev/null"), 0) << "xvfb-run is missing: tools/setup installs it";
	ASSERT_EQ(system("command -v xdotool >/dev/null"), 0) << "xdotool is missing: tools/setup installs it";
	const fs::path dir = fs::temp_directory_path() / ("agecheck-kiosk-settings-" + std::to_string(getpid()));
	fs::remove_all(dir);
	fs::create_directories(dir / "frames");
	for (int i = 0; i < 10; ++i) // an empty desk, over and over: no ID, only the settings matter here
		cv::imwrite((dir / "frames" / ("0" + std::to_string(100 + i) + ".jpg")).string(),
		            synth::MakeEmptyScene(std::uint64_t(i), synth::Level::Easy));
	const fs::path policy = dir / "policy.conf";
	std::ofstream(policy) << "thresholds = 18, 21  # what the till asks\n# kept as it is\nmax_age = 125\n";
	fs::permissions(policy, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
	const std::string socket = (dir / "s.sock").string();
	const fs::path env = dir / "display";

	Output out;
	std::thread app([&] {
		// The display's name and key are written down, so that this test can send keys to it.
		const std::string cmd = "SDL_AUDIODRIVER=dummy xvfb-run -a -s '-screen 0 1280x720x24' sh -c 'echo \"$DISPLAY $XAUTHORITY\" > \""
		                        + env.string() + "\"; exec " AGECHECK_KIOSK_BIN " --windowed --source \"" + (dir / "frames").string()
		                        + "\" --socket \"" + socket + "\" --policy \"" + policy.string()
		                        + "\" --settings-pin 2468 --exit-after-ms 28000 --report-screens --report-text' 2>&1";
		if (FILE* p = popen(cmd.c_str(), "r")) {
			char buf[512];
			while (std::fgets(buf, sizeof buf, p)) {
				std::lock_guard lock(out.m);
				out.text += buf;
			}
			pclose(p);
		}
	});
	const auto finish = [&] {
		app.join();
		fs::remove_all(dir);
	};
	for (int i = 0; i < 500 && !(fs::exists(socket) && fs::exists(env) && fs::file_size(env) > 1); ++i)
		std::this_thread::sleep_for(20ms);
	std::string display, xauthority;
	std::istringstream(ReadFile(env)) >> display >> xauthority;
	// Quick taps, 30 ms each: often pressed and released within one frame, which ImGui 1.86 (it
	// reads the keys' state once a frame) would miss if the app did not hold the release back.
	const auto keys = [&](std::initializer_list<const char*> names) {
		std::string cmd = "DISPLAY='" + display + "' XAUTHORITY='" + xauthority + "' xdotool";
		for (const char* k : names)
			cmd += std::string(" keydown ") + k + " sleep 0.03 keyup " + k + " sleep 0.03";
		return system(cmd.c_str()) == 0;
	};
	const auto status = [&] {
		std::string error;
		return pos::Call(socket, R"({"v":1,"op":"status"})", 2s, &error).value_or(error);
	};

	EXPECT_NE(status().find(R"("thresholds":[18,21])"), std::string::npos) << status();
	// The window is up once the first screen has been drawn (the service starts before it).
	for (int i = 0; i < 250 && Lines(out.get(), "screen idle").empty(); ++i)
		std::this_thread::sleep_for(20ms);
	ASSERT_TRUE(keys({"F2"}));
	EXPECT_TRUE(out.waitFor("settings pin", 3s)) << out.get();
	ASSERT_TRUE(keys({"1", "1", "1", "1", "Return"}));
	EXPECT_TRUE(out.waitFor("settings wrong-pin", 3s)) << out.get();
	ASSERT_TRUE(keys({"2", "4", "6", "8", "Return"}));
	if (!out.waitFor("settings unlocked", 3s)) {
		keys({"ctrl+q"});
		finish();
		FAIL() << "the PIN did not open the settings\n" << out.get();
	}
	// The focus starts on the first camera. Down twice to the ages, left to the first (18),
	// right to 21 and unselect it, left to 20 and select it: 18 and 20.
	ASSERT_TRUE(keys({"Down", "Down", "Left", "Left", "Left", "Left", "Right", "Right", "Right", "space", "Left", "space"}));
	// Down to the buttons (29 February, expired IDs, sound, then Apply's row), left to Apply.
	ASSERT_TRUE(keys({"Down", "Down", "Down", "Down", "Left", "Left", "Left", "space"}));
	const bool applied = out.waitFor("settings applied", 15s);
	EXPECT_TRUE(applied) << out.get();
	// The new service answers with the new ages, and no longer offers 21.
	EXPECT_NE(status().find(R"("thresholds":[18,20])"), std::string::npos) << status();
	std::string error;
	EXPECT_EQ(pos::Call(socket, R"({"v":1,"op":"check","threshold":21,"timeout_ms":100})", 2s, &error).value_or(error),
	          R"({"v":1,"error":"threshold-not-offered"})");
	// Right to Save, and out: Esc, Ctrl+Q.
	ASSERT_TRUE(keys({"Right", "space"}));
	EXPECT_TRUE(out.waitFor("settings saved", 3s)) << out.get();
	keys({"Escape"});
	EXPECT_TRUE(out.waitFor("settings closed", 3s)) << out.get();
	keys({"ctrl+q"});
	const std::string saved = ReadFile(policy);
	struct stat st {};
	const bool statted = ::stat(policy.c_str(), &st) == 0;
	std::vector<std::string> others; // a temporary file of the save, or anything else written
	for (const auto& e : fs::directory_iterator(dir))
		if (const auto n = e.path().filename().string(); n != "frames" && n != "policy.conf" && n != "s.sock" && n != "display")
			others.push_back(n);
	finish();
	const std::string output = out.get();

	// The file holds the new policy, keeps what it had, and no temporary file is left beside it.
	std::string why;
	const auto p = age::ParsePolicy(saved, &why);
	ASSERT_TRUE(p) << why << "\n" << saved;
	EXPECT_EQ(p->thresholds, (std::vector<int>{18, 20})) << saved;
	EXPECT_EQ(p->leapDay, age::LeapDayRule::March1);
	EXPECT_EQ(p->expired, age::ExpiredDocuments::Reject);
	EXPECT_NE(saved.find("# what the till asks\n# kept as it is\nmax_age = 125\n"), std::string::npos) << saved;
	ASSERT_TRUE(statted);
	EXPECT_EQ(st.st_mode & 0777, 0640u);
	EXPECT_TRUE(others.empty()) << others.front();

	// The cashier's screen said "Applying settings" while the service restarted, then went back
	// to idle; the settings screen showed the outcome.
	const auto screens = Lines(output, "screen ");
	std::size_t applying = screens.size();
	for (std::size_t i = 0; i < screens.size(); ++i)
		if (screens[i].rfind("screen applying ", 0) == 0)
			applying = i;
	ASSERT_LT(applying + 1, screens.size()) << output;
	EXPECT_EQ(screens[applying + 1].rfind("screen idle threshold 18 ", 0), 0u) << output;
	EXPECT_FALSE(Lines(output, "text Applying settings").empty()) << output;
	EXPECT_FALSE(Lines(output, "text Settings applied: Save keeps the policy after a restart").empty()) << output;
	EXPECT_FALSE(Lines(output, "text Saved in the policy file").empty()) << output;
	EXPECT_FALSE(Lines(output, "frames ").empty()) << "the app did not quit by itself:\n" << output;
}

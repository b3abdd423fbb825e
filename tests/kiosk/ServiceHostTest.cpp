// SPDX-License-Identifier: Apache-2.0
// Replacing the kiosk's embedded service when the settings change: the new policy is what the
// POS hears, every new service is wired to the screen, the socket is free for the new service
// even while the screen still holds the old one, options that cannot start bring the previous
// ones back, and a camera that is not there is waited for (the screen says "disconnected").
#include <atomic>
#include <filesystem>
#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <thread>
#include <unistd.h>

#include "ServiceHost.h"
#include "capture/ZeroingAllocator.h"
#include "synth/Synth.h"

namespace fs = std::filesystem;
using namespace agecheck;
using namespace agecheck::kiosk;
using namespace std::chrono_literals;

namespace {

std::string Status(const std::string& socket)
{
	std::string error;
	return pos::Call(socket, R"({"v":1,"op":"status"})", 2s, &error).value_or(error);
}

/// Waits for the restart under way to end; its result.
std::optional<bool> Applied(ServiceHost& host, std::string* error)
{
	for (int i = 0; i < 1000 && host.applying(); ++i)
		std::this_thread::sleep_for(10ms);
	return host.takeResult(error);
}

} // namespace

TEST(ServiceHost, RestartsWithTheNewPolicyAndFallsBackWhenItCannot)
{
	capture::InstallZeroingAllocator();
	const fs::path dir = fs::temp_directory_path() / ("agecheck-host-" + std::to_string(getpid()));
	fs::remove_all(dir);
	fs::create_directories(dir / "frames");
	for (int i = 0; i < 3; ++i)
		cv::imwrite((dir / "frames" / (std::to_string(i) + ".png")).string(), synth::MakeEmptyScene(std::uint64_t(i), synth::Level::Easy));
	service::Options o;
	o.source = (dir / "frames").string();
	o.live.loop = true;
	o.server.socketPath = (dir / "s.sock").string();
	o.ocr = false; // in this process, barcodes only: quick to start
	std::atomic<int> wired{0}, checks{0};
	ServiceHost host([&](service::Service& s) {
		++wired;
		s.onCheck = [&](bool active, int) { checks += active; };
	});
	EXPECT_FALSE(host.restart(o)) << "nothing to replace before start()";
	std::string error;
	ASSERT_TRUE(host.start(o, &error)) << error;
	EXPECT_NE(Status(o.server.socketPath).find(R"("thresholds":[18,21])"), std::string::npos);

	// The screen holds the running service (for a frame) while the restart begins: the new one
	// still gets the socket, because the old one is gone before it binds.
	Config c;
	c.source = o.source;
	c.policy.thresholds = {19, 20};
	auto held = host.current();
	ASSERT_TRUE(held);
	ASSERT_TRUE(host.restart(WithConfig(o, o.source, c)));
	EXPECT_FALSE(host.restart(o)) << "one at a time";
	std::this_thread::sleep_for(200ms);
	EXPECT_TRUE(host.applying()) << "waits for the screen to let the old service go";
	EXPECT_FALSE(host.current());
	held.reset();
	EXPECT_EQ(Applied(host, &error), std::optional<bool>(true)) << error;
	EXPECT_NE(Status(o.server.socketPath).find(R"("thresholds":[19,20])"), std::string::npos) << Status(o.server.socketPath);
	EXPECT_EQ(host.options().policy.thresholds, (std::vector<int>{19, 20}));
	EXPECT_EQ(wired.load(), 2);
	// The new service's POS is wired to the screen.
	pos::Call(o.server.socketPath, R"({"v":1,"op":"check","threshold":19,"timeout_ms":50})", 2s, &error);
	EXPECT_EQ(checks.load(), 1);

	// A source that does not exist: the previous options come back, with the reason.
	c.source = (dir / "missing.mp4").string();
	c.policy.thresholds = {21};
	ASSERT_TRUE(host.restart(WithConfig(o, o.source, c)));
	EXPECT_EQ(Applied(host, &error), std::optional<bool>(false));
	EXPECT_NE(error.find("cannot open the source"), std::string::npos) << error;
	EXPECT_NE(Status(o.server.socketPath).find(R"("thresholds":[19,20])"), std::string::npos) << Status(o.server.socketPath);
	EXPECT_TRUE(host.current());
	EXPECT_FALSE(host.takeResult()) << "told once";

	// A camera that is not there is no failure: the kiosk waits for it, saying "disconnected".
	c.source = "/dev/video97";
	c.width = 1280;
	c.height = 720;
	auto waiting = WithConfig(o, o.source, c);
	waiting.waitForCamera = true; // as the kiosk asks
	ASSERT_TRUE(host.restart(waiting));
	EXPECT_EQ(Applied(host, &error), std::optional<bool>(true)) << error;
	ASSERT_TRUE(host.current());
	EXPECT_FALSE(host.current()->stats().sourceOk);
	EXPECT_NE(Status(o.server.socketPath).find(R"("camera":"disconnected")"), std::string::npos) << Status(o.server.socketPath);
	EXPECT_NE(Status(o.server.socketPath).find(R"("thresholds":[21])"), std::string::npos) << Status(o.server.socketPath);
	host.stop();
	EXPECT_FALSE(host.current());
	EXPECT_FALSE(fs::exists(o.server.socketPath)) << "the socket goes with the service";
	fs::remove_all(dir);
}

TEST(ServiceHost, WithConfigKeepsTheStartingSourcesDateAndLoopsFilesOnly)
{
	service::Options base;
	base.source = "/clips/demo.mp4";
	base.live.loop = true;
	base.today = [] { return std::chrono::year_month_day{}; };
	Config c;
	c.source = "/clips/demo.mp4";
	c.policy.thresholds = {21};
	service::Options o = WithConfig(base, base.source, c);
	EXPECT_EQ(o.source, base.source);
	EXPECT_TRUE(o.live.loop);
	EXPECT_TRUE(o.today) << "the demo clip's own date";
	EXPECT_EQ(o.policy.thresholds, (std::vector<int>{21}));
	c.source = "/dev/video1";
	c.width = 1920;
	c.height = 1080;
	o = WithConfig(base, base.source, c);
	EXPECT_EQ(o.source, "/dev/video1");
	EXPECT_FALSE(o.live.loop);
	EXPECT_FALSE(o.today) << "a camera decides on the local date";
	EXPECT_EQ(o.live.width, 1920);
	EXPECT_EQ(o.live.height, 1080);
	// Started on camera:0: choosing /dev/video0 is the same camera, under its starting name.
	base.source = "camera:0";
	base.live.loop = false;
	c.source = "/dev/video0";
	EXPECT_EQ(WithConfig(base, base.source, c).source, "camera:0");
}

// SPDX-License-Identifier: Apache-2.0
// The C client (tools/pos-client) against a real server: every result it can return.
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <gtest/gtest.h>
#include <mutex>
#include <thread>
#include <unistd.h>

#include "agecheck_pos.h"
#include "pos/Pos.h"

using namespace agecheck;
using namespace std::chrono_literals;

TEST(CClient, OverNotOverErrorsAndNoAnswer)
{
	const std::string path = (std::filesystem::temp_directory_path() / ("agecheck-cclient-" + std::to_string(getpid()) + ".sock")).string();
	pos::ServerOptions o;
	o.socketPath = path;
	auto owned = std::make_unique<pos::Server>(o, std::vector<int>{18, 21});
	pos::Server& server = *owned;
	std::mutex m;
	std::condition_variable cv;
	bool active = false;
	server.onCheck = [&](bool a, int) {
		{
			std::lock_guard lock(m);
			active = a;
		}
		cv.notify_all();
	};
	std::string error;
	ASSERT_TRUE(server.start(&error)) << error;
	std::thread loop([&] { server.run(); });

	// Answers each active check with `over` for 18.
	auto answerNext = [&](bool over) {
		return std::thread([&, over] {
			std::unique_lock lock(m);
			cv.wait(lock, [&] { return active; });
			lock.unlock();
			pos::Answer a;
			a.over = {{18, over}, {21, false}};
			server.publish(a);
		});
	};
	char code[32] = "";
	auto yes = answerNext(true);
	EXPECT_EQ(agecheck_pos_check(path.c_str(), 18, 5000, code, sizeof code), AGECHECK_POS_OVER);
	yes.join();
	{
		std::unique_lock lock(m);
		cv.wait(lock, [&] { return !active; });
	}
	auto no = answerNext(false);
	EXPECT_EQ(agecheck_pos_check(path.c_str(), 18, 5000, code, sizeof code), AGECHECK_POS_NOT_OVER);
	no.join();

	EXPECT_EQ(agecheck_pos_check(path.c_str(), 16, 5000, code, sizeof code), AGECHECK_POS_ERROR_REPLY);
	EXPECT_STREQ(code, "threshold-not-offered");
	EXPECT_EQ(agecheck_pos_check(path.c_str(), 18, 200, code, sizeof code), AGECHECK_POS_ERROR_REPLY);
	EXPECT_STREQ(code, "timeout");

	char status[1100] = "";
	EXPECT_EQ(agecheck_pos_status(path.c_str(), 2000, status, sizeof status), 0);
	EXPECT_NE(std::strstr(status, "\"thresholds\""), nullptr) << status;

	server.stop();
	loop.join();
	owned.reset(); // the sockets close with the server
	EXPECT_EQ(agecheck_pos_check(path.c_str(), 18, 200, code, sizeof code), AGECHECK_POS_NO_ANSWER);
	EXPECT_EQ(agecheck_pos_check("/nonexistent/agecheck.sock", 18, 200, code, sizeof code), AGECHECK_POS_NO_ANSWER);
	EXPECT_EQ(agecheck_pos_check(path.c_str(), 0, 200, code, sizeof code), AGECHECK_POS_NO_ANSWER) << "bad threshold";
	std::filesystem::remove(path);
}

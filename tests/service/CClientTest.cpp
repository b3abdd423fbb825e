// SPDX-License-Identifier: Apache-2.0
// The C client (tools/pos-client) against a real server: every result it can return.
#include <cstring>
#include <filesystem>
#include <gtest/gtest.h>
#include <unistd.h>

#include "agecheck_pos.h"
#include "ServerHarness.h"

using namespace agecheck;
using namespace std::chrono_literals;

TEST(CClient, OverNotOverErrorsAndNoAnswer)
{
	const std::string path = (std::filesystem::temp_directory_path() / ("agecheck-cclient-" + std::to_string(getpid()) + ".sock")).string();
	harness::ServerHarness harness(path);
	ASSERT_TRUE(harness.ok()) << harness.error();
	harness.queue(true);
	harness.queue(false);

	char code[32] = "";
	EXPECT_EQ(agecheck_pos_check(path.c_str(), 18, 5000, code, sizeof code), AGECHECK_POS_OVER);
	EXPECT_EQ(agecheck_pos_check(path.c_str(), 18, 5000, code, sizeof code), AGECHECK_POS_NOT_OVER);

	EXPECT_EQ(agecheck_pos_check(path.c_str(), 16, 5000, code, sizeof code), AGECHECK_POS_ERROR_REPLY);
	EXPECT_STREQ(code, "threshold-not-offered");
	EXPECT_EQ(agecheck_pos_check(path.c_str(), 18, 200, code, sizeof code), AGECHECK_POS_ERROR_REPLY);
	EXPECT_STREQ(code, "timeout");

	char status[1100] = "";
	EXPECT_EQ(agecheck_pos_status(path.c_str(), 2000, status, sizeof status), 0);
	EXPECT_NE(std::strstr(status, "\"thresholds\""), nullptr) << status;

	harness.shutdown(); // the sockets close with the server
	EXPECT_EQ(agecheck_pos_check(path.c_str(), 18, 200, code, sizeof code), AGECHECK_POS_NO_ANSWER);
	EXPECT_EQ(agecheck_pos_check("/nonexistent/agecheck.sock", 18, 200, code, sizeof code), AGECHECK_POS_NO_ANSWER);
	EXPECT_EQ(agecheck_pos_check(path.c_str(), 0, 200, code, sizeof code), AGECHECK_POS_NO_ANSWER) << "bad threshold";
}

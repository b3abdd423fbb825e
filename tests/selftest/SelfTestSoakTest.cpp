// SPDX-License-Identifier: Apache-2.0
// The self-test after 100 sightings of each canary document: it must pass, including the check
// that resident memory grew by at most 5 MiB after warm-up. Slow (about a minute): label "slow".
#include <gtest/gtest.h>

#include "SelfTestUtil.h"

using namespace agecheck::selftesting;

TEST(SelfTestSoak, PassesAfter34ScansOfEachCanary)
{
	// 34 scans of each of the 3 canaries: 102 sightings, enough for the growth check (34 or more).
	const Outcome o = RunSelfTest("--scans 34");
	ASSERT_EQ(o.exitCode, 0) << o.stdoutText;
	EXPECT_EQ(o.report["figures"].value("sightings", 0), 102);
	const auto growth = Check(o.report, "growth");
	ASSERT_TRUE(growth.is_object());
	EXPECT_TRUE(growth.value("pass", false)) << Evidence(growth);
	for (const char* id : {"sightings", "memory", "files", "socket", "process", "logs"})
		EXPECT_TRUE(Check(o.report, id).value("pass", false)) << id << "\n" << Evidence(Check(o.report, id));
	std::printf("%s", o.stdoutText.c_str()); // the figures, for the log
}

// SPDX-License-Identifier: Apache-2.0
// The wiping layers, measured in real processes: the probe below is run with and without the
// environment that PrepareEnvironment() sets up, so the test can see the measurement fail.
#include <array>
#include <cstdio>
#include <gtest/gtest.h>
#include <string>

#include "secure/Wipe.h"

namespace {

std::string RunCommand(const std::string& command)
{
	std::string out;
	if (FILE* p = popen(command.c_str(), "r")) {
		std::array<char, 256> buf{};
		while (std::fgets(buf.data(), int(buf.size()), p))
			out += buf.data();
		pclose(p);
	}
	return out;
}

} // namespace

TEST(Wipe, PreparedProcessWipesFreedCppAndCBlocks)
{
	// The probe calls PrepareEnvironment (which re-executes it with tcache off) and measures.
	const std::string out = RunCommand("env -u GLIBC_TUNABLES -u AGECHECK_REEXEC " AGECHECK_WIPE_PROBE " prepare");
	EXPECT_EQ(out, "linked=1 delete=1 free=1 tunables=1\n");
}

TEST(Wipe, WithoutTheTunableSmallCBlocksAreNotWiped)
{
	// The negative control: with glibc's tcache on, a small freed chunk keeps its bytes, and the
	// measurement says so (under ASan, its free_fill wipes it anyway).
	const std::string out = RunCommand("env -u GLIBC_TUNABLES " AGECHECK_WIPE_PROBE " raw");
#if defined(__SANITIZE_ADDRESS__)
	EXPECT_EQ(out, "linked=1 delete=1 free=1 tunables=0\n");
#else
	EXPECT_EQ(out, "linked=1 delete=1 free=0 tunables=0\n");
#endif
}

TEST(Wipe, StackAndPageHelpersAreSafe)
{
	agecheck::secure::WipeStack();
	agecheck::secure::WipeStack(4 << 20); // clamped to 1 MiB
	std::array<char, 8192> page{};
	agecheck::secure::LockPages(page.data(), page.size()); // may be refused by RLIMIT_MEMLOCK; must not crash
	EXPECT_FALSE(agecheck::secure::LockPages(nullptr, 10));
}

// SPDX-License-Identifier: Apache-2.0
// The wiping layers, measured in real processes: the probe below is run with and without the
// environment that PrepareEnvironment() sets up, so the test can see the measurement fail.
#include <array>
#include <cstdio>
#include <gtest/gtest.h>
#include <string>
#include <strings.h>
#include <unistd.h>

#include "secure/MemoryScan.h"
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
	// The probe calls PrepareEnvironment (which re-executes it with tcache off and Tesseract's
	// OpenMP limited to one thread) and measures. ctest sets OMP_THREAD_LIMIT for every test: it
	// is taken away here, as a binary started by hand or by systemd would be.
	const std::string out =
		RunCommand("env -u GLIBC_TUNABLES -u AGECHECK_REEXEC -u OMP_THREAD_LIMIT " AGECHECK_WIPE_PROBE " prepare");
	EXPECT_EQ(out, "linked=1 delete=1 free=1 tunables=1 omp=1\n");
}

TEST(Wipe, WithoutTheTunableSmallCBlocksAreNotWiped)
{
	// The negative control: with glibc's tcache on, a small freed chunk keeps its bytes, and the
	// measurement says so (under ASan, its free_fill wipes it anyway).
	const std::string out = RunCommand("env -u GLIBC_TUNABLES -u OMP_THREAD_LIMIT " AGECHECK_WIPE_PROBE " raw");
#if defined(__SANITIZE_ADDRESS__)
	EXPECT_EQ(out, "linked=1 delete=1 free=1 tunables=0 omp=0\n");
#else
	EXPECT_EQ(out, "linked=1 delete=1 free=0 tunables=0 omp=0\n");
#endif
}

TEST(Wipe, StackAndPageHelpersAreSafe)
{
	agecheck::secure::WipeStack();
	agecheck::secure::WipeStack(64 << 20); // clamped to 4 MiB
	std::array<char, 8192> page{};
	agecheck::secure::LockPages(page.data(), page.size()); // may be refused by RLIMIT_MEMLOCK; must not crash
	EXPECT_FALSE(agecheck::secure::LockPages(nullptr, 10));
}

namespace {

/// Leaves `needle` in a stack frame `depth` calls deep, then returns: the bytes stay below.
__attribute__((noinline)) int LeaveOnStack(const agecheck::secure::NeedleSet& set, int depth)
{
	volatile unsigned char frame[2048];
	if (depth > 0)
		return LeaveOnStack(set, depth - 1) + frame[7];
	std::array<std::byte, 32> plain{};
	set.Unmask(0, plain);
	for (std::size_t i = 0; i < plain.size(); ++i)
		frame[100 + i] = static_cast<unsigned char>(plain[i]);
	explicit_bzero(plain.data(), plain.size());
	return frame[100];
}

} // namespace

TEST(Wipe, WipeStackRemovesWhatDeeperCallsLeft)
{
	agecheck::secure::NeedleSet set;
	ASSERT_TRUE(set.AddRandom(32, "stack-canary"));
	// About 200 KiB deep, as a decode is.
	(void)LeaveOnStack(set, 100);
	const auto before = agecheck::secure::ScanProcessMemory(getpid(), set);
	ASSERT_TRUE(before.ok());
	EXPECT_GE(before.hitCount, 1u); // the canary is there: the scan can see it
	agecheck::secure::WipeStack();
	const auto after = agecheck::secure::ScanProcessMemory(getpid(), set);
	ASSERT_TRUE(after.ok());
	EXPECT_EQ(after.hitCount, 0u);
	for (const auto& h : after.hits)
		ADD_FAILURE() << "left at " << h.address << " in " << h.region;
}

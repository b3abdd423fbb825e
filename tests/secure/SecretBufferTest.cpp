// SPDX-License-Identifier: Apache-2.0
#include <cstring>
#include <gtest/gtest.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "common/Secret.h"
#include "secure/Harden.h"
#include "secure/SecretBuffer.h"

using agecheck::SecretDate;
using agecheck::secure::SecretBuffer;

TEST(SecretBuffer, StartsZeroedAndHoldsACopy)
{
	SecretBuffer empty(64);
	ASSERT_EQ(empty.size(), 64u);
	for (std::byte b : empty.bytes())
		EXPECT_EQ(b, std::byte{0});

	const char text[] = "DBB01021990";
	auto copy = SecretBuffer::CopyOf(std::as_bytes(std::span(text, sizeof text - 1)));
	ASSERT_EQ(copy.size(), sizeof text - 1);
	EXPECT_EQ(copy.view(), "DBB01021990");
}

TEST(SecretBuffer, MoveLeavesTheSourceEmpty)
{
	auto a = SecretBuffer::CopyOf(std::as_bytes(std::span("abc", 3)));
	const std::byte* data = a.bytes().data();
	SecretBuffer b = std::move(a);
	EXPECT_TRUE(a.empty()); // NOLINT(bugprone-use-after-move): checking the moved-from state
	EXPECT_EQ(b.bytes().data(), data);
	SecretBuffer c;
	c = std::move(b);
	EXPECT_TRUE(b.empty()); // NOLINT(bugprone-use-after-move)
	EXPECT_EQ(c.view(), "abc");
	c.reset();
	EXPECT_TRUE(c.empty());
}

TEST(SecretBuffer, ZeroSizeIsEmpty)
{
	SecretBuffer b(0);
	EXPECT_TRUE(b.empty());
	EXPECT_TRUE(SecretBuffer::CopyOf({}).empty());
}

// libsodium fences each buffer with guard pages: a write past the end must crash, not corrupt.
TEST(SecretBufferDeathTest, OverflowHitsTheGuardPage)
{
	GTEST_FLAG_SET(death_test_style, "threadsafe");
	EXPECT_DEATH(
		{
			SecretBuffer b(4096);
			auto* p = reinterpret_cast<volatile unsigned char*>(b.bytes().data());
			for (std::size_t i = 0; i < 2 * 4096 + 64; ++i)
				p[i] = 0x41;
		},
		"");
}

TEST(SecretDate, WipesWhenMovedFromAndDestroyed)
{
	using namespace std::chrono;
	SecretDate a{year_month_day{year{1990}, month{2}, day{14}}};
	ASSERT_TRUE(a.ok());
	SecretDate b = std::move(a);
	EXPECT_EQ(b.get(), (year_month_day{year{1990}, month{2}, day{14}}));
	unsigned char raw[sizeof(SecretDate)];
	std::memcpy(raw, static_cast<const void*>(&a), sizeof raw); // NOLINT(bugprone-use-after-move)
	for (unsigned char c : raw)
		EXPECT_EQ(c, 0);
	b.wipe();
	EXPECT_FALSE(b.ok());
}

TEST(Harden, CoreDumpsOffAndNotDumpable)
{
	const auto r = agecheck::secure::HardenProcess();
	EXPECT_TRUE(r.coreDumpsOff);
	EXPECT_TRUE(r.notDumpable);
	rlimit lim{};
	ASSERT_EQ(getrlimit(RLIMIT_CORE, &lim), 0);
	EXPECT_EQ(lim.rlim_cur, 0u);
	EXPECT_EQ(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
}

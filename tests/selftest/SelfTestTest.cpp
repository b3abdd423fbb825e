// SPDX-License-Identifier: Apache-2.0
// `agecheck selftest` end to end: the real kiosk (agecheck serve + the sandboxed worker) sights
// fresh canary documents, and the audit must pass; with a worker that keeps a copy, or one that
// does not wipe what it frees, the memory check must fail and say where.
#include <gtest/gtest.h>

#include "SelfTestUtil.h"

using namespace agecheck::selftesting;

namespace {

const char* const kChecks[] = {"sightings", "memory", "files", "socket", "process", "logs"};

} // namespace

TEST(SelfTest, PassesAndSaysWhatItLookedAt)
{
	const Outcome o = RunSelfTest("--scans 2");
	ASSERT_EQ(o.exitCode, 0) << o.stdoutText;
	EXPECT_EQ(o.report.value("schema", ""), "agecheck-selftest/1");
	EXPECT_TRUE(o.report.value("pass", false));
	for (const char* id : kChecks) {
		const auto c = Check(o.report, id);
		ASSERT_TRUE(c.is_object()) << id;
		EXPECT_TRUE(c.value("pass", false)) << id << "\n" << Evidence(c);
	}
	const auto& f = o.report["figures"];
	EXPECT_EQ(f.value("sightings", 0), 6) << "2 scans of each of the 3 canaries (licence back, passport page, licence front)";
	EXPECT_GT(f.value("bytes_scanned", 0ull), 8ull << 20); // both processes were read
#if !defined(__SANITIZE_ADDRESS__) // ASan's allocator has no brk heap: its memory counts as anonymous
	EXPECT_GT(f.value("heap_bytes", 0ull), 0ull);
#endif
	EXPECT_GT(f.value("stack_bytes", 0ull), 0ull);
	const std::string memory = Evidence(Check(o.report, "memory"));
	EXPECT_NE(memory.find("agecheck-worker"), std::string::npos) << memory; // the worker was audited too
	EXPECT_NE(Evidence(Check(o.report, "process")).find("Seccomp 2"), std::string::npos);
	// The people's report says the same.
	EXPECT_NE(o.markdown.find("Result: **PASS**"), std::string::npos);
	EXPECT_NE(o.markdown.find("## PASS: No canary value in the memory"), std::string::npos);
	EXPECT_NE(o.stdoutText.find("selftest PASS"), std::string::npos);
}

TEST(SelfTest, FailsAndNamesTheRegionWhenTheWorkerKeepsACopy)
{
	const Outcome o = RunSelfTest("--worker " AGECHECK_LEAKY_WORKER);
	EXPECT_EQ(o.exitCode, 1) << o.stdoutText;
	EXPECT_FALSE(o.report.value("pass", true));
	const auto memory = Check(o.report, "memory");
	ASSERT_TRUE(memory.is_object());
	EXPECT_FALSE(memory.value("pass", true));
	const std::string e = Evidence(memory);
	// The kept copies of the frames of every document read; the evidence names the first ones.
	EXPECT_TRUE(e.find("FOUND aamva:frame-pixels:bgr at 0x") != std::string::npos
	            || e.find("FOUND mrz:frame-pixels:bgr at 0x") != std::string::npos
	            || e.find("FOUND front:frame-pixels:bgr at 0x") != std::string::npos)
	    << e;
	EXPECT_NE(e.find(" region 0x"), std::string::npos) << e;
	// Only the memory check fails: the rest of the kiosk behaved.
	for (const char* id : {"sightings", "files", "socket", "logs"})
		EXPECT_TRUE(Check(o.report, id).value("pass", false)) << id;
	EXPECT_NE(o.markdown.find("Result: **FAIL**"), std::string::npos);
}

TEST(SelfTest, FailsWhenFreedMemoryIsNotWiped)
{
	// The same worker without the wiping layers: the decoders' freed copies of what they read stay.
#if defined(__SANITIZE_ADDRESS__)
	// This control is about glibc's allocator, which ASan replaces with its own (whose quarantine
	// recycles blocks at its own pace): it runs in the Release suite.
	GTEST_SKIP() << "glibc's allocator is replaced by AddressSanitizer's in this build";
#endif
	const Outcome o = RunSelfTest("--scans 3 --worker " AGECHECK_NOWIPE_WORKER);
	EXPECT_EQ(o.exitCode, 1) << o.stdoutText;
	const auto memory = Check(o.report, "memory");
	ASSERT_TRUE(memory.is_object());
	EXPECT_FALSE(memory.value("pass", true));
	// zxing-cpp's freed payload copies, and Tesseract's freed copies of the text it read (the
	// passport and the licence front): the evidence names the first findings, whichever they are.
	const std::string e = Evidence(memory);
	EXPECT_TRUE(e.find("FOUND aamva:") != std::string::npos || e.find("FOUND front:") != std::string::npos
	            || e.find("FOUND mrz:") != std::string::npos)
	    << e;
}

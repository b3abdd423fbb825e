// SPDX-License-Identifier: Apache-2.0
// `agecheck selftest --kiosk`: the cashier's app (agecheck-kiosk, on SDL's offscreen driver with
// Mesa's software renderer) sights fresh canary documents and shows them in its preview, and the
// audit must pass; the test-only app that keeps its preview (its own copy and the GL texture, or
// the texture alone) must fail the memory check, naming the preview's pixels and where they are.
// About 25 to 30 s each: label "slow".
#include <gtest/gtest.h>
#include <set>
#include <sstream>

#include "SelfTestUtil.h"

using namespace agecheck::selftesting;

namespace {

/// The number of times `what` occurs in `text`.
std::size_t Count(const std::string& text, const std::string& what)
{
	std::size_t n = 0;
	for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
		++n;
	return n;
}

/// The distinct regions ("region 0x...-0x...") named by FOUND lines.
std::size_t Regions(const std::string& evidence)
{
	std::set<std::string> regions;
	std::istringstream in(evidence);
	for (std::string line; std::getline(in, line);)
		if (line.find("FOUND ") != std::string::npos)
			if (const auto at = line.find(" region 0x"); at != std::string::npos)
				regions.insert(line.substr(at, line.find(' ', at + 10) - at));
	return regions.size();
}

} // namespace

TEST(SelfTestKiosk, PassesOnTheCashiersApp)
{
	const Outcome o = RunSelfTest("--kiosk-app " AGECHECK_KIOSK);
	ASSERT_TRUE(o.report.is_object()) << o.stdoutText;
	ASSERT_EQ(o.report.value("error", ""), "") << o.stdoutText;
	EXPECT_EQ(o.exitCode, 0) << o.stdoutText;
	EXPECT_EQ(o.report.value("audited", ""), "agecheck-kiosk (the cashier app)");
	for (const char* id : {"sightings", "memory", "files", "socket", "process", "logs"})
		EXPECT_TRUE(Check(o.report, id).value("pass", false)) << id << "\n" << Evidence(Check(o.report, id));
	EXPECT_EQ(o.report["figures"].value("sightings", 0), 3);
	const std::string sightings = Evidence(Check(o.report, "sightings"));
	EXPECT_NE(sightings.find("back on its idle screen, showing its preview, before each canary"), std::string::npos) << sightings;
	const std::string memory = Evidence(Check(o.report, "memory"));
	EXPECT_NE(memory.find("agecheck-kiosk (pid"), std::string::npos) << memory; // the app itself was read
	EXPECT_NE(memory.find("agecheck-worker (pid"), std::string::npos) << memory;
	EXPECT_NE(memory.find("preview, BGR and RGBA"), std::string::npos) << memory;
	EXPECT_NE(memory.find("a software renderer, keeps them in the app's memory"), std::string::npos) << memory;
	EXPECT_NE(o.markdown.find("- Audited: agecheck-kiosk"), std::string::npos);
	std::printf("%s", o.stdoutText.c_str()); // the figures, for the log
}

/// Checks that the self-test ran and failed on its memory check alone, finding the preview's
/// pixel rows; `e` receives that check's evidence (empty when the report has no memory check).
void ExpectPreviewFoundInMemoryOnly(const Outcome& o, std::string& e)
{
	ASSERT_EQ(o.report.value("error", ""), "") << o.stdoutText;
	EXPECT_EQ(o.exitCode, 1) << o.stdoutText;
	const auto memory = Check(o.report, "memory");
	ASSERT_TRUE(memory.is_object());
	EXPECT_FALSE(memory.value("pass", true));
	e = Evidence(memory);
	EXPECT_GT(Count(e, ":preview-pixels:rgba at 0x"), 0u) << e;
	for (const char* id : {"sightings", "files", "socket", "process", "logs"})
		EXPECT_TRUE(Check(o.report, id).value("pass", false)) << id << "\n" << Evidence(Check(o.report, id));
}

TEST(SelfTestKiosk, FailsWhenTheAppKeepsItsPreview)
{
	const Outcome o = RunSelfTest("--kiosk-app " AGECHECK_KIOSK_KEEP);
	std::string e;
	ExpectPreviewFoundInMemoryOnly(o, e);
	EXPECT_GE(Regions(e), 2u) << "the app's copy and the texture\n" << e;
}

TEST(SelfTestKiosk, FailsWhenOnlyTheTextureKeepsIt)
{
	// The app's copy is wiped, the GL texture is not overwritten: llvmpipe's texture storage is
	// in the app's memory, and the scan must find the picture there.
	const Outcome o = RunSelfTest("--kiosk-app " AGECHECK_KIOSK_KEEP, "AGECHECK_TEST_KEEP=texture ");
	std::string e;
	ExpectPreviewFoundInMemoryOnly(o, e);
	EXPECT_EQ(Regions(e), 1u) << "the texture only\n" << e;
}

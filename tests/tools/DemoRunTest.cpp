// SPDX-License-Identifier: Apache-2.0
// What `tools/run` does without a display: `agecheck serve` on the bundled demo clip, on the
// clip's own date, prints one line per sighting and exits at the end of the clip. The lines must
// be the manifest's licence backs and passport, in order, then perhaps the licence front. Slow:
// the clip plays in real time (39 s).
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;

TEST(DemoRun, ServeOnTheDemoClipPrintsTheManifestsSightingsAndExits)
{
	const fs::path demo = fs::path(AGECHECK_SOURCE_DIR) / "assets" / "demo";
	std::string today;
	std::ifstream(demo / "TODAY") >> today;
	ASSERT_FALSE(today.empty());
	const fs::path dir = fs::temp_directory_path() / ("agecheck-demo-run-" + std::to_string(getpid()));
	fs::create_directories(dir);
	const std::string cmd = "timeout 180 " + std::string(AGECHECK_BIN) + " serve --source " + (demo / "demo.mp4").string() + " --today " + today
	                        + " --exit-at-end --socket " + (dir / "s.sock").string() + " 2>/dev/null";
	std::string out;
	FILE* p = popen(cmd.c_str(), "r");
	ASSERT_TRUE(p);
	std::array<char, 4096> buf{};
	std::size_t n;
	while ((n = fread(buf.data(), 1, buf.size(), p)) > 0)
		out.append(buf.data(), n);
	const int status = pclose(p);
	fs::remove_all(dir);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;

	// The expected lines, from the manifest: every licence back and the passport, in order. The
	// shipping label is not an ID, so it gives no sighting. The licence front (US design) comes
	// last, and may give none: Tesseract reads its small "3 DOB" and "4b EXP" in only a few of its
	// frames, and the clip plays in real time, so whether the scanner takes one of them varies. If
	// it gives a line, that is the manifest's verdict or unverified for both ages: never a guess.
	// And only one: the frames that read it are often more than clearFor apart, and the service
	// must not take the same card, read again, for a new one (Service's repeatFor).
	std::ifstream manifest(demo / "manifest.tsv");
	std::string line, expected, front;
	while (std::getline(manifest, line)) {
		std::istringstream f(line);
		std::string doc, kind, enter, first, last, leave, v18, v21, reason;
		f >> doc >> kind >> enter >> first >> last >> leave >> v18 >> v21 >> reason;
		if (kind == "licence-back" || kind == "passport-td3")
			expected += "sighting\t" + reason + "\t18:" + v18 + "\t21:" + v21 + "\n";
		else if (kind == "licence-front")
			front = "sighting\t" + reason + "\t18:" + v18 + "\t21:" + v21 + "\n";
	}
	ASSERT_FALSE(expected.empty());
	ASSERT_FALSE(front.empty());
	ASSERT_EQ(out.substr(0, expected.size()), expected) << out;
	const std::string rest = out.substr(expected.size());
	if (!rest.empty() && rest != front) {
		const std::size_t tab = rest.find('\t', std::string("sighting\t").size());
		ASSERT_NE(tab, std::string::npos) << rest;
		EXPECT_EQ(rest.substr(0, 9), "sighting\t") << rest;
		EXPECT_EQ(rest.substr(tab), "\t18:unverified\t21:unverified\n") << rest;
	}
}

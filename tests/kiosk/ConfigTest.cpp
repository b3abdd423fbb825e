// SPDX-License-Identifier: Apache-2.0
// The settings' model: the sources to choose from, the one-or-two ages rule, and saving the
// policy file (only the keys the settings change, comments kept, atomically, mode kept).
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

#include "Config.h"

namespace fs = std::filesystem;
using namespace agecheck;
using namespace agecheck::kiosk;

namespace {

struct TempDir {
	fs::path path = fs::temp_directory_path() / ("agecheck-config-" + std::to_string(getpid()));
	TempDir()
	{
		fs::remove_all(path);
		fs::create_directories(path);
	}
	~TempDir() { fs::remove_all(path); }
};

std::string Read(const fs::path& p)
{
	std::ifstream in(p);
	std::ostringstream s;
	s << in.rdbuf();
	return s.str();
}

} // namespace

TEST(Config, SourcesAreTheCurrentOneThenEveryVideoDevice)
{
	TempDir dev;
	for (const char* name : {"video10", "video2", "video0", "videofoo", "video", "media0", "null"})
		std::ofstream(dev.path / name) << "";
	const std::string d = dev.path.string();
	EXPECT_EQ(SourceChoices("/clips/demo.mp4", dev.path),
	          (std::vector<std::string>{"/clips/demo.mp4", d + "/video0", d + "/video2", d + "/video10"}));
	// The current camera once, first, whatever its spelling.
	EXPECT_EQ(SourceChoices(d + "/video2", dev.path),
	          (std::vector<std::string>{d + "/video2", d + "/video0", d + "/video10"}));
	EXPECT_EQ(SourceChoices("camera:3", dev.path).front(), "/dev/video3");
	EXPECT_EQ(SourceChoices("x", dev.path / "missing"), (std::vector<std::string>{"x"}));
	EXPECT_EQ(CameraDevice("camera:0"), "/dev/video0");
	EXPECT_EQ(CameraDevice("camera:x"), "camera:x");
	EXPECT_TRUE(IsCamera("camera:1"));
	EXPECT_TRUE(IsCamera("/dev/video1"));
	EXPECT_FALSE(IsCamera("/srv/demo.mp4"));
}

TEST(Config, OneOrTwoAgesAscending)
{
	std::vector<int> t{18, 21};
	EXPECT_FALSE(ToggleThreshold(t, 20)) << "a third age";
	EXPECT_EQ(t, (std::vector<int>{18, 21}));
	EXPECT_TRUE(ToggleThreshold(t, 21));
	EXPECT_EQ(t, (std::vector<int>{18}));
	EXPECT_FALSE(ToggleThreshold(t, 18)) << "no age at all";
	EXPECT_EQ(t, (std::vector<int>{18}));
	EXPECT_TRUE(ToggleThreshold(t, 19));
	EXPECT_EQ(t, (std::vector<int>{18, 19}));
	EXPECT_TRUE(ToggleThreshold(t, 18));
	EXPECT_TRUE(ToggleThreshold(t, 16));
	EXPECT_EQ(t, (std::vector<int>{16, 19})) << "kept ascending";
	EXPECT_FALSE(ToggleThreshold(t = {18}, 0));
	EXPECT_FALSE(ToggleThreshold(t = {18}, 126));
}

TEST(Config, RestartOnlyForTheServicesSettings)
{
	Config a;
	a.source = "camera:0";
	Config b = a;
	b.sound = false;
	EXPECT_FALSE(NeedsRestart(a, b));
	b.source = "/dev/video0";
	EXPECT_FALSE(NeedsRestart(a, b)) << "the same camera";
	b.width = 1920;
	EXPECT_TRUE(NeedsRestart(a, b));
	b = a;
	b.policy.leapDay = age::LeapDayRule::February28;
	EXPECT_TRUE(NeedsRestart(a, b));
	b = a;
	b.policy.printedProfiles = {"us"};
	EXPECT_TRUE(NeedsRestart(a, b));
}

TEST(Config, UpdatePolicyTextChangesOnlyItsKeys)
{
	age::Policy p;
	p.thresholds = {19};
	p.leapDay = age::LeapDayRule::February28;
	p.expired = age::ExpiredDocuments::Accept;
	const std::string original = "# the shop's policy\nthresholds = 18, 21   # what the till asks\n\nmax_age = 110\r\n"
	                             "  leap_day_birthday=mar1\nprinted_profiles = us";
	const std::string updated = UpdatePolicyText(original, p);
	EXPECT_EQ(updated, "# the shop's policy\nthresholds = 19 # what the till asks\n\nmax_age = 110\r\n"
	                   "leap_day_birthday = feb28\nprinted_profiles = us\nexpired_documents = accept\n");
	std::string why;
	const auto back = age::ParsePolicy(updated, &why);
	ASSERT_TRUE(back) << why;
	EXPECT_EQ(back->thresholds, p.thresholds);
	EXPECT_EQ(back->maxAge, 110);
	EXPECT_EQ(back->printedProfiles, (std::vector<std::string>{"us"}));
	// From nothing: the three keys.
	EXPECT_EQ(UpdatePolicyText("", age::DefaultPolicy()),
	          "thresholds = 18, 21\nleap_day_birthday = mar1\nexpired_documents = reject\n");
}

TEST(Config, SavePolicyWritesAtomicallyAndKeepsTheMode)
{
	TempDir d;
	const fs::path file = d.path / "policy.conf";
	std::ofstream(file) << "# keep me\nthresholds = 18, 21\n";
	ASSERT_EQ(::chmod(file.c_str(), 0640), 0);
	age::Policy p;
	p.thresholds = {18, 20};
	std::string error;
	ASSERT_TRUE(SavePolicy(file, p, &error)) << error;
	EXPECT_EQ(Read(file), "# keep me\nthresholds = 18, 20\nleap_day_birthday = mar1\nexpired_documents = reject\n");
	struct stat st {};
	ASSERT_EQ(::stat(file.c_str(), &st), 0);
	EXPECT_EQ(st.st_mode & 07777, 0640u);
	EXPECT_EQ(std::distance(fs::directory_iterator(d.path), fs::directory_iterator()), 1) << "no temporary file left";

	// Through a symbolic link: the file it points to is replaced, the link stays.
	const fs::path link = d.path / "link.conf";
	fs::create_symlink(file, link);
	p.thresholds = {21};
	ASSERT_TRUE(SavePolicy(link, p, &error)) << error;
	EXPECT_TRUE(fs::is_symlink(link));
	EXPECT_NE(Read(file).find("thresholds = 21\n"), std::string::npos);

	// A file that no longer parses is left for a person to fix.
	std::ofstream(file) << "thresholds = 18, 21\nbogus = 1\n";
	EXPECT_FALSE(SavePolicy(file, p, &error));
	EXPECT_NE(error.find("bogus"), std::string::npos) << error;
	EXPECT_EQ(Read(file), "thresholds = 18, 21\nbogus = 1\n");
	// An age above the file's max_age would not read back: refused, the file untouched.
	std::ofstream(file) << "max_age = 20\nthresholds = 18\n";
	EXPECT_FALSE(SavePolicy(file, p, &error));
	EXPECT_EQ(Read(file), "max_age = 20\nthresholds = 18\n");
	// A directory that cannot be written: an error, nothing half-written.
	EXPECT_FALSE(WriteFileAtomically(d.path / "missing" / "policy.conf", "x", &error));
	EXPECT_NE(error.find("cannot create"), std::string::npos) << error;
}

// SPDX-License-Identifier: Apache-2.0
// The `agecheck scan` contract: one line per input, INPUT<TAB>VERDICT<TAB>REASON; exit 0, 1 or 2;
// never an identity field in anything it prints.
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/videoio.hpp>
#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

#include "synth/Synth.h"

namespace fs = std::filesystem;
using namespace agecheck;
using namespace std::chrono;

namespace {

struct Run {
	int status = -1;
	std::string out; ///< stdout and stderr together
};

Run Agecheck(const std::string& args)
{
	const std::string cmd = std::string(AGECHECK_BIN) + " " + args + " 2>&1";
	Run r;
	FILE* p = popen(cmd.c_str(), "r");
	if (!p)
		return r;
	std::array<char, 4096> buf{};
	std::size_t n;
	while ((n = fread(buf.data(), 1, buf.size(), p)) > 0)
		r.out.append(buf.data(), n);
	const int st = pclose(p);
	r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	return r;
}

class CliTest : public ::testing::Test {
protected:
	void SetUp() override
	{
		dir = fs::temp_directory_path() / ("agecheck-cli-" + std::to_string(getpid()));
		fs::create_directories(dir);
	}
	void TearDown() override { fs::remove_all(dir); }

	/// Writes an easy synthetic licence frame and returns its path and sample.
	std::pair<std::string, synth::Sample> Licence(std::uint64_t seed)
	{
		auto sample = synth::MakeLicenceSample(seed, synth::Level::Easy, kToday, 18);
		const auto path = (dir / ("licence-" + std::to_string(seed) + ".jpg")).string();
		cv::imwrite(path, sample.image);
		return {path, std::move(sample)};
	}

	static constexpr year_month_day kToday{year{2026}, month{11}, day{25}};
	fs::path dir;
};

std::string Two(unsigned v)
{
	char buf[8];
	std::snprintf(buf, sizeof buf, "%02u", v % 100);
	return buf;
}

/// Every way the pipeline could have written this date.
std::vector<std::string> DateForms(year_month_day d)
{
	const std::string y = std::to_string(int(d.year())), m = Two(unsigned(d.month())), dd = Two(unsigned(d.day()));
	return {y + m + dd, m + dd + y, y + "-" + m + "-" + dd, m + "/" + dd + "/" + y, dd + "/" + m + "/" + y};
}

} // namespace

TEST_F(CliTest, PrintsOneVerdictLinePerInput)
{
	const auto [path, sample] = Licence(3);
	const auto r = Agecheck("scan --today 2026-11-25 " + path);
	EXPECT_EQ(r.status, 0) << r.out;
	EXPECT_EQ(r.out, path + "\t" + std::string(ToString(sample.expected)) + "\t" +
						 std::string(ToString(sample.expectedReason)) + "\n");
}

TEST_F(CliTest, NeverPrintsIdentityFields)
{
	for (std::uint64_t seed = 10; seed < 14; ++seed) {
		const auto [path, sample] = Licence(seed);
		const auto r = Agecheck("scan --today 2026-11-25 --threshold 18 " + path);
		EXPECT_EQ(r.status, 0);
		// Exactly the line and nothing else: the verdict the card was made for, and its reason.
		EXPECT_EQ(r.out, path + "\t" + std::string(ToString(sample.expected)) + "\t" +
							 std::string(ToString(sample.expectedReason)) + "\n");
		EXPECT_EQ(r.out.find(sample.spec.familyName), std::string::npos);
		EXPECT_EQ(r.out.find(sample.spec.givenName), std::string::npos);
		for (auto date : {sample.spec.birth, sample.spec.expiry, sample.spec.issue})
			for (const auto& form : DateForms(date))
				EXPECT_EQ(r.out.find(form), std::string::npos) << "a date was printed";
	}
}

TEST_F(CliTest, ThresholdChangesTheQuestion)
{
	// Born 19 years before today: over 18, under 21.
	synth::PayloadSpec spec;
	spec.birth = year_month_day{year{2007}, month{6}, day{1}};
	spec.issue = year_month_day{year{2024}, month{6}, day{1}};
	spec.expiry = year_month_day{year{2029}, month{6}, day{1}};
	const cv::Mat card = synth::RenderLicenceBack(synth::MakeAamvaPayload(spec), 1);
	const auto path = (dir / "card.png").string();
	cv::imwrite(path, card);
	EXPECT_NE(Agecheck("scan --today 2026-11-25 --threshold 18 " + path).out.find("\tover\taamva"), std::string::npos);
	EXPECT_NE(Agecheck("scan --today 2026-11-25 --threshold 21 " + path).out.find("\tunder\taamva"), std::string::npos);
	// The same card after its expiry: not verified, whatever the age.
	EXPECT_NE(Agecheck("scan --today 2029-06-02 " + path).out.find("\tunverified\texpired"), std::string::npos);
	// ... unless the policy accepts expired documents.
	const auto policy = (dir / "policy.conf").string();
	std::ofstream(policy) << "thresholds = 18\nexpired_documents = accept\n";
	EXPECT_NE(Agecheck("scan --today 2029-06-02 --policy " + policy + " " + path).out.find("\tover\taamva"),
			  std::string::npos);
}

TEST_F(CliTest, UnreadableFilesExitOneAndStillPrintTheirLine)
{
	const auto [good, sample] = Licence(4);
	const auto junk = (dir / "junk.jpg").string();
	std::ofstream(junk) << "not an image";
	const auto r = Agecheck("scan --today 2026-11-25 /nonexistent.png " + junk + " " + good);
	EXPECT_EQ(r.status, 1);
	EXPECT_NE(r.out.find("/nonexistent.png\tunverified\tunreadable-file\n"), std::string::npos);
	EXPECT_NE(r.out.find(junk + "\tunverified\tunreadable-file\n"), std::string::npos);
	EXPECT_NE(r.out.find(good + "\t" + std::string(ToString(sample.expected))), std::string::npos);
}

TEST_F(CliTest, NonIdAndEmptyFramesAreUnverified)
{
	const auto label = (dir / "label.png").string();
	cv::imwrite(label, synth::MakeNonIdBarcodeScene(1, synth::Level::Easy));
	const auto empty = (dir / "empty.png").string();
	cv::imwrite(empty, synth::MakeEmptyScene(1, synth::Level::Easy));
	const auto r = Agecheck("scan --today 2026-11-25 " + label + " " + empty);
	EXPECT_EQ(r.status, 0);
	EXPECT_NE(r.out.find(label + "\tunverified\tnot-an-id\n"), std::string::npos) << r.out;
	EXPECT_NE(r.out.find(empty + "\tunverified\tunreadable\n"), std::string::npos) << r.out;
}

TEST_F(CliTest, ReadsVideoUntilAVerdict)
{
	const auto [still, sample] = Licence(6);
	const auto clip = (dir / "clip.avi").string();
	{
		cv::VideoWriter w(clip, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 15, sample.image.size());
		ASSERT_TRUE(w.isOpened());
		w.write(synth::MakeEmptyScene(2, synth::Level::Easy));
		w.write(sample.image);
	}
	const auto r = Agecheck("scan --today 2026-11-25 " + clip);
	EXPECT_EQ(r.status, 0);
	EXPECT_EQ(r.out, clip + "\t" + std::string(ToString(sample.expected)) + "\t" +
						 std::string(ToString(sample.expectedReason)) + "\n");
}

// A hostile input (a 4000x1 sliver, a name with a tab and a line feed in it) neither stops the
// run nor forges a line: every input gets exactly one line, in order.
TEST_F(CliTest, HostileInputsNeitherStopTheRunNorForgeLines)
{
	const auto sliver = (dir / "sliver.png").string();
	cv::imwrite(sliver, cv::Mat(1, 4000, CV_8UC1, cv::Scalar(0)));
	const std::string forged = (dir / "x\tover\taamva\ny.png").string();
	cv::imwrite(forged, synth::MakeEmptyScene(3, synth::Level::Easy));
	const auto [good, sample] = Licence(8);
	const auto r = Agecheck("scan --today 2026-11-25 " + sliver + " '" + forged + "' " + good);
	EXPECT_EQ(r.status, 0) << r.out;
	std::string printable = forged;
	for (char& c : printable)
		if (c == '\t' || c == '\n')
			c = '?';
	EXPECT_EQ(r.out, sliver + "\tunverified\tunreadable\n" + printable + "\tunverified\tunreadable\n" + good + "\t" +
						 std::string(ToString(sample.expected)) + "\t" + std::string(ToString(sample.expectedReason)) +
						 "\n");
}

// agecheck serve on a synthetic licence clip, asked through agecheck pos: the POS gets the right
// yes or no, and nothing else; the service stops cleanly on SIGTERM.
TEST_F(CliTest, ServeAnswersPosCheckEndToEnd)
{
	std::uint64_t seed = 40;
	synth::Sample sample = synth::MakeLicenceSample(seed, synth::Level::Medium, kToday, 18);
	while (sample.expected != Verdict::Over)
		sample = synth::MakeLicenceSample(++seed, synth::Level::Medium, kToday, 18);
	const auto clip = (dir / "clip.avi").string();
	{
		cv::VideoWriter w(clip, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 15, sample.image.size());
		ASSERT_TRUE(w.isOpened());
		for (int i = 0; i < 6; ++i)
			w.write(synth::MakeEmptyScene(std::uint64_t(i), synth::Level::Easy));
		for (int i = 0; i < 8; ++i)
			w.write(sample.image);
	}
	const auto socket = (dir / "run" / "agecheck.sock").string();
	const auto log = (dir / "serve.out").string();
	const pid_t pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		freopen(log.c_str(), "w", stdout);
		execl(AGECHECK_BIN, AGECHECK_BIN, "serve", "--source", clip.c_str(), "--socket", socket.c_str(), "--today",
			  "2026-11-25", static_cast<char*>(nullptr));
		_exit(127);
	}
	struct Reaper { // the service never outlives the test, whatever fails
		pid_t pid;
		~Reaper()
		{
			if (pid > 0) {
				kill(pid, SIGKILL);
				waitpid(pid, nullptr, 0);
			}
		}
	} reaper{pid};
	// Ready when it answers (the socket file exists a moment before it listens).
	::Run status;
	for (int i = 0; i < 200; ++i) {
		status = Agecheck("pos status --socket " + socket);
		if (status.status == 0)
			break;
		usleep(50'000);
	}
	ASSERT_EQ(status.status, 0) << status.out;
	EXPECT_NE(status.out.find("\"v\":1"), std::string::npos) << status.out;
	EXPECT_EQ(Agecheck("pos check 16 --socket " + socket).status, 3) << "16 is not offered by the default policy";
	const auto check = Agecheck("pos check 18 --timeout-ms 20000 --socket " + socket);
	EXPECT_EQ(check.status, 0) << check.out;
	EXPECT_EQ(check.out, "over\n");

	kill(pid, SIGTERM);
	int st = 0;
	waitpid(pid, &st, 0);
	reaper.pid = 0;
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) << "serve stops cleanly on SIGTERM";
	std::ifstream in(log);
	const std::string out((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
	EXPECT_NE(out.find("sighting\taamva\t18:over\t21:"), std::string::npos) << out;
	for (const auto& form : DateForms(sample.spec.birth))
		EXPECT_EQ(out.find(form), std::string::npos);
	EXPECT_EQ(out.find(sample.spec.familyName), std::string::npos);

	EXPECT_EQ(Agecheck("pos check 18 --timeout-ms 100 --socket " + socket).status, 4) << "no service: no answer";
}

// The demo images that tools/run scans give the verdicts written beside them.
TEST_F(CliTest, DemoSamplesGiveTheirExpectedVerdicts)
{
	const fs::path samples = fs::path(AGECHECK_SOURCE_DIR) / "assets" / "samples";
	std::ifstream expected(samples / "expected.tsv");
	ASSERT_TRUE(expected);
	std::string today;
	std::ifstream(samples / "TODAY") >> today;
	std::string line;
	int n = 0;
	while (std::getline(expected, line)) {
		const auto tab = line.find('\t');
		const auto path = (samples / line.substr(0, tab)).string();
		const auto r = Agecheck("scan --today " + today + " " + path);
		EXPECT_EQ(r.status, 0);
		EXPECT_EQ(r.out, path + line.substr(tab) + "\n");
		++n;
	}
	EXPECT_EQ(n, 7);
}

TEST_F(CliTest, UsageErrorsExitTwo)
{
	const auto [path, sample] = Licence(7);
	EXPECT_EQ(Agecheck("").status, 2);
	EXPECT_EQ(Agecheck("scan").status, 2);
	EXPECT_EQ(Agecheck("scan --today 2026-02-30 " + path).status, 2);
	EXPECT_EQ(Agecheck("scan --today yesterday " + path).status, 2);
	EXPECT_EQ(Agecheck("scan --threshold 0 " + path).status, 2);
	EXPECT_EQ(Agecheck("scan --threshold 126 " + path).status, 2);
	EXPECT_EQ(Agecheck("scan --threshold abc " + path).status, 2);
	EXPECT_EQ(Agecheck("scan --frobnicate " + path).status, 2);
	EXPECT_EQ(Agecheck("scan --policy /nonexistent.conf " + path).status, 2);
	const auto bad = (dir / "bad.conf").string();
	std::ofstream(bad) << "thresholds = 18, 21, 25\n";
	const auto r = Agecheck("scan --policy " + bad + " " + path);
	EXPECT_EQ(r.status, 2);
	EXPECT_NE(r.out.find("line 1"), std::string::npos) << r.out;
	EXPECT_EQ(Agecheck("--help").status, 0);
}

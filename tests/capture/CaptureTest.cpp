// SPDX-License-Identifier: Apache-2.0
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>
#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/videoio.hpp>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <atomic>
#include <chrono>
#include <thread>
#include <unistd.h>

#include "capture/FrameSource.h"
#include "capture/ZeroingAllocator.h"

namespace fs = std::filesystem;
using namespace agecheck;

namespace {
fs::path TempDirPath()
{
	return fs::temp_directory_path() / ("agecheck-capture-" + std::to_string(getpid()));
}

fs::path TempDir()
{
	auto dir = TempDirPath();
	fs::create_directories(dir);
	return dir;
}

/// Removes this process's files when it exits (ctest runs each test in its own process).
const struct RemoveTempDir {
	~RemoveTempDir()
	{
		std::error_code ec;
		fs::remove_all(TempDirPath(), ec);
	}
} kRemoveTempDir;
} // namespace

TEST(ZeroingAllocator, IsInstalledAndWipesEveryReleasedBuffer)
{
	capture::InstallZeroingAllocator();
	ASSERT_TRUE(capture::ZeroingAllocatorInstalled());
	const auto before = capture::ZeroingAllocatorWipes();
	{
		cv::Mat a(1080, 1920, CV_8UC3, cv::Scalar(1, 2, 3));
		cv::Mat b(3, 3, CV_8UC1, cv::Scalar(7));
		cv::Mat c = a.clone();
	}
	EXPECT_EQ(capture::ZeroingAllocatorWipes() - before, 3u);
}

namespace {

/// The VmFlags of every mapping that holds a byte of [p, p + n), from /proc/self/smaps.
std::vector<std::string> MappingFlags(const void* p, std::size_t n)
{
	const auto begin = reinterpret_cast<std::uintptr_t>(p), end = begin + n;
	std::vector<std::string> flags;
	std::ifstream smaps("/proc/self/smaps");
	bool inside = false;
	for (std::string line; std::getline(smaps, line);) {
		std::uintptr_t from = 0, to = 0;
		char dash = 0;
		if (std::istringstream range(line); line.find('-') < line.find(' ') && (range >> std::hex >> from >> dash >> to) && dash == '-')
			inside = from < end && begin < to;
		else if (inside && line.rfind("VmFlags:", 0) == 0)
			flags.push_back(line);
	}
	return flags;
}

} // namespace

TEST(ZeroingAllocator, KeepsLargeBuffersOutOfCoreDumps)
{
	capture::InstallZeroingAllocator();
	// Frame sized and odd sized: every page a buffer touches, its first and last included, is
	// marked "dd" (MADV_DONTDUMP).
	for (const cv::Size size : {cv::Size(1920, 1080), cv::Size(1001, 7), cv::Size(4099, 1)}) {
		cv::Mat m(size, CV_8UC3, cv::Scalar(1, 2, 3));
		const auto flags = MappingFlags(m.data, m.total() * m.elemSize());
		ASSERT_FALSE(flags.empty()) << size;
		for (const auto& f : flags)
			EXPECT_NE((f + " ").find(" dd "), std::string::npos) << size << ": " << f;
	}
}

TEST(ZeroingAllocator, ImreadAllocatesThroughIt)
{
	capture::InstallZeroingAllocator();
	const auto path = TempDir() / "frame.png";
	ASSERT_TRUE(cv::imwrite(path.string(), cv::Mat(40, 60, CV_8UC3, cv::Scalar(10, 20, 30))));
	const auto before = capture::ZeroingAllocatorWipes();
	{
		cv::Mat m = cv::imread(path.string());
		ASSERT_FALSE(m.empty());
		EXPECT_EQ(m.u->currAllocator, cv::Mat::getDefaultAllocator());
	}
	EXPECT_GE(capture::ZeroingAllocatorWipes() - before, 1u);
}

TEST(FrameSource, MissingFileIsUnreadable)
{
	auto s = capture::OpenFile("/nonexistent/licence.jpg");
	ASSERT_FALSE(s);
	EXPECT_EQ(s.reason(), Reason::UnreadableFile);
}

TEST(FrameSource, DirectoryAndGarbageAreUnreadable)
{
	const auto dir = TempDir();
	auto d = capture::OpenFile(dir.string());
	ASSERT_FALSE(d);
	EXPECT_EQ(d.reason(), Reason::UnreadableFile);

	const auto junk = dir / "junk.jpg";
	std::ofstream(junk) << "this is not a JPEG, just text pretending";
	auto j = capture::OpenFile(junk.string());
	ASSERT_FALSE(j);
	EXPECT_EQ(j.reason(), Reason::UnreadableFile);

	const auto empty = dir / "empty.png";
	std::ofstream{empty};
	auto e = capture::OpenFile(empty.string());
	ASSERT_FALSE(e);
	EXPECT_EQ(e.reason(), Reason::UnreadableFile);
}

TEST(FrameSource, ImageYieldsOneFrame)
{
	const auto path = TempDir() / "still.png";
	ASSERT_TRUE(cv::imwrite(path.string(), cv::Mat(30, 50, CV_8UC3, cv::Scalar(0, 0, 255))));
	auto s = capture::OpenFile(path.string());
	ASSERT_TRUE(s);
	cv::Mat frame;
	ASSERT_TRUE((*s)->next(frame));
	EXPECT_EQ(frame.cols, 50);
	EXPECT_EQ(frame.rows, 30);
	EXPECT_FALSE((*s)->next(frame));
}

TEST(FrameSource, VideoYieldsEveryFrame)
{
	const auto path = TempDir() / "clip.avi";
	{
		cv::VideoWriter w(path.string(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 10, cv::Size(64, 48));
		ASSERT_TRUE(w.isOpened());
		for (int i = 0; i < 5; ++i)
			w.write(cv::Mat(48, 64, CV_8UC3, cv::Scalar(i * 40, 0, 0)));
	}
	auto s = capture::OpenFile(path.string());
	ASSERT_TRUE(s);
	EXPECT_NEAR((*s)->fps(), 10.0, 0.5);
	cv::Mat frame;
	int n = 0;
	while ((*s)->next(frame))
		++n;
	EXPECT_EQ(n, 5);
}

namespace {

/// Writes one raw frame (see OpenLive's "fd:N") to `fd`, with a header that may be altered.
void WriteRaw(int fd, const cv::Mat& m, const char* magic = "AGRF", int rows = -1)
{
	std::uint32_t h[4] = {0, std::uint32_t(rows < 0 ? m.rows : rows), std::uint32_t(m.cols), std::uint32_t(m.type())};
	std::memcpy(h, magic, 4);
	ASSERT_EQ(write(fd, h, sizeof h), ssize_t(sizeof h));
	const std::size_t n = m.total() * m.elemSize();
	ASSERT_EQ(write(fd, m.data, n), ssize_t(n));
}

} // namespace

TEST(FrameSource, RawStreamYieldsFramesUntilItEnds)
{
	int p[2];
	ASSERT_EQ(pipe(p), 0);
	auto s = capture::OpenLive("fd:" + std::to_string(p[0]));
	ASSERT_TRUE(s);
	EXPECT_EQ((*s)->kind(), capture::SourceKind::Stream);
	EXPECT_EQ((*s)->fps(), 0);
	std::thread writer([fd = p[1]] {
		WriteRaw(fd, cv::Mat(48, 64, CV_8UC3, cv::Scalar(1, 2, 3)));
		WriteRaw(fd, cv::Mat(20, 30, CV_8UC1, cv::Scalar(77)));
		close(fd);
	});
	cv::Mat frame;
	ASSERT_TRUE((*s)->next(frame));
	EXPECT_EQ(frame.size(), cv::Size(64, 48));
	EXPECT_EQ(frame.at<cv::Vec3b>(10, 10), cv::Vec3b(1, 2, 3));
	ASSERT_TRUE((*s)->next(frame));
	EXPECT_EQ(frame.type(), CV_8UC1);
	EXPECT_EQ(frame.at<unsigned char>(5, 5), 77);
	EXPECT_FALSE((*s)->next(frame)); // end of stream
	writer.join();
}

TEST(FrameSource, RawStreamEndsAtAMalformedHeader)
{
	for (int kase = 0; kase < 3; ++kase) {
		int p[2];
		ASSERT_EQ(pipe(p), 0);
		fcntl(p[1], F_SETPIPE_SZ, 1 << 20);
		auto s = capture::OpenLive("fd:" + std::to_string(p[0]));
		ASSERT_TRUE(s);
		const cv::Mat small(4, 4, CV_8UC3, cv::Scalar::all(9));
		if (kase == 0)
			WriteRaw(p[1], small, "XXXX"); // wrong magic
		else if (kase == 1)
			WriteRaw(p[1], small, "AGRF", 9000); // too tall
		else
			WriteRaw(p[1], cv::Mat(4, 4, CV_32FC1, cv::Scalar::all(1))); // not 8-bit
		close(p[1]);
		cv::Mat frame;
		EXPECT_FALSE((*s)->next(frame)) << kase;
	}
}

TEST(FrameSource, RawStreamRefusesStdioFilesAndNonsense)
{
	EXPECT_FALSE(capture::OpenLive("fd:1"));      // this process's own stdout
	EXPECT_FALSE(capture::OpenLive("fd:"));
	EXPECT_FALSE(capture::OpenLive("fd:abc"));
	EXPECT_FALSE(capture::OpenLive("fd:99999"));
	const auto path = TempDir() / "not-a-pipe";
	std::ofstream(path) << "x";
	const int fd = open(path.c_str(), O_RDONLY);
	ASSERT_GE(fd, 3);
	const auto r = capture::OpenLive("fd:" + std::to_string(fd));
	ASSERT_FALSE(r);
	EXPECT_EQ(r.failure().reason, Reason::UnreadableFile);
	close(fd);
}

TEST(FrameSource, RawStreamCancelUnblocksAWaitingRead)
{
	int p[2];
	ASSERT_EQ(pipe(p), 0);
	auto s = capture::OpenLive("fd:" + std::to_string(p[0]));
	ASSERT_TRUE(s);
	std::atomic<bool> returned{false};
	std::thread reader([&] {
		cv::Mat frame;
		EXPECT_FALSE((*s)->next(frame)); // the writer never writes: only cancel() ends this
		returned = true;
	});
	std::this_thread::sleep_for(std::chrono::milliseconds(100));
	EXPECT_FALSE(returned);
	(*s)->cancel();
	reader.join();
	EXPECT_TRUE(returned);
	close(p[1]);
}

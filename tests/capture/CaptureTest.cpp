// SPDX-License-Identifier: Apache-2.0
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/videoio.hpp>
#include <unistd.h>

#include "capture/FrameSource.h"
#include "capture/ZeroingAllocator.h"

namespace fs = std::filesystem;
using namespace agecheck;

namespace {
fs::path TempDir()
{
	auto dir = fs::temp_directory_path() / ("agecheck-capture-" + std::to_string(getpid()));
	fs::create_directories(dir);
	return dir;
}
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

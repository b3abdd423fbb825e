// SPDX-License-Identifier: Apache-2.0
#include "capture/FrameSource.h"

#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/videoio.hpp>

namespace agecheck::capture {

namespace {

class ImageSource final : public FrameSource {
public:
	explicit ImageSource(cv::Mat image) : _image(std::move(image)) {}
	bool next(cv::Mat& frame) override
	{
		if (_done || _image.empty())
			return false;
		_done = true;
		frame = std::move(_image); // hand the buffer over; nothing stays behind here
		_image.release();
		return true;
	}
	double fps() const override { return 0; }

private:
	cv::Mat _image;
	bool _done = false;
};

class VideoSource final : public FrameSource {
public:
	VideoSource(cv::VideoCapture cap, cv::Mat first) : _cap(std::move(cap)), _first(std::move(first)) {}
	bool next(cv::Mat& frame) override
	{
		if (!_first.empty()) {
			frame = std::move(_first);
			_first.release();
			return true;
		}
		return _cap.read(frame) && !frame.empty();
	}
	double fps() const override { return _cap.get(cv::CAP_PROP_FPS); }

private:
	cv::VideoCapture _cap;
	cv::Mat _first; ///< read at open, to tell a video from a file that only claims to be one
};

} // namespace

Result<std::unique_ptr<FrameSource>> OpenFile(const std::string& path)
{
	std::error_code ec;
	if (!std::filesystem::is_regular_file(path, ec))
		return Failure{Reason::UnreadableFile, "not a regular file"};
	try {
		if (cv::haveImageReader(path)) {
			cv::Mat image = cv::imread(path, cv::IMREAD_COLOR);
			if (image.empty())
				return Failure{Reason::UnreadableFile, "image could not be decoded"};
			return std::unique_ptr<FrameSource>(std::make_unique<ImageSource>(std::move(image)));
		}
		// FFmpeg only: probing every backend (GStreamer's uridecodebin among them) on an untrusted
		// file is slow, leaks inside those libraries and widens what hostile input can reach.
		cv::VideoCapture cap(path, cv::CAP_FFMPEG);
		if (!cap.isOpened())
			return Failure{Reason::UnreadableFile, "neither an image nor a video OpenCV can read"};
		cv::Mat first;
		if (!cap.read(first) || first.empty())
			return Failure{Reason::UnreadableFile, "no frame could be decoded"};
		return std::unique_ptr<FrameSource>(std::make_unique<VideoSource>(std::move(cap), std::move(first)));
	} catch (...) {
		return Failure{Reason::UnreadableFile, "OpenCV failed to read the file"};
	}
}

} // namespace agecheck::capture

// SPDX-License-Identifier: Apache-2.0
#include "capture/FrameSource.h"

#include <algorithm>
#include <atomic>
#include <poll.h>
#include <cerrno>
#include <cstring>
#include <endian.h>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>
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

namespace {

class CameraSource final : public LiveSource {
public:
	explicit CameraSource(cv::VideoCapture cap) : _cap(std::move(cap)) {}
	bool next(cv::Mat& frame) override { return _cap.read(frame) && !frame.empty(); }
	double fps() const override { return 0; } // a camera paces itself
	SourceKind kind() const override { return SourceKind::Camera; }

private:
	cv::VideoCapture _cap;
};

/// Raw frames read from a descriptor (see OpenLive). Reads go straight into the frame's buffer.
class StreamSource final : public LiveSource {
public:
	explicit StreamSource(int fd) : _fd(fd) { (void)!pipe2(_wake, O_CLOEXEC | O_NONBLOCK); }
	~StreamSource() override
	{
		close(_fd);
		for (int w : _wake)
			if (w >= 0)
				close(w);
	}
	void cancel() noexcept override
	{
		_cancelled = true;
		if (_wake[1] >= 0)
			(void)!write(_wake[1], "x", 1);
	}

	bool next(cv::Mat& frame) override
	{
		std::uint32_t h[4];
		if (!readAll(reinterpret_cast<unsigned char*>(h), sizeof h))
			return false;
		const std::uint32_t rows = le32toh(h[1]), cols = le32toh(h[2]), type = le32toh(h[3]);
		if (std::memcmp(h, "AGRF", 4) != 0 || rows == 0 || cols == 0 || rows > 8192 || cols > 8192
		    || std::uint64_t(rows) * cols > 40'000'000
		    || (type != CV_8UC1 && type != CV_8UC3 && type != CV_8UC4))
			return false;
		frame.create(int(rows), int(cols), int(type));
		return readAll(frame.data, frame.total() * frame.elemSize());
	}
	double fps() const override { return 0; } // the writer paces it, as a camera would
	SourceKind kind() const override { return SourceKind::Stream; }

private:
	bool readAll(unsigned char* p, std::size_t n)
	{
		while (n > 0) {
			// Wait for data or cancel(): a writer that pauses must not hold up stopping.
			pollfd w[2] = {{_fd, POLLIN, 0}, {_wake[0], POLLIN, 0}};
			if (_cancelled || poll(w, _wake[0] >= 0 ? 2 : 1, -1) < 0) {
				if (!_cancelled && errno == EINTR)
					continue;
				return false;
			}
			if (_cancelled)
				return false;
			const ssize_t r = ::read(_fd, p, n);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				return false;
			p += r;
			n -= std::size_t(r);
		}
		return true;
	}

	int _fd;
	int _wake[2] = {-1, -1};
	std::atomic<bool> _cancelled{false};
};

/// A video or image file, or a folder of images, optionally looping.
class FileLiveSource final : public LiveSource {
public:
	FileLiveSource(std::vector<std::string> files, SourceKind kind, const LiveOptions& options)
		: _files(std::move(files)), _kind(kind), _options(options)
	{}

	bool open()
	{
		_index = 0;
		return openCurrent();
	}

	bool next(cv::Mat& frame) override
	{
		for (int guard = 0; guard < 2 * int(_files.size()) + 2; ++guard) {
			if (_current && _current->next(frame))
				return true;
			++_index;
			if (_index >= _files.size()) {
				if (!_options.loop)
					return false;
				_index = 0;
			}
			if (!openCurrent())
				_current.reset();
		}
		return false;
	}

	double fps() const override
	{
		const double f = _current ? _current->fps() : 0;
		return f >= 1 && f <= 240 ? f : _options.stillFps; // a file cannot ask for minutes per frame
	}
	SourceKind kind() const override { return _kind; }

private:
	bool openCurrent()
	{
		auto s = OpenFile(_files[_index]);
		if (!s)
			return false;
		_current = std::move(*s);
		return true;
	}

	std::vector<std::string> _files;
	SourceKind _kind;
	LiveOptions _options;
	std::size_t _index = 0;
	std::unique_ptr<FrameSource> _current;
};

} // namespace

Result<std::unique_ptr<LiveSource>> OpenLive(const std::string& source, const LiveOptions& options)
{
	try {
		int index = -1;
		if (source.rfind("camera:", 0) == 0 && source.size() > 7 && source.size() < 10 &&
			source.find_first_not_of("0123456789", 7) == std::string::npos)
			index = std::stoi(source.substr(7));
		else if (source.rfind("/dev/video", 0) == 0 && source.size() > 10 && source.size() < 13 &&
				 source.find_first_not_of("0123456789", 10) == std::string::npos)
			index = std::stoi(source.substr(10));
		if (source.rfind("fd:", 0) == 0) {
			if (source.size() < 4 || source.size() > 7 || source.find_first_not_of("0123456789", 3) != std::string::npos)
				return Failure{Reason::UnreadableFile, "fd:N needs a descriptor number"};
			const int fd = std::stoi(source.substr(3));
			// Only an inherited pipe or socket, never this process's own stdio or a file.
			struct stat st{};
			if (fd < 3 || fstat(fd, &st) != 0 || !(S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)))
				return Failure{Reason::UnreadableFile, "fd:N is not an open pipe or socket"};
			const int own = fcntl(fd, F_DUPFD_CLOEXEC, 3);
			if (own < 0)
				return Failure{Reason::UnreadableFile, "fd:N could not be taken"};
			close(fd);
			return std::unique_ptr<LiveSource>(std::make_unique<StreamSource>(own));
		}
		const bool devicePath = index < 0 && source.rfind("/dev/", 0) == 0;
		if (index >= 0 || devicePath) {
			cv::VideoCapture cap;
			if (devicePath)
				cap.open(source, cv::CAP_V4L2); // e.g. a stable /dev/v4l/by-id/... name
			else
				cap.open(index, cv::CAP_V4L2);
			if (!cap.isOpened())
				return Failure{Reason::UnreadableFile, "the camera could not be opened"};
			if (options.width > 0 && options.height > 0) {
				cap.set(cv::CAP_PROP_FRAME_WIDTH, options.width);
				cap.set(cv::CAP_PROP_FRAME_HEIGHT, options.height);
			}
			return std::unique_ptr<LiveSource>(std::make_unique<CameraSource>(std::move(cap)));
		}

		std::error_code ec;
		std::vector<std::string> files;
		SourceKind kind = SourceKind::File;
		if (std::filesystem::is_directory(source, ec)) {
			kind = SourceKind::Folder;
			for (const auto& e : std::filesystem::directory_iterator(source, ec))
				if (e.is_regular_file(ec) && cv::haveImageReader(e.path().string()))
					files.push_back(e.path().string());
			std::sort(files.begin(), files.end());
			if (files.empty())
				return Failure{Reason::UnreadableFile, "the folder holds no image"};
		} else {
			files.push_back(source);
		}
		auto live = std::make_unique<FileLiveSource>(std::move(files), kind, options);
		if (!live->open())
			return Failure{Reason::UnreadableFile, "neither a camera, a folder of images nor a readable file"};
		return std::unique_ptr<LiveSource>(std::move(live));
	} catch (...) {
		return Failure{Reason::UnreadableFile, "the source could not be opened"};
	}
}

} // namespace agecheck::capture

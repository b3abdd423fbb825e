// SPDX-License-Identifier: Apache-2.0
#pragma once
// Frame sources: still images and video files (cameras come with the service).

#include <cstdint>
#include <memory>
#include <opencv2/core/mat.hpp>
#include <string>

#include "common/Result.h"

namespace agecheck::capture {

/// A sequence of BGR frames. Frames are read into the caller's Mat so its buffer is reused.
class FrameSource {
public:
	virtual ~FrameSource() = default;
	/// Reads the next frame into `frame`; false at the end of the source or on a read error.
	virtual bool next(cv::Mat& frame) = 0;
	/// Frames per second the source plays at (0 for a still image).
	virtual double fps() const = 0;
};

/// Opens an image (PNG, JPEG, ...) or a video file. Failure: Reason::UnreadableFile.
/// The returned source yields a still image once.
Result<std::unique_ptr<FrameSource>> OpenFile(const std::string& path);

/// What a live source is and how it was opened.
enum class SourceKind : std::uint8_t {
	Camera, ///< a V4L2 device ("/dev/video0", "/dev/v4l/by-id/...") or index ("camera:0")
	File,   ///< a video or an image
	Folder, ///< the images in a folder, in name order: an image sequence
	Stream, ///< raw frames on an inherited descriptor ("fd:N"): see OpenLive
};

/// Options of a live source; each states its default.
struct LiveOptions {
	bool loop = false;      ///< start a file or folder again at its end; default false
	int width = 0;          ///< camera resolution asked for (0: the camera's default)
	int height = 0;         ///< camera resolution asked for (0: the camera's default)
	double stillFps = 10;   ///< frame rate at which an image or an image folder plays; default 10
};

/// A source for the service: a camera, a video or image file, or a folder of images. next()
/// returns false at the end of a file or folder (unless looping) and when a camera fails; the
/// caller paces files at fps() as a camera would.
class LiveSource : public FrameSource {
public:
	/// The kind of source.
	virtual SourceKind kind() const = 0;
	/// Makes a next() that is blocked, or called later, return false soon. Thread-safe; sources
	/// that never block for long (files, cameras with their own timeout) ignore it.
	virtual void cancel() noexcept {}
};

/// Opens a path under /dev/ or "camera:N" as a camera (V4L2), "fd:N" as a raw frame stream, a folder
/// as an image sequence, anything else as a file. Failure: Reason::UnreadableFile (no such camera,
/// descriptor, file or readable image).
///
/// A raw frame stream (for the self-test, and for piping frames from another capture program)
/// is a sequence of frames, each a 16-byte header, "AGRF" then rows, cols and the OpenCV type
/// (CV_8UC1, CV_8UC3 for BGR or CV_8UC4) as little-endian uint32, followed by rows*cols*channels
/// bytes. It plays as fast as it is written, like a camera, and ends at end of file or at the
/// first malformed header (at most 8192 x 8192 and 40 megapixels).
Result<std::unique_ptr<LiveSource>> OpenLive(const std::string& source, const LiveOptions& options = {});

} // namespace agecheck::capture

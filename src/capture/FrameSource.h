// SPDX-License-Identifier: Apache-2.0
#pragma once
// Frame sources: still images and video files (cameras come with the service).

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

} // namespace agecheck::capture

// SPDX-License-Identifier: Apache-2.0
#pragma once
// The hand-over between the capture thread and the sighting worker: the latest frame only.
// Buffers are fixed and overwritten in place (a frame of the same size reuses its buffer), locked
// in RAM once when they are (re)allocated, and a frame the worker did not take in time is
// dropped, never queued.

#include <chrono>
#include <cstdint>
#include <condition_variable>
#include <mutex>
#include <opencv2/core/mat.hpp>

namespace agecheck::capture {

/// A one-slot mailbox of frames. Thread-safe: one producer, one consumer.
class FrameRing {
public:
	/// Copies `frame` into the slot, replacing (dropping) a frame that was not taken yet. `index`
	/// is the frame's number in its source (for measurements; default 0).
	void put(const cv::Mat& frame, std::chrono::steady_clock::time_point capturedAt = std::chrono::steady_clock::now(),
	         std::uint64_t index = 0);
	/// Waits for a frame newer than the last one taken, copies it into `out` (reusing its buffer)
	/// and zeroes the slot; `capturedAt` and `index` (when not null) receive what put() was given.
	/// False once close() was called.
	bool take(cv::Mat& out, std::chrono::steady_clock::time_point* capturedAt = nullptr, std::uint64_t* index = nullptr);
	/// Ends every wait; put() is ignored from then on.
	void close();
	/// Overwrites the slot with zeros (called when a sighting completes: the preview is cleared).
	void wipe();
	/// Waits until the frame in the slot was taken (or close()), then overwrites the slot with
	/// zeros: the end of a file, whose last frame must still be scanned.
	void wipeWhenTaken();
	/// How many frames were dropped: replaced while the worker was busy, or wiped before it took them.
	unsigned long long dropped() const;

private:
	mutable std::mutex _m;
	std::condition_variable _cv;
	cv::Mat _slot;
	const void* _slotLocked = nullptr; ///< the slot buffer last locked in RAM
	const void* _outLocked = nullptr;  ///< the consumer's buffer last locked in RAM
	std::chrono::steady_clock::time_point _capturedAt{};
	std::uint64_t _index = 0;
	bool _fresh = false;
	bool _closed = false;
	unsigned long long _dropped = 0;
};

} // namespace agecheck::capture

// SPDX-License-Identifier: Apache-2.0
#include "capture/FrameRing.h"

#include "secure/Wipe.h"

namespace agecheck::capture {

namespace {

/// Locks a frame buffer in RAM (and out of core dumps) the first time it is seen; best effort.
void LockOnce(const cv::Mat& m, const void*& last)
{
	if (m.empty() || m.data == last)
		return;
	last = m.data;
	if (m.isContinuous())
		secure::LockPages(m.data, m.total() * m.elemSize());
}

} // namespace

void FrameRing::put(const cv::Mat& frame, std::chrono::steady_clock::time_point capturedAt, std::uint64_t index)
{
	{
		std::lock_guard lock(_m);
		if (_closed)
			return;
		if (_fresh)
			++_dropped;
		frame.copyTo(_slot); // same size and type: the buffer is overwritten in place
		LockOnce(_slot, _slotLocked);
		_capturedAt = capturedAt;
		_index = index;
		_fresh = true;
	}
	_cv.notify_all();
}

bool FrameRing::take(cv::Mat& out, std::chrono::steady_clock::time_point* capturedAt, std::uint64_t* index)
{
	std::unique_lock lock(_m);
	_cv.wait(lock, [&] { return _fresh || _closed; });
	if (_closed)
		return false;
	_slot.copyTo(out);
	LockOnce(out, _outLocked);
	if (capturedAt)
		*capturedAt = _capturedAt;
	if (index)
		*index = _index;
	_slot.setTo(cv::Scalar::all(0)); // taken: the only copy now is the worker's, which it zeroes
	_fresh = false;
	lock.unlock();
	_cv.notify_all(); // wipeWhenTaken may be waiting for this
	return true;
}

void FrameRing::close()
{
	{
		std::lock_guard lock(_m);
		_closed = true;
	}
	_cv.notify_all();
}

void FrameRing::wipe()
{
	std::lock_guard lock(_m);
	if (!_slot.empty())
		_slot.setTo(cv::Scalar::all(0));
	if (_fresh)
		++_dropped; // wiped before it was taken: it is never scanned
	_fresh = false;
}

void FrameRing::wipeWhenTaken()
{
	std::unique_lock lock(_m);
	_cv.wait(lock, [&] { return !_fresh || _closed; });
	if (!_slot.empty())
		_slot.setTo(cv::Scalar::all(0));
	_fresh = false;
}

unsigned long long FrameRing::dropped() const
{
	std::lock_guard lock(_m);
	return _dropped;
}

} // namespace agecheck::capture

// SPDX-License-Identifier: Apache-2.0
#pragma once
// Frames hold pictures of IDs: every cv::Mat buffer in the process is zeroed before it is freed.

namespace agecheck::capture {

/// Installs a cv::MatAllocator that zeroes every buffer on release and keeps large buffers
/// (a page or more) out of core dumps (MADV_DONTDUMP). It does not lock them: see the README. Call before the first frame is read;
/// idempotent. Mats allocated earlier keep their old allocator until they are released.
void InstallZeroingAllocator() noexcept;

/// True when the zeroing allocator is OpenCV's default.
bool ZeroingAllocatorInstalled() noexcept;

/// Number of buffers the zeroing allocator has wiped so far (for tests and the self-test).
unsigned long long ZeroingAllocatorWipes() noexcept;

} // namespace agecheck::capture

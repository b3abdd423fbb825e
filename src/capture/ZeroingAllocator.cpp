// SPDX-License-Identifier: Apache-2.0
#include "capture/ZeroingAllocator.h"

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <opencv2/core.hpp>
#include <sys/mman.h>
#include <unistd.h>

#include "common/Secret.h"

namespace agecheck::capture {

namespace {

constexpr std::size_t kAlign = 64;

std::atomic<unsigned long long> g_wipes{0};

/// Like OpenCV's StdMatAllocator (modules/core/src/matrix.cpp), but the pages of large buffers
/// are excluded from core dumps, and every buffer is zeroed before release.
class ZeroingMatAllocator final : public cv::MatAllocator {
public:
	cv::UMatData* allocate(int dims, const int* sizes, int type, void* data0, size_t* step, cv::AccessFlag /*flags*/,
						   cv::UMatUsageFlags /*usageFlags*/) const override
	{
		size_t total = CV_ELEM_SIZE(type);
		for (int i = dims - 1; i >= 0; i--) {
			if (step) {
				if (data0 && step[i] != cv::Mat::AUTO_STEP) {
					CV_Assert(total <= step[i]);
					total = step[i];
				} else {
					step[i] = total;
				}
			}
			total *= static_cast<size_t>(sizes[i]);
		}
		uchar* data = static_cast<uchar*>(data0);
		if (!data) {
			// 64-byte aligned, as OpenCV's own allocator (fastMalloc) gives.
			void* p = nullptr;
			if (posix_memalign(&p, kAlign, total ? total : 1) != 0)
				CV_Error(cv::Error::StsNoMem, "zeroing allocator: out of memory");
			const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
			if (total >= page) {
				// Out of core dumps: every page the buffer touches (the heap data sharing its first
				// and last pages is left out of a dump too, which costs nothing). Not page-aligned
				// allocations: glibc served those with fresh pages each time, which made a
				// passport's MRZ reading about 40% slower (the documents benchmark, seed 2027: zone
				// medians 95-100 ms against 65-70 ms, 917 000 against 612 000 page faults).
				const auto at = reinterpret_cast<std::uintptr_t>(p);
				const std::uintptr_t begin = at / page * page, end = (at + total + page - 1) / page * page;
				madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTDUMP);
				// Not locked here: mlock per allocation cost ~7 ms per 1080p frame (measured), and
				// RLIMIT_MEMLOCK runs out after one frame without CAP_IPC_LOCK. Frames are kept out
				// of swap by a ring of buffers locked once (the no-retention work) and, until then,
				// by the deployment (no swap, or encrypted swap).
			}
			data = static_cast<uchar*>(p);
		}
		auto* u = new cv::UMatData(this);
		u->data = u->origdata = data;
		u->size = total;
		if (data0)
			u->flags |= cv::UMatData::USER_ALLOCATED;
		return u;
	}

	bool allocate(cv::UMatData* u, cv::AccessFlag /*accessFlags*/, cv::UMatUsageFlags /*usageFlags*/) const override
	{
		return u != nullptr;
	}

	void deallocate(cv::UMatData* u) const override
	{
		if (!u)
			return;
		CV_Assert(u->urefcount == 0);
		CV_Assert(u->refcount == 0);
		if (!(u->flags & cv::UMatData::USER_ALLOCATED)) {
			SecureZero(u->origdata, u->size);
			std::free(u->origdata);
			g_wipes.fetch_add(1, std::memory_order_relaxed);
			u->origdata = nullptr;
		}
		delete u;
	}
};

ZeroingMatAllocator& Instance()
{
	static ZeroingMatAllocator instance;
	return instance;
}

} // namespace

void InstallZeroingAllocator() noexcept
{
	cv::Mat::setDefaultAllocator(&Instance());
}

bool ZeroingAllocatorInstalled() noexcept
{
	return cv::Mat::getDefaultAllocator() == &Instance();
}

unsigned long long ZeroingAllocatorWipes() noexcept
{
	return g_wipes.load(std::memory_order_relaxed);
}

} // namespace agecheck::capture

// SPDX-License-Identifier: Apache-2.0
// The process-wide replacement of operator delete that zeroes every C++ block before it is freed
// (see Wipe.h). Linked into executables as an object (agecheck::wipe_delete), never into a
// library, so that one definition wins. Under AddressSanitizer it is left out: ASan owns
// new/delete, and its free_fill options (below) wipe freed blocks instead.
#include <cstddef>
#include <cstdlib>
#include <malloc.h>
#include <new>
#include <string.h>

#include "secure/Sanitizer.h"

/// Tells MeasureWiping() that this file is linked in.
extern "C" const int agecheck_wipe_delete_linked = 1;

#if defined(AGECHECK_ASAN)

/// ASan's own defaults for our executables: fill every freed block (up to 1 GiB) with zeros.
extern "C" const char* __asan_default_options()
{
	return "max_free_fill_size=1073741824:free_fill_byte=0";
}

#else

namespace {

inline void WipeAndFree(void* p) noexcept
{
	if (!p)
		return;
	explicit_bzero(p, malloc_usable_size(p));
	std::free(p);
}

} // namespace

void operator delete(void* p) noexcept { WipeAndFree(p); }
void operator delete[](void* p) noexcept { WipeAndFree(p); }
void operator delete(void* p, std::size_t) noexcept { WipeAndFree(p); }
void operator delete[](void* p, std::size_t) noexcept { WipeAndFree(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { WipeAndFree(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { WipeAndFree(p); }
void operator delete(void* p, std::align_val_t) noexcept { WipeAndFree(p); }
void operator delete[](void* p, std::align_val_t) noexcept { WipeAndFree(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { WipeAndFree(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { WipeAndFree(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { WipeAndFree(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { WipeAndFree(p); }

#endif

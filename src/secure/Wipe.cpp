// SPDX-License-Identifier: Apache-2.0
#include "secure/Wipe.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <malloc.h>
#include <string>
#include <sys/mman.h>
#include <unistd.h>

#include "secure/Sanitizer.h"

/// Defined by WipeDelete.cpp when it is linked in.
extern "C" __attribute__((weak)) const int agecheck_wipe_delete_linked;

namespace agecheck::secure {

namespace {

constexpr const char* kReexecMarker = "AGECHECK_REEXEC";

bool HasTunables()
{
	const char* t = std::getenv("GLIBC_TUNABLES");
	// Only the tcache setting is checked: glibc 2.36 keeps perturb out of the environment it
	// passes on, and WipeFreedChunks() sets it with mallopt anyway.
	return t && std::strstr(t, "glibc.malloc.tcache_count=0");
}

bool HasOmpLimit()
{
	const char* t = std::getenv("OMP_THREAD_LIMIT");
	return t && std::strcmp(t, "1") == 0;
}

} // namespace

void PrepareEnvironment(char** argv) noexcept
{
	WipeFreedChunks();
	if (HasTunables() && HasOmpLimit())
		return;
	if (std::getenv(kReexecMarker))
		return; // re-executed once already and still missing: do not loop
	try {
		if (!HasTunables()) {
			std::string t;
			if (const char* old = std::getenv("GLIBC_TUNABLES"); old && *old)
				t = std::string(old) + ":";
			t += kWipeTunables;
			setenv("GLIBC_TUNABLES", t.c_str(), 1);
		}
	} catch (...) {
		return;
	}
	setenv("OMP_THREAD_LIMIT", "1", 1);
	setenv(kReexecMarker, "1", 1);
	// Through the real path, so that the process keeps its name (ps, top, systemd).
	char self[4096];
	const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n <= 0)
		return;
	self[n] = '\0';
	execv(self, argv);
	// exec failed (no /proc?): carry on; MeasureWiping() will report tcache as on.
}

void WipeFreedChunks() noexcept
{
#if !defined(AGECHECK_ASAN)
	// 0xa5: any non-zero byte; glibc treats 0 as "off". Chunks already in tcache stay as they are.
	static const bool done = mallopt(M_PERTURB, 0xa5) == 1;
	(void)done;
#endif
}

namespace {

// Reads freed memory on purpose, to measure that it was wiped. Not UB-free in the abstract, but
// on glibc and ASan the block stays mapped (a small chunk in a bin, or ASan's quarantine).
__attribute__((noinline, no_sanitize("address")))
bool LooksWiped(const volatile unsigned char* p, std::size_t n, unsigned char pattern)
{
	std::size_t kept = 0;
	// The first 16 bytes hold the allocator's own links; look past them.
	for (std::size_t i = 16; i < n; ++i)
		kept += p[i] == pattern;
	return kept == 0;
}

} // namespace

WipeStatus MeasureWiping() noexcept
{
	WipeStatus s;
#if defined(AGECHECK_ASAN)
	s.sanitizer = true;
#endif
	s.deleteLinked = &agecheck_wipe_delete_linked != nullptr;
	constexpr std::size_t n = 96;
	{
		auto* p = new unsigned char[n];
		std::memset(p, 0x5c, n);
		auto* volatile keep = p;
		delete[] keep;
		s.deleteWipes = LooksWiped(p, n, 0x5c);
	}
	{
		auto* p = static_cast<unsigned char*>(std::malloc(n));
		if (p) {
			std::memset(p, 0x3e, n);
			void* volatile keep = p;
			std::free(keep);
			s.freeWipes = LooksWiped(p, n, 0x3e);
		}
	}
	return s;
}

__attribute__((noinline)) void WipeStack(std::size_t bytes) noexcept
{
	// First the vector registers: a decoder's SIMD copies leave ID bytes in them, and whatever
	// saves them next (a lazy-binding trampoline, a varargs call) spills them onto the stack,
	// below any region wiped here. Measured: without this, payload bytes sat just below the wipe.
#if defined(__x86_64__)
	if (__builtin_cpu_supports("avx512f")) // vzeroall leaves zmm16-31, which glibc's EVEX copies use
		asm volatile("vpxord %%zmm16, %%zmm16, %%zmm16\n\tvpxord %%zmm17, %%zmm17, %%zmm17\n\t"
		             "vpxord %%zmm18, %%zmm18, %%zmm18\n\tvpxord %%zmm19, %%zmm19, %%zmm19\n\t"
		             "vpxord %%zmm20, %%zmm20, %%zmm20\n\tvpxord %%zmm21, %%zmm21, %%zmm21\n\t"
		             "vpxord %%zmm22, %%zmm22, %%zmm22\n\tvpxord %%zmm23, %%zmm23, %%zmm23\n\t"
		             "vpxord %%zmm24, %%zmm24, %%zmm24\n\tvpxord %%zmm25, %%zmm25, %%zmm25\n\t"
		             "vpxord %%zmm26, %%zmm26, %%zmm26\n\tvpxord %%zmm27, %%zmm27, %%zmm27\n\t"
		             "vpxord %%zmm28, %%zmm28, %%zmm28\n\tvpxord %%zmm29, %%zmm29, %%zmm29\n\t"
		             "vpxord %%zmm30, %%zmm30, %%zmm30\n\tvpxord %%zmm31, %%zmm31, %%zmm31" ::: "memory");
	if (__builtin_cpu_supports("avx"))
		asm volatile("vzeroall" ::: "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9",
		             "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
	else
		asm volatile("pxor %%xmm0, %%xmm0\n\tpxor %%xmm1, %%xmm1\n\tpxor %%xmm2, %%xmm2\n\tpxor %%xmm3, %%xmm3\n\t"
		             "pxor %%xmm4, %%xmm4\n\tpxor %%xmm5, %%xmm5\n\tpxor %%xmm6, %%xmm6\n\tpxor %%xmm7, %%xmm7\n\t"
		             "pxor %%xmm8, %%xmm8\n\tpxor %%xmm9, %%xmm9\n\tpxor %%xmm10, %%xmm10\n\tpxor %%xmm11, %%xmm11\n\t"
		             "pxor %%xmm12, %%xmm12\n\tpxor %%xmm13, %%xmm13\n\tpxor %%xmm14, %%xmm14\n\tpxor %%xmm15, %%xmm15"
		             ::: "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10",
		             "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
#endif
	if (bytes > 4 * 1024 * 1024)
		bytes = 4 * 1024 * 1024;
	// A VLA-free way to reach below this frame: alloca, then a wipe the compiler cannot drop.
	auto* p = static_cast<unsigned char*>(__builtin_alloca(bytes));
	explicit_bzero(p, bytes);
	asm volatile("" : : "r"(p) : "memory");
}

bool LockPages(void* p, std::size_t size) noexcept
{
	if (!p || size == 0)
		return false;
	const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
	const auto begin = reinterpret_cast<std::uintptr_t>(p) & ~(page - 1);
	const auto end = (reinterpret_cast<std::uintptr_t>(p) + size + page - 1) & ~(page - 1);
	auto* b = reinterpret_cast<void*>(begin);
	madvise(b, end - begin, MADV_DONTDUMP);
	return mlock(b, end - begin) == 0;
}

} // namespace agecheck::secure

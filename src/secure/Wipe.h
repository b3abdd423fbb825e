// SPDX-License-Identifier: Apache-2.0
#pragma once
// Every heap release in the process is wiped: the decoders (zxing-cpp, Tesseract, OpenCV,
// libjpeg) allocate their own strings and buffers, and what they free must not keep an ID.
//
// Three layers, each measured by WipeStatus():
//  - `operator delete` is replaced (link agecheck::wipe_delete into the executable): it zeroes
//    the whole block (malloc_usable_size) before freeing it. Covers every C++ allocation.
//  - glibc's malloc perturbs (overwrites) every chunk it frees (the glibc.malloc.perturb tunable,
//    and mallopt(M_PERTURB) as a fallback). Covers C allocations (libjpeg, Leptonica, libc).
//  - glibc's per-thread cache (tcache) skips the perturb step for small chunks, so it is turned
//    off with the glibc.malloc.tcache_count=0 tunable. Tunables are read at process start only:
//    PrepareEnvironment() re-executes the program once with them set.
// Under AddressSanitizer, ASan owns malloc: its free_fill options do the same job instead.
//
// WARNING: this does not reach memory the process never frees (live buffers: those are the
// secret types' job), stacks (WipeStack), or pages already returned to the kernel (munmap: out
// of scope, see src/secure/THREAT-MODEL.md).
#include <cstddef>

namespace agecheck::secure {

/// The glibc tunables PrepareEnvironment() sets: tcache off, freed chunks perturbed.
inline constexpr const char* kWipeTunables = "glibc.malloc.tcache_count=0:glibc.malloc.perturb=165";

/// Makes sure the process runs with the wiping tunables and OMP_THREAD_LIMIT=1 (Tesseract's
/// OpenMP threads slow it down several times on two cores): when either is missing from the
/// environment, sets them and re-executes /proc/self/exe with the same arguments. Returns only
/// when they are in place (or the re-exec failed: WipeStatus() then says tcache is on). Call
/// first thing in main(), before any thread starts.
void PrepareEnvironment(char** argv) noexcept;

/// Turns on glibc's perturb-on-free (a fallback for when the tunable is absent). Idempotent.
void WipeFreedChunks() noexcept;

/// What is in place, each flag measured in this process, not assumed.
struct WipeStatus {
	bool deleteLinked = false;  ///< the operator delete replacement is linked into this executable
	bool deleteWipes = false;   ///< a freed C++ block was found overwritten
	bool freeWipes = false;     ///< a small malloc'ed chunk was found overwritten after free (perturb, tcache off)
	bool sanitizer = false;     ///< built with AddressSanitizer (its free_fill does the wiping)
};

/// Measures the wiping layers by freeing test blocks and looking at them afterwards.
WipeStatus MeasureWiping() noexcept;

/// Overwrites `bytes` (at most 4 MiB) of the calling thread's stack below the current frame: what
/// deeper calls (parsers, decoders) left there. Call from a shallow frame after a scan. The
/// default, 1 MiB, is four times the deepest decode measured (about 270 KiB, in a Debug ASan
/// build) and costs about 50 us.
void WipeStack(std::size_t bytes = 1024 * 1024) noexcept;

/// Locks `size` bytes at `p` in RAM (mlock) and keeps them out of core dumps (MADV_DONTDUMP),
/// page-aligned inwards and outwards as needed. True when the lock succeeded (it can fail under
/// RLIMIT_MEMLOCK; the memory is then still usable, just swappable).
bool LockPages(void* p, std::size_t size) noexcept;

} // namespace agecheck::secure

// SPDX-License-Identifier: Apache-2.0
#pragma once
// Counts every allocation of a test program, to prove that a parser makes none. Include it in
// exactly one source file of the program: it replaces the global operator new and delete. The
// pair calls malloc and free (GCC cannot see that they match once inlined: its false positive is
// silenced).

#include <atomic>
#include <cstdlib>
#include <new>

namespace agecheck::test {
/// Allocations through operator new so far.
inline std::atomic<long> g_allocations{0};
} // namespace agecheck::test

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
void* operator new(std::size_t size)
{
	++agecheck::test::g_allocations;
	if (void* p = std::malloc(size ? size : 1))
		return p;
	throw std::bad_alloc();
}
void operator delete(void* p) noexcept
{
	std::free(p);
}
void operator delete(void* p, std::size_t) noexcept
{
	std::free(p);
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

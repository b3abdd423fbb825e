// SPDX-License-Identifier: Apache-2.0
#pragma once
// Small secrets that live on the stack or inside other objects and wipe themselves.
// Heap payloads use secure::SecretBuffer (libsodium, locked pages) instead.

#include <chrono>
#include <cstddef>
#include <string.h> // explicit_bzero (glibc >= 2.25)

namespace agecheck {

/// Zeroes `size` bytes at `p` in a way the optimiser may not remove.
inline void SecureZero(void* p, std::size_t size) noexcept
{
	if (p && size)
		explicit_bzero(p, size);
}

/// A calendar date read from an ID (birth, expiry, issue). Move-only; wipes itself when destroyed
/// or moved from. `get()` hands out a copy for arithmetic: keep such copies short-lived.
class SecretDate {
public:
	SecretDate() noexcept = default;
	explicit SecretDate(std::chrono::year_month_day ymd) noexcept : _ymd(ymd) {}
	SecretDate(const SecretDate&) = delete;
	SecretDate& operator=(const SecretDate&) = delete;
	SecretDate(SecretDate&& o) noexcept : _ymd(o._ymd) { o.wipe(); }
	SecretDate& operator=(SecretDate&& o) noexcept
	{
		if (this != &o) {
			_ymd = o._ymd;
			o.wipe();
		}
		return *this;
	}
	~SecretDate() { wipe(); }

	/// The date (a copy).
	std::chrono::year_month_day get() const noexcept { return _ymd; }
	/// True when the date is a real calendar date.
	bool ok() const noexcept { return _ymd.ok(); }
	/// Overwrites the date with zeros.
	void wipe() noexcept { SecureZero(&_ymd, sizeof _ymd); }

private:
	std::chrono::year_month_day _ymd{};
};

} // namespace agecheck

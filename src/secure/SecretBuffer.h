// SPDX-License-Identifier: Apache-2.0
#pragma once
// Heap memory for identity data: libsodium guarded allocations (locked, excluded from core
// dumps where the kernel allows it, fenced by guard pages and a canary, zeroed on release).

#include <cstddef>
#include <span>
#include <string_view>

namespace agecheck::secure {

/// A move-only byte buffer in libsodium secure memory. Never copies itself; zeroes on destruction.
///
/// WARNING: libsodium "tries to" lock the pages (sodium_mlock can fail under RLIMIT_MEMLOCK, and
/// then the memory may be swapped); each buffer costs at least three pages and two mprotect calls,
/// so use it for payloads and texts, not for thousands of tiny objects.
class SecretBuffer {
public:
	SecretBuffer() noexcept = default;
	/// A zero-filled buffer of `size` bytes; empty() if the allocation failed.
	explicit SecretBuffer(std::size_t size) noexcept;
	/// A buffer holding a copy of `bytes`; empty() if the allocation failed.
	static SecretBuffer CopyOf(std::span<const std::byte> bytes) noexcept;
	SecretBuffer(const SecretBuffer&) = delete;
	SecretBuffer& operator=(const SecretBuffer&) = delete;
	SecretBuffer(SecretBuffer&& o) noexcept;
	SecretBuffer& operator=(SecretBuffer&& o) noexcept;
	~SecretBuffer();

	/// The bytes.
	std::span<std::byte> bytes() noexcept { return {_data, _size}; }
	std::span<const std::byte> bytes() const noexcept { return {_data, _size}; }
	/// The bytes seen as characters (for text payloads); valid while the buffer lives.
	std::string_view view() const noexcept { return {reinterpret_cast<const char*>(_data), _size}; }
	std::size_t size() const noexcept { return _size; }
	bool empty() const noexcept { return _size == 0; }

	/// Zeroes and releases the memory now.
	void reset() noexcept;

private:
	std::byte* _data = nullptr;
	std::size_t _size = 0;
};

/// Initialises libsodium once; true when it is usable. Called by SecretBuffer itself.
bool InitSodium() noexcept;

} // namespace agecheck::secure

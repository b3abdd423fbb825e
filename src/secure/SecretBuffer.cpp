// SPDX-License-Identifier: Apache-2.0
#include "secure/SecretBuffer.h"

#include <cstring>
#include <sodium.h>

namespace agecheck::secure {

bool InitSodium() noexcept
{
	static const bool ok = sodium_init() >= 0;
	return ok;
}

SecretBuffer::SecretBuffer(std::size_t size) noexcept
{
	if (size == 0 || !InitSodium())
		return;
	// sodium_malloc fills with 0xdb; start from zeros so a short write leaves nothing surprising.
	if (void* p = sodium_malloc(size)) {
		sodium_memzero(p, size);
		_data = static_cast<std::byte*>(p);
		_size = size;
	}
}

SecretBuffer SecretBuffer::CopyOf(std::span<const std::byte> bytes) noexcept
{
	SecretBuffer b(bytes.size());
	if (b.size() == bytes.size() && !bytes.empty())
		std::memcpy(b._data, bytes.data(), bytes.size());
	return b;
}

SecretBuffer::SecretBuffer(SecretBuffer&& o) noexcept : _data(o._data), _size(o._size)
{
	o._data = nullptr;
	o._size = 0;
}

SecretBuffer& SecretBuffer::operator=(SecretBuffer&& o) noexcept
{
	if (this != &o) {
		reset();
		_data = o._data;
		_size = o._size;
		o._data = nullptr;
		o._size = 0;
	}
	return *this;
}

SecretBuffer::~SecretBuffer()
{
	reset();
}

void SecretBuffer::reset() noexcept
{
	if (_data)
		sodium_free(_data); // zeroes, checks the canary, unlocks and unmaps
	_data = nullptr;
	_size = 0;
}

} // namespace agecheck::secure

// SPDX-License-Identifier: Apache-2.0
#pragma once
// Result<T>: a value or a Failure. Errors are values; exceptions never cross a stage's API.

#include <cassert>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "common/Reason.h"

namespace agecheck {

/// Why a stage produced no value: a reason code and a fixed explanation.
/// `detail` must point at a string literal: it can never carry identity data.
struct Failure {
	Reason reason;              ///< the reason code shown to the cashier and printed by the CLI
	std::string_view detail{}; ///< a static, non-identifying explanation for developers
};

/// A value of T, or a Failure.
template <typename T>
class [[nodiscard]] Result {
public:
	Result(T value) : _v(std::in_place_index<0>, std::move(value)) {}
	Result(Failure failure) : _v(std::in_place_index<1>, failure) {}

	/// True when the result holds a value.
	bool ok() const noexcept { return _v.index() == 0; }
	explicit operator bool() const noexcept { return ok(); }

	/// The value; only when ok().
	T& value() & { assert(ok()); return std::get<0>(_v); }
	const T& value() const& { assert(ok()); return std::get<0>(_v); }
	T&& value() && { assert(ok()); return std::get<0>(std::move(_v)); }
	T* operator->() { return &value(); }
	const T* operator->() const { return &value(); }
	T& operator*() & { return value(); }
	const T& operator*() const& { return value(); }

	/// The failure; only when !ok().
	const Failure& failure() const { assert(!ok()); return std::get<1>(_v); }
	/// The failure's reason; only when !ok().
	Reason reason() const { return failure().reason; }

private:
	std::variant<T, Failure> _v;
};

} // namespace agecheck

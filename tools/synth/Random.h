// SPDX-License-Identifier: Apache-2.0
#pragma once
// The generator's random numbers, shared by Synth.cpp, Documents.cpp and DemoClip.cpp (internal:
// not part of the agecheck::synth API): splitmix64 seeding + xoshiro256**, our own uniform and
// normal (portable, unlike std:: distributions), the small drawing helpers and date steps. Moving code here
// must not change a single draw: the benchmarks' seeds give the same frames as before.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <numbers>
#include <string>
#include <string_view>

namespace agecheck::synth::detail {

/// d + n days.
inline std::chrono::year_month_day AddDays(std::chrono::year_month_day d, int n)
{
	return std::chrono::year_month_day{std::chrono::sys_days{d} + std::chrono::days{n}};
}

/// d + n years; 29 February becomes 28 February in a common year.
inline std::chrono::year_month_day AddYears(std::chrono::year_month_day d, int n)
{
	std::chrono::year_month_day r = d + std::chrono::years{n};
	if (!r.ok())
		r = std::chrono::year_month_day{r.year(), r.month(), std::chrono::day{28}};
	return r;
}

inline std::uint64_t SplitMix64(std::uint64_t& state) noexcept
{
	std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/// A seed for a sub-stream: `seed` mixed with a salt.
inline std::uint64_t Mix(std::uint64_t seed, std::uint64_t salt) noexcept
{
	std::uint64_t s = seed ^ (salt * 0xd1b54a32d192ed03ULL);
	return SplitMix64(s);
}

class Rng {
public:
	explicit Rng(std::uint64_t seed) noexcept
	{
		for (auto& w : _s)
			w = SplitMix64(seed);
	}

	std::uint64_t next() noexcept
	{
		const std::uint64_t result = Rotl(_s[1] * 5, 7) * 9;
		const std::uint64_t t = _s[1] << 17;
		_s[2] ^= _s[0];
		_s[3] ^= _s[1];
		_s[1] ^= _s[2];
		_s[0] ^= _s[3];
		_s[2] ^= t;
		_s[3] = Rotl(_s[3], 45);
		return result;
	}
	/// Uniform in [0, 1).
	double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
	/// Uniform in [a, b).
	double uniform(double a, double b) noexcept { return a + (b - a) * uniform(); }
	/// Uniform integer in [a, b] (modulo bias is below 2^-40 for our ranges).
	int uniformInt(int a, int b) noexcept
	{
		if (b <= a)
			return a;
		return a + static_cast<int>(next() % static_cast<std::uint64_t>(b - a + 1));
	}
	bool chance(double p) noexcept { return uniform() < p; }
	/// Standard normal (Box-Muller).
	double normal() noexcept
	{
		const double u1 = std::max(uniform(), 1e-300);
		return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * uniform());
	}
	template <typename T>
	T pick(std::initializer_list<T> items) noexcept
	{
		return *(items.begin() + uniformInt(0, static_cast<int>(items.size()) - 1));
	}
	/// A seeded OpenCV generator for bulk noise.
	cv::RNG cvRng() noexcept { return cv::RNG(next() | 1u); }

private:
	static std::uint64_t Rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
	std::uint64_t _s[4];
};

template <typename G, typename T, std::size_t N>
const T& PickFrom(G& rng, const T (&items)[N])
{
	return items[static_cast<std::size_t>(rng.uniformInt(0, static_cast<int>(N) - 1))];
}

template <typename G>
std::string Digits(G& rng, int n)
{
	std::string s;
	for (int i = 0; i < n; ++i)
		s += static_cast<char>('0' + rng.uniformInt(0, 9));
	return s;
}

template <typename G>
std::string Letters(G& rng, int n)
{
	std::string s;
	for (int i = 0; i < n; ++i)
		s += static_cast<char>('A' + rng.uniformInt(0, 25));
	return s;
}

template <typename G>
std::string Alnum(G& rng, int n)
{
	static constexpr std::string_view kChars = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";
	std::string s;
	for (int i = 0; i < n; ++i)
		s += kChars[static_cast<std::size_t>(rng.uniformInt(0, static_cast<int>(kChars.size()) - 1))];
	return s;
}

} // namespace agecheck::synth::detail

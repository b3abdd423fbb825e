// SPDX-License-Identifier: Apache-2.0
#pragma once
// Small helpers shared by the benchmarks' reports.

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <vector>

namespace agecheck::bench {

using Clock = std::chrono::steady_clock;

/// A duration in milliseconds.
inline double Ms(Clock::duration d)
{
	return std::chrono::duration<double, std::milli>(d).count();
}

/// The `p` quantile (0..1) of `v`, nearest rank; 0 for no values.
inline double Percentile(std::vector<double> v, double p)
{
	if (v.empty())
		return 0;
	std::sort(v.begin(), v.end());
	const auto i = std::min(v.size() - 1, std::size_t(p * double(v.size() - 1) + 0.5));
	return v[i];
}

} // namespace agecheck::bench

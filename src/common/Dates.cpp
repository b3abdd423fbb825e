// SPDX-License-Identifier: Apache-2.0
#include "common/Dates.h"

#include <cstdio>
#include <ctime>

namespace agecheck {

std::optional<std::chrono::year_month_day> ParseIsoDate(std::string_view t) noexcept
{
	using namespace std::chrono;
	if (t.size() != 10 || t[4] != '-' || t[7] != '-')
		return std::nullopt;
	int v[8] = {};
	int k = 0;
	for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
		if (t[i] < '0' || t[i] > '9')
			return std::nullopt;
		v[k++] = t[i] - '0';
	}
	const int y = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3];
	const year_month_day ymd{year{y}, month{unsigned(v[4] * 10 + v[5])}, day{unsigned(v[6] * 10 + v[7])}};
	if (!ymd.ok())
		return std::nullopt;
	return ymd;
}

std::string IsoDate(std::chrono::year_month_day d)
{
	char buf[16];
	std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(d.year()), unsigned(d.month()), unsigned(d.day()));
	return buf;
}

std::chrono::year_month_day LocalToday() noexcept
{
	using namespace std::chrono;
	const std::time_t now = std::time(nullptr);
	std::tm tm{};
	localtime_r(&now, &tm);
	return year_month_day{year{tm.tm_year + 1900}, month{unsigned(tm.tm_mon + 1)}, day{unsigned(tm.tm_mday)}};
}

} // namespace agecheck

// SPDX-License-Identifier: Apache-2.0
#pragma once
// Helpers for the tests that run the kiosk app and read what it printed.
#include <sstream>
#include <string>
#include <vector>

namespace agecheck::testutil {

/// The lines of `text` that start with `prefix`.
inline std::vector<std::string> Lines(const std::string& text, const std::string& prefix)
{
	std::vector<std::string> out;
	std::istringstream in(text);
	for (std::string line; std::getline(in, line);)
		if (line.rfind(prefix, 0) == 0)
			out.push_back(line);
	return out;
}

} // namespace agecheck::testutil

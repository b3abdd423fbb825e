// SPDX-License-Identifier: Apache-2.0
#include "Tone.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace agecheck::kiosk {

std::vector<Note> Notes(Tone tone)
{
	switch (tone) {
	case Tone::Over: return {{880, 110}, {1319, 170}};                           // A5 then E6: "yes"
	case Tone::Under: return {{220, 450}};                                       // A3, long: "no"
	case Tone::NotVerified: return {{587, 90}, {0, 60}, {587, 90}, {0, 60}, {587, 90}}; // D5 x3: "look"
	}
	return {};
}

std::vector<std::int16_t> Synthesise(Tone tone, int sampleRate)
{
	std::vector<std::int16_t> out;
	if (sampleRate < 8000 || sampleRate > 192000)
		return out;
	constexpr double kPeak = 0.5 * 32767; // half scale: audible at a counter, never clipped
	const int fade = sampleRate * 5 / 1000;
	for (const Note& n : Notes(tone)) {
		const int count = int(std::int64_t(n.ms) * sampleRate / 1000);
		for (int i = 0; i < count; ++i) {
			if (n.hz == 0) {
				out.push_back(0);
				continue;
			}
			// A linear fade at both ends: a note that starts or stops mid-wave clicks.
			const double envelope = std::min({1.0, double(i) / fade, double(count - 1 - i) / fade});
			const double phase = 2 * std::numbers::pi * n.hz * double(i) / sampleRate;
			out.push_back(std::int16_t(std::lround(kPeak * envelope * std::sin(phase))));
		}
	}
	return out;
}

} // namespace agecheck::kiosk

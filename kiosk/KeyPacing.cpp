// SPDX-License-Identifier: Apache-2.0
#include "KeyPacing.h"

#include <algorithm>
#include <vector>

namespace agecheck::kiosk {

std::size_t EventsForThisFrame(std::span<const PacedEvent> queued)
{
	std::vector<int> pressed, released; // a frame holds a handful of events
	const auto in = [](const std::vector<int>& keys, int key) { return std::find(keys.begin(), keys.end(), key) != keys.end(); };
	for (std::size_t i = 0; i < queued.size(); ++i) {
		const PacedEvent& e = queued[i];
		if (e.kind == PacedEvent::Kind::KeyUp) {
			if (in(pressed, e.key))
				return i;
			released.push_back(e.key);
		} else if (e.kind == PacedEvent::Kind::KeyDown) {
			if (in(released, e.key))
				return i;
			pressed.push_back(e.key);
		}
	}
	return queued.size();
}

} // namespace agecheck::kiosk

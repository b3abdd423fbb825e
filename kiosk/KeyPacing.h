// SPDX-License-Identifier: Apache-2.0
#pragma once
// Key events handed to Dear ImGui at a pace it can see. ImGui 1.86 reads each key's state once a
// frame, so a key pressed and released within one frame is lost, and two taps of one key within
// one frame are seen as one. On a busy kiosk (a slow frame, a quick cashier, a barcode wedge or
// a test's xdotool) that moves the settings' keyboard focus one step short. The window's events
// are queued and each frame takes them in order up to, not including, the first that would undo
// a key's change made in the same frame (the release of a key pressed in it, or a press of a key
// released in it): that event, and all after it, wait for the next frame. No SDL here: tested
// alone.
#include <cstddef>
#include <cstdint>
#include <span>

namespace agecheck::kiosk {

/// An input event as the pacing sees it.
struct PacedEvent {
	enum class Kind : std::uint8_t { KeyDown, KeyUp, Other };
	Kind kind = Kind::Other;
	int key = 0; ///< the key's scancode, for KeyDown and KeyUp
	friend bool operator==(const PacedEvent&, const PacedEvent&) = default;
};

/// How many of the `queued` events, from the front, go to ImGui this frame: all of them up to the
/// first release of a key pressed among the ones taken, or press of a key released among them.
/// At least one when any are queued, so the queue always drains.
std::size_t EventsForThisFrame(std::span<const PacedEvent> queued);

} // namespace agecheck::kiosk

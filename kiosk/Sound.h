// SPDX-License-Identifier: Apache-2.0
#pragma once
// The result sounds through SDL audio (the tones of Tone.h, synthesised once, queued on the
// device). Optional: without an audio device the kiosk says so once on stderr and stays silent.
#include <cstdint>
#include <vector>

#include "KioskState.h"
#include "Tone.h"

namespace agecheck::kiosk {

/// Plays a tone when a result screen appears. For the UI thread.
class Sound {
public:
	/// `enabled` false: silent, and no audio device is opened until setEnabled(true). `report`:
	/// print "sound <tone>" on stdout for each tone played (tests).
	Sound(bool enabled, bool report);
	~Sound();
	Sound(const Sound&) = delete;
	Sound& operator=(const Sound&) = delete;

	/// Turns the sounds on or off (opens the device the first time they are on).
	void setEnabled(bool on);
	bool enabled() const { return _enabled; }
	/// The screen drawn now: a tone when it is a result screen that was not drawn just before.
	void screen(Screen s);

private:
	bool open();

	bool _enabled, _report;
	bool _tried = false;   ///< opening the device was attempted (a failure is reported once)
	std::uint32_t _device = 0;
	Screen _last = Screen::Idle;
	std::vector<std::int16_t> _tones[3];
};

} // namespace agecheck::kiosk

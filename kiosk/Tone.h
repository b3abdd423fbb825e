// SPDX-License-Identifier: Apache-2.0
#pragma once
// The result sounds, synthesised in memory (no sound files): a pleasant rising chime for OVER, a
// low long tone for UNDER and three short beeps for NOT VERIFIED, so that a cashier who is not
// looking at the screen can tell them apart by pitch and by rhythm. No SDL here: tested alone.
#include <cstdint>
#include <vector>

namespace agecheck::kiosk {

/// The sounds.
enum class Tone : std::uint8_t {
	Over,        ///< two rising notes, a fifth apart
	Under,       ///< one low, long note
	NotVerified, ///< three short beeps
};

/// One note of a tone: a sine at `hz` for `ms` milliseconds; `hz` 0 is a silence.
struct Note {
	int hz = 0;
	int ms = 0;
};

/// The notes of a tone. Every tone is shorter than 600 ms; no two tones share a pitch.
std::vector<Note> Notes(Tone tone);

/// The tone as signed 16-bit mono samples at `sampleRate` (8000 to 192000; others give none):
/// each note's length to the sample, a 5 ms fade in and out on each note (no clicks), peaks
/// at half of full scale (never clipped).
std::vector<std::int16_t> Synthesise(Tone tone, int sampleRate);

} // namespace agecheck::kiosk

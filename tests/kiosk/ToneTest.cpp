// SPDX-License-Identifier: Apache-2.0
// The result tones: short, exactly as long as their notes, never clipped, faded in and out, and
// told apart by pitch (each tone's notes are at pitches no other tone uses) and by rhythm.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <gtest/gtest.h>
#include <set>

#include "Tone.h"

using namespace agecheck::kiosk;

namespace {

constexpr Tone kTones[] = {Tone::Over, Tone::Under, Tone::NotVerified};

/// The frequency of a stretch of samples, from its upward zero crossings.
double Frequency(const std::vector<std::int16_t>& s, std::size_t from, std::size_t to, int rate)
{
	int crossings = 0;
	std::size_t first = 0, last = 0;
	for (std::size_t i = from + 1; i < to; ++i)
		if (s[i - 1] < 0 && s[i] >= 0) {
			if (crossings++ == 0)
				first = i;
			last = i;
		}
	return crossings < 2 ? 0 : double(crossings - 1) * rate / double(last - first);
}

} // namespace

TEST(Tone, DurationsAreTheNotesToTheSample)
{
	for (int rate : {8000, 44100, 48000}) {
		for (Tone t : kTones) {
			int ms = 0;
			std::size_t samples = 0;
			for (const Note& n : Notes(t)) {
				ms += n.ms;
				samples += std::size_t(std::int64_t(n.ms) * rate / 1000);
			}
			EXPECT_GT(ms, 150);
			EXPECT_LT(ms, 600) << "a result tone is short: the next customer is waiting";
			EXPECT_EQ(Synthesise(t, rate).size(), samples);
		}
	}
	EXPECT_TRUE(Synthesise(Tone::Over, 0).empty());
	EXPECT_TRUE(Synthesise(Tone::Over, 1000000).empty());
}

TEST(Tone, NeverClipsAndFadesInAndOut)
{
	for (Tone t : kTones) {
		const auto s = Synthesise(t, 48000);
		ASSERT_FALSE(s.empty());
		int peak = 0;
		for (std::int16_t v : s)
			peak = std::max(peak, std::abs(int(v)));
		EXPECT_LE(peak, 32767 / 2 + 1) << "half scale at most: no clipping";
		EXPECT_GE(peak, 32767 / 2 - 200) << "loud enough at a counter";
		// The first and last samples are near silence: no click when a tone starts or stops.
		EXPECT_LT(std::abs(int(s.front())), 200);
		EXPECT_LT(std::abs(int(s.back())), 200);
	}
}

TEST(Tone, EachToneHasItsOwnPitchesAndSoundsAtThem)
{
	constexpr int rate = 48000;
	std::set<int> seen;
	for (Tone t : kTones) {
		std::set<int> mine;
		const auto s = Synthesise(t, rate);
		std::size_t at = 0;
		for (const Note& n : Notes(t)) {
			const std::size_t count = std::size_t(std::int64_t(n.ms) * rate / 1000);
			if (n.hz != 0) {
				mine.insert(n.hz);
				// The synthesised note is at its pitch (within 2 %).
				EXPECT_NEAR(Frequency(s, at, at + count, rate), n.hz, n.hz * 0.02) << "tone " << int(t);
			} else {
				EXPECT_TRUE(std::all_of(s.begin() + long(at), s.begin() + long(at + count), [](std::int16_t v) { return v == 0; }));
			}
			at += count;
		}
		for (int hz : mine)
			EXPECT_TRUE(seen.insert(hz).second) << hz << " Hz is used by two tones";
	}
	// OVER is the pleasant one: it rises. UNDER is lower than anything else. NOT VERIFIED beeps.
	const auto over = Notes(Tone::Over);
	ASSERT_EQ(over.size(), 2u);
	EXPECT_LT(over[0].hz, over[1].hz);
	EXPECT_LT(Notes(Tone::Under).front().hz, *seen.begin() + 1);
	const auto beeps = Notes(Tone::NotVerified);
	EXPECT_EQ(std::count_if(beeps.begin(), beeps.end(), [](const Note& n) { return n.hz != 0; }), 3);
}

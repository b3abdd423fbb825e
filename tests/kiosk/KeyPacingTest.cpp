// SPDX-License-Identifier: Apache-2.0
// The key pacing: every tap reaches ImGui as a press in one frame and a release in a later one,
// however many taps a slow frame has queued, and in the order they came.
#include <gtest/gtest.h>
#include <vector>

#include "KeyPacing.h"

using namespace agecheck::kiosk;
using Kind = PacedEvent::Kind;

namespace {

constexpr int kLeft = 80, kRight = 79, kSpace = 44;

PacedEvent Down(int key) { return {Kind::KeyDown, key}; }
PacedEvent Up(int key) { return {Kind::KeyUp, key}; }
PacedEvent Other() { return {Kind::Other, 0}; }

/// The frames the queue is split into, as the kiosk's loop takes them (every event queued at once).
std::vector<std::vector<PacedEvent>> Frames(std::vector<PacedEvent> queue)
{
	std::vector<std::vector<PacedEvent>> frames;
	while (!queue.empty() && frames.size() < 100) {
		const std::size_t n = EventsForThisFrame(queue);
		frames.emplace_back(queue.begin(), queue.begin() + std::ptrdiff_t(n));
		queue.erase(queue.begin(), queue.begin() + std::ptrdiff_t(n));
	}
	return frames;
}

/// What ImGui sees of `key` at the end of each frame: its state, and how many presses it saw.
int PressesSeen(const std::vector<std::vector<PacedEvent>>& frames, int key)
{
	int presses = 0;
	bool down = false;
	for (const auto& frame : frames) {
		bool downNow = down;
		for (const PacedEvent& e : frame)
			if (e.key == key && e.kind != Kind::Other)
				downNow = e.kind == Kind::KeyDown;
		presses += downNow && !down;
		down = downNow;
	}
	return presses;
}

} // namespace

TEST(KeyPacing, NothingQueuedTakesNothingAndAllOthersGoAtOnce)
{
	EXPECT_EQ(EventsForThisFrame({}), 0u);
	const std::vector<PacedEvent> q = {Other(), Down(kLeft), Other(), Down(kRight), Other()};
	EXPECT_EQ(EventsForThisFrame(q), q.size());
	// A release of a key pressed in an earlier frame goes at once, with what follows.
	const std::vector<PacedEvent> held = {Up(kLeft), Down(kSpace), Other()};
	EXPECT_EQ(EventsForThisFrame(held), held.size());
}

TEST(KeyPacing, AQuickTapIsReleasedInTheNextFrame)
{
	const std::vector<PacedEvent> q = {Down(kLeft), Up(kLeft), Other()};
	EXPECT_EQ(EventsForThisFrame(q), 1u);
	const auto frames = Frames(q);
	ASSERT_EQ(frames.size(), 2u);
	EXPECT_EQ(PressesSeen(frames, kLeft), 1);
}

TEST(KeyPacing, APressAfterAReleaseOfTheSameKeyWaitsForTheNextFrame)
{
	// Released in this frame and pressed again: ImGui would see it held down all along.
	const std::vector<PacedEvent> q = {Up(kLeft), Other(), Down(kLeft), Up(kLeft)};
	EXPECT_EQ(EventsForThisFrame(q), 2u);
	EXPECT_EQ(PressesSeen(Frames(q), kLeft), 1);
}

TEST(KeyPacing, FourTapsOfOneKeyInOneSlowFrameAreFourPresses)
{
	// The failure this prevents: a frame slow enough for down, up, down, up of the same arrow key
	// moved the focus once, not twice, and the settings test pressed the wrong button.
	std::vector<PacedEvent> q;
	for (int i = 0; i < 4; ++i) {
		q.push_back(Down(kLeft));
		q.push_back(Up(kLeft));
	}
	const auto frames = Frames(q);
	EXPECT_EQ(PressesSeen(frames, kLeft), 4);
	EXPECT_EQ(frames.size(), 8u); // a press in one frame, its release in the next
}

TEST(KeyPacing, TapsOfDifferentKeysKeepTheirOrderAndEachIsSeen)
{
	const std::vector<PacedEvent> q = {Down(kLeft), Up(kLeft),   Down(kRight), Up(kRight), Down(kSpace),
	                                   Up(kSpace),  Down(kLeft), Other(),      Up(kLeft)};
	const auto frames = Frames(q);
	std::vector<PacedEvent> joined;
	for (const auto& f : frames)
		joined.insert(joined.end(), f.begin(), f.end());
	EXPECT_EQ(joined, q);
	EXPECT_EQ(PressesSeen(frames, kLeft), 2);
	EXPECT_EQ(PressesSeen(frames, kRight), 1);
	EXPECT_EQ(PressesSeen(frames, kSpace), 1);
	// No frame holds a press and the release of the same key.
	for (const auto& f : frames)
		for (std::size_t i = 0; i < f.size(); ++i)
			for (std::size_t j = i + 1; j < f.size(); ++j)
				EXPECT_FALSE(f[i].kind == Kind::KeyDown && f[j].kind == Kind::KeyUp && f[i].key == f[j].key);
}

TEST(KeyPacing, AHeldKeysRepeatsGoTogether)
{
	// Auto-repeat sends presses without releases: they are not held back.
	const std::vector<PacedEvent> q = {Down(kLeft), Down(kLeft), Down(kLeft), Other()};
	EXPECT_EQ(EventsForThisFrame(q), q.size());
}

// SPDX-License-Identifier: Apache-2.0
// The cashier's screen as a state machine: idle, scanning while a check waits, a result for a
// few seconds, then idle again; what each screen says, and that it fails closed.
#include <gtest/gtest.h>

#include "KioskState.h"

using namespace agecheck;
using namespace agecheck::kiosk;
using namespace std::chrono_literals;

namespace {

sighting::Sighting Decided(Reason reason, Verdict at18, Verdict at21)
{
	sighting::Sighting s;
	s.reason = reason;
	s.count = 2;
	s.thresholds = {18, 21};
	s.verdicts = {at18, at21};
	return s;
}

} // namespace

TEST(KioskState, IdleScanningResultIdle)
{
	KioskState k;
	const auto t0 = Clock::now();
	EXPECT_EQ(k.view(t0).screen, Screen::Idle);
	EXPECT_TRUE(k.view(t0).showPreview);
	k.check(true, 21, t0);
	EXPECT_EQ(k.view(t0).screen, Screen::Scanning);
	EXPECT_EQ(k.view(t0).threshold, 21);
	EXPECT_TRUE(k.view(t0).checkWaiting);
	k.sighting(Decided(Reason::Aamva, Verdict::Over, Verdict::Under), t0 + 1s);
	k.check(false, 0, t0 + 1s); // the POS got its answer
	const View r = k.view(t0 + 2s);
	EXPECT_EQ(r.screen, Screen::Under); // about the check's threshold, 21
	EXPECT_EQ(r.threshold, 21);
	EXPECT_FALSE(r.showPreview);        // never a picture on a result screen
	EXPECT_GT(r.resultLeft, 0.0f);
	EXPECT_EQ(k.view(t0 + 5s + 1ms).screen, Screen::Idle); // 4 s later
}

TEST(KioskState, WithoutACheckTheLowestThresholdIsShown)
{
	KioskState k;
	const auto t0 = Clock::now();
	k.sighting(Decided(Reason::Aamva, Verdict::Over, Verdict::Under), t0);
	EXPECT_EQ(k.view(t0).screen, Screen::Over);
	EXPECT_EQ(k.view(t0).threshold, 18);
	EXPECT_EQ(k.view(t0).headline, "OVER");
}

TEST(KioskState, NotVerifiedShowsTheReasonOnly)
{
	KioskState k;
	const auto t0 = Clock::now();
	k.sighting(Decided(Reason::Expired, Verdict::Unverified, Verdict::Unverified), t0);
	const View v = k.view(t0);
	EXPECT_EQ(v.screen, Screen::NotVerified);
	EXPECT_EQ(v.detail, "Document expired");
	// A threshold the sighting did not decide is never shown as over.
	k.check(true, 25, t0);
	k.sighting(Decided(Reason::Aamva, Verdict::Over, Verdict::Over), t0 + 1s);
	EXPECT_EQ(k.view(t0 + 1s).screen, Screen::NotVerified);
	EXPECT_EQ(k.view(t0 + 1s).detail, "This age is not in the kiosk's policy");
}

TEST(KioskState, CameraLossIsShownUnlessAResultIs)
{
	KioskState k;
	const auto t0 = Clock::now();
	k.camera(false, t0);
	EXPECT_EQ(k.view(t0).screen, Screen::NoCamera);
	EXPECT_FALSE(k.view(t0).showPreview);
	k.camera(true, t0 + 1s);
	EXPECT_EQ(k.view(t0 + 1s).screen, Screen::Idle);
}

TEST(KioskState, EveryReasonHasCashierWords)
{
	for (int r = 0; r <= int(Reason::Mismatch); ++r)
		EXPECT_FALSE(ReasonText(Reason(r)).empty()) << r;
	EXPECT_EQ(ReasonText(Reason::Mismatch), "The ID's data does not match itself: possible tampering");
}

TEST(KioskState, DemoFlagReachesTheView)
{
	Options o;
	o.demo = true;
	EXPECT_TRUE(KioskState(o).view(Clock::now()).demo);
	EXPECT_FALSE(KioskState().view(Clock::now()).demo);
}

TEST(KioskState, ANewCheckClearsTheLastCustomersResult)
{
	KioskState k;
	const auto t0 = Clock::now();
	k.sighting(Decided(Reason::Aamva, Verdict::Over, Verdict::Over), t0);
	EXPECT_EQ(k.view(t0 + 1s).screen, Screen::Over);
	k.check(true, 21, t0 + 2s); // the next customer
	EXPECT_EQ(k.view(t0 + 2s).screen, Screen::Scanning);
}

TEST(KioskState, AResultWithoutACheckShowsEveryAge)
{
	KioskState k;
	const auto t0 = Clock::now();
	k.sighting(Decided(Reason::Aamva, Verdict::Over, Verdict::Under), t0);
	const View v = k.view(t0);
	ASSERT_EQ(v.otherAges.size(), 2u);
	EXPECT_EQ(v.otherAges[0], std::make_pair(18, Verdict::Over));
	EXPECT_EQ(v.otherAges[1], std::make_pair(21, Verdict::Under));
	k.check(true, 21, t0 + 5s);
	k.sighting(Decided(Reason::Aamva, Verdict::Over, Verdict::Under), t0 + 6s);
	EXPECT_TRUE(k.view(t0 + 6s).otherAges.empty()); // the check's age only
}

TEST(KioskState, TheScreenShowsWhatThePosWasTold)
{
	KioskState k;
	const auto t0 = Clock::now();
	// The ID first, then the POS asks about 21 and is answered from the kept sighting: no.
	k.sighting(Decided(Reason::Aamva, Verdict::Over, Verdict::Under), t0);
	EXPECT_EQ(k.view(t0).screen, Screen::Over); // 18, with every age listed
	k.answered(21, false, t0 + 1s);
	EXPECT_EQ(k.view(t0 + 1s).screen, Screen::Under);
	EXPECT_EQ(k.view(t0 + 1s).threshold, 21);
	EXPECT_TRUE(k.view(t0 + 1s).otherAges.empty());
	// A kept sighting answering a check long after its result left the screen shows it again.
	k.answered(18, true, t0 + 20s);
	EXPECT_EQ(k.view(t0 + 20s).screen, Screen::Over);
	EXPECT_EQ(k.view(t0 + 23s).screen, Screen::Over);
	// A "no" is never green, whatever the sighting said.
	k.answered(18, false, t0 + 30s);
	EXPECT_NE(k.view(t0 + 30s).screen, Screen::Over);
}

TEST(KioskState, AScannerFaultIsShownUntilTheWorkerIsBack)
{
	KioskState k;
	const auto t0 = Clock::now();
	k.scanner(false, t0);
	EXPECT_EQ(k.view(t0).screen, Screen::ScannerFault);
	EXPECT_FALSE(k.view(t0).showPreview);
	EXPECT_EQ(k.view(t0).detail, "IDs cannot be read right now: check every ID by hand");
	k.scanner(true, t0 + 1s);
	EXPECT_EQ(k.view(t0 + 1s).screen, Screen::Idle);
}

TEST(KioskState, GuidanceShowsTheOutlineAndAHintWhileScanning)
{
	KioskState k;
	const auto t0 = Clock::now();
	k.check(true, 18, t0);
	EXPECT_TRUE(k.view(t0).hint.empty());
	EXPECT_EQ(k.view(t0).found, sighting::Found::Nothing);

	sighting::Guide g;
	g.found = sighting::Found::Barcode;
	g.hint = sighting::Hint::MoveCloser;
	g.outline = {cv::Point2f{0.2f, 0.3f}, {0.6f, 0.3f}, {0.6f, 0.5f}, {0.2f, 0.5f}};
	k.guide(g, t0);
	View v = k.view(t0 + 100ms);
	EXPECT_EQ(v.screen, Screen::Scanning);
	EXPECT_EQ(v.hint, "Move the ID closer");
	EXPECT_EQ(v.found, sighting::Found::Barcode);
	EXPECT_FLOAT_EQ(v.outline[2].x, 0.6f);

	// A frame with nothing in it does not take the hint away at once (no flicker) ...
	k.guide(sighting::Guide{}, t0 + 200ms);
	EXPECT_EQ(k.view(t0 + 300ms).hint, "Move the ID closer");
	// ... but an outline goes when its frame is 0.6 s old, and a hint after 1.5 s.
	EXPECT_EQ(k.view(t0 + 700ms).found, sighting::Found::Nothing);
	EXPECT_TRUE(k.view(t0 + 1600ms).hint.empty());

	// A newer hint replaces the last.
	g.hint = sighting::Hint::TiltForGlare;
	k.guide(g, t0 + 2s);
	EXPECT_EQ(k.view(t0 + 2s).hint, "Tilt the ID to remove the glare");
}

TEST(KioskState, NoGuidanceOnAResultAndNoneLeftAfterIt)
{
	KioskState k;
	const auto t0 = Clock::now();
	sighting::Guide g;
	g.found = sighting::Found::Mrz;
	g.hint = sighting::Hint::HoldStill;
	k.guide(g, t0);
	EXPECT_EQ(k.view(t0).hint, "Hold still"); // idle shows guidance too
	k.sighting(Decided(Reason::Mrz, Verdict::Over, Verdict::Over), t0 + 100ms);
	const View r = k.view(t0 + 200ms);
	EXPECT_EQ(r.screen, Screen::Over);
	EXPECT_TRUE(r.hint.empty());
	EXPECT_EQ(r.found, sighting::Found::Nothing);
	// The result ends before the hint would have expired: the old hint does not come back.
	KioskState quick(Options{.resultFor = 500ms});
	quick.guide(g, t0);
	quick.sighting(Decided(Reason::Mrz, Verdict::Over, Verdict::Over), t0);
	EXPECT_EQ(quick.view(t0 + 600ms).screen, Screen::Idle);
	EXPECT_TRUE(quick.view(t0 + 600ms).hint.empty());
	EXPECT_EQ(quick.view(t0 + 600ms).found, sighting::Found::Nothing);
}

TEST(KioskState, NoGuidanceWhileTheCameraIsDisconnected)
{
	KioskState k;
	const auto t0 = Clock::now();
	sighting::Guide g;
	g.found = sighting::Found::Barcode;
	g.hint = sighting::Hint::HoldStill;
	k.guide(g, t0);
	k.camera(false, t0);
	EXPECT_EQ(k.view(t0).screen, Screen::NoCamera);
	EXPECT_TRUE(k.view(t0).hint.empty());
}

TEST(KioskState, EveryHintHasCashierWords)
{
	EXPECT_TRUE(HintText(sighting::Hint::None).empty());
	for (auto h : {sighting::Hint::HoldStill, sighting::Hint::MoveCloser, sighting::Hint::TiltForGlare, sighting::Hint::TurnOver})
		EXPECT_FALSE(HintText(h).empty());
	EXPECT_EQ(HintText(sighting::Hint::TurnOver), "Turn the card over to the barcode");
}

TEST(KioskState, ApplyingSettingsIsShownAtLeastBriefly)
{
	KioskState k;
	const auto t0 = Clock::now();
	k.applying(true, t0);
	View v = k.view(t0 + 5s); // however long the service takes to restart
	EXPECT_EQ(v.screen, Screen::Applying);
	EXPECT_EQ(v.headline, "Applying settings");
	EXPECT_FALSE(v.showPreview);
	k.check(true, 18, t0 + 5s); // a check cannot be answered meanwhile: it does not hide the state
	EXPECT_EQ(k.view(t0 + 5s).screen, Screen::Applying);
	k.check(false, 0, t0 + 5s);
	// A quick restart still shows the state for applyingAtLeast (0.5 s): no flash.
	k.applying(false, t0 + 5s);
	EXPECT_EQ(k.view(t0 + 5s).screen, Screen::Idle);
	KioskState quick;
	quick.applying(true, t0);
	quick.applying(false, t0 + 10ms);
	EXPECT_EQ(quick.view(t0 + 100ms).screen, Screen::Applying);
	EXPECT_EQ(quick.view(t0 + 600ms).screen, Screen::Idle);
	// Never applied: no Applying screen, whatever the clock says.
	EXPECT_EQ(KioskState().view(Clock::time_point{}).screen, Screen::Idle);
}

TEST(KioskState, ReconfigureChangesTheAgesAndDropsAResultOfTheOldPolicy)
{
	KioskState k;
	const auto t0 = Clock::now();
	k.sighting(Decided(Reason::Aamva, Verdict::Over, Verdict::Under), t0);
	EXPECT_EQ(k.view(t0).screen, Screen::Over);
	k.reconfigure({19, 20}, true);
	const View v = k.view(t0 + 1s);
	EXPECT_EQ(v.screen, Screen::Idle);
	EXPECT_EQ(v.threshold, 19) << "the new policy's first age";
	EXPECT_TRUE(v.demo);
	k.reconfigure({}, false); // no ages: the last ones stay (a policy always has one)
	EXPECT_EQ(k.view(t0 + 1s).threshold, 19);
	EXPECT_FALSE(k.view(t0 + 1s).demo);
}

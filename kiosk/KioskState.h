// SPDX-License-Identifier: Apache-2.0
#pragma once
// What the cashier's screen shows, as a small state machine with no UI code: the app feeds it
// events (a POS check starts or ends, a sighting completes, the camera comes and goes) and draws
// view() every frame. Nothing identity-bearing goes in: a sighting arrives as verdicts and a
// reason code, and every text the screen can show is a fixed string from this file.
#include <array>
#include <chrono>
#include <string_view>
#include <vector>

#include "common/Reason.h"
#include "sighting/Sighting.h"

namespace agecheck::kiosk {

using Clock = std::chrono::steady_clock;

/// The screens.
enum class Screen : std::uint8_t {
	Idle,        ///< no check waiting: "Show an ID any time"
	Scanning,    ///< a POS check waits: "Show the ID to the camera", large preview
	Over,        ///< green: over the threshold
	Under,       ///< red: under the threshold
	NotVerified, ///< amber: check the ID by hand, with the reason
	NoCamera,    ///< the camera is disconnected
	ScannerFault,///< the decoding worker is not running (it keeps dying, or cannot start)
	Applying,    ///< new settings are being applied: the service is restarting
};

/// Options; each states its default.
struct Options {
	std::chrono::milliseconds resultFor{4000}; ///< how long a result stays on screen; default 4 s
	std::chrono::milliseconds outlineFor{600}; ///< how long an outline stays after the frame it was found in; default 0.6 s
	std::chrono::milliseconds hintFor{1500};   ///< how long a hint stays after the last frame that gave it; default 1.5 s
	std::vector<int> thresholds{18, 21};       ///< the policy's thresholds, ascending; the first is shown when no check names one
	bool demo = false;                         ///< the source is the bundled demo clip: say so on screen
	std::chrono::milliseconds applyingAtLeast{500}; ///< "Applying settings" stays this long at least, never a flash; default 0.5 s
};

/// What to draw. Texts are fixed strings (static storage), never data from a document.
struct View {
	Screen screen = Screen::Idle;
	int threshold = 18;            ///< the age the headline is about
	std::string_view headline;     ///< e.g. "OVER 18" (formatted by the app from `threshold`), "Show an ID any time"
	std::string_view detail;       ///< the reason or a hint, e.g. "Document expired"
	bool showPreview = true;       ///< draw the live preview (never on a result screen)
	bool demo = false;             ///< draw the "DEMO SOURCE" banner
	bool checkWaiting = false;     ///< a POS check is waiting
	float resultLeft = 0;          ///< fraction of the result time left, 1 to 0 (result screens only)
	Reason reason = Reason::Unreadable; ///< result screens: the sighting's reason code (its source when verified)
	std::vector<std::pair<int, Verdict>> otherAges; ///< a result without a check: the verdict for every offered age
	std::string_view hint;         ///< guidance for the cashier ("Hold still", ...); empty: none
	sighting::Found found = sighting::Found::Nothing; ///< what to outline on the preview (Nothing: no outline)
	std::array<cv::Point2f, 4> outline{}; ///< its corners, fractions of the preview's width and height
};

/// The state machine. Not thread-safe: the app serialises events onto its UI thread.
class KioskState {
public:
	explicit KioskState(Options options = {});

	/// A POS check for `threshold` became active (true: a new customer, so any result on screen
	/// is cleared) or ended (false).
	void check(bool active, int threshold, Clock::time_point now);
	/// The POS was answered about `threshold` (from this sighting or a kept one): the screen shows
	/// that answer, so it never disagrees with what the POS was told. Never green for a "no".
	void answered(int threshold, bool over, Clock::time_point now);
	/// A sighting completed: show its result for resultFor.
	void sighting(const sighting::Sighting& s, Clock::time_point now);
	/// The camera's state: connected or not.
	void camera(bool connected, Clock::time_point now);
	/// The scanner's guide for the latest frame scanned: what it found and a hint.
	void guide(const sighting::Guide& g, Clock::time_point now);
	/// The decoding worker's state: running or not (the service restarts it at most once a second).
	void scanner(bool running, Clock::time_point now);
	/// New settings are being applied (true: the service is down until false).
	void applying(bool on, Clock::time_point now);
	/// The settings changed: the policy's thresholds (ascending) and whether the source is the demo clip.
	void reconfigure(std::vector<int> thresholds, bool demo);
	/// The screen to draw at `now`.
	View view(Clock::time_point now) const;
	/// True while a result is on screen at `now`.
	bool showingResult(Clock::time_point now) const;

private:
	Options _options;
	bool _checkActive = false;
	int _checkThreshold = 0;
	bool _cameraOk = true;
	bool _scannerOk = true;
	bool _applying = false, _appliedOnce = false;
	Clock::time_point _applyingSince{};
	bool _haveResult = false;
	Clock::time_point _resultAt{};
	Screen _resultScreen = Screen::Idle;
	int _resultThreshold = 18;
	Reason _resultReason = Reason::Unreadable;
	bool _resultForCheck = false;
	std::vector<std::pair<int, Verdict>> _resultVerdicts;
	sighting::Guide _outline{};           ///< the latest guide that found something
	Clock::time_point _outlineAt{};
	sighting::Hint _hint = sighting::Hint::None; ///< the latest hint given
	Clock::time_point _hintAt{};
};

/// The cashier's words for a hint, e.g. "Move the ID closer"; empty for Hint::None.
std::string_view HintText(sighting::Hint hint) noexcept;

/// The cashier's words for a reason code: short, non-identifying, e.g. "Document expired".
std::string_view ReasonText(Reason reason) noexcept;

} // namespace agecheck::kiosk

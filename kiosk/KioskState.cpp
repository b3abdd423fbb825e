// SPDX-License-Identifier: Apache-2.0
#include "KioskState.h"

namespace agecheck::kiosk {

KioskState::KioskState(Options options) : _options(std::move(options))
{
	if (_options.thresholds.empty())
		_options.thresholds = {18};
}

void KioskState::check(bool active, int threshold, Clock::time_point)
{
	_checkActive = active;
	_checkThreshold = active ? threshold : 0;
	if (active)
		_haveResult = false; // a new check is a new customer: the last result leaves the screen
}

void KioskState::sighting(const sighting::Sighting& s, Clock::time_point now)
{
	// The age to show: the waiting check's, else the policy's first (lowest) threshold.
	const int t = _checkActive && _checkThreshold > 0 ? _checkThreshold : _options.thresholds.front();
	const Verdict v = s.verdictFor(t);
	_resultThreshold = t;
	_resultReason = s.reason;
	_resultForCheck = _checkActive;
	_resultVerdicts.clear();
	for (int threshold : _options.thresholds)
		_resultVerdicts.emplace_back(threshold, s.verdictFor(threshold));
	_resultScreen = v == Verdict::Over ? Screen::Over : v == Verdict::Under ? Screen::Under : Screen::NotVerified;
	_resultAt = now;
	_haveResult = true;
	_outline = {}; // the card was read: no outline or hint about it stays
	_hint = sighting::Hint::None;
}

void KioskState::guide(const sighting::Guide& g, Clock::time_point now)
{
	if (g.found != sighting::Found::Nothing) {
		_outline = g;
		_outlineAt = now;
	}
	if (g.hint != sighting::Hint::None) {
		_hint = g.hint;
		_hintAt = now;
	}
}

void KioskState::answered(int threshold, bool over, Clock::time_point now)
{
	Verdict v = over ? Verdict::Over : Verdict::Unverified;
	for (const auto& [t, verdict] : _resultVerdicts)
		if (t == threshold)
			v = verdict;
	if (!over && v == Verdict::Over)
		v = Verdict::Unverified; // the POS heard "no": the screen never shows green
	if (over && v != Verdict::Over)
		v = Verdict::Over;
	_resultScreen = v == Verdict::Over ? Screen::Over : v == Verdict::Under ? Screen::Under : Screen::NotVerified;
	_resultThreshold = threshold;
	_resultForCheck = true;
	if (!showingResult(now))
		_resultAt = now; // a kept sighting answered a later check: show it again
	_haveResult = true;
}

void KioskState::camera(bool connected, Clock::time_point)
{
	_cameraOk = connected;
}

void KioskState::scanner(bool running, Clock::time_point)
{
	_scannerOk = running;
}

void KioskState::applying(bool on, Clock::time_point now)
{
	if (on && !_applying) {
		_applyingSince = now;
		_appliedOnce = true;
	}
	_applying = on;
}

void KioskState::reconfigure(std::vector<int> thresholds, bool demo)
{
	if (!thresholds.empty())
		_options.thresholds = std::move(thresholds);
	_options.demo = demo;
	_resultVerdicts.clear(); // a kept result was decided on the old policy's ages
	_haveResult = false;
}

bool KioskState::showingResult(Clock::time_point now) const
{
	return _haveResult && now - _resultAt < _options.resultFor;
}

View KioskState::view(Clock::time_point now) const
{
	View v;
	v.demo = _options.demo;
	v.checkWaiting = _checkActive;
	v.threshold = _checkActive && _checkThreshold > 0 ? _checkThreshold : _options.thresholds.front();
	if (_applying || (_appliedOnce && now - _applyingSince < _options.applyingAtLeast)) {
		// The service is down for a moment: nothing is read and the POS is not answered.
		v.screen = Screen::Applying;
		v.headline = "Applying settings";
		v.detail = "The kiosk is back in a moment";
		v.showPreview = false;
		return v;
	}
	if (showingResult(now)) {
		v.screen = _resultScreen;
		v.threshold = _resultThreshold;
		v.showPreview = false;
		v.resultLeft = 1.0f - float(std::chrono::duration<double>(now - _resultAt) / _options.resultFor);
		v.reason = _resultReason;
		// Without a check naming an age, every age the POS may ask about is shown, so the screen
		// never looks like an answer to a question it was not asked.
		v.otherAges = _resultForCheck ? std::vector<std::pair<int, Verdict>>{} : _resultVerdicts;
		switch (_resultScreen) {
		case Screen::Over:
			v.headline = "OVER";
			v.detail = "Verified from the ID";
			break;
		case Screen::Under:
			v.headline = "UNDER";
			v.detail = "Do not sell";
			break;
		default:
			v.headline = "NOT VERIFIED";
			// A source reason here means the ID was read but this age was not decided.
			v.detail = IsSource(_resultReason) ? "This age is not in the kiosk's policy" : ReasonText(_resultReason);
			break;
		}
		return v;
	}
	if (!_scannerOk) {
		v.screen = Screen::ScannerFault;
		v.headline = "Scanner fault";
		v.detail = "IDs cannot be read right now: check every ID by hand";
		v.showPreview = false;
		return v;
	}
	if (!_cameraOk) {
		v.screen = Screen::NoCamera;
		v.headline = "Camera disconnected";
		v.detail = "Check the camera's cable; the kiosk reconnects by itself";
		v.showPreview = false;
		return v;
	}
	// Guidance over the live preview: the outline of what the scanner sees, and a plain hint.
	if (_outline.found != sighting::Found::Nothing && now - _outlineAt < _options.outlineFor) {
		v.found = _outline.found;
		v.outline = _outline.outline;
	}
	if (_hint != sighting::Hint::None && now - _hintAt < _options.hintFor)
		v.hint = HintText(_hint);
	if (_checkActive) {
		v.screen = Screen::Scanning;
		v.headline = "Show the ID to the camera";
		v.detail = "Barcode side of a licence, or the photo page of a passport; hold still";
		return v;
	}
	v.screen = Screen::Idle;
	v.headline = "Show an ID any time";
	v.detail = "Waiting for the POS";
	return v;
}

std::string_view HintText(sighting::Hint hint) noexcept
{
	switch (hint) {
	case sighting::Hint::None: return {};
	case sighting::Hint::HoldStill: return "Hold still";
	case sighting::Hint::MoveCloser: return "Move the ID closer";
	case sighting::Hint::TiltForGlare: return "Tilt the ID to remove the glare";
	case sighting::Hint::TurnOver: return "Turn the card over to the barcode";
	}
	return {};
}

std::string_view ReasonText(Reason reason) noexcept
{
	switch (reason) {
	case Reason::Aamva:
	case Reason::Mrz:
	case Reason::Printed: return "Verified from the ID";
	case Reason::Unreadable: return "Could not read the ID: check it by hand";
	case Reason::UnreadableFile: return "Could not read the picture";
	case Reason::NotAnId: return "That is not an ID";
	case Reason::Malformed: return "The ID's data is damaged: check it by hand";
	case Reason::MissingBirthDate: return "No date of birth on the ID: check it by hand";
	case Reason::MissingExpiryDate: return "No expiry date on the ID: check it by hand";
	case Reason::InvalidDate: return "The ID's dates are not valid: check it by hand";
	case Reason::AmbiguousDate: return "The date order is unclear: check it by hand";
	case Reason::FutureBirthDate: return "Date of birth in the future: check the ID by hand";
	case Reason::ImplausibleAge: return "Implausible age: check the ID by hand";
	case Reason::Expired: return "Document expired";
	case Reason::CheckDigit: return "Check digits do not match: check the ID by hand";
	case Reason::Mismatch: return "The ID's data does not match itself: possible tampering";
	}
	return "Check the ID by hand";
}

} // namespace agecheck::kiosk

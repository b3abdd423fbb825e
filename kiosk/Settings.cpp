// SPDX-License-Identifier: Apache-2.0
#include "Settings.h"

#include <algorithm>
#include <cstdio>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>

extern char** environ;

#include "imgui.h"
#include "imgui_internal.h"

namespace agecheck::kiosk {

Settings::Settings(std::string pin, std::string agecheck, Config config, std::string policyFile, bool report)
    : _pin(std::move(pin)), _agecheck(std::move(agecheck)), _policyFile(std::move(policyFile)),
      _config(std::move(config)), _reportEvents(report)
{
	_config.source = CameraDevice(_config.source);
	_edit = _config;
	_saved = _config.policy;
}

void Settings::report(const char* event) const
{
	if (!_reportEvents)
		return;
	std::printf("settings %s\n", event);
	std::fflush(stdout);
}

Settings::~Settings()
{
	if (_selftest.joinable())
		_selftest.join();
}

void Settings::open()
{
	_open = true;
	_unlocked = false;
	_entered.clear();
	report("pin");
}

void Settings::close()
{
	if (_open)
		report("closed");
	_open = false;
	_unlocked = false;
	_entered.clear();
}

bool Settings::checkPin(const std::string& entered) const
{
	if (_pin.empty() || entered.size() != _pin.size())
		return false;
	unsigned char diff = 0;
	for (std::size_t i = 0; i < _pin.size(); ++i)
		diff |= static_cast<unsigned char>(entered[i] ^ _pin[i]);
	return diff == 0;
}

void Settings::tryPin()
{
	_unlocked = checkPin(_entered);
	_entered.clear();
	if (_unlocked) {
		_failures = 0;
		// What is in force, and the cameras there are now (one may have been plugged in).
		if (!_applying)
			_edit = _config;
		_sources = SourceChoices(_config.source);
		_status = "";
		_focusFirst = true; // "unlocked" is reported once the page is drawn with its focus set
		return;
	}
	report("wrong-pin");
	// Five wrong PINs in a row (across openings) lock the pad for a minute.
	if (++_failures >= 5) {
		_failures = 0;
		_lockedUntil = std::chrono::steady_clock::now() + std::chrono::minutes(1);
	}
}

void Settings::runSelfTest()
{
	if (_running.exchange(true))
		return;
	if (_selftest.joinable())
		_selftest.join();
	{
		std::lock_guard lock(_m);
		_report = {"Running the self-test..."};
	}
	_selftest = std::thread([this] {
		std::vector<std::string> lines;
		// Without a shell, and with none of the kiosk's descriptors (camera, POS socket) but a pipe.
		int out[2];
		pid_t pid = 0;
		int rc = -1;
		if (pipe2(out, O_CLOEXEC) == 0) {
			posix_spawn_file_actions_t fa;
			posix_spawn_file_actions_init(&fa);
			posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
			posix_spawn_file_actions_adddup2(&fa, out[1], 1);
			posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
			posix_spawn_file_actions_addclosefrom_np(&fa, 3);
			std::string path = _agecheck, verb = "selftest";
			char* argv[] = {path.data(), verb.data(), nullptr};
			rc = posix_spawn(&pid, path.c_str(), &fa, nullptr, argv, environ);
			posix_spawn_file_actions_destroy(&fa);
			::close(out[1]);
			if (rc == 0) {
				FILE* f = fdopen(out[0], "r");
				char buf[512];
				while (f && std::fgets(buf, sizeof buf, f)) {
					std::string line(buf);
					if (!line.empty() && line.back() == '\n')
						line.pop_back();
					// The check lines and the verdict; the evidence stays in the report file.
					if (line.rfind("PASS ", 0) == 0 || line.rfind("FAIL ", 0) == 0 || line.rfind("selftest ", 0) == 0
					    || line.rfind("ERROR ", 0) == 0)
						lines.push_back(line);
				}
				if (f)
					fclose(f);
				else
					::close(out[0]);
				int status = 0;
				waitpid(pid, &status, 0);
				rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
			} else {
				::close(out[0]);
			}
		}
		if (lines.empty())
			lines.push_back("The self-test could not run (exit " + std::to_string(rc) + "): run `agecheck selftest` as root");
		std::lock_guard lock(_m);
		_report = std::move(lines);
		_running = false;
	});
}

void Settings::draw(ImFont* body, ImFont* large)
{
	ImGui::PushFont(large);
	ImGui::SetCursorPos({40, 30});
	ImGui::TextUnformatted("Settings");
	ImGui::PopFont();
	ImGui::PushFont(body);
	if (!_unlocked) {
		ImGui::SetCursorPos({40, 130});
		if (_pin.empty()) {
			ImGui::TextUnformatted("Settings are locked: start the kiosk with --settings-pin to use them.");
		} else if (std::chrono::steady_clock::now() < _lockedUntil) {
			ImGui::TextUnformatted("Too many wrong PINs: try again in a minute.");
		} else {
			ImGui::Text("PIN: %.*s", int(_entered.size()), "********************");
			static const char* keys[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "Clear", "0", "OK"};
			for (int i = 0; i < 12; ++i) {
				if (i % 3)
					ImGui::SameLine();
				else
					ImGui::SetCursorPosX(40);
				if (ImGui::Button(keys[i], {160, 90})) {
					if (i == 9)
						_entered.clear();
					else if (i == 11)
						tryPin();
					else if (_entered.size() < 12)
						_entered += keys[i];
				}
			}
			// Keyboard entry too: digits, Enter, Backspace.
			for (ImWchar c : ImGui::GetIO().InputQueueCharacters)
				if (c >= '0' && c <= '9' && _entered.size() < 12)
					_entered += char(c);
			// (ImGui 1.86 takes the backend's key index, not an ImGuiKey.)
			if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Backspace)) && !_entered.empty())
				_entered.pop_back();
			if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter))
			    || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_KeyPadEnter)))
				tryPin();
		}
		ImGui::SetCursorPos({40, ImGui::GetWindowHeight() - 130});
		if (ImGui::Button("Back (Esc)", {300, 90}))
			close();
		ImGui::PopFont();
		return;
	}
	drawSettings(); // the settings, then Apply and Save: the row goes on
	if (ImGui::Button(_running ? "Self-test running..." : "Run self-test", {0, 64}) && !_running)
		runSelfTest();
	ImGui::SameLine();
	if (ImGui::Button("Back (Esc)", {0, 64}))
		close();
	ImGui::SetCursorPosX(40);
	ImGui::TextUnformatted(_status);
	{
		std::lock_guard lock(_m);
		for (const auto& l : _report) {
			ImGui::SetCursorPosX(40);
			const bool fail = l.rfind("FAIL", 0) == 0 || l.rfind("ERROR", 0) == 0;
			ImGui::TextColored(fail ? ImVec4{1, 0.4f, 0.3f, 1} : ImVec4{0.6f, 1, 0.6f, 1}, "%s", l.c_str());
		}
	}
	ImGui::PopFont();
}

namespace {

constexpr float kRowHeight = 64; // touch-sized, and six rows fit in a 720-pixel window
constexpr float kLabelWidth = 300;

/// A row's label, left; the row's buttons follow on the same line.
void Label(const char* text)
{
	ImGui::SetCursorPosX(40);
	ImGui::AlignTextToFramePadding();
	ImGui::TextUnformatted(text);
	ImGui::SameLine(40 + kLabelWidth);
}

/// A button of a choice, filled when it is the one chosen. True when pressed.
bool Choice(const char* label, bool chosen, bool first)
{
	if (!first)
		ImGui::SameLine();
	if (chosen)
		ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
	const bool pressed = ImGui::Button(label, {std::max(110.0f, ImGui::CalcTextSize(label).x + 48), kRowHeight});
	if (chosen)
		ImGui::PopStyleColor();
	return pressed;
}

/// How a source is named on screen: the device of a camera, the file name of a file.
std::string SourceLabel(const std::string& source)
{
	if (IsCamera(source))
		return source;
	const auto slash = source.find_last_of('/');
	return "File: " + (slash == std::string::npos ? source : source.substr(slash + 1));
}

} // namespace

void Settings::drawSettings()
{
	const float top = 110;
	ImGui::SetCursorPosY(top);
	Label("Camera");
	for (std::size_t i = 0; i < _sources.size(); ++i) {
		ImGui::PushID(int(i));
		const std::string label = SourceLabel(_sources[i]);
		if (Choice(label.c_str(), _edit.source == _sources[i], i == 0))
			_edit.source = _sources[i];
		if (i == 0 && std::exchange(_focusFirst, false)) { // keyboard navigation starts here
			ImGui::SetFocusID(ImGui::GetItemID(), ImGui::GetCurrentWindow());
			// Only now: a key sent on the PIN's frame would have moved a focus that was then reset.
			report("unlocked");
		}
		ImGui::PopID();
	}

	Label("Resolution");
	static const struct {
		const char* label;
		int w, h;
	} kResolutions[] = {{"Camera's own", 0, 0}, {"1280x720", 1280, 720}, {"1920x1080", 1920, 1080}};
	for (const auto& r : kResolutions)
		if (Choice(r.label, _edit.width == r.w && _edit.height == r.h, r.w == 0)) {
			_edit.width = r.w;
			_edit.height = r.h;
		}

	// The fixed choice, and any other age the policy file named.
	std::vector<int> ages(std::begin(kAgeChoices), std::end(kAgeChoices));
	for (int t : _config.policy.thresholds)
		if (std::find(ages.begin(), ages.end(), t) == ages.end())
			ages.push_back(t);
	std::sort(ages.begin(), ages.end());
	Label("Ages asked");
	for (std::size_t i = 0; i < ages.size(); ++i) {
		const std::string label = std::to_string(ages[i]);
		const auto& chosen = _edit.policy.thresholds;
		if (Choice(label.c_str(), std::find(chosen.begin(), chosen.end(), ages[i]) != chosen.end(), i == 0)) {
			if (!ToggleThreshold(_edit.policy.thresholds, ages[i]))
				_status = "One or two ages: choose another first, or unselect one";
			else if (_edit.policy.thresholds.back() > _edit.policy.maxAge)
				_status = "That age is above the policy's max_age";
			else
				_status = "";
		}
	}

	Label("29 February");
	if (Choice("1 March", _edit.policy.leapDay == age::LeapDayRule::March1, true))
		_edit.policy.leapDay = age::LeapDayRule::March1;
	if (Choice("28 February", _edit.policy.leapDay == age::LeapDayRule::February28, false))
		_edit.policy.leapDay = age::LeapDayRule::February28;

	Label("Expired IDs");
	if (Choice("Rejected", _edit.policy.expired == age::ExpiredDocuments::Reject, true))
		_edit.policy.expired = age::ExpiredDocuments::Reject;
	if (Choice("Accepted", _edit.policy.expired == age::ExpiredDocuments::Accept, false))
		_edit.policy.expired = age::ExpiredDocuments::Accept;

	Label("Sound");
	if (Choice("On", _edit.sound, true))
		_edit.sound = true;
	if (Choice("Off", !_edit.sound, false))
		_edit.sound = false;

	// Apply, Save: the caller adds its buttons to this row.
	ImGui::SetCursorPosX(40);
	const bool edited = NeedsRestart(_config, _edit) || _config.sound != _edit.sound;
	const bool policyEdited = !SamePolicy(_config.policy, _edit.policy);
	ImGui::BeginDisabled(_applying || !edited);
	if (ImGui::Button(_applying ? "Applying..." : "Apply", {0, kRowHeight}))
		apply();
	ImGui::EndDisabled();
	ImGui::SameLine();
	if (!_policyFile.empty()) {
		// Only what is in force is saved: the file never holds a policy the kiosk did not run.
		ImGui::BeginDisabled(_applying || policyEdited);
		if (ImGui::Button("Save", {0, kRowHeight}))
			save();
		ImGui::EndDisabled();
		ImGui::SameLine();
	}
	if (!*_status) { // no outcome to tell: say how long changes last
		if (_policyFile.empty())
			_status = "Changes hold until the kiosk restarts (it was started without --policy)";
		else if (policyEdited)
			_status = "Apply, then Save to keep the policy in the policy file";
	}
}

const char* Settings::appliedText() const
{
	// How long they last: a policy is kept only by Save, and only with a policy file.
	if (_policyFile.empty())
		return "Settings applied, until the kiosk restarts (it was started without --policy)";
	if (SamePolicy(_config.policy, _saved))
		return "Settings applied";
	return "Settings applied: Save keeps the policy after a restart";
}

void Settings::apply()
{
	if (_applying || _edit.policy.thresholds.empty() || _edit.policy.thresholds.back() > _edit.policy.maxAge)
		return;
	const bool restart = NeedsRestart(_config, _edit);
	_pending = _edit;
	if (!onApply || !onApply(_pending, restart)) {
		_status = "Could not apply the new settings: the previous ones stay";
		report("not-applied");
		return;
	}
	if (!restart) { // the sound alone: done
		_config = _pending;
		_status = appliedText();
		report("applied");
		return;
	}
	_applying = true;
	_status = "Applying settings...";
	report("applying");
}

void Settings::applied(bool ok)
{
	if (!_applying)
		return;
	_applying = false;
	if (ok) {
		_config = _pending;
		_status = appliedText();
		report("applied");
	} else {
		_edit.source = _config.source; // the camera, most likely: the rest of the edit stays
		_status = "Could not apply the new settings: the previous ones are back";
		report("not-applied");
	}
}

void Settings::save()
{
	std::string error;
	if (SavePolicy(_policyFile, _config.policy, &error)) {
		_saved = _config.policy;
		_status = "Saved in the policy file";
		report("saved");
	} else {
		std::fprintf(stderr, "agecheck-kiosk: %s\n", error.c_str());
		_status = "Could not save the policy file (the reason is in the log)";
		report("not-saved");
	}
}

} // namespace agecheck::kiosk

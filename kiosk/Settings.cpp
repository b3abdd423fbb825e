// SPDX-License-Identifier: Apache-2.0
#include "Settings.h"

#include <cstdio>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

#include "imgui.h"

namespace agecheck::kiosk {

Settings::Settings(std::string pin, std::string agecheck, age::Policy policy, std::string source)
    : _pin(std::move(pin)), _agecheck(std::move(agecheck)), _source(std::move(source)), _policy(std::move(policy))
{
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
}

void Settings::close()
{
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
		return;
	}
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
			if (ImGui::IsKeyPressed(ImGuiKey_Backspace) && !_entered.empty())
				_entered.pop_back();
			if (ImGui::IsKeyPressed(ImGuiKey_Enter))
				tryPin();
		}
		ImGui::SetCursorPos({40, ImGui::GetWindowHeight() - 130});
		if (ImGui::Button("Back (Esc)", {300, 90}))
			close();
		ImGui::PopFont();
		return;
	}
	ImGui::SetCursorPos({40, 130});
	ImGui::Text("Camera: %s", _source.c_str());
	std::string thresholds;
	for (int t : _policy.thresholds)
		thresholds += (thresholds.empty() ? "" : ", ") + std::to_string(t);
	ImGui::SetCursorPosX(40);
	ImGui::Text("Ages the POS may ask about: %s", thresholds.c_str());
	ImGui::SetCursorPosX(40);
	ImGui::Text("29 February birthdays count on: %s", _policy.leapDay == age::LeapDayRule::March1 ? "1 March" : "28 February");
	ImGui::SetCursorPosX(40);
	ImGui::Text("Expired documents: %s", _policy.expired == age::ExpiredDocuments::Reject ? "rejected" : "accepted");
	ImGui::SetCursorPosX(40);
	ImGui::TextUnformatted("(change them in the policy file, then restart the kiosk)");
	ImGui::SetCursorPosX(40);
	if (ImGui::Button(_running ? "Self-test running..." : "Run self-test", {420, 90}) && !_running)
		runSelfTest();
	{
		std::lock_guard lock(_m);
		for (const auto& l : _report) {
			ImGui::SetCursorPosX(40);
			const bool fail = l.rfind("FAIL", 0) == 0 || l.rfind("ERROR", 0) == 0;
			ImGui::TextColored(fail ? ImVec4{1, 0.4f, 0.3f, 1} : ImVec4{0.6f, 1, 0.6f, 1}, "%s", l.c_str());
		}
	}
	ImGui::SetCursorPos({40, ImGui::GetWindowHeight() - 130});
	if (ImGui::Button("Back (Esc)", {300, 90}))
		close();
	ImGui::PopFont();
}

} // namespace agecheck::kiosk

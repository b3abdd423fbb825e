// SPDX-License-Identifier: Apache-2.0
#pragma once
// The settings screen behind a PIN: the camera, its resolution, the policy (the ages offered to
// the POS, the leap-day rule, expired documents) and the sound, applied live through onApply;
// "Save" writes the policy file when the kiosk was started with one; and "Run self-test", which
// runs `agecheck selftest` and shows its PASS/FAIL lines. Keyboard-only operation: digits and
// Enter for the PIN, arrow keys and Space for the rest (ImGui's keyboard navigation).
#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "Config.h"

struct ImFont;

namespace agecheck::kiosk {

/// The settings screen. draw() runs on the UI thread; the self-test on a thread of its own.
class Settings {
public:
	/// `pin` empty: settings stay locked. `agecheck` is the CLI that runs the self-test. `config`
	/// is in force; `policyFile` (may be empty: changes then hold until a restart) is where "Save"
	/// writes the policy. `report`: print "settings <event>" lines on stdout (tests).
	Settings(std::string pin, std::string agecheck, Config config, std::string policyFile, bool report = false);
	~Settings();
	Settings(const Settings&) = delete;
	Settings& operator=(const Settings&) = delete;

	void open();
	void close();
	bool isOpen() const { return _open; }
	/// Draws the PIN pad or, once unlocked, the settings; inside the current ImGui window.
	void draw(ImFont* body, ImFont* large);
	/// True when `entered` is the PIN (constant-time compare; never true without a PIN).
	bool checkPin(const std::string& entered) const;

	/// Called on "Apply" with the new settings and whether they need a new service (`restart`);
	/// returns true when they are being applied. With `restart`, applied() must follow.
	std::function<bool(const Config& config, bool restart)> onApply;
	/// The outcome of a restart that onApply began: true when the new settings are in force.
	void applied(bool ok);
	/// The settings in force.
	const Config& config() const { return _config; }

private:
	void runSelfTest();
	void tryPin();
	void drawSettings();
	void apply();
	void save();
	void report(const char* event) const;
	const char* appliedText() const;

	std::string _pin, _agecheck, _policyFile;
	Config _config;      ///< in force
	Config _edit;        ///< being edited; applied with "Apply"
	Config _pending;     ///< being applied
	age::Policy _saved;  ///< the policy in the policy file (as loaded, or as last saved)
	bool _applying = false;
	bool _reportEvents = false;
	bool _focusFirst = false; ///< put the keyboard focus on the first setting (a page just opened)
	std::vector<std::string> _sources; ///< the sources to choose from, read when the settings open
	const char* _status = ""; ///< a fixed string: the last action's outcome
	bool _open = false, _unlocked = false;
	std::string _entered;
	int _failures = 0;
	std::chrono::steady_clock::time_point _lockedUntil{};
	std::thread _selftest;
	std::atomic<bool> _running{false};
	std::mutex _m;
	std::vector<std::string> _report; ///< the self-test's PASS/FAIL lines (no identity data: it prints none)
};

} // namespace agecheck::kiosk

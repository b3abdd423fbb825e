// SPDX-License-Identifier: Apache-2.0
#pragma once
// The settings screen behind a PIN: the camera and the policy in force, and "Run self-test",
// which runs `agecheck selftest` and shows its PASS/FAIL lines.
#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "age/Policy.h"

struct ImFont;

namespace agecheck::kiosk {

/// The settings screen. draw() runs on the UI thread; the self-test on a thread of its own.
class Settings {
public:
	/// `pin` empty: settings stay locked. `agecheck` is the CLI that runs the self-test.
	Settings(std::string pin, std::string agecheck, age::Policy policy, std::string source);
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

private:
	void runSelfTest();
	void tryPin();

	std::string _pin, _agecheck, _source;
	age::Policy _policy;
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

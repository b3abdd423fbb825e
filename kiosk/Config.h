// SPDX-License-Identifier: Apache-2.0
#pragma once
// What the settings screen can change, and the pure helpers behind it: the cameras to choose
// from, the ages the POS may ask about, and saving the policy file. No UI code; nothing here
// touches identity data (a policy file is configuration only).
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "age/Policy.h"

namespace agecheck::kiosk {

/// The settings the kiosk applies live; each states its default.
struct Config {
	std::string source;                        ///< --source: a camera (/dev/videoN) or a file; default: none
	int width = 0;                             ///< camera width asked for, 1280 or 1920; 0 (the default): the camera's own
	int height = 0;                            ///< camera height asked for, 720 or 1080; 0 (the default): the camera's own
	age::Policy policy = age::DefaultPolicy(); ///< the ages offered to the POS and the rules; default DefaultPolicy()
	bool sound = true;                         ///< a tone on each result; default on
};

/// The ages the settings offer to choose from (a policy file may name others: they are offered too).
inline constexpr int kAgeChoices[] = {18, 19, 20, 21};

/// True when the two policies decide alike (every field equal).
bool SamePolicy(const age::Policy& a, const age::Policy& b);

/// True when going from `a` to `b` needs a new service (the source, resolution or policy changed);
/// the sound alone does not.
bool NeedsRestart(const Config& a, const Config& b);

/// "camera:N" as the device "/dev/videoN"; any other source unchanged.
std::string CameraDevice(const std::string& source);

/// True for a camera source ("camera:N", "/dev/...").
bool IsCamera(const std::string& source);

/// The sources to choose from: `current` (as CameraDevice) first, then every video device
/// (videoN) in `dev` as "<dev>/videoN", by N, each once.
std::vector<std::string> SourceChoices(const std::string& current, const std::filesystem::path& dev = "/dev");

/// Adds `age` to `thresholds` or removes it, keeping them ascending. False, and `thresholds`
/// unchanged, when that would leave none or more than two (the POS protocol's limit).
bool ToggleThreshold(std::vector<int>& thresholds, int age);

/// `original` (a policy file's text) with the values of thresholds, leap_day_birthday and
/// expired_documents set to `policy`'s; every other line (comments, other keys) kept as it is,
/// and a key that is missing appended at the end.
std::string UpdatePolicyText(std::string_view original, const age::Policy& policy);

/// Replaces the file at `path` (the target, when it is a symbolic link) with `text` atomically:
/// a temporary file beside it, flushed to disk, then renamed over it, so that a crash leaves the
/// old file or the new one, never half of one. Keeps the file's permission bits (0644 for a new
/// file). False with `error` set (when not null) on failure; the old file is then untouched.
bool WriteFileAtomically(const std::filesystem::path& path, std::string_view text, std::string* error);

/// Saves `policy` into the policy file at `path` (UpdatePolicyText on its current text, which must
/// still parse), after checking that the new text parses back to the same policy. Never writes
/// anything but the policy. False with `error` set (when not null) on failure.
bool SavePolicy(const std::filesystem::path& path, const age::Policy& policy, std::string* error);

} // namespace agecheck::kiosk
